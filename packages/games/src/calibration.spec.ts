// Calibration of the surrogates' standard errors (coefStd) against exact targets: over many seeds,
// the 95 % interval coef ± 1.96·std must contain the exact value about 95 % of the time. The
// measured coverages are printed and quoted in docs/decisions/0024-surrogate-standard-errors.md.
import { createRng, type FittedSurrogate, type Kernel, type RegressionProblem, type Sampler } from '@limekit/core';
import { ExponentialKernel, UniformKernel } from '@limekit/kernels';
import { BernoulliSampler } from '@limekit/sampler-bernoulli';
import { KernelShapSampler } from '@limekit/sampler-kernelshap';
import { KernelShapSurrogate } from '@limekit/surrogate-kernelshap';
import { LassoSurrogate } from '@limekit/surrogate-lasso';
import { LinearSurrogate } from '@limekit/surrogate-linear';
import { RidgeSurrogate } from '@limekit/surrogate-ridge';
import { describe, expect, it } from 'vitest';
import { exactShapley, limeTargetFromTable, tabulateGame } from './exact.js';
import { PairwiseGame, SaturatingGame, type Game } from './games.js';

/** Draws n rows from a sampler, weighs them with the kernel times the sampler's weights, scores them with the game. */
function neighbourhood(game: Game, sampler: Sampler, kernel: Kernel, n: number, seed: number): RegressionProblem {
  const M = game.numPlayers;
  const session = sampler.start(M, n, { rng: createRng(seed).fork('sampler') });
  const X: number[] = [], y: number[] = [], w: number[] = [];
  let block;
  while ((block = session.next(256))) {
    const k = new Float64Array(block.count);
    kernel.weigh(block, M, k);
    for (let r = 0; r < block.count; r++) {
      const row = block.rows.subarray(r * M, (r + 1) * M);
      X.push(...row);
      y.push(game.value(row));
      w.push(k[r] * (block.weights ? block.weights[r] : 1));
    }
  }
  return { X: Float64Array.from(X), n: y.length, d: M, y: Float64Array.from(y), sampleWeight: Float64Array.from(w) };
}

/** Fraction of intervals coef ± 1.96·std that hold the exact value, over seeds and coefficients. */
function coverage(fit: (seed: number) => FittedSurrogate, exact: Float64Array, seeds: number): { coverage: number; intervals: number } {
  let hit = 0, total = 0;
  for (let s = 0; s < seeds; s++) {
    const f = fit(s);
    expect(f.coefStd).toBeDefined();
    for (let j = 0; j < exact.length; j++) {
      total++;
      if (Math.abs(f.coef[j] - exact[j]) <= 1.96 * f.coefStd![j]) hit++;
    }
  }
  return { coverage: hit / total, intervals: total };
}

// Non-linear games (a linear surrogate cannot fit them, so every estimate has sampling error).
const pairwise = new PairwiseGame([0.3, -0.2, 0.5, 0.1, 0, 0.25, -0.4, 0.15, 0.05, 0.35], [
  { i: 0, j: 1, weight: 0.6 },
  { i: 2, j: 5, weight: -0.5 },
  { i: 3, j: 7, weight: 0.4 },
  { i: 6, j: 9, weight: 0.8 },
]);
const saturating = new SaturatingGame([0.5, 0.2, 0.9, 0.1, 0.4, 0.3, 0.05, 0.7, 0.2, 0.6]);

// Tolerance: 95 % nominal; with ≥ 250 intervals (correlated within a seed) the band [0.88, 0.99]
// leaves room for sampling error and the sandwich's known small-sample optimism.
const LOW = 0.88, HIGH = 0.99;

describe('standard errors are calibrated against the exact targets', () => {
  for (const game of [pairwise, saturating]) {
    const table = tabulateGame(game);
    const n = 400;
    it(`ridge (α = 1, lime's kernel) on the ${game.id} game: 95 % intervals cover the exact LIME target`, () => {
      const exact = limeTargetFromTable(table, { numSamples: n, alpha: 1 }).coef;
      const kernel = new ExponentialKernel();
      const { coverage: c, intervals } = coverage((s) => new RidgeSurrogate({ standardErrors: true }).fit(neighbourhood(game, new BernoulliSampler(), kernel, n, s)), exact, 30);
      console.log(`coverage ridge/${game.id}: ${c.toFixed(3)} of ${intervals} intervals`);
      expect(intervals).toBeGreaterThanOrEqual(250);
      expect(c).toBeGreaterThanOrEqual(LOW);
      expect(c).toBeLessThanOrEqual(HIGH);
    });

    it(`linear (lime's kernel) on the ${game.id} game: 95 % intervals cover the exact weighted least-squares target`, () => {
      const exact = limeTargetFromTable(table, { numSamples: n, alpha: 0 }).coef;
      const kernel = new ExponentialKernel();
      const { coverage: c, intervals } = coverage((s) => new LinearSurrogate({ standardErrors: true }).fit(neighbourhood(game, new BernoulliSampler(), kernel, n, s)), exact, 30);
      console.log(`coverage linear/${game.id}: ${c.toFixed(3)} of ${intervals} intervals`);
      expect(intervals).toBeGreaterThanOrEqual(250);
      expect(c).toBeGreaterThanOrEqual(LOW);
      expect(c).toBeLessThanOrEqual(HIGH);
    });
  }

  for (const game of [pairwise, saturating]) {
    it(`lasso (α = 0.002, lime's kernel, 100 bootstrap rounds) on the ${game.id} game: 95 % intervals cover the exact population lasso solution`, () => {
      // The population target: the same weighted lasso over all 2^M masks (its objective is
      // normalised by Σw, so it does not depend on n).
      const M = game.numPlayers;
      const table = tabulateGame(game);
      const all = new Uint8Array(table.length * M);
      for (let s = 0; s < table.length; s++) for (let j = 0; j < M; j++) all[s * M + j] = (s >>> j) & 1;
      const w = new Float64Array(table.length);
      new ExponentialKernel().weigh({ rows: all, count: table.length }, M, w);
      const exact = new LassoSurrogate({ alpha: 0.002, tol: 1e-10, maxIter: 100000, bootstrapRounds: 0 }).fit({ X: Float64Array.from(all), n: table.length, d: M, y: table, sampleWeight: w }).coef;
      const lasso = new LassoSurrogate({ alpha: 0.002, bootstrapRounds: 100 });
      const { coverage: c, intervals } = coverage((s) => lasso.fit(neighbourhood(game, new BernoulliSampler(), new ExponentialKernel(), 400, s), { rng: createRng(s).fork('surrogate:0') }), exact, 30);
      console.log(`coverage lasso/${game.id}: ${c.toFixed(3)} of ${intervals} intervals (exact zeros: ${exact.filter((v) => v === 0).length} of ${M})`);
      expect(intervals).toBeGreaterThanOrEqual(250);
      expect(c).toBeGreaterThanOrEqual(LOW);
      expect(c).toBeLessThanOrEqual(HIGH);
    });

    it(`kernelshap (shap's paired coalitions, constrained least squares) on the ${game.id} game: 95 % intervals cover the exact Shapley values`, () => {
      const exact = exactShapley(game);
      const sampler = new KernelShapSampler();
      const { coverage: c, intervals } = coverage((s) => new KernelShapSurrogate({ standardErrors: true }).fit(neighbourhood(game, sampler, new UniformKernel(), 300, s)), exact, 30);
      console.log(`coverage kernelshap/${game.id}: ${c.toFixed(3)} of ${intervals} intervals`);
      expect(intervals).toBeGreaterThanOrEqual(250);
      expect(c).toBeGreaterThanOrEqual(LOW);
      expect(c).toBeLessThanOrEqual(HIGH);
    });
  }
});
