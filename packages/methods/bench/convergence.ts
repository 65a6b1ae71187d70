// Convergence of the Shapley and Banzhaf estimators to the exact values on games with known
// answers (M = 16), against the number of model evaluations: mean relative L2 error over 20
// seeds. Rows are scored by the game directly (what GameModel returns through the pipeline).
//   node --conditions=@limekit/source --import tsx packages/methods/bench/convergence.ts
import { createRng, type RegressionProblem, type SampleBlock, type Sampler, type Surrogate } from '@limekit/core';
import { errorToExact, exactBanzhaf, exactShapley, LogicGame, PairwiseGame, SaturatingGame, type Game } from '@limekit/games';
import { BernoulliSampler } from '@limekit/sampler-bernoulli';
import { KernelShapSampler } from '@limekit/sampler-kernelshap';
import { KernelShapSurrogate } from '@limekit/surrogate-kernelshap';
import { BanzhafEstimator, LeverageSampler, LeverageShapEstimator, PermutationSampler, PermutationShapEstimator } from '../src/index.js';

function problemOf(sampler: Sampler, game: Game, budget: number, seed: number): RegressionProblem {
  const M = game.numPlayers;
  const session = sampler.start(M, budget, { rng: createRng(seed).fork('sampler') });
  const X: number[] = [], y: number[] = [], w: number[] = [];
  let block: SampleBlock | null;
  while ((block = session.next(256)) !== null) {
    for (let r = 0; r < block.count; r++) {
      const z = block.rows.subarray(r * M, (r + 1) * M);
      X.push(...z);
      y.push(game.value(z));
      w.push(block.weights ? block.weights[r] : 1);
    }
  }
  return { X: Float64Array.from(X), n: y.length, d: M, y: Float64Array.from(y), sampleWeight: Float64Array.from(w) };
}

const M = 16;
const games: Game[] = [
  new SaturatingGame(Array.from({ length: M }, (_, j) => 0.05 + ((j * 7) % 16) / 20)),
  new PairwiseGame(Array.from({ length: M }, (_, j) => ((j * 5) % 7) / 10 - 0.3), Array.from({ length: 12 }, (_, k) => ({ i: k, j: (k * 3 + 1) % M === k ? (k + 1) % M : (k * 3 + 1) % M, weight: ((k % 5) - 2) / 4 }))),
  new LogicGame('and', M, [0, 3, 7, 12]),
];
const methods: { name: string; target: 'shapley' | 'banzhaf'; sampler: () => Sampler; estimator: () => Surrogate }[] = [
  { name: 'kernelshap', target: 'shapley', sampler: () => new KernelShapSampler(), estimator: () => new KernelShapSurrogate() },
  { name: 'leverage-shap', target: 'shapley', sampler: () => new LeverageSampler(), estimator: () => new LeverageShapEstimator() },
  { name: 'permutation-shap', target: 'shapley', sampler: () => new PermutationSampler(), estimator: () => new PermutationShapEstimator() },
  { name: 'banzhaf (MSR)', target: 'banzhaf', sampler: () => new BernoulliSampler({ p: 0.5, firstRowAllOnes: false }), estimator: () => new BanzhafEstimator() },
];
const budgets = [128, 512, 2048, 8192];
const seeds = 20;
console.log(`| game | method | ${budgets.map((b) => `${b}`).join(' | ')} |`);
console.log(`| --- | --- | ${budgets.map(() => '---').join(' | ')} |`);
for (const game of games) {
  const exact = { shapley: exactShapley(game), banzhaf: exactBanzhaf(game) };
  for (const m of methods) {
    const cells = budgets.map((budget) => {
      let err = 0, rows = 0;
      for (let seed = 0; seed < seeds; seed++) {
        const problem = problemOf(m.sampler(), game, budget, seed);
        rows += problem.n;
        err += errorToExact(m.estimator().fit(problem).coef, exact[m.target]).relativeL2;
      }
      return `${(err / seeds).toFixed(4)} (${Math.round(rows / seeds)})`;
    });
    console.log(`| ${game.id} | ${m.name} | ${cells.join(' | ')} |`);
  }
}
