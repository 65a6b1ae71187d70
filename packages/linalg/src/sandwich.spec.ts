import { describe, expect, it } from 'vitest';
import { sandwichStd } from './sandwich.js';

describe('sandwichStd', () => {
  // y = 1 + 2x + e on x = 0..5 with hand-picked residuals; ordinary least squares by hand.
  const x = [0, 1, 2, 3, 4, 5];
  const e = [0.3, -0.2, 0.1, -0.4, 0.5, -0.3];
  const y = x.map((v, i) => 1 + 2 * v + e[i]);
  const n = x.length;
  const xBar = x.reduce((a, b) => a + b) / n;
  const yBar = y.reduce((a, b) => a + b) / n;
  const sxx = x.reduce((a, v) => a + (v - xBar) ** 2, 0);
  const slope = x.reduce((a, v, i) => a + (v - xBar) * (y[i] - yBar), 0) / sxx;
  const b = yBar - slope * xBar;
  const problem = { X: Float64Array.from(x), n, d: 1, y: Float64Array.from(y), sampleWeight: new Float64Array(n).fill(1) };

  it('is the HC1 formula n/(n−2) · Σ(x−x̄)² r² / (Σ(x−x̄)²)² for a one-feature least-squares fit', () => {
    const r = x.map((v, i) => y[i] - b - slope * v);
    const expected = Math.sqrt((n / (n - 2)) * x.reduce((a, v, i) => a + (v - xBar) ** 2 * r[i] ** 2, 0) / sxx ** 2);
    const std = sandwichStd(problem, Float64Array.of(slope), b, { xMean: Float64Array.of(xBar), alpha: 0, extraParameters: 1 })!;
    expect(Math.abs(std[0] - expected)).toBeLessThan(1e-12);
  });

  it('treats an integer weight like repeated rows (up to the degrees of freedom) and clusters of one row like no clusters', () => {
    const w = Float64Array.of(2, 1, 1, 1, 1, 1);
    const weighted = { ...problem, sampleWeight: w };
    // Weighted fit by hand: row 0 counts twice.
    const xs = [0, ...x], ys = [y[0], ...y];
    const m = xs.length;
    const xb = xs.reduce((a, v) => a + v) / m, yb = ys.reduce((a, v) => a + v) / m;
    const sx = xs.reduce((a, v) => a + (v - xb) ** 2, 0);
    const s = xs.reduce((a, v, i) => a + (v - xb) * (ys[i] - yb), 0) / sx;
    const bb = yb - s * xb;
    const std = sandwichStd(weighted, Float64Array.of(s), bb, { xMean: Float64Array.of(xb), alpha: 0, extraParameters: 1 })!;
    // The repeated-row version sums w²·x̃²r² for the doubled row (one score of weight 2), not 2·x̃²r².
    const r0 = ys[0] - bb - s * xs[0];
    const meat = (2 * (xs[0] - xb) * r0) ** 2 + x.slice(1).reduce((a, v, i) => a + ((v - xb) * (y[i + 1] - bb - s * v)) ** 2, 0);
    expect(Math.abs(std[0] - Math.sqrt((n / (n - 2)) * meat) / sx)).toBeLessThan(1e-12);
    const clustered = sandwichStd(weighted, Float64Array.of(s), bb, { xMean: Float64Array.of(xb), alpha: 0, extraParameters: 1, clusters: Int32Array.from([0, 1, 2, 3, 4, 5]) })!;
    // Clusters use G/(G−1) instead of n/(n−p).
    expect(Math.abs(clustered[0] / std[0] - Math.sqrt((6 / 5) / (6 / 4)))).toBeLessThan(1e-12);
  });

  it('sums the scores of a cluster: two rows of one cluster whose scores cancel contribute nothing', () => {
    // Rows 0 and 5 in one cluster; compare with the meat computed by hand.
    const r = x.map((v, i) => y[i] - b - slope * v);
    const s = x.map((v, i) => (v - xBar) * r[i]);
    const units = [s[0] + s[5], s[1], s[2], s[3], s[4]];
    const mean = units.reduce((a, v) => a + v) / units.length;
    const meat = units.reduce((a, v) => a + (v - mean) ** 2, 0);
    const expected = Math.sqrt((5 / 4) * meat) / sxx;
    const std = sandwichStd(problem, Float64Array.of(slope), b, { xMean: Float64Array.of(xBar), alpha: 0, extraParameters: 1, clusters: Int32Array.from([9, 1, 2, 3, 4, 9]) })!;
    expect(Math.abs(std[0] - expected)).toBeLessThan(1e-12);
  });

  it('is undefined without more weighted rows than parameters', () => {
    const two = { X: Float64Array.of(0, 1, 2), n: 3, d: 1, y: Float64Array.of(1, 2, 4), sampleWeight: Float64Array.of(1, 1, 0) };
    expect(sandwichStd(two, Float64Array.of(1), 1, { xMean: Float64Array.of(0.5), alpha: 0, extraParameters: 1 })).toBeUndefined();
  });
});
