import { createRng } from '@limekit/core';
import { describeSurrogateContract } from '@limekit/testing';
import { describe, expect, it } from 'vitest';
import { EDGE_PROBLEMS, SHARED_PROBLEMS, loadReference, rel } from '../test/reference.js';
import { LassoSurrogate } from './lasso-surrogate.js';
import { lassoComponent } from './component.js';

// A small alpha: the lasso's shrinkage bias is about alpha·Σw/Σw(x−x̄)² per coefficient.
describeSurrogateContract('LassoSurrogate', () => new LassoSurrogate({ alpha: 1e-4 }), { recoveryTolerance: 0.01 });

// Reference numbers: scikit-learn 1.2.1, `Lasso(alpha=a).fit(X, y, sample_weight=w)` with
// max_iter=1000, tol=1e-4, selection='cyclic', fit_intercept=True (test/fixtures/PROVENANCE.md).
describe('LassoSurrogate parity with scikit-learn 1.2.1 Lasso(alpha).fit(X, y, sample_weight)', () => {
  for (const name of [...SHARED_PROBLEMS, ...EDGE_PROBLEMS]) {
    for (const alpha of [0.001, 0.01]) {
      it(`${name}, alpha=${alpha}: coef, intercept, R², prediction to 1e-6; same zeros, iterations and gap`, () => {
        const { problem, fits } = loadReference(name);
        const ref = fits[`Lasso(alpha=${alpha})`] as typeof fits[string] & { n_iter: number; dual_gap: number; nonzero: number[]; warnings: string[] };
        const warnings: string[] = [];
        const fit = new LassoSurrogate({ alpha }).fit(problem, { rng: createRng(0), warn: (m) => warnings.push(m) });
        ref.coef.forEach((c, j) => expect(rel(fit.coef[j], c)).toBeLessThan(1e-6));
        expect(rel(fit.intercept, ref.intercept)).toBeLessThan(1e-6);
        expect(rel(fit.score, ref.score_r2_weighted)).toBeLessThan(1e-6);
        expect(rel(fit.localPrediction, ref.pred_x0)).toBeLessThan(1e-6);
        expect(Array.from(fit.coef).flatMap((c, j) => (c !== 0 ? [j] : []))).toEqual(ref.nonzero);
        const details = fit.details as { nIter: number; dualGap: number; converged: boolean };
        expect(details.nIter).toBe(ref.n_iter);
        expect(Math.abs(details.dualGap - ref.dual_gap)).toBeLessThan(1e-6 * Math.max(1e-3, ref.dual_gap));
        const sklearnWarned = ref.warnings.some((w) => w.startsWith('Objective did not converge'));
        expect(details.converged).toBe(!sklearnWarned);
        expect(warnings.length).toBe(sklearnWarned ? 1 : 0);
      });
    }
  }
});

describe('LassoSurrogate', () => {
  it('zeroes every coefficient when alpha exceeds max|Xᵀ(y − ȳ)|/Σw', () => {
    const { problem } = loadReference('p1_n150_d15');
    const fit = new LassoSurrogate({ alpha: 10 }).fit(problem);
    expect(Array.from(fit.coef).every((c) => c === 0)).toBe(true);
    expect((fit.details as { converged: boolean }).converged).toBe(true);
  });

  it('positive: true keeps every coefficient ≥ 0', () => {
    const { problem } = loadReference('p1_n150_d15');
    const fit = new LassoSurrogate({ alpha: 0.001, positive: true }).fit(problem);
    expect(Array.from(fit.coef).every((c) => c >= 0)).toBe(true);
    expect(Array.from(fit.coef).some((c) => c > 0)).toBe(true);
  });

  it('warns when it stops at maxIter', () => {
    const { problem } = loadReference('p4_n1000_d68');
    const warnings: string[] = [];
    const fit = new LassoSurrogate({ alpha: 0.001, maxIter: 2 }).fit(problem, { rng: createRng(0), warn: (m) => warnings.push(m) });
    expect((fit.details as { nIter: number; converged: boolean })).toMatchObject({ nIter: 2, converged: false });
    expect(warnings[0]).toMatch(/did not converge in 2 iterations/);
  });

  it('rejects bad options with a message naming the fix', () => {
    expect(() => new LassoSurrogate({ alpha: -1 })).toThrow(/alpha must be >= 0, got -1/);
    expect(() => new LassoSurrogate({ maxIter: 0 })).toThrow(/maxIter must be an integer >= 1/);
    expect(() => new LassoSurrogate({ tol: -1 })).toThrow(/tol must be >= 0/);
    expect(() => new LassoSurrogate({ l1Ratio: 1 } as never)).toThrow(/unknown option "l1Ratio"/);
  });

  it('is component "lasso"', () => {
    expect(lassoComponent.create({}).id).toBe('lasso');
  });
});

describe('LassoSurrogate bootstrap standard errors', () => {
  // 200 rows of 4 features: y = 0.5·x0 − 0.3·x2 + a product term (which no linear fit captures).
  const n = 200, d = 4;
  const X = new Float64Array(n * d), y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) X[i * d + j] = ((i * 7 + j * 13 + ((i * j) % 5)) % 3) % 2;
    y[i] = 0.5 * X[i * d] - 0.3 * X[i * d + 2] + 0.4 * X[i * d + 1] * X[i * d + 3];
  }
  const problem = { X, n, d, y, sampleWeight: new Float64Array(n).fill(1) };
  const ctx = (seed: number) => ({ rng: createRng(seed).fork('surrogate:0') });

  it('leaves the coefficients bit-identical, is reproducible from the context and depends on its seed', () => {
    const plain = new LassoSurrogate({ alpha: 0.001 }).fit(problem);
    const a = new LassoSurrogate({ alpha: 0.001, bootstrapRounds: 30 }).fit(problem, ctx(1));
    const b = new LassoSurrogate({ alpha: 0.001, bootstrapRounds: 30 }).fit(problem, ctx(1));
    const c = new LassoSurrogate({ alpha: 0.001, bootstrapRounds: 30 }).fit(problem, ctx(2));
    expect(Array.from(a.coef)).toEqual(Array.from(plain.coef));
    expect(plain.coefStd).toBeUndefined();
    expect(Array.from(a.coefStd!)).toEqual(Array.from(b.coefStd!));
    expect(Array.from(a.coefStd!)).not.toEqual(Array.from(c.coefStd!));
    for (const s of a.coefStd!) expect(Number.isFinite(s) && s > 0).toBe(true);
  });

  it('rejects a single bootstrap round with a message naming the option', () => {
    expect(() => new LassoSurrogate({ bootstrapRounds: 1 })).toThrow(/bootstrapRounds must be 0 or an integer >= 2, got 1/);
  });
});
