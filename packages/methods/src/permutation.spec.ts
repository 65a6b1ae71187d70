import { createRng } from '@limekit/core';
import { AdditiveGame, exactShapley, LogicGame, PairwiseGame, SaturatingGame } from '@limekit/games';
import { describeSamplerContract } from '@limekit/testing';
import { describe, expect, it } from 'vitest';
import { drainProblem, explainGame } from '../test/methods-helpers.js';
import { PermutationShapEstimator } from './permutation-estimator.js';
import { PermutationSampler, permutationRows } from './permutation-sampler.js';

describeSamplerContract('PermutationSampler', () => new PermutationSampler(), { firstRowAllOnes: true, exactBudget: false });

describe('PermutationSampler', () => {
  it('walks ones → zeros → ones per pair, one segment flipped per row, each segment once each way', () => {
    const M = 5;
    const p = drainProblem(new PermutationSampler(), () => 0, M, permutationRows(M, 3), 4, 7);
    expect(p.n).toBe(1 + 2 * M * 3);
    for (let i = 0; i + 1 < p.n; i++) {
      let flips = 0;
      for (let j = 0; j < M; j++) flips += p.X[i * M + j] !== p.X[(i + 1) * M + j] ? 1 : 0;
      expect(flips).toBe(1);
    }
    for (let k = 0; k <= 3; k++) expect(Array.from(p.X.subarray(2 * M * k * M, 2 * M * k * M + M))).toEqual([1, 1, 1, 1, 1]);
    for (let k = 0; k < 3; k++) expect(Array.from(p.X.subarray((2 * M * k + M) * M, (2 * M * k + M + 1) * M))).toEqual([0, 0, 0, 0, 0]);
  });

  it('uses at least one pair: a budget below 2M + 1 is exceeded and the summary says how many pairs', () => {
    const p = drainProblem(new PermutationSampler(), () => 0, 10, 5);
    expect(p.n).toBe(21);
    const session = new PermutationSampler().start(10, 5, { rng: createRng(0) });
    expect(session.summary?.()).toMatchObject({ pairs: 1, requested: 5 });
  });
});

describe('permutation-shap: known answers', () => {
  const shapOf = (game: { value(z: ArrayLike<number>): number; numPlayers: number }, pairs: number, seed: number) =>
    new PermutationShapEstimator().fit(drainProblem(new PermutationSampler(), (z) => game.value(z), game.numPlayers, permutationRows(game.numPlayers, pairs), seed));

  it('is exact on an additive game with one permutation pair, through the whole pipeline', async () => {
    const game = new AdditiveGame([0.3, -0.2, 0.05, 0.4, -0.1, 0.25], 0.1);
    const r = await explainGame(game, { sampler: new PermutationSampler(), surrogate: new PermutationShapEstimator(), grid: [2, 3] }, { numSamples: permutationRows(6, 1), batchSize: 5 });
    const exact = exactShapley(game);
    // GameModel answers in float32.
    for (let j = 0; j < 6; j++) expect(Math.abs(r.weights[j] - exact[j])).toBeLessThan(1e-6);
    expect(r.calls).toBe(13);
    expect(r.weightStd).toBeUndefined();
  });

  it('is exact on a pairwise game with one pair too (a permutation and its reverse share each interaction equally)', () => {
    const game = new PairwiseGame([1, 2, 3, 4, 5], [{ i: 0, j: 1, weight: 0.5 }, { i: 1, j: 3, weight: -2 }, { i: 2, j: 4, weight: 1.5 }]);
    const exact = exactShapley(game);
    for (const seed of [0, 1, 2]) {
      const fit = shapOf(game, 1, seed);
      for (let j = 0; j < 5; j++) expect(Math.abs(fit.coef[j] - exact[j])).toBeLessThan(1e-12);
    }
  });

  it('is unbiased: on a 3-way AND game and a saturating game the mean over 400 seeds is within 4 standard errors of exact Shapley', () => {
    for (const game of [new LogicGame('and', 6, [0, 2, 5]), new SaturatingGame([0.9, 0.1, 0.5, 1.2, 0.3, 0.7])]) {
      const exact = exactShapley(game);
      const runs = Array.from({ length: 400 }, (_, s) => shapOf(game, 1, s).coef);
      for (let j = 0; j < 6; j++) {
        const mean = runs.reduce((a, r) => a + r[j], 0) / runs.length;
        const sd = Math.sqrt(runs.reduce((a, r) => a + (r[j] - mean) ** 2, 0) / (runs.length - 1));
        expect(Math.abs(mean - exact[j])).toBeLessThan(4 * (sd / Math.sqrt(runs.length)) + 1e-12);
      }
      // Not exact with one pair: the estimates do vary.
      expect(runs.some((r) => Math.abs(r[0] - exact[0]) > 1e-3)).toBe(true);
    }
  });

  it('reports a standard error over pairs whose 95 % intervals cover exact Shapley about 95 % of the time', () => {
    const game = new SaturatingGame([0.9, 0.1, 0.5, 1.2, 0.3, 0.7]);
    const exact = exactShapley(game);
    let inside = 0, total = 0;
    for (let s = 0; s < 200; s++) {
      const fit = shapOf(game, 20, s);
      for (let j = 0; j < 6; j++, total++) if (Math.abs(fit.coef[j] - exact[j]) <= 1.96 * fit.coefStd![j]) inside++;
    }
    // Measured 0.924 over 1200 intervals (z = 1.96 with 20 pairs is a little narrow: t with 19 degrees of
    // freedom is 2.09); an error mis-scaled by √2 either way would land near 0.83 or 0.99.
    expect(inside / total).toBeGreaterThan(0.9);
    expect(inside / total).toBeLessThan(0.98);
  });

  it('efficiency: Σφ = f(x) − f(∅) for every draw', () => {
    const game = new SaturatingGame([0.9, 0.1, 0.5, 1.2]);
    const fit = shapOf(game, 3, 9);
    expect(Math.abs(fit.coef.reduce((a, b) => a + b, 0) - (game.value([1, 1, 1, 1]) - game.value([0, 0, 0, 0])))).toBeLessThan(1e-12);
    expect(Math.abs(fit.intercept - game.value([0, 0, 0, 0]))).toBeLessThan(1e-15);
  });

  it('refuses rows that do not walk along permutations', () => {
    const problem = { X: Float64Array.from([1, 1, 0, 0, 1, 0]), n: 3, d: 2, y: Float64Array.from([1, 2, 3]), sampleWeight: Float64Array.from([1, 1, 1]) };
    expect(() => new PermutationShapEstimator().fit(problem)).toThrow(/PermutationShapEstimator: the rows must walk along permutations .* Use the permutation sampler and keep the rows in its order\./);
  });
});
