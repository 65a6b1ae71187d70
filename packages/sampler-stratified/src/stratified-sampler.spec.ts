import { InvalidOptionError } from '@limekit/core';
import { describeSamplerContract, testContext } from '@limekit/testing';
import { describe, expect, it } from 'vitest';
import { stratifiedComponent } from './component.js';
import { equalAllocation, logBinomials, roundRobin } from './stratified-design.js';
import { StratifiedSampler } from './stratified-sampler.js';

describeSamplerContract('StratifiedSampler', () => new StratifiedSampler(), { firstRowAllOnes: true });
describeSamplerContract('StratifiedSampler (random allocation)', () => new StratifiedSampler({ allocation: 'random' }), { firstRowAllOnes: true });

function drawAll(sampler: StratifiedSampler, M: number, n: number, seed = 8, maxRows = 50) {
  const s = sampler.start(M, n, testContext(seed, 'sampler'));
  const rows: number[][] = [];
  const weights: number[] = [];
  let b;
  while ((b = s.next(maxRows))) {
    for (let r = 0; r < b.count; r++) {
      rows.push(Array.from(b.rows.subarray(r * M, (r + 1) * M)));
      weights.push(b.weights![r]);
    }
  }
  return { rows, weights, summary: s.summary!() };
}

const ones = (row: number[]) => row.reduce((a, b) => a + b, 0);
/** Bernoulli(0.5) probability of k ones out of M. */
const binomialP = (M: number, k: number) => Math.exp(logBinomials(M)[k] - M * Math.LN2);

describe('equal allocation', () => {
  it('splits the rows equally over the sizes 1..M−1, remainder to the middle sizes, round-robin', () => {
    expect(Array.from(equalAllocation(5, 10))).toEqual([0, 2, 3, 3, 2, 0]);
    expect(Array.from(equalAllocation(4, 7))).toEqual([0, 2, 3, 2, 0]);
    expect(Array.from(roundRobin(Int32Array.from([0, 1, 2, 2, 1, 0])))).toEqual([1, 2, 3, 4, 2, 3]);
  });

  it('draws the instance, the all-zeros row, then the same number of rows for every size', () => {
    const M = 12;
    const { rows, weights, summary } = drawAll(new StratifiedSampler(), M, 2 + 11 * 40);
    expect(rows[0]).toEqual(new Array(M).fill(1));
    expect(weights[0]).toBe(1);
    expect(rows[1]).toEqual(new Array(M).fill(0));
    const perSize = new Array(M + 1).fill(0);
    for (const row of rows.slice(2)) perSize[ones(row)]++;
    expect(perSize).toEqual([0, ...new Array(M - 1).fill(40), 0]);
    expect(summary).toEqual({ samples: 2 + 11 * 40, allocation: 'equal', rowsPerStratum: 40 });
  });

  it('weights each row by the binomial share over the sample share, so size averages are exactly Bernoulli(0.5)', () => {
    // A function of the size alone is averaged exactly: Σ w·h(|z|) / N = Σ_{k<M} P_B(k)·h(k).
    const M = 10;
    const budget = 2 + 9 * 30 + 4;
    const { rows, weights } = drawAll(new StratifiedSampler(), M, budget);
    const h = (k: number) => Math.sin(k) + k * k;
    const N = budget - 1;
    let estimate = 0;
    for (let i = 1; i < rows.length; i++) estimate += (weights[i] * h(ones(rows[i]))) / N;
    let exact = 0;
    for (let k = 0; k < M; k++) exact += binomialP(M, k) * h(k);
    expect(Math.abs(estimate - exact)).toBeLessThan(1e-12);
    const total = weights.slice(1).reduce((a, b) => a + b, 0);
    expect(Math.abs(total / N - (1 - 2 ** -M))).toBeLessThan(1e-12);
  });

  it('estimates a Bernoulli(0.5) expectation that depends on which segments are kept (unbiased, 5 s.e.)', () => {
    // g(z) = z0·z1 + z2·|z|/M. Exact E_B[g] over the 2^10 masks; the estimate's spread is taken
    // from 20 seeds, the bound is 5 standard errors of their mean.
    const M = 10;
    const g = (z: number[]) => z[0] * z[1] + (z[2] * ones(z)) / M;
    let exact = 0;
    for (let m = 0; m < 2 ** M; m++) {
      const z = Array.from({ length: M }, (_, j) => (m >> j) & 1);
      if (ones(z) < M) exact += g(z) / 2 ** M; // the k = M stratum is the instance's, outside the design
    }
    const estimates: number[] = [];
    for (let seed = 1; seed <= 20; seed++) {
      const { rows, weights } = drawAll(new StratifiedSampler(), M, 300, seed);
      let e = 0;
      for (let i = 1; i < rows.length; i++) e += (weights[i] * g(rows[i])) / (rows.length - 1);
      estimates.push(e);
    }
    const mean = estimates.reduce((a, b) => a + b, 0) / estimates.length;
    const sd = Math.sqrt(estimates.reduce((s, e) => s + (e - mean) ** 2, 0) / (estimates.length - 1));
    expect(Math.abs(mean - exact)).toBeLessThan(5 * (sd / Math.sqrt(estimates.length)) + 1e-12);
  });

  it('draws uniform subsets within a size (every segment equally often)', () => {
    // Size k rows keep each segment with probability k/M; 3000 rows of M = 8, margin 0.04 (≈ 5 s.e.).
    const M = 8;
    const { rows } = drawAll(new StratifiedSampler(), M, 2 + 7 * 430);
    for (let j = 0; j < M; j++) {
      const mean = rows.slice(2).reduce((s, r) => s + r[j], 0) / (rows.length - 2);
      expect(Math.abs(mean - 0.5)).toBeLessThan(0.04);
    }
  });

  it('stops after the distinct rows when M < 2', () => {
    expect(drawAll(new StratifiedSampler(), 1, 10).rows).toEqual([[1], [0]]);
    expect(drawAll(new StratifiedSampler(), 0, 10).rows).toEqual([[]]);
  });
});

describe('random allocation (Rashid et al.’s released code)', () => {
  it('draws sizes uniformly on 0..M (chi-square bound) with factor C(M,k)·(M+1)/2^M', () => {
    // 5000 rows, M = 15: 16 equiprobable sizes. Bound: df + 5·sqrt(2·df), the chi-square mean plus
    // five standard deviations (p < 1e-4 by chance).
    const M = 15;
    const n = 5000;
    const { rows, weights } = drawAll(new StratifiedSampler({ allocation: 'random' }), M, n + 1);
    const observed = new Array(M + 1).fill(0);
    rows.slice(1).forEach((row, i) => {
      const k = ones(row);
      observed[k]++;
      expect(Math.abs(weights[i + 1] / (binomialP(M, k) * (M + 1)) - 1)).toBeLessThan(1e-12);
    });
    const e = n / (M + 1);
    const stat = observed.reduce((s, o) => s + (o - e) ** 2 / e, 0);
    expect(stat).toBeLessThan(M + 5 * Math.sqrt(2 * M));
  });

  it('its weighted size distribution is the binomial one (within 5 s.e.)', () => {
    const M = 12;
    const n = 8000;
    const { rows, weights } = drawAll(new StratifiedSampler({ allocation: 'random' }), M, n + 1);
    const mass = new Array(M + 1).fill(0);
    rows.slice(1).forEach((row, i) => (mass[ones(row)] += weights[i + 1] / n));
    for (let k = 0; k <= M; k++) {
      // Each size's weighted share is a mean of n draws of P_B(k)(M+1)·[size = k]; its s.e.:
      const p = binomialP(M, k);
      const se = p * Math.sqrt(M / n);
      expect(Math.abs(mass[k] - p)).toBeLessThan(5 * se + 1e-12);
    }
  });
});

describe('StratifiedSampler', () => {
  it('rejects an unknown allocation and unknown options with a message naming them', () => {
    expect(() => new StratifiedSampler({ allocation: 'neyman' as never })).toThrow(/allocation must be one of equal, random, got "neyman"/);
    expect(() => new StratifiedSampler({ allocation: 1 } as never)).toThrow(InvalidOptionError);
    expect(() => new StratifiedSampler({ strata: 3 } as never)).toThrow(/unknown option "strata"/);
  });

  it('is component "stratified"', () => {
    expect(stratifiedComponent.create({}).id).toBe('stratified');
  });
});
