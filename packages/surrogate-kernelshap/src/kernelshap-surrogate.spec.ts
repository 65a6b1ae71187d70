import { InputError, type RegressionProblem } from '@limekit/core';
import { describeSurrogateContract } from '@limekit/testing';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { kernelShapSurrogateComponent } from './component.js';
import { KernelShapSurrogate } from './kernelshap-surrogate.js';

describeSurrogateContract('KernelShapSurrogate', () => new KernelShapSurrogate(), { recoveryTolerance: 1e-9 });

/** All 2^M coalitions, all ones first and all zeros second, with Shapley-kernel weights (endpoints: `endpointWeight`). */
function fullDesign(M: number, f: (z: number[]) => number, endpointWeight = 1e6): RegressionProblem {
  const rows: number[][] = [new Array(M).fill(1), new Array(M).fill(0)];
  for (let mask = 1; mask < 2 ** M - 1; mask++) rows.push(Array.from({ length: M }, (_, j) => (mask >> j) & 1));
  const binom = (n: number, k: number) => {
    let c = 1;
    for (let i = 1; i <= k; i++) c = (c * (n - k + i)) / i;
    return c;
  };
  const w = rows.map((z) => {
    const k = z.reduce((a, b) => a + b, 0);
    return k === 0 || k === M ? endpointWeight : (M - 1) / (binom(M, k) * k * (M - k));
  });
  return {
    X: Float64Array.from(rows.flat()),
    n: rows.length,
    d: M,
    y: Float64Array.from(rows.map(f)),
    sampleWeight: Float64Array.from(w),
  };
}

/** Exact Shapley values by enumeration: φⱼ = Σ_{S∌j} |S|!(M−|S|−1)!/M! · (f(S∪{j}) − f(S)). */
function bruteForceShapley(M: number, f: (z: number[]) => number): number[] {
  const fact = (k: number): number => (k <= 1 ? 1 : k * fact(k - 1));
  const phi = new Array(M).fill(0);
  for (let j = 0; j < M; j++) {
    for (let mask = 0; mask < 2 ** M; mask++) {
      if ((mask >> j) & 1) continue;
      const z = Array.from({ length: M }, (_, i) => (mask >> i) & 1);
      const s = z.reduce((a, b) => a + b, 0);
      const zj = [...z];
      zj[j] = 1;
      phi[j] += ((fact(s) * fact(M - s - 1)) / fact(M)) * (f(zj) - f(z));
    }
  }
  return phi;
}

describe('KernelShapSurrogate recovers exact Shapley values from the full enumeration (M = 6, 2^6 rows)', () => {
  const M = 6;
  const additive = (z: number[]) => 0.3 + z.reduce((s, v, j) => s + v * (j % 2 ? -0.1 : 0.2) * (j + 1), 0);
  const interacting = (z: number[]) => 1 / (1 + Math.exp(-(additive(z) + 0.8 * z[0] * z[1] - 0.5 * z[2] * z[3] * z[4])));
  for (const [name, f] of [['an additive function', additive], ['a function with interactions', interacting]] as const) {
    it(`${name}: coefficients equal brute-force Shapley values to 1e-6, intercept + Σφ = f(x)`, () => {
      const fit = new KernelShapSurrogate().fit(fullDesign(M, f));
      const exact = bruteForceShapley(M, f);
      for (let j = 0; j < M; j++) expect(Math.abs(fit.coef[j] - exact[j])).toBeLessThan(1e-6);
      expect(Math.abs(fit.intercept - f(new Array(M).fill(0)))).toBeLessThan(1e-12);
      const total = fit.coef.reduce((a, b) => a + b, fit.intercept);
      expect(Math.abs(total - f(new Array(M).fill(1)))).toBeLessThan(1e-6);
      expect(Math.abs(fit.localPrediction - total)).toBeLessThan(1e-12);
    });
  }

  it('the additive case is exactly the additive coefficients, and R² = 1 on the interior rows', () => {
    const fit = new KernelShapSurrogate().fit(fullDesign(M, additive));
    for (let j = 0; j < M; j++) expect(Math.abs(fit.coef[j] - (j % 2 ? -0.1 : 0.2) * (j + 1))).toBeLessThan(1e-12);
    expect(Math.abs(fit.score - 1)).toBeLessThan(1e-12);
    expect(fit.details).toMatchObject({ solver: 'cholesky', scoreRows: 62 });
  });

  it('does not depend on the weights of the endpoint rows', () => {
    const a = new KernelShapSurrogate().fit(fullDesign(M, interacting, 1e6));
    const b = new KernelShapSurrogate().fit(fullDesign(M, interacting, 0.5));
    for (let j = 0; j < M; j++) expect(Math.abs(a.coef[j] - b.coef[j])).toBeLessThan(1e-12);
    expect(Math.abs(a.score - b.score)).toBeLessThan(1e-12);
  });
});

interface ShapCase {
  M: number;
  nsamples: number;
  maskMatrix: string[];
  kernelWeights: number[];
  y: number[];
  fx: number;
  fnull: number;
  phi: number[];
}
// shap 0.51.0 KernelExplainer(...).shap_values(..., l1_reg=False); see test/fixtures/PROVENANCE.md.
const shap: { cases: ShapCase[] } = JSON.parse(readFileSync(new URL('../test/fixtures/shap_solutions.json', import.meta.url), 'utf8'));

describe('KernelShapSurrogate parity with shap 0.51.0 KernelExplainer.solve (l1_reg=False)', () => {
  for (const c of shap.cases) {
    it(`M=${c.M}, nsamples=${c.nsamples}: shap's φ to 1e-10 on shap's own coalitions, weights and outputs`, () => {
      const M = c.M;
      const rows = [new Array(M).fill(1), new Array(M).fill(0), ...c.maskMatrix.map((s) => Array.from(s, Number))];
      const problem: RegressionProblem = {
        X: Float64Array.from(rows.flat()),
        n: rows.length,
        d: M,
        y: Float64Array.from([c.fx, c.fnull, ...c.y]),
        sampleWeight: Float64Array.from([1e6, 1e6, ...c.kernelWeights]),
      };
      const fit = new KernelShapSurrogate().fit(problem);
      for (let j = 0; j < M; j++) expect(Math.abs(fit.coef[j] - c.phi[j])).toBeLessThan(1e-10);
      expect(fit.intercept).toBe(c.fnull);
      expect(Math.abs(fit.localPrediction - c.fx)).toBeLessThan(1e-12);
    });
  }
});

describe('KernelShapSurrogate', () => {
  it('says which endpoint row is missing and how to get it', () => {
    const problem = (rows: number[][]): RegressionProblem => ({
      X: Float64Array.from(rows.flat()),
      n: rows.length,
      d: 3,
      y: Float64Array.from(rows.map((r) => r[0] + 2 * r[1])),
      sampleWeight: new Float64Array(rows.length).fill(1),
    });
    const noZeros = () => new KernelShapSurrogate().fit(problem([[1, 1, 1], [1, 0, 0], [0, 1, 1], [0, 0, 1]]));
    expect(noZeros).toThrow(InputError);
    expect(noZeros).toThrow(
      /KernelShapSurrogate: X must contain the all-ones row .*; the all-zeros row \(f\(∅\)\) is missing\. Use the kernelshap sampler, which puts both first, or include those rows/,
    );
    expect(() => new KernelShapSurrogate().fit(problem([[0, 0, 0], [1, 0, 0], [0, 1, 1]]))).toThrow(/the all-ones row \(the instance, f\(x\)\) is missing/);
    expect(() => new KernelShapSurrogate().fit(problem([[1, 0, 0], [0, 1, 1]]))).toThrow(/instance, f\(x\)\) and the all-zeros row \(f\(∅\)\) are missing/);
  });

  it('falls back to the minimum-norm solution on a singular system, and warns', () => {
    // Segments 0 and 1 are always on or off together: only φ0 + φ1 is determined; the
    // minimum-norm split is equal. f = z0 + z1 + 2 z2 + 3 z3.
    const rows: number[][] = [];
    for (let m = 0; m < 8; m++) rows.push([m & 1, m & 1, (m >> 1) & 1, (m >> 2) & 1]);
    rows.sort((a, b) => b.reduce((s, v) => s + v, 0) - a.reduce((s, v) => s + v, 0));
    const f = (z: number[]) => z[0] + z[1] + 2 * z[2] + 3 * z[3];
    const warnings: string[] = [];
    const fit = new KernelShapSurrogate().fit(
      { X: Float64Array.from(rows.flat()), n: 8, d: 4, y: Float64Array.from(rows.map(f)), sampleWeight: new Float64Array(8).fill(1) },
      { rng: undefined as never, warn: (m) => warnings.push(m) },
    );
    expect([...fit.coef].map((v) => Math.round(v * 1e9) / 1e9)).toEqual([1, 1, 2, 3]);
    expect(fit.details?.solver).toBe('lstsq');
    expect(warnings[0]).toMatch(/singular .* minimum-norm solution/);
  });

  it('handles one and zero segments', () => {
    const one = new KernelShapSurrogate().fit({ X: Float64Array.from([1, 0, 1]), n: 3, d: 1, y: Float64Array.from([0.9, 0.2, 0.9]), sampleWeight: new Float64Array(3).fill(1) });
    expect(Math.abs(one.coef[0] - 0.7)).toBeLessThan(1e-15);
    expect(one.intercept).toBe(0.2);
    const none = new KernelShapSurrogate().fit({ X: new Float64Array(0), n: 2, d: 0, y: Float64Array.from([0.4, 0.4]), sampleWeight: new Float64Array(2).fill(1) });
    expect(none.coef).toHaveLength(0);
    expect(none.localPrediction).toBe(0.4);
  });

  it('is component "kernelshap", registers under the Surrogate token, and takes no options', () => {
    expect(kernelShapSurrogateComponent.create({}).id).toBe('kernelshap');
    expect(() => new KernelShapSurrogate({ alpha: 1 } as never)).toThrow(/unknown option "alpha"/);
  });
});

describe('KernelShapSurrogate standard errors', () => {
  const M = 5;
  // A three-way term: with paired coalitions, games of order ≤ 2 are estimated without error.
  const value = (z: ArrayLike<number>) => z[0] * 0.5 + z[1] * z[2] * 0.3 - z[3] * 0.2 + 0.4 * z[0] * z[1] * z[4];

  it('are reported only on request (shap reports none)', () => {
    expect(new KernelShapSurrogate().fit(fullDesign(M, value)).coefStd).toBeUndefined();
  });

  it('are zero when every coalition is present (the estimate is exact)', () => {
    const full = new KernelShapSurrogate({ standardErrors: true }).fit(fullDesign(M, value));
    expect(Array.from(full.coefStd!)).toEqual([0, 0, 0, 0, 0]);
  });

  it('are positive and finite when a coalition size is only partly present, and cover the exact values', () => {
    const exact = new KernelShapSurrogate({ standardErrors: true }).fit(fullDesign(M, value)).coef;
    const p = fullDesign(M, value);
    // Drop every other coalition of size 2 and 3 (complements kept together): those sizes are then sampled, not enumerated.
    const keep: number[] = [];
    for (let i = 0; i < p.n; i++) {
      const row = p.X.subarray(i * M, (i + 1) * M);
      const size = row.reduce((a, b) => a + b, 0);
      const code = Array.from(row).reduce((a, b, j) => a + (size === 3 ? 1 - b : b) * 2 ** j, 0);
      if ((size === 2 || size === 3) && code % 4 === 0) continue;
      keep.push(i);
    }
    const sub: RegressionProblem = {
      X: Float64Array.from(keep.flatMap((i) => Array.from(p.X.subarray(i * M, (i + 1) * M)))),
      n: keep.length,
      d: M,
      y: Float64Array.from(keep, (i) => p.y[i]),
      sampleWeight: Float64Array.from(keep, (i) => p.sampleWeight[i]),
    };
    const fit = new KernelShapSurrogate({ standardErrors: true }).fit(sub);
    expect(fit.coefStd).toBeDefined();
    for (let j = 0; j < M; j++) {
      expect(Number.isFinite(fit.coefStd![j]) && fit.coefStd![j] > 0).toBe(true);
      expect(Math.abs(fit.coef[j] - exact[j])).toBeGreaterThan(1e-6);
      expect(Math.abs(fit.coef[j] - exact[j])).toBeLessThan(4 * fit.coefStd![j]);
    }
  });
});
