import { InputError, InvalidOptionError, createRng } from '@limekit/core';
import { RidgeSurrogate } from '@limekit/surrogate-ridge';
import { describeSamplerContract, testContext } from '@limekit/testing';
import { describe, expect, it } from 'vitest';
import { AdaptiveSampler, type AdaptiveSummary } from './adaptive-sampler.js';
import { BayesianLinearAccumulator, perturbationsNeeded } from './bayesian-linear-regression.js';
import { adaptiveComponent } from './component.js';
import { normalQuantile, studentTQuantile } from '@limekit/core';

describeSamplerContract('AdaptiveSampler', () => new AdaptiveSampler({ minSamples: 20, blockSize: 10 }), { firstRowAllOnes: true, exactBudget: false });

/** A synthetic classifier: class 0 scores f(z) (+ noise keyed by the row's index, so it is the same at any batch size). */
function run(sampler: AdaptiveSampler, M: number, budget: number, f: (z: Uint8Array) => number, noise = 0, maxRows = 64, seed = 21) {
  const session = sampler.start(M, budget, testContext(seed, 'sampler'));
  const noiseRng = createRng(1000 + seed);
  const noiseByRow: number[] = [];
  const rows: number[][] = [];
  let b;
  while ((b = session.next(maxRows))) {
    const predictions = new Float32Array(b.count * 2);
    for (let r = 0; r < b.count; r++) {
      const z = b.rows.subarray(r * M, (r + 1) * M);
      const i = rows.length;
      while (noiseByRow.length <= i) noiseByRow.push(noiseRng.nextGaussian());
      const y = f(z) + noise * noiseByRow[i];
      predictions[2 * r] = y;
      predictions[2 * r + 1] = 1 - y;
      rows.push(Array.from(z));
    }
    session.observe!({ block: b, predictions, numClasses: 2, labels: [0, 1] });
  }
  return { rows, summary: session.summary!() as AdaptiveSummary };
}

const M = 10;
const linear = (z: Uint8Array) => 0.3 + z.reduce((s, v, j) => s + v * (j % 2 ? -0.02 : 0.03), 0);

describe('AdaptiveSampler', () => {
  it('(a) stops early on an easy linear target, at the first check after minSamples', () => {
    const { rows, summary } = run(new AdaptiveSampler({ maxSamples: 5000 }), M, 1000, linear);
    expect(rows).toHaveLength(200);
    expect(summary.samples).toBe(200);
    expect(summary.targetMet).toBe(true);
    expect(summary.finalWidth).toBeLessThan(0.05);
    expect(summary.label).toBe(0);
    expect(rows[0]).toEqual(new Array(M).fill(1));
  });

  it('(b) a noisy target needs more samples, and the width it stops at meets the target', () => {
    const easy = run(new AdaptiveSampler({ maxSamples: 5000 }), M, 1000, linear).summary;
    const noisy = run(new AdaptiveSampler({ maxSamples: 5000 }), M, 1000, linear, 0.15).summary;
    expect(noisy.samples).toBeGreaterThan(easy.samples * 2);
    expect(noisy.samples).toBeLessThan(5000);
    expect(noisy.samples % 100).toBe(0); // stops at a block boundary
    expect(noisy.targetMet).toBe(true);
    expect(noisy.finalWidth).toBeLessThanOrEqual(0.05);
  });

  it('(c) gives identical rows, stopping point and summary at batch sizes 1, 13 and 64', () => {
    const a = run(new AdaptiveSampler({ maxSamples: 3000 }), M, 1000, linear, 0.15, 1);
    const b = run(new AdaptiveSampler({ maxSamples: 3000 }), M, 1000, linear, 0.15, 13);
    const c = run(new AdaptiveSampler({ maxSamples: 3000 }), M, 1000, linear, 0.15, 64);
    expect(b.rows).toEqual(a.rows);
    expect(c.rows).toEqual(a.rows);
    expect(b.summary).toEqual(a.summary);
    expect(c.summary).toEqual(a.summary);
  });

  it('stops at maxSamples when the target is out of reach, and says so', () => {
    const { rows, summary } = run(new AdaptiveSampler({ maxSamples: 450, targetWidth: 0.001 }), M, 1000, linear, 0.2);
    expect(rows).toHaveLength(450);
    expect(summary).toMatchObject({ samples: 450, maxSamples: 450, targetMet: false });
    expect(summary.finalWidth).toBeGreaterThan(0.001);
    expect(summary.perturbationsToGo).toBeGreaterThan(0);
  });

  it("by default never goes beyond the run's numSamples", () => {
    const { summary } = run(new AdaptiveSampler({ targetWidth: 0.001 }), M, 300, linear, 0.2);
    expect(summary.samples).toBe(300);
    expect(summary.maxSamples).toBe(300);
  });

  it('refuses to go on before the previous block was observed', () => {
    const s = new AdaptiveSampler({ blockSize: 5 }).start(3, 100, testContext(1));
    expect(s.next(64)!.count).toBe(5);
    expect(() => s.next(64)).toThrow(InputError);
    expect(() => s.next(64)).toThrow(/before the 5 rows of the previous block were observed/);
  });

  it('rejects bad options with a message naming them', () => {
    expect(() => new AdaptiveSampler({ targetWidth: 0 })).toThrow(/targetWidth must be a positive finite number, got 0/);
    expect(() => new AdaptiveSampler({ credibleLevel: 95 })).toThrow(/credibleLevel must be in \(0, 1\), got 95/);
    expect(() => new AdaptiveSampler({ blockSize: 2.5 })).toThrow(/blockSize must be an integer >= 1/);
    expect(() => new AdaptiveSampler({ maxSamples: 'lots' as never })).toThrow(/maxSamples must be null or an integer >= 1, got "lots"/);
    expect(() => new AdaptiveSampler({ width: 1 } as never)).toThrow(InvalidOptionError);
  });

  it('is component "adaptive"', () => {
    expect(adaptiveComponent.create({}).id).toBe('adaptive');
  });
});

describe('BayesianLinearAccumulator (BayesLIME’s model)', () => {
  /** Inverse of a small symmetric matrix by Gauss–Jordan elimination, written independently of the code under test. */
  function inverse(A: number[][]): number[][] {
    const n = A.length;
    const m = A.map((row, i) => [...row, ...Array.from({ length: n }, (_, j) => (i === j ? 1 : 0))]);
    for (let c = 0; c < n; c++) {
      let p = c;
      for (let r = c + 1; r < n; r++) if (Math.abs(m[r][c]) > Math.abs(m[p][c])) p = r;
      [m[c], m[p]] = [m[p], m[c]];
      const piv = m[c][c];
      for (let k = 0; k < 2 * n; k++) m[c][k] /= piv;
      for (let r = 0; r < n; r++) {
        if (r === c) continue;
        const f = m[r][c];
        for (let k = 0; k < 2 * n; k++) m[r][k] -= f * m[c][k];
      }
    }
    return m.map((row) => row.slice(n));
  }

  it('matches the closed form V = (XᵀΠX + I)⁻¹, Φ̂ = V XᵀΠy, s² = (SSR_w + Φ̂ᵀΦ̂)/N and t-quantile widths', () => {
    const rng = createRng(4);
    const Mf = 3, n = 40;
    const rows: number[][] = [], y: number[] = [], w: number[] = [];
    const acc = new BayesianLinearAccumulator(Mf);
    for (let i = 0; i < n; i++) {
      const z = Array.from({ length: Mf }, () => rng.nextUint32() & 1);
      const yi = 0.1 + 0.5 * z[0] - 0.2 * z[2] + 0.05 * rng.nextGaussian();
      const wi = 0.2 + rng.nextFloat();
      rows.push([1, ...z]);
      y.push(yi);
      w.push(wi);
      acc.add(z, yi, wi);
    }
    const d = Mf + 1;
    const A = Array.from({ length: d }, (_, a) => Array.from({ length: d }, (_, b) => rows.reduce((s, r, i) => s + w[i] * r[a] * r[b], 0) + (a === b ? 1 : 0)));
    const V = inverse(A);
    const xty = Array.from({ length: d }, (_, a) => rows.reduce((s, r, i) => s + w[i] * r[a] * y[i], 0));
    const phi = V.map((row) => row.reduce((s, v, k) => s + v * xty[k], 0));
    const ssr = rows.reduce((s, r, i) => s + w[i] * (y[i] - r.reduce((t, v, k) => t + v * phi[k], 0)) ** 2, 0);
    const s2 = (ssr + phi.reduce((s, v) => s + v * v, 0)) / n;
    const post = acc.posterior(0.95);
    expect(Math.abs(post.intercept - phi[0])).toBeLessThan(1e-12);
    for (let j = 0; j < Mf; j++) expect(Math.abs(post.coef[j] - phi[j + 1])).toBeLessThan(1e-12);
    expect(Math.abs(post.s2 - s2)).toBeLessThan(1e-12);
    const t = studentTQuantile(0.975, n);
    for (let j = 0; j < Mf; j++) expect(Math.abs(post.widths[j] - 2 * t * Math.sqrt(s2 * V[j + 1][j + 1]))).toBeLessThan(1e-12);
    expect(post.maxWidth).toBe(Math.max(...post.widths));
    // BayesLIME's get_ptg: 4·s²·(1.96/W)²/mean(w).
    const meanW = w.reduce((a, b) => a + b, 0) / n;
    expect(Math.abs(perturbationsNeeded(post, 0.05, 0.95) - (4 * s2 * (normalQuantile(0.975) / 0.05) ** 2) / meanW)).toBeLessThan(1e-6);
  });

  it('quantiles: Φ⁻¹(0.975) = 1.959964, t(0.975; 10, 30, 100) = 2.228139, 2.042272, 1.983972', () => {
    // Reference values: scipy.stats.norm.ppf(0.975), scipy.stats.t.ppf(0.975, df) (scipy 1.10.1), 6 decimals.
    expect(Math.abs(normalQuantile(0.975) - 1.959964)).toBeLessThan(1e-6);
    expect(Math.abs(normalQuantile(0.01) + 2.326348)).toBeLessThan(1e-6);
    expect(Math.abs(studentTQuantile(0.975, 10) - 2.228139)).toBeLessThan(1e-4);
    expect(Math.abs(studentTQuantile(0.975, 30) - 2.042272)).toBeLessThan(1e-6);
    expect(Math.abs(studentTQuantile(0.975, 100) - 1.983972)).toBeLessThan(1e-6);
  });
});

describe('AdaptiveSampler stopping on standard errors (stopWhenStdBelow)', () => {
  // Non-linear in the mask (a product term), so the surrogate's coefficients have sampling error.
  const bumpy = (z: Uint8Array) => 0.3 + 0.05 * z[0] - 0.03 * z[3] + 0.08 * z[1] * z[2] * z[5];
  const limeWeight = (row: readonly number[]) => {
    const k = row.reduce((a, b) => a + b, 0);
    const d = k === 0 ? 1 : Math.max(0, 1 - k / (Math.sqrt(k) * Math.sqrt(row.length)));
    return Math.sqrt(Math.exp(-(d * d) / 0.0625));
  };

  it('stops once the largest standard error of the ridge surrogate is below the threshold, and reports it as surrogate-ridge computes it', () => {
    const { rows, summary } = run(new AdaptiveSampler({ stopWhenStdBelow: 0.004, maxSamples: 20000 }), M, 1000, bumpy, 0.02);
    expect(summary.stdTargetMet).toBe(true);
    expect(summary.finalStd!).toBeLessThanOrEqual(0.004);
    expect(rows.length % 100).toBe(0);
    expect(rows.length).toBeGreaterThan(200);
    expect(rows.length).toBeLessThan(20000);
    // The same number from surrogate-ridge's standard errors on the rows drawn.
    const n = rows.length;
    const noiseRng = createRng(1000 + 21);
    const y = rows.map((r) => bumpy(Uint8Array.from(r)) + 0.02 * noiseRng.nextGaussian());
    const fit = new RidgeSurrogate({ standardErrors: true }).fit({
      X: Float64Array.from(rows.flat()),
      n,
      d: M,
      y: Float64Array.from(y, (v) => Math.fround(v)),
      sampleWeight: Float64Array.from(rows, limeWeight),
    });
    expect(Math.abs(Math.max(...fit.coefStd!) - summary.finalStd!)).toBeLessThan(1e-9);
    // One block earlier the rule was not met yet.
    const earlier = run(new AdaptiveSampler({ stopWhenStdBelow: 0.004, maxSamples: n - 100 }), M, 1000, bumpy, 0.02).summary;
    expect(earlier.stdTargetMet).toBe(false);
  });

  it('stops later for a tighter threshold and for the mean of two labels no earlier than for the first label by mean', () => {
    const loose = run(new AdaptiveSampler({ stopWhenStdBelow: 0.008, maxSamples: 20000 }), M, 1000, bumpy, 0.02).summary;
    const tight = run(new AdaptiveSampler({ stopWhenStdBelow: 0.004, maxSamples: 20000 }), M, 1000, bumpy, 0.02).summary;
    expect(tight.samples).toBeGreaterThan(loose.samples);
    const mean = run(new AdaptiveSampler({ stopWhenStdBelow: 0.004, stdOf: 'mean', maxSamples: 20000 }), M, 1000, bumpy, 0.02).summary;
    expect(mean.samples).toBeLessThanOrEqual(tight.samples);
    const two = run(new AdaptiveSampler({ stopWhenStdBelow: 0.004, stdLabels: 2, maxSamples: 20000 }), M, 1000, bumpy, 0.02).summary;
    // Label 1 is 1 − label 0 here, so its errors are the same: the same stopping point.
    expect(two.samples).toBe(tight.samples);
  });

  it('gives identical rows, stopping point and summary at batch sizes 1, 13 and 64', () => {
    const opts = { stopWhenStdBelow: 0.005, maxSamples: 20000 };
    const a = run(new AdaptiveSampler(opts), M, 1000, bumpy, 0.02, 1);
    const b = run(new AdaptiveSampler(opts), M, 1000, bumpy, 0.02, 13);
    const c = run(new AdaptiveSampler(opts), M, 1000, bumpy, 0.02, 64);
    expect(b.rows).toEqual(a.rows);
    expect(c.rows).toEqual(a.rows);
    expect(b.summary).toEqual(a.summary);
    expect(c.summary).toEqual(a.summary);
  });

  it('rejects a non-positive threshold and an unknown summary with messages naming them', () => {
    expect(() => new AdaptiveSampler({ stopWhenStdBelow: 0 })).toThrow(/stopWhenStdBelow must be null or a positive finite number, got 0/);
    expect(() => new AdaptiveSampler({ stdOf: 'median' as never })).toThrow(/stdOf must be 'max' or 'mean'/);
    expect(() => new AdaptiveSampler({ stdLabels: 0 })).toThrow(/stdLabels must be an integer >= 1/);
  });
});
