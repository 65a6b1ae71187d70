import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { bootstrapCI, holmAdjust, meanCI, normalCdf, normalQuantile, studentTQuantile, wilcoxonSignedRank } from './statistics.js';

// SciPy 1.10.1 values from tools/fixtures/metrics_statistics.py; see test/fixtures/PROVENANCE.md.
interface Fixture {
  provenance: { scipy: string };
  tQuantiles: { p: number; df: number; t: number; tExact: number }[];
  normalQuantiles: { p: number; z: number }[];
  normalCdf: { x: number; cdf: number }[];
  wilcoxon: { name: string; x: number[]; y: number[]; method: 'exact' | 'approx'; statistic: number; pvalue: number; rPlus: number; rMinus: number; effectSize: number }[];
  holm: { p: number[]; adjusted: number[] }[];
}
const ref = JSON.parse(readFileSync(new URL('../test/fixtures/statistics.json', import.meta.url), 'utf8')) as Fixture;
const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(1e-300, Math.abs(b));

describe('quantiles and CDFs against scipy.stats ' + ref.provenance.scipy, () => {
  it('t quantiles: to a relative 1e-12 of mpmath, 5e-9 of t.ppf (whose own error reaches 3e-9), including df = 1, 2 and non-integer df', () => {
    for (const c of ref.tQuantiles) {
      expect(rel(studentTQuantile(c.p, c.df), c.tExact)).toBeLessThan(1e-12);
      expect(rel(studentTQuantile(c.p, c.df), c.t)).toBeLessThan(5e-9);
    }
    expect(Math.abs(studentTQuantile(0.025, 4) + studentTQuantile(0.975, 4))).toBeLessThan(1e-12);
  });
  it('norm.ppf and norm.cdf to a relative 1e-12', () => {
    for (const c of ref.normalQuantiles) expect(rel(normalQuantile(c.p), c.z)).toBeLessThan(1e-12);
    for (const c of ref.normalCdf) expect(rel(normalCdf(c.x), c.cdf)).toBeLessThan(1e-12);
  });
});

describe('meanCI (Student t)', () => {
  it('[1, 2, 3] → 2 ± t(0.975; 2)·1/√3 with the exact quantile 4.302653', () => {
    const ci = meanCI([1, 2, 3])!;
    expect(Math.abs(ci.mean - 2)).toBeLessThan(1e-12);
    expect(Math.abs(ci.half - 4.302652729749464 / Math.sqrt(3))).toBeLessThan(1e-9);
    expect(meanCI([NaN])).toBeNull();
  });
});

describe('Wilcoxon signed-rank against scipy.stats.wilcoxon', () => {
  for (const c of ref.wilcoxon) {
    it(`${c.name}: statistic, p-value (${c.method}), rank sums and rank-biserial r`, () => {
      const r = wilcoxonSignedRank(c.x, c.y);
      expect(r.method).toBe(c.method);
      expect(Math.abs(r.statistic - c.statistic)).toBeLessThan(1e-9);
      expect(Math.abs(r.rPlus - c.rPlus)).toBeLessThan(1e-9);
      expect(Math.abs(r.rMinus - c.rMinus)).toBeLessThan(1e-9);
      expect(rel(r.pvalue, c.pvalue)).toBeLessThan(1e-9);
      expect(Math.abs(r.effectSize - c.effectSize)).toBeLessThan(1e-12);
    });
  }
  it('all differences zero: p = 1, effect 0 (scipy raises here)', () => {
    const r = wilcoxonSignedRank([1, 2], [1, 2]);
    expect(r.pvalue).toBe(1);
    expect(r.effectSize).toBe(0);
  });
  it('rejects unpaired samples', () => {
    expect(() => wilcoxonSignedRank([1, 2], [1])).toThrow(/same length, got 2 and 1/);
  });
});

describe('Holm adjustment', () => {
  for (const c of ref.holm) {
    it(`[${c.p.join(', ')}]`, () => {
      const a = holmAdjust(c.p);
      for (let i = 0; i < a.length; i++) expect(Math.abs(a[i] - c.adjusted[i])).toBeLessThan(1e-15);
    });
  }
});

describe('bootstrapCI', () => {
  // A skewed, bounded metric near its maximum: the Student-t interval leaves [0, 1].
  const values = [1, 1, 1, 1, 1, 1, 1, 0.2, 1, 1];
  it('stays inside the metric range where the t-interval does not', () => {
    expect(meanCI(values)!.hi).toBeGreaterThan(1);
    for (const method of ['bca', 'percentile'] as const) {
      const ci = bootstrapCI(values, { method, seed: 3, range: [0, 1] })!;
      expect(ci.lo).toBeGreaterThanOrEqual(0.2);
      expect(ci.hi).toBeLessThanOrEqual(1);
      expect(ci.lo).toBeLessThan(ci.mean);
    }
  });
  it('is seeded: the same seed gives the same interval, another seed another one', () => {
    const xs = Array.from({ length: 25 }, (_, i) => Math.sin(i) ** 2);
    expect(bootstrapCI(xs, { seed: 1 })).toEqual(bootstrapCI(xs, { seed: 1 }));
    expect(bootstrapCI(xs, { seed: 1 })!.lo).not.toBe(bootstrapCI(xs, { seed: 2 })!.lo);
  });
  it('percentile interval of a large symmetric sample is close to the t-interval (known answer)', () => {
    const xs = Array.from({ length: 200 }, (_, i) => (i % 20) / 19);
    const t = meanCI(xs)!;
    const b = bootstrapCI(xs, { method: 'percentile', seed: 7, resamples: 4000 })!;
    expect(Math.abs(b.lo - t.lo)).toBeLessThan(0.01);
    expect(Math.abs(b.hi - t.hi)).toBeLessThan(0.01);
    const bca = bootstrapCI(xs, { seed: 7, resamples: 4000 })!;
    expect(bca.method).toBe('bca');
    expect(Math.abs(bca.lo - t.lo)).toBeLessThan(0.01);
  });
  it('constant values give a zero-width interval; none give null', () => {
    expect(bootstrapCI([0.5, 0.5, 0.5])).toEqual({ n: 3, mean: 0.5, lo: 0.5, hi: 0.5, method: 'none' });
    expect(bootstrapCI([])).toBeNull();
  });
});
