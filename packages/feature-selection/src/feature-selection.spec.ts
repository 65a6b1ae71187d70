import { InvalidOptionError, UnknownComponentError, type RegressionProblem } from '@limekit/core';
import { centring, scaledDesign } from '@limekit/linalg';
import { describe, expect, it } from 'vitest';
import { EDGE_PROBLEMS, SHARED_PROBLEMS, loadReference, rel } from '../test/reference.js';
import {
  AutoFeatureSelector,
  ForwardSelectionFeatureSelector,
  HighestWeightsFeatureSelector,
  LassoPathFeatureSelector,
  NoneFeatureSelector,
  createFeatureSelector,
  featureSelectionComponents,
  larsLassoPath,
} from './index.js';

interface LimeReference {
  num_features: number;
  feature_selection: Record<string, { features: number[]; warnings: string[] }>;
  lars_path: { alphas: number[]; nonzero_per_step: number[][] };
}

// Reference selections: lime 0.2's `LimeBase.feature_selection(X, y, sample_weight, 5, method)`
// on scikit-learn 1.2.1 (shared problems), and tools/fixtures/surrogates.py's line-by-line
// re-implementation of it with scikit-learn 1.2.1 (edge cases); test/fixtures/PROVENANCE.md.
describe('feature selection parity with lime 0.2 (LimeBase.feature_selection, num_features=5)', () => {
  for (const name of [...SHARED_PROBLEMS, ...EDGE_PROBLEMS]) {
    for (const method of ['forward_selection', 'highest_weights', 'lasso_path', 'auto', 'none']) {
      it(`${name}, ${method}: the same features in the same order`, () => {
        const { problem, raw } = loadReference(name);
        const lime = raw.lime as LimeReference;
        expect(createFeatureSelector(method).select(problem, lime.num_features)).toEqual(lime.feature_selection[method].features);
      });
    }
  }
});

// Reference path: scikit-learn 1.2.1 `lars_path(Xw, yw, method='lasso')` on lime's weighted,
// centred data (the `lime.lars_path` field).
describe('larsLassoPath parity with scikit-learn 1.2.1 lars_path(method="lasso")', () => {
  const path = (problem: RegressionProblem) => {
    const { xMean, yMean } = centring(problem, true);
    const { Xs, ys } = scaledDesign(problem, xMean, yMean);
    return larsLassoPath(Xs, problem.n, problem.d, ys);
  };
  const nonzero = (coef: Float64Array) => Array.from(coef).flatMap((c, j) => (c !== 0 ? [j] : []));

  for (const name of [...SHARED_PROBLEMS, ...EDGE_PROBLEMS]) {
    it(`${name}: the same alphas (1e-8) and active sets at every step`, () => {
      const { problem, raw } = loadReference(name);
      const ref = (raw.lime as LimeReference).lars_path;
      const got = path(problem);
      expect(got.alphas.length).toBe(ref.alphas.length);
      ref.alphas.forEach((a, k) => expect(rel(got.alphas[k], a)).toBeLessThan(1e-8));
      // e3 (60 segments, 40 samples) drops features late in its path; whether a dropped
      // coefficient lands on exactly 0 or 1e-17 is rounding in both libraries, so its
      // active sets are compared up to step 40 (lime's choice is made at step 5).
      const steps = name === 'e3_d_gt_n' ? 40 : ref.nonzero_per_step.length;
      for (let k = 0; k < steps; k++) expect(nonzero(got.coefs[k])).toEqual(ref.nonzero_per_step[k]);
    });
  }

  it('e1_collinear: drops the copies of an active column as degenerate, as scikit-learn warns', () => {
    const { problem, raw } = loadReference('e1_collinear');
    const got = path(problem);
    expect(got.warnings.length).toBeGreaterThan(0);
    expect(got.warnings[0]).toMatch(/Regressors in active set degenerate/);
    expect((raw.lime as LimeReference).feature_selection.lasso_path.warnings[0]).toMatch(/Regressors in active set degenerate/);
    expect(got.active).not.toContain(7);
    expect(got.active).not.toContain(10);
  });
});

describe('feature selectors', () => {
  // y = 3·x2 − 2·x0 + 0.5·x4 on the 32 masks of 5 segments, row 0 all ones (the instance, whose
  // values highest_weights multiplies the coefficients by): the relevant features are 2, 0, 4.
  const rows = Array.from({ length: 32 }, (_, r) => Array.from({ length: 5 }, (_, j) => ((31 - r) >> j) & 1));
  const problem: RegressionProblem = {
    X: Float64Array.from(rows.flat()),
    n: 32,
    d: 5,
    y: Float64Array.from(rows.map((x) => 3 * x[2] - 2 * x[0] + 0.5 * x[4])),
    sampleWeight: new Float64Array(32).fill(1),
  };

  it('pick the truly relevant features on a noise-free problem', () => {
    expect(new ForwardSelectionFeatureSelector().select(problem, 3)).toEqual([2, 0, 4]);
    expect(new HighestWeightsFeatureSelector().select(problem, 3)).toEqual([2, 0, 4]);
    expect(new LassoPathFeatureSelector().select(problem, 3)).toEqual([0, 2, 4]);
    expect(new AutoFeatureSelector().select(problem, 2)).toEqual([2, 0]);
    expect(new NoneFeatureSelector().select(problem, 2)).toEqual([0, 1, 2, 3, 4]);
  });

  it('auto switches from forward selection to highest weights above 6 features, as lime', () => {
    const { problem: p } = loadReference('p4_n1000_d68');
    expect(new AutoFeatureSelector().select(p, 7)).toEqual(new HighestWeightsFeatureSelector().select(p, 7));
    expect(new AutoFeatureSelector().select(p, 6)).toEqual(new ForwardSelectionFeatureSelector().select(p, 6));
  });

  it('reject a numFeatures that is not a positive integer, and bad options', () => {
    expect(() => new ForwardSelectionFeatureSelector().select(problem, 0)).toThrow(InvalidOptionError);
    expect(() => new LassoPathFeatureSelector().select(problem, 1.5)).toThrow(/numFeatures must be an integer >= 1, got 1.5/);
    expect(() => new HighestWeightsFeatureSelector({ alpha: -1 })).toThrow(/alpha must be >= 0/);
    expect(() => new LassoPathFeatureSelector({ maxIter: 0 })).toThrow(/maxIter must be an integer >= 1/);
    expect(() => new NoneFeatureSelector({ alpha: 1 } as never)).toThrow(/unknown option "alpha"/);
  });
});

describe('createFeatureSelector and registration', () => {
  it("accepts the ids and lime's snake_case names", () => {
    for (const [name, id] of [
      ['none', 'none'],
      ['highest_weights', 'highest-weights'],
      ['highest-weights', 'highest-weights'],
      ['forward_selection', 'forward-selection'],
      ['lasso_path', 'lasso-path'],
      ['auto', 'auto'],
    ]) {
      expect(createFeatureSelector(name).id).toBe(id);
    }
    expect((createFeatureSelector('highest_weights', { alpha: 0.5 }) as HighestWeightsFeatureSelector).options.alpha).toBe(0.5);
  });

  it('throws a clear error for an unknown method', () => {
    expect(() => createFeatureSelector('lars')).toThrow(UnknownComponentError);
    expect(() => createFeatureSelector('lars')).toThrow(/unknown feature selection method "lars". Known methods: none, highest-weights \(highest_weights\), forward-selection \(forward_selection\), lasso-path \(lasso_path\), auto/);
  });

  it('exports one featureSelector component per lime method', () => {
    expect(featureSelectionComponents.map((c) => [c.kind, c.id])).toEqual([
      ['featureSelector', 'none'],
      ['featureSelector', 'highest-weights'],
      ['featureSelector', 'forward-selection'],
      ['featureSelector', 'lasso-path'],
      ['featureSelector', 'auto'],
    ]);
  });
});
