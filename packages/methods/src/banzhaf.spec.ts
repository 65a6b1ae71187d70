import { BernoulliSampler } from '@limekit/sampler-bernoulli';
import { AdditiveGame, exactBanzhaf, LogicGame, SaturatingGame, tabulateGame } from '@limekit/games';
import { describe, expect, it } from 'vitest';
import { BanzhafEstimator } from './banzhaf-estimator.js';
import { drainProblem, explainGame } from '../test/methods-helpers.js';

const uniform = () => new BernoulliSampler({ p: 0.5, firstRowAllOnes: false });

describe('banzhaf (maximum sample reuse): known answers', () => {
  it("is exact with every coalition once (M = 10), against games' exact Banzhaf values", () => {
    for (const game of [new SaturatingGame([0.9, 0.1, 0.5, 1.2, 0.3, 0.7, 0.2, 0.4, 1.1, 0.05]), new LogicGame('or', 10, [0, 3, 9], 2)]) {
      const M = 10;
      const table = tabulateGame(game);
      const X = new Float64Array(2 ** M * M);
      for (let mask = 0; mask < 2 ** M; mask++) for (let j = 0; j < M; j++) X[mask * M + j] = (mask >> j) & 1;
      const fit = new BanzhafEstimator().fit({ X, n: 2 ** M, d: M, y: table, sampleWeight: new Float64Array(2 ** M).fill(1) });
      const exact = exactBanzhaf(game);
      for (let j = 0; j < M; j++) expect(Math.abs(fit.coef[j] - exact[j])).toBeLessThan(1e-12);
    }
  });

  it('is unbiased on uniform masks, and its standard errors are calibrated: 95 % intervals over 300 seeds cover exact Banzhaf 93–97 % of the time', () => {
    const game = new LogicGame('and', 8, [1, 2, 5], 1);
    const exact = exactBanzhaf(game);
    let inside = 0, total = 0;
    const mean = new Float64Array(8);
    for (let seed = 0; seed < 300; seed++) {
      const fit = new BanzhafEstimator().fit(drainProblem(uniform(), (z) => game.value(z), 8, 400, seed));
      for (let j = 0; j < 8; j++, total++) {
        mean[j] += fit.coef[j] / 300;
        if (Math.abs(fit.coef[j] - exact[j]) <= 1.96 * fit.coefStd![j]) inside++;
      }
    }
    for (let j = 0; j < 8; j++) expect(Math.abs(mean[j] - exact[j])).toBeLessThan(0.01);
    expect(inside / total).toBeGreaterThan(0.93);
    expect(inside / total).toBeLessThan(0.97);
  });

  it('runs through the whole pipeline: additive game, uniform masks, weights within 4 standard errors (they are exact in expectation)', async () => {
    const w = [0.3, -0.2, 0.05, 0.4, -0.1, 0.25];
    const r = await explainGame(new AdditiveGame(w, 0.1), { sampler: uniform(), surrogate: new BanzhafEstimator(), grid: [2, 3] }, { numSamples: 300 });
    // An additive game's MSR estimate is exact only up to the unequal group sizes: within its error.
    for (let j = 0; j < 6; j++) expect(Math.abs(r.weights[j] - w[j])).toBeLessThan(4 * r.weightStd![j] + 1e-6);
    expect(r.calls).toBe(301); // 300 rows + the instance
  });

  it('names a segment that never changes and non-binary rows', () => {
    const problem = { X: Float64Array.from([1, 0, 1, 1, 1, 0]), n: 3, d: 2, y: Float64Array.from([1, 2, 3]), sampleWeight: Float64Array.from([1, 1, 1]) };
    expect(() => new BanzhafEstimator().fit(problem)).toThrow(/BanzhafEstimator: every segment must be on in some rows and off in others, got segment 0 on in all 3 rows/);
    expect(() => new BanzhafEstimator().fit({ ...problem, X: Float64Array.from([0.5, 0, 1, 1, 0, 0]) })).toThrow(/X must hold 0\/1 masks, got 0.5 in row 0, column 0/);
  });
});
