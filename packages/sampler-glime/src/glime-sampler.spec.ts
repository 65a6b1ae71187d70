import { InvalidOptionError, createRng } from '@limekit/core';
import { describeSamplerContract, testContext } from '@limekit/testing';
import { describe, expect, it } from 'vitest';
import { glimeComponent } from './component.js';
import { cumulative, drawGlimeRow, glimeSizeDistribution } from './glime-binomial.js';
import { GlimeSampler } from './glime-sampler.js';

describeSamplerContract('GlimeSampler', () => new GlimeSampler(), { firstRowAllOnes: true });
describeSamplerContract('GlimeSampler (σ = 2)', () => new GlimeSampler({ kernelWidth: 2 }), { firstRowAllOnes: true });

function drawAll(sampler: GlimeSampler, M: number, n: number, seed = 4): { rows: number[][]; weighted: boolean } {
  const s = sampler.start(M, n, testContext(seed, 'sampler'));
  const rows: number[][] = [];
  let weighted = false;
  let b;
  while ((b = s.next(97))) {
    if (b.weights) weighted = true;
    for (let r = 0; r < b.count; r++) rows.push(Array.from(b.rows.subarray(r * M, (r + 1) * M)));
  }
  return { rows, weighted };
}

const ones = (row: number[]) => row.reduce((a, b) => a + b, 0);

describe('glimeSizeDistribution', () => {
  it('is C(M,k)·exp(−(M−k)/σ²) normalised over k < M', () => {
    // M = 4, σ = 1: weights C(4,k)·e^{k−4} = e^-4, 4e^-3, 6e^-2, 4e^-1 (k = 0..3).
    const p = glimeSizeDistribution(4, 1);
    const w = [Math.exp(-4), 4 * Math.exp(-3), 6 * Math.exp(-2), 4 * Math.exp(-1)];
    const total = w.reduce((a, b) => a + b, 0);
    for (let k = 0; k < 4; k++) expect(Math.abs(p[k] - w[k] / total)).toBeLessThan(1e-15);
  });

  it("equals GLIME's released code (comb_exp) to 1e-12", async () => {
    // Probabilities from GLIME's generate_samples(distribution='comb_exp'); test/fixtures/PROVENANCE.md.
    const { readFile } = await import('node:fs/promises');
    const fx = JSON.parse(await readFile(new URL('../test/fixtures/comb_exp.json', import.meta.url), 'utf8'));
    for (const c of fx.cases as { num_features: number; kernel_width: number; probs: number[] }[]) {
      const p = glimeSizeDistribution(c.num_features, c.kernel_width);
      expect(p).toHaveLength(c.probs.length);
      c.probs.forEach((q, k) => expect(Math.abs(p[k] - q)).toBeLessThan(1e-12));
    }
  });

  it('stays finite for thousands of segments and tiny widths (log space)', () => {
    for (const [M, s] of [[3000, 0.05], [3000, 10], [1, 0.25]] as const) {
      const p = glimeSizeDistribution(M, s);
      let sum = 0;
      for (const v of p) {
        expect(Number.isFinite(v) && v >= 0).toBe(true);
        sum += v;
      }
      expect(Math.abs(sum - 1)).toBeLessThan(1e-12);
    }
  });

  it("at GLIME's default σ = 0.25 puts all but e^-16·(M−1)/2 of the mass on k = M − 1", () => {
    const p = glimeSizeDistribution(50, 0.25);
    expect(1 - p[49]).toBeLessThan(1e-5);
  });
});

describe('GlimeSampler', () => {
  it('draws the number of kept segments from GLIME-Binomial (chi-square bound)', () => {
    // M = 20, σ = 1, 6000 rows. Sizes with an expected count below 5 are pooled into one bin.
    // Bound: df + 5·sqrt(2·df), the chi-square mean plus five standard deviations (p < 1e-4 by chance).
    const M = 20;
    const n = 6000;
    const { rows, weighted } = drawAll(new GlimeSampler({ kernelWidth: 1 }), M, n + 1);
    expect(weighted).toBe(false);
    const observed = new Float64Array(M);
    for (const row of rows.slice(1)) observed[ones(row)]++;
    const p = glimeSizeDistribution(M, 1);
    const bins: { o: number; e: number }[] = [];
    const pooled = { o: 0, e: 0 };
    for (let k = 0; k < M; k++) {
      if (p[k] * n < 5) {
        pooled.o += observed[k];
        pooled.e += p[k] * n;
      } else bins.push({ o: observed[k], e: p[k] * n });
    }
    if (pooled.e > 0) bins.push(pooled);
    const stat = bins.reduce((s, b) => s + (b.o - b.e) ** 2 / b.e, 0);
    const df = bins.length - 1;
    expect(stat).toBeLessThan(df + 5 * Math.sqrt(2 * df));
  });

  it('keeps every segment equally often (uniform subsets within a size)', () => {
    // σ = 1.5, M = 10: each column's mean is E[k]/M; 4000 rows, s.e. < 0.008, margin 5 s.e.
    const M = 10;
    const { rows } = drawAll(new GlimeSampler({ kernelWidth: 1.5 }), M, 4001);
    const p = glimeSizeDistribution(M, 1.5);
    let ek = 0;
    for (let k = 0; k < M; k++) ek += k * p[k];
    for (let j = 0; j < M; j++) {
      const mean = rows.slice(1).reduce((s, r) => s + r[j], 0) / 4000;
      expect(Math.abs(mean - ek / M)).toBeLessThan(0.04);
    }
  });

  it('at the default σ = 0.25 switches off exactly one segment per row, never none', () => {
    const { rows } = drawAll(new GlimeSampler(), 30, 500);
    expect(rows[0]).toEqual(new Array(30).fill(1));
    for (const row of rows.slice(1)) expect(ones(row)).toBe(29);
  });

  it('drawGlimeRow returns the size it wrote, with the smaller side shuffled', () => {
    const rng = createRng(3);
    const row = new Uint8Array(9);
    const perm = new Int32Array(9);
    const cdf = cumulative(Float64Array.from([0, 0, 0, 0, 0, 0, 0, 1, 0]));
    const seen = new Set<string>();
    for (let i = 0; i < 50; i++) {
      expect(drawGlimeRow(row, cdf, rng, perm)).toBe(7);
      expect(ones(Array.from(row))).toBe(7);
      seen.add(row.join(''));
    }
    expect(seen.size).toBeGreaterThan(20); // C(9, 7) = 36 different rows
  });

  it('firstRowAllOnes: false draws every row; M = 1 gives the all-zeros row after the instance', () => {
    const { rows } = drawAll(new GlimeSampler({ firstRowAllOnes: false }), 5, 40);
    for (const row of rows) expect(ones(row)).toBeLessThan(5);
    expect(drawAll(new GlimeSampler(), 1, 3).rows).toEqual([[1], [0], [0]]);
  });

  it('rejects a bad kernelWidth and unknown options with a message naming them', () => {
    expect(() => new GlimeSampler({ kernelWidth: 0 })).toThrow(/kernelWidth must be a positive finite number, got 0/);
    expect(() => new GlimeSampler({ kernelWidth: '1' } as never)).toThrow(InvalidOptionError);
    expect(() => new GlimeSampler({ sigma: 1 } as never)).toThrow(/unknown option "sigma"/);
  });

  it('is component "glime"', () => {
    expect(glimeComponent.create({ kernelWidth: 1 }).id).toBe('glime');
  });
});
