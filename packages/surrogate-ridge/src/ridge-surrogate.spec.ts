import { describeSurrogateContract } from '@limekit/testing';
import { describe, expect, it } from 'vitest';
import { EDGE_PROBLEMS, SHARED_PROBLEMS, loadReference, rel } from '../test/reference.js';
import { RidgeSurrogate } from './ridge-surrogate.js';

describeSurrogateContract('RidgeSurrogate', () => new RidgeSurrogate({ alpha: 1e-6 }), { recoveryTolerance: 1e-4 });

// Reference numbers: scikit-learn 1.2.1, `Ridge(alpha=a).fit(X, y, sample_weight=w)` with
// fit_intercept=True (test/fixtures/PROVENANCE.md).
describe('RidgeSurrogate parity with scikit-learn 1.2.1 Ridge(alpha).fit(X, y, sample_weight)', () => {
  const cases: [string, number][] = [
    ...SHARED_PROBLEMS.map((p): [string, number] => [p, 1]),
    ...EDGE_PROBLEMS.flatMap((p): [string, number][] => [[p, 1], [p, 0.01]]),
  ];
  for (const [name, alpha] of cases) {
    it(`${name}, alpha=${alpha}: coef, intercept, weighted R² and prediction at the instance to 1e-8`, () => {
      const { problem, fits } = loadReference(name);
      const ref = fits[`Ridge(alpha=${alpha.toFixed(alpha === 1 ? 1 : 2)})`];
      const fit = new RidgeSurrogate({ alpha }).fit(problem);
      ref.coef.forEach((c, j) => expect(rel(fit.coef[j], c)).toBeLessThan(1e-8));
      expect(rel(fit.intercept, ref.intercept)).toBeLessThan(1e-8);
      expect(rel(fit.score, ref.score_r2_weighted)).toBeLessThan(1e-8);
      expect(rel(fit.localPrediction, ref.pred_x0)).toBeLessThan(1e-8);
    });
  }
});

describe('RidgeSurrogate', () => {
  it('handles collinear columns with alpha = 0 (minimum-norm solution)', () => {
    // y = x0 + x1 with x1 a copy of x0: the minimum-norm split gives 1 to each.
    const X = Float64Array.from([0, 0, 1, 1, 0, 0, 1, 1, 1, 1, 0, 0]);
    const problem = { X, n: 6, d: 2, y: Float64Array.from([0, 2, 0, 2, 2, 0]), sampleWeight: new Float64Array(6).fill(1) };
    const fit = new RidgeSurrogate({ alpha: 0 }).fit(problem);
    expect(Math.abs(fit.coef[0] - 1)).toBeLessThan(1e-10);
    expect(Math.abs(fit.coef[1] - 1)).toBeLessThan(1e-10);
    expect(Math.abs(fit.score - 1)).toBeLessThan(1e-12);
  });

  it('without an intercept, fits through the origin', () => {
    // y = 2·x exactly: no intercept and alpha → 0 recover the slope.
    const problem = { X: Float64Array.from([1, 2, 3]), n: 3, d: 1, y: Float64Array.from([2, 4, 6]), sampleWeight: Float64Array.from([1, 1, 1]) };
    const fit = new RidgeSurrogate({ alpha: 0, fitIntercept: false }).fit(problem);
    expect(fit.intercept).toBe(0);
    expect(Math.abs(fit.coef[0] - 2)).toBeLessThan(1e-12);
    // With alpha = 14 = Σx²: β = Σxy / (Σx² + α) = 28 / 28 = 1.
    expect(Math.abs(new RidgeSurrogate({ alpha: 14, fitIntercept: false }).fit(problem).coef[0] - 1)).toBeLessThan(1e-12);
  });

  it('rejects a negative alpha and unknown options', () => {
    expect(() => new RidgeSurrogate({ alpha: -1 })).toThrow(/alpha must be >= 0, got -1/);
    expect(() => new RidgeSurrogate({ lambda: 1 } as never)).toThrow(/unknown option "lambda"/);
  });
});

describe('RidgeSurrogate standard errors', () => {
  // 64 rows of 3 features (all masks of 3 bits, 8 times over with varying weights); y has a product term no linear fit captures.
  const n = 64, d = 3;
  const X = Float64Array.from({ length: n * d }, (_, k) => (Math.floor(k / d) >> (k % d)) & 1);
  const y = Float64Array.from({ length: n }, (_, i) => 0.2 + 0.5 * X[i * d] - 0.3 * X[i * d + 1] + 0.4 * X[i * d] * X[i * d + 2]);
  const sampleWeight = Float64Array.from({ length: n }, (_, i) => 0.5 + ((i * 7) % 5) / 4);
  const problem = { X, n, d, y, sampleWeight };

  it('are off by default and leave the coefficients bit-identical when on', () => {
    const plain = new RidgeSurrogate().fit(problem);
    const withStd = new RidgeSurrogate({ standardErrors: true }).fit(problem);
    expect(plain.coefStd).toBeUndefined();
    expect(Array.from(withStd.coef)).toEqual(Array.from(plain.coef));
    expect(withStd.intercept).toBe(plain.intercept);
    for (const s of withStd.coefStd!) expect(Number.isFinite(s) && s > 0).toBe(true);
  });
});
