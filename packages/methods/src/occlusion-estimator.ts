import { resolveOptions, validateProblem, type FittedSurrogate, type RegressionProblem, type RunContext, type Surrogate } from '@limekit/core';
import { asFitted, requireInstanceRow } from './estimate-utils.js';

/** {@link OcclusionEstimator} has no options. */
export type OcclusionEstimatorOptions = Record<string, never>;

/** Defaults of {@link OcclusionEstimatorOptions}: none. */
export const DEFAULT_OCCLUSION_ESTIMATOR_OPTIONS: Readonly<OcclusionEstimatorOptions> = {};

/**
 * Occlusion attributions: for every row r other than the instance, the drop d_r = f(x) − f(z_r);
 * a segment's attribution is the mean of d_r over the rows that switch it off (captum's
 * `Occlusion`: `f(x) − f(x with the window off)`, averaged over the windows covering a pixel).
 * Segments no row switches off get 0.
 *
 * @returns attributions and, per segment, how many rows switched it off.
 */
export function occlusionAttributions(problem: RegressionProblem, instanceRow: number): { coef: Float64Array; covered: Int32Array } {
  const { X, n, d, y } = problem;
  const fx = y[instanceRow];
  const sum = new Float64Array(d), covered = new Int32Array(d);
  for (let i = 0; i < n; i++) {
    if (i === instanceRow) continue;
    const drop = fx - y[i];
    for (let j = 0; j < d; j++) {
      if (X[i * d + j] === 0) {
        sum[j] += drop;
        covered[j]++;
      }
    }
  }
  const coef = new Float64Array(d);
  for (let j = 0; j < d; j++) coef[j] = covered[j] ? sum[j] / covered[j] : 0;
  return { coef, covered };
}

/**
 * Occlusion as an estimator (decision 0025): the mean drop of the model's output over the
 * samples that switch a segment off (see {@link occlusionAttributions}); with the `occlusion`
 * sampler's one-segment rows, exactly f(x) − f(x without segment j).
 *
 * @remarks Intercept f(x) − Σ coef, so the local prediction is f(x); the score is the weighted R²
 * of that additive reading (1 for single-segment rows). Deterministic: no standard error.
 * @see Zeiler & Fergus, ECCV 2014, arXiv:1311.2901; captum `Occlusion`
 */
export class OcclusionEstimator implements Surrogate {
  readonly id = 'occlusion';

  /** @throws InvalidOptionError for any option (there are none). */
  constructor(options: Partial<OcclusionEstimatorOptions> = {}) {
    resolveOptions('OcclusionEstimator', DEFAULT_OCCLUSION_ESTIMATOR_OPTIONS, options);
  }

  /** @throws InputError without an all-ones row; ShapeMismatchError / InputError for an inconsistent problem. */
  fit(problem: RegressionProblem, ctx?: RunContext): FittedSurrogate {
    validateProblem(problem, 'OcclusionEstimator');
    const instance = requireInstanceRow(problem, 'OcclusionEstimator', 'Use the occlusion sampler, which draws it first.');
    const { coef, covered } = occlusionAttributions(problem, instance);
    const never = [...covered.keys()].filter((j) => covered[j] === 0);
    if (never.length) ctx?.warn?.(`OcclusionEstimator: no sample switched off segment${never.length > 1 ? 's' : ''} ${never.slice(0, 10).join(', ')}${never.length > 10 ? ' …' : ''}; their attribution is 0.`);
    let total = 0;
    for (const c of coef) total += c;
    return asFitted(problem, coef, { intercept: problem.y[instance] - total, details: { fx: problem.y[instance], rows: problem.n } });
  }
}
