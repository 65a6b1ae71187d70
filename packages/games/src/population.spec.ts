import { ExponentialKernel, UniformKernel } from '@limekit/kernels';
import { describe, expect, it } from 'vitest';
import { exactLimeTarget, limeTargetFromTable, tabulateGame } from './exact.js';
import { AdditiveGame, LogicGame, PairwiseGame, SaturatingGame, type Game } from './games.js';
import { bernoulliMaskLaw, glimeMaskLaw, lawWeightedKernel, multilinearTerms, populationLimeTarget, sizeWeights, UNIFORM_MASK_LAW } from './population.js';

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

const M = 9;
const games: Game[] = [
  new AdditiveGame(Array.from({ length: M }, (_, j) => ((j * 7) % 5) / 10 - 0.2), 0.1),
  new PairwiseGame(Array.from({ length: M }, (_, j) => ((j * 3) % 4) / 10), [{ i: 0, j: 1, weight: 0.6 }, { i: 2, j: 7, weight: -0.4 }], 0.05),
  new LogicGame('and', M, [1, 4, 5], 0.9),
  new LogicGame('or', M, [0, 3, 8], 0.7),
];

describe('multilinear forms', () => {
  it('reproduce every game value on every mask', () => {
    for (const game of games) {
      const terms = multilinearTerms(game)!;
      const table = tabulateGame(game);
      for (let s = 0; s < table.length; s++) {
        const v = terms.reduce((acc, t) => acc + (t.players.every((j) => (s >>> j) & 1) ? t.coef : 0), 0);
        expect(Math.abs(v - table[s])).toBeLessThan(1e-12);
      }
    }
    expect(multilinearTerms(new SaturatingGame([0.1, 0.2]))).toBeUndefined();
  });
});

describe('populationLimeTarget', () => {
  const laws = [UNIFORM_MASK_LAW, bernoulliMaskLaw(0.3), glimeMaskLaw(1)];
  const kernels = [new ExponentialKernel(), new ExponentialKernel({ kernelWidth: 0.5 }), new UniformKernel()];
  it('by moments equals the enumeration over all 2^M masks, for every law, kernel and alpha', () => {
    for (const game of games) {
      for (const law of laws) {
        for (const kernel of kernels) {
          for (const [alpha, instanceFirst] of [[0, false], [1, false], [1, true]] as const) {
            const got = populationLimeTarget(game, { kernel, alpha, law, numSamples: 500, instanceFirst });
            expect(got.method).toBe('moments');
            const want = limeTargetFromTable(tabulateGame(game), { kernel: lawWeightedKernel(kernel, law, instanceFirst ? 1 / 500 : 0), alpha, numSamples: 500 });
            // Two exact computations of the same solution: only rounding separates them.
            expect(maxAbsDiff(got.coef, want.coef)).toBeLessThan(1e-9);
            expect(Math.abs(got.intercept - want.intercept)).toBeLessThan(1e-9);
          }
        }
      }
    }
  });

  it('is exactLimeTarget for the uniform law, and a linear game is recovered exactly without a penalty', () => {
    const game = games[0];
    const got = populationLimeTarget(game, { numSamples: 1000 });
    expect(maxAbsDiff(got.coef, exactLimeTarget(game, { numSamples: 1000 }).coef)).toBeLessThan(1e-9);
    expect(maxAbsDiff(populationLimeTarget(game, { alpha: 0 }).coef, (game as AdditiveGame).weights)).toBeLessThan(1e-12);
  });

  it('instanceFirst counts the all-ones mask once more: the same as a table with that row added by hand', () => {
    // Enumeration with the instance row folded in equals the moments; and differs from the law alone.
    const sat = new SaturatingGame([0.3, 0.1, 0.5, 0.2, 0.4]);
    const law = glimeMaskLaw(0.5);
    const a = populationLimeTarget(sat, { law, numSamples: 200, instanceFirst: true, kernel: new UniformKernel() });
    const b = populationLimeTarget(sat, { law, numSamples: 200, kernel: new UniformKernel() });
    expect(a.method).toBe('enumeration');
    expect(maxAbsDiff(a.coef, b.coef)).toBeGreaterThan(1e-4);
    // The additive game written as a saturating-free multilinear game goes through moments: compare both paths.
    const add = new AdditiveGame([0.3, 0.1, 0.5, 0.2, 0.4], 0.2);
    const viaMoments = populationLimeTarget(add, { law, numSamples: 200, instanceFirst: true, kernel: new UniformKernel() });
    const viaTable = limeTargetFromTable(tabulateGame(add), { kernel: lawWeightedKernel(new UniformKernel(), law, 1 / 200), numSamples: 200 });
    expect(maxAbsDiff(viaMoments.coef, viaTable.coef)).toBeLessThan(1e-9);
  });

  it('hand case M = 2, uniform kernel and law, alpha 0: ordinary least squares of v on the four masks', () => {
    // v(00)=0, v(10)=1, v(01)=2, v(11)=4 (AND bonus 1): OLS of y on [1, x0, x1] over the 4 masks
    // gives x0: (1 + 2)/2 ... explicitly b0 = ((1−0) + (4−2))/2 = 1.5, b1 = ((2−0) + (4−1))/2 = 2.5.
    const game = new PairwiseGame([1, 2], [{ i: 0, j: 1, weight: 1 }]);
    const fit = populationLimeTarget(game, { kernel: new UniformKernel(), alpha: 0 });
    expect(Math.abs(fit.coef[0] - 1.5)).toBeLessThan(1e-12);
    expect(Math.abs(fit.coef[1] - 2.5)).toBeLessThan(1e-12);
    expect(Math.abs(fit.intercept + 0.25)).toBeLessThan(1e-12);
  });

  it('works beyond 20 segments for multilinear games, and refuses saturating ones there', () => {
    const big = new AdditiveGame(Array.from({ length: 40 }, (_, j) => (j % 5) / 10), 0);
    const fit = populationLimeTarget(big, { alpha: 0, numSamples: 1000 });
    expect(maxAbsDiff(fit.coef, big.weights)).toBeLessThan(1e-8);
    expect(() => populationLimeTarget(new SaturatingGame(Array(24).fill(0.1)))).toThrow(/M = 24 segments has no exact LIME target/);
  });

  it('sizeWeights sees that the lime kernel depends only on the size', () => {
    const w = sizeWeights(new ExponentialKernel(), 5)!;
    expect(w.length).toBe(6);
    expect(w[5]).toBeGreaterThan(w[4]);
  });
});
