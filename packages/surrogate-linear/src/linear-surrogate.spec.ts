import { describeSurrogateContract } from '@limekit/testing';
import { describe, expect, it } from 'vitest';
import { SHARED_PROBLEMS, loadReference, rel } from '../test/reference.js';
import { LinearSurrogate } from './linear-surrogate.js';
import { linearComponent } from './component.js';

describeSurrogateContract('LinearSurrogate', () => new LinearSurrogate(), { recoveryTolerance: 1e-9 });

const norm = (v: ArrayLike<number>) => Math.sqrt(Array.from(v).reduce((s, x) => s + x * x, 0));

// Reference numbers: scikit-learn 1.2.1, `LinearRegression().fit(X, y, sample_weight=w)`
// (fit_intercept=True; test/fixtures/PROVENANCE.md).
describe('LinearSurrogate parity with scikit-learn 1.2.1 LinearRegression().fit(X, y, sample_weight)', () => {
  for (const name of [...SHARED_PROBLEMS, 'e1_collinear', 'e4_constant_y', 'e5_zero_weights', 'e6_sigmoid']) {
    it(`${name}: coef, intercept, weighted R² and prediction at the instance to 1e-8`, () => {
      const { problem, fits } = loadReference(name);
      const ref = fits['LinearRegression()'];
      const fit = new LinearSurrogate().fit(problem);
      ref.coef.forEach((c, j) => expect(rel(fit.coef[j], c)).toBeLessThan(1e-8));
      expect(rel(fit.intercept, ref.intercept)).toBeLessThan(1e-8);
      expect(rel(fit.score, ref.score_r2_weighted)).toBeLessThan(1e-8);
      expect(rel(fit.localPrediction, ref.pred_x0)).toBeLessThan(1e-8);
      // The shared files do not record rank_ (their designs have full rank).
      expect(fit.details?.rank).toBe(ref.rank ?? problem.d);
    });
  }

  it('e1_collinear: the copies of a column share its weight (minimum norm), rank 10 of 12', () => {
    const { problem } = loadReference('e1_collinear');
    const fit = new LinearSurrogate().fit(problem);
    expect(Math.abs(fit.coef[7] - fit.coef[3])).toBeLessThan(1e-12);
    expect(Math.abs(fit.coef[10] - fit.coef[3])).toBeLessThan(1e-12);
    expect(fit.details).toEqual({ rank: 10, solver: 'svd' });
  });

  it('e2_constant_column: the always-on segment gets 0 and its effect goes to the intercept', () => {
    // scikit-learn's weighted mean of the constant column is one ulp off 1, so gelsd sees a
    // 1e-16 column and gives it an arbitrary weight (0.314 here) that the intercept cancels.
    // Everything identifiable agrees: the other weights, intercept + that weight, R², ŷ(1).
    const { problem, fits } = loadReference('e2_constant_column');
    const ref = fits['LinearRegression()'];
    const fit = new LinearSurrogate().fit(problem);
    expect(fit.coef[4]).toBe(0);
    ref.coef.forEach((c, j) => j !== 4 && expect(rel(fit.coef[j], c)).toBeLessThan(1e-8));
    expect(rel(fit.intercept + fit.coef[4], ref.intercept + ref.coef[4])).toBeLessThan(1e-8);
    expect(rel(fit.score, ref.score_r2_weighted)).toBeLessThan(1e-8);
    expect(rel(fit.localPrediction, ref.pred_x0)).toBeLessThan(1e-8);
  });

  it('e3_d_gt_n: interpolates (R² = 1) with the minimum-norm weights', () => {
    // 60 segments, 40 samples: after weighted centring the design has rank 39. gelsd (rcond=ε)
    // counts a 4e-16·σ₁ rounding singular value as a 40th, which adds an arbitrary null-space
    // component to its weights; ours cut at max(n,d)·ε and so have a smaller norm, while the
    // identifiable quantities agree.
    const { problem, fits } = loadReference('e3_d_gt_n');
    const ref = fits['LinearRegression()'];
    const fit = new LinearSurrogate().fit(problem);
    expect(fit.details?.rank).toBe(39);
    expect(rel(fit.score, ref.score_r2_weighted)).toBeLessThan(1e-8);
    expect(rel(fit.localPrediction, ref.pred_x0)).toBeLessThan(1e-8);
    expect(norm(fit.coef)).toBeLessThan(norm(ref.coef));
  });
});

describe('LinearSurrogate wiring', () => {
  it('is component "linear"', () => {
    expect(linearComponent.create({}).id).toBe('linear');
  });

  it('rejects unknown options', () => {
    expect(() => new LinearSurrogate({ alpha: 1 } as never)).toThrow(/unknown option "alpha"/);
  });
});

describe('LinearSurrogate standard errors', () => {
  // 64 rows of 3 features (all masks of 3 bits, 8 times over with varying weights); y has a product term no linear fit captures.
  const n = 64, d = 3;
  const X = Float64Array.from({ length: n * d }, (_, k) => (Math.floor(k / d) >> (k % d)) & 1);
  const y = Float64Array.from({ length: n }, (_, i) => 0.2 + 0.5 * X[i * d] - 0.3 * X[i * d + 1] + 0.4 * X[i * d] * X[i * d + 2]);
  const sampleWeight = Float64Array.from({ length: n }, (_, i) => 0.5 + ((i * 7) % 5) / 4);
  const problem = { X, n, d, y, sampleWeight };

  it('are off by default and leave the coefficients bit-identical when on', () => {
    const plain = new LinearSurrogate().fit(problem);
    const withStd = new LinearSurrogate({ standardErrors: true }).fit(problem);
    expect(plain.coefStd).toBeUndefined();
    expect(Array.from(withStd.coef)).toEqual(Array.from(plain.coef));
    expect(withStd.intercept).toBe(plain.intercept);
    for (const s of withStd.coefStd!) expect(Number.isFinite(s) && s > 0).toBe(true);
  });
});
