import { AdditiveGame, errorToExact, exactShapley, SaturatingGame, LogicGame, PairwiseGame } from '@limekit/games';
import { KernelShapSurrogate } from '@limekit/surrogate-kernelshap';
import { describeSamplerContract } from '@limekit/testing';
import { createRng } from '@limekit/core';
import { describe, expect, it } from 'vitest';
import { LeverageShapEstimator, leverageShapSolve } from './leverage-estimator.js';
import { binomial, leverageDesign, LeverageSampler, shapleyKernelWeight } from './leverage-sampler.js';
import { drainProblem, explainGame } from '../test/methods-helpers.js';

describeSamplerContract('LeverageSampler', () => new LeverageSampler(), { firstRowAllOnes: true, exactBudget: false });

const rowKey = (X: Float64Array | Uint8Array, i: number, M: number) => Array.from(X.subarray(i * M, (i + 1) * M)).join('');

describe('LeverageSampler: paired sampling without replacement by leverage score', () => {
  it('draws every coalition with its complement, none twice, weighted by kernel / inclusion probability', () => {
    const M = 12;
    const d = leverageDesign(M, 300, createRng(3));
    const keys = new Set<string>();
    for (let i = 0; i < d.count; i++) keys.add(rowKey(d.rows, i, M));
    expect(keys.size).toBe(d.count);
    for (let i = 2; i < d.count; i++) {
      const k = rowKey(d.rows, i, M);
      expect(keys.has(Array.from(k, (c) => (c === '1' ? '0' : '1')).join(''))).toBe(true);
      const s = [...k].filter((c) => c === '1').length;
      const q = Math.min(1, d.scale / binomial(M, s));
      expect(Math.abs(d.weights[i] - shapleyKernelWeight(M, s) / q)).toBeLessThan(1e-15 * d.weights[i] + 1e-300);
    }
  });

  it('draws budget − 2 coalitions in expectation (mean over 200 seeds within 2 %), as many of each size pair', () => {
    const M = 16, budget = 502;
    let total = 0;
    const bySize = new Float64Array(M + 1);
    for (let seed = 0; seed < 200; seed++) {
      const d = leverageDesign(M, budget, createRng(seed));
      total += d.sampled;
      for (let i = 2; i < d.count; i++) bySize[rowKey(d.rows, i, M).split('').filter((c) => c === '1').length]++;
    }
    expect(Math.abs(total / 200 - (budget - 2)) / (budget - 2)).toBeLessThan(0.02);
    // Sizes 1 and 15 have 16 coalitions each, all kept (c ≈ 33 > 16); the middle sizes share the rest equally.
    expect(bySize[1] / 200).toBe(16);
    expect(Math.abs(bySize[8] / 200 - bySize[6] / 200) / (bySize[6] / 200)).toBeLessThan(0.1);
  });

  it('enumerates every coalition once with kernel weights when the budget reaches 2^M', () => {
    const M = 6;
    const d = leverageDesign(M, 64, createRng(0));
    expect(d.count).toBe(64);
    expect(d.scale).toBe(Infinity);
  });
});

describe('leverage-shap: known answers', () => {
  it("the projected solver is KernelSHAP's constrained least squares (same problem, 1e-9)", () => {
    const game = new SaturatingGame([0.9, 0.1, 0.5, 1.2, 0.3, 0.7, 0.2, 0.4, 1.1, 0.05]);
    const problem = drainProblem(new LeverageSampler(), (z) => game.value(z), 10, 200, 4);
    const a = new LeverageShapEstimator().fit(problem);
    const b = new KernelShapSurrogate().fit(problem);
    for (let j = 0; j < 10; j++) expect(Math.abs(a.coef[j] - b.coef[j])).toBeLessThan(1e-9);
    expect(Math.abs(a.intercept - b.intercept)).toBeLessThan(1e-15);
  });

  it('is exact with all 2^M coalitions (M = 8): saturating, AND, pairwise games, to 1e-10', () => {
    for (const game of [new SaturatingGame([0.9, 0.1, 0.5, 1.2, 0.3, 0.7, 0.2, 0.4]), new LogicGame('and', 8, [1, 4, 6]), new PairwiseGame([1, 0, -1, 2, 0, 0, 3, 1], [{ i: 0, j: 7, weight: 2 }])]) {
      const fit = new LeverageShapEstimator().fit(drainProblem(new LeverageSampler(), (z) => game.value(z), 8, 256, 1));
      const exact = exactShapley(game);
      for (let j = 0; j < 8; j++) expect(Math.abs(fit.coef[j] - exact[j])).toBeLessThan(1e-10);
    }
  });

  it('converges to exact Shapley: mean relative L2 error over 20 seeds falls as the budget grows (M = 14)', () => {
    const game = new SaturatingGame(Array.from({ length: 14 }, (_, j) => 0.1 + ((j * 37) % 11) / 10));
    const exact = exactShapley(game);
    const err = (budget: number) => {
      let e = 0;
      for (let seed = 0; seed < 20; seed++) e += errorToExact(new LeverageShapEstimator().fit(drainProblem(new LeverageSampler(), (z) => game.value(z), 14, budget, seed)).coef, exact).relativeL2;
      return e / 20;
    };
    const e64 = err(64), e512 = err(512), e4096 = err(4096);
    expect(e512).toBeLessThan(e64);
    expect(e4096).toBeLessThan(e512);
    expect(e4096).toBeLessThan(0.05);
  });

  it("reports KernelSHAP's paired sandwich errors; their 95 % intervals cover exact Shapley values at least nominally (M = 10, saturating game)", () => {
    // Measured (300 seeds × 10 segments): coverage 0.918 at budget 64, 0.982 at 200, 0.999 at 600 —
    // conservative as the budget nears 2^M, since the pairs are drawn without replacement.
    const game = new SaturatingGame([0.9, 0.1, 0.5, 1.2, 0.3, 0.7, 0.2, 0.4, 1.1, 0.05]);
    const exact = exactShapley(game);
    let inside = 0, total = 0;
    for (let seed = 0; seed < 200; seed++) {
      const fit = new LeverageShapEstimator().fit(drainProblem(new LeverageSampler(), (z) => game.value(z), 10, 200, seed));
      expect(fit.coefStd).toBeDefined();
      for (let j = 0; j < 10; j++, total++) {
        expect(fit.coefStd![j]).toBeGreaterThan(0);
        if (Math.abs(fit.coef[j] - exact[j]) <= 1.96 * fit.coefStd![j]) inside++;
      }
    }
    expect(inside / total).toBeGreaterThanOrEqual(0.93);
    expect(inside / total).toBeLessThanOrEqual(1);
  });

  it('is exact on an additive game through the whole pipeline once the system is determined', async () => {
    const w = [0.3, -0.2, 0.05, 0.4, -0.1, 0.25];
    const r = await explainGame(new AdditiveGame(w, 0.1), { sampler: new LeverageSampler(), surrogate: new LeverageShapEstimator(), grid: [2, 3] }, { numSamples: 48 });
    for (let j = 0; j < 6; j++) expect(Math.abs(r.weights[j] - w[j])).toBeLessThan(1e-6); // float32 model outputs
  });

  it('says which endpoint row is missing', () => {
    const problem = { X: Float64Array.from([1, 1, 1, 0]), n: 2, d: 2, y: Float64Array.from([1, 2]), sampleWeight: Float64Array.from([1, 1]) };
    expect(() => leverageShapSolve(problem)).toThrow(/LeverageShapEstimator: X must contain the all-ones row \(f\(x\)\) and the all-zeros row \(f\(∅\)\); the all-zeros row is missing/);
  });
});
