import { InvalidOptionError, type SampleBlock } from '@limekit/core';
import { describeSamplerContract, testContext } from '@limekit/testing';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { kernelShapComponent } from './component.js';
import { kernelShapDesign, pooledSizeWeights } from './kernelshap-design.js';
import { KernelShapSampler } from './kernelshap-sampler.js';

describeSamplerContract('KernelShapSampler', () => new KernelShapSampler(), { firstRowAllOnes: true });
describeSamplerContract('KernelShapSampler (unpaired)', () => new KernelShapSampler({ paired: false }), { firstRowAllOnes: true });

interface ShapCase {
  M: number;
  nsamples: number;
  num_full_subsets: number;
  nfixed: number;
  maskMatrix: string[];
  kernelWeights: number[];
}
// shap 0.51.0 KernelExplainer designs; see test/fixtures/PROVENANCE.md.
const shap: { cases: ShapCase[] } = JSON.parse(readFileSync(new URL('../test/fixtures/shap_designs.json', import.meta.url), 'utf8'));

const ones = (row: ArrayLike<number>) => Array.from(row).reduce((a, b) => a + b, 0);
const rowOf = (rows: Uint8Array, M: number, r: number) => rows.subarray(r * M, (r + 1) * M);

function drain(sampler: KernelShapSampler, M: number, budget: number, maxRows = 64, seed = 3) {
  const session = sampler.start(M, budget, testContext(seed, 'sampler'));
  const rows: number[][] = [];
  const weights: number[] = [];
  let b: SampleBlock | null;
  while ((b = session.next(maxRows))) {
    for (let r = 0; r < b.count; r++) {
      rows.push(Array.from(rowOf(b.rows, M, r)));
      weights.push(b.weights![r]);
    }
  }
  return { rows, weights, summary: session.summary!() };
}

describe('kernelShapDesign parity with shap 0.51.0 KernelExplainer', () => {
  for (const c of shap.cases) {
    it(`M=${c.M}, nsamples=${c.nsamples}: the ${c.nfixed} enumerated rows and their weights are shap's, the rest carries shap's weight`, () => {
      const d = kernelShapDesign(c.M, c.nsamples + 2, testContext(1).rng, { paired: true, endpointWeight: 1e6 });
      expect(d.count).toBe(c.maskMatrix.length + 2);
      expect(d.numFullSubsets).toBe(c.num_full_subsets);
      expect(d.enumerated).toBe(c.nfixed);
      expect(Array.from(rowOf(d.rows, c.M, 0))).toEqual(new Array(c.M).fill(1));
      expect(Array.from(rowOf(d.rows, c.M, 1))).toEqual(new Array(c.M).fill(0));
      for (let r = 0; r < c.nfixed; r++) {
        expect(Array.from(rowOf(d.rows, c.M, r + 2)).join('')).toBe(c.maskMatrix[r]);
        expect(Math.abs(d.weights[r + 2] - c.kernelWeights[r]) / c.kernelWeights[r]).toBeLessThan(1e-14);
      }
      // The random part: same number of rows, same total weight (shap's weight_left), sizes outside the enumerated ones.
      const sum = (a: ArrayLike<number>, from: number) => Array.from(a).slice(from).reduce((s, x) => s + x, 0);
      expect(Math.abs(sum(d.weights, 2 + c.nfixed) - sum(c.kernelWeights, c.nfixed))).toBeLessThan(1e-12);
      expect(Math.abs(sum(d.weights, 2) - 1)).toBeLessThan(1e-12);
      for (let r = 2 + c.nfixed; r < d.count; r++) {
        const k = ones(rowOf(d.rows, c.M, r));
        expect(k > c.num_full_subsets && k < c.M - c.num_full_subsets).toBe(true);
      }
    });
  }
});

describe('KernelShapSampler', () => {
  it('enumerates every coalition at budget 2^M with weights proportional to the Shapley kernel', () => {
    const M = 6;
    const { rows, weights, summary } = drain(new KernelShapSampler(), M, 64);
    expect(rows).toHaveLength(64);
    expect(new Set(rows.map((r) => r.join(''))).size).toBe(64);
    expect(weights.slice(0, 2)).toEqual([1e6, 1e6]);
    // w · C(M,k) · k(M−k)/(M−1) must be the same constant for every interior row. C(6,k) by hand.
    const C = [1, 6, 15, 20, 15, 6, 1];
    const scaled = rows.slice(2).map((r, i) => {
      const k = ones(r);
      return (weights[i + 2] * C[k] * k * (M - k)) / (M - 1);
    });
    for (const s of scaled) expect(Math.abs(s / scaled[0] - 1)).toBeLessThan(1e-12);
    expect(summary).toEqual({ samples: 64, enumeratedSizes: 3, enumeratedRows: 62, sampledRows: 0, randomDraws: 0 });
  });

  it('pairs every random coalition with its complement, both with the same weight', () => {
    const M = 15;
    const d = kernelShapDesign(M, 400, testContext(7).rng, { paired: true, endpointWeight: 1e6 });
    expect(d.count).toBe(400);
    for (let r = 2 + d.enumerated; r + 1 < d.count; r += 2) {
      const a = rowOf(d.rows, M, r), b = rowOf(d.rows, M, r + 1);
      for (let j = 0; j < M; j++) expect(a[j] + b[j]).toBe(1);
      expect(d.weights[r + 1]).toBe(d.weights[r]);
    }
  });

  /**
   * Draws per coalition size, recovered from the weights: shap scales the raw counts (integers,
   * most of them 1) by one factor, so count = round(w / min w) when at least one row was drawn once.
   */
  function drawsPerSize(d: ReturnType<typeof kernelShapDesign>, M: number, sides: 'coalition' | 'both'): Float64Array {
    const first = 2 + d.enumerated;
    let unit = Infinity;
    for (let r = first; r < d.count; r++) unit = Math.min(unit, d.weights[r]);
    const perSize = new Float64Array(M + 1);
    for (let r = first; r < d.count; r++) {
      const k = ones(rowOf(d.rows, M, r));
      // With pairing, only the drawn side (k ≤ M/2) counts; its complement repeats the draw.
      if (sides === 'both' || 2 * k <= M) perSize[k] += Math.round(d.weights[r] / unit);
    }
    return perSize;
  }

  /** Chi-square statistic and its bound df + 5·sqrt(2·df): the mean plus five standard deviations (p < 1e-4 by chance). */
  function chiSquare(observed: number[], expected: number[]): { stat: number; bound: number } {
    let stat = 0;
    for (let i = 0; i < observed.length; i++) stat += (observed[i] - expected[i]) ** 2 / expected[i];
    const df = observed.length - 1;
    return { stat, bound: df + 5 * Math.sqrt(2 * df) };
  }

  it('draws pooled coalition sizes in proportion to (M−1)/(k(M−k)) (chi-square bound)', () => {
    // M = 20, 3000 rows: pooled sizes 1 and 2 are enumerated (40 + 380 rows), sizes 3..10 drawn,
    // sizes 3..9 with probability ∝ weight/2 (a draw yields two rows), size 10 ∝ its weight.
    const M = 20;
    const d = kernelShapDesign(M, 3000, testContext(11).rng, { paired: true, endpointWeight: 1e6 });
    expect(d.numFullSubsets).toBe(2);
    const w = pooledSizeWeights(M);
    const numPaired = Math.floor((M - 1) / 2);
    const perSize = drawsPerSize(d, M, 'coalition');
    const sizes = Array.from({ length: w.length - d.numFullSubsets }, (_, i) => i + d.numFullSubsets + 1);
    const p = sizes.map((s) => (s <= numPaired ? w[s - 1] / 2 : w[s - 1]));
    const pSum = p.reduce((a, b) => a + b, 0);
    const observed = sizes.map((s) => perSize[s]);
    expect(observed.reduce((a, b) => a + b, 0)).toBe(d.draws);
    const { stat, bound } = chiSquare(observed, p.map((x) => (x / pSum) * d.draws));
    expect(stat).toBeLessThan(bound);
  });

  it('without pairing draws each side of a pooled size with probability 1/2 (chi-square bound)', () => {
    const M = 16;
    const d = kernelShapDesign(M, 2500, testContext(5).rng, { paired: false, endpointWeight: 1e6 });
    const w = pooledSizeWeights(M);
    const perSize = drawsPerSize(d, M, 'both');
    const sizes: number[] = [];
    const p: number[] = [];
    for (let k = 1; k < M; k++) {
      const s = Math.min(k, M - k);
      if (s <= d.numFullSubsets) continue;
      sizes.push(k);
      p.push(2 * k === M ? w[s - 1] : w[s - 1] / 2);
    }
    const pSum = p.reduce((a, b) => a + b, 0);
    const observed = sizes.map((k) => perSize[k]);
    expect(observed.reduce((a, b) => a + b, 0)).toBe(d.draws);
    const { stat, bound } = chiSquare(observed, p.map((x) => (x / pSum) * d.draws));
    expect(stat).toBeLessThan(bound);
    // No complement structure: consecutive random rows are not complements of each other.
    let complements = 0;
    for (let r = 2 + d.enumerated; r + 1 < d.count; r++) {
      let c = true;
      for (let j = 0; j < M; j++) if (d.rows[r * M + j] + d.rows[(r + 1) * M + j] !== 1) c = false;
      if (c) complements++;
    }
    expect(complements).toBeLessThan(10);
  });

  it('merges duplicate draws into the weight of the first occurrence', () => {
    // M = 8, 120 rows: few distinct coalitions of the drawn sizes, so duplicates are common.
    const M = 8;
    const d = kernelShapDesign(M, 120, testContext(2).rng, { paired: true, endpointWeight: 1e6 });
    const keys = new Set<string>();
    for (let r = 0; r < d.count; r++) keys.add(Array.from(rowOf(d.rows, M, r)).join(''));
    expect(keys.size).toBe(d.count);
    const first = 2 + d.enumerated;
    const w = Array.from(d.weights.subarray(first));
    expect(Math.max(...w)).toBeGreaterThan(Math.min(...w) * 1.5);
    expect(d.draws * 2).toBeGreaterThan(d.count - first);
  });

  it('caps the rows at 2^M and handles M = 0, 1 and tiny budgets', () => {
    expect(drain(new KernelShapSampler(), 4, 100).rows).toHaveLength(16);
    expect(drain(new KernelShapSampler(), 1, 10).rows).toEqual([[1], [0]]);
    expect(drain(new KernelShapSampler(), 5, 1).rows).toEqual([[1, 1, 1, 1, 1]]);
    expect(drain(new KernelShapSampler(), 5, 2).rows).toEqual([[1, 1, 1, 1, 1], [0, 0, 0, 0, 0]]);
    expect(drain(new KernelShapSampler(), 0, 10).rows).toEqual([[]]);
  });

  it('attaches endpointWeight to the two endpoint rows', () => {
    const { weights } = drain(new KernelShapSampler({ endpointWeight: 0 }), 7, 30);
    expect(weights.slice(0, 2)).toEqual([0, 0]);
    expect(weights.slice(2).every((w) => w > 0)).toBe(true);
  });

  it('rejects bad options with a message naming them', () => {
    expect(() => new KernelShapSampler({ endpointWeight: -1 })).toThrow(/endpointWeight must be a finite number >= 0, got -1/);
    expect(() => new KernelShapSampler({ paired: 'yes' } as never)).toThrow(InvalidOptionError);
    expect(() => new KernelShapSampler({ nsamples: 10 } as never)).toThrow(/unknown option "nsamples"/);
  });

  it('is component "kernelshap"', () => {
    expect(kernelShapComponent.create({ paired: false }).id).toBe('kernelshap');
  });
});
