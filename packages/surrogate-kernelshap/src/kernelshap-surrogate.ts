import { resolveOptions, validateProblem, type FittedSurrogate, type RegressionProblem, type RunContext, type Surrogate } from '@limekit/core';
import { sandwichFactors } from '@limekit/linalg';
import { fitConstrainedShapley } from './constrained-least-squares.js';

/** Options of {@link KernelShapSurrogate} (shap's `l1_reg=False`, identity link). */
export interface KernelShapSurrogateOptions {
  /**
   * Report `coefStd`, standard errors of the constrained estimator (Covert & Lee, AISTATS 2021,
   * paired coalitions as one draw; see {@link constrainedShapleyStd}). Default false (shap reports none).
   */
  standardErrors: boolean;
}

/** Defaults of {@link KernelShapSurrogateOptions}: no standard errors, as shap. */
export const DEFAULT_KERNELSHAP_SURROGATE_OPTIONS: Readonly<KernelShapSurrogateOptions> = { standardErrors: false };

/**
 * KernelSHAP's surrogate: weighted least squares constrained to the efficiency property,
 * Σ φ = f(x) − f(∅), with the intercept fixed at f(∅) (shap `KernelExplainer.solve`,
 * `l1_reg=False`, identity link). f(x) and f(∅) are the targets of the first all-ones and the
 * first all-zeros row of the sample, which `sampler-kernelshap` puts first. With every coalition
 * weighted by the Shapley kernel (that sampler's own weights with the `uniform` kernel, or the
 * `shapley` kernel with unweighted coalitions), the coefficients estimate Shapley values, and
 * are exact when all 2^M coalitions are present.
 *
 * @remarks The endpoint rows' weights do not matter: the constraints fit them exactly. R² is
 * computed on the other rows. shap's default feature selection (`l1_reg="num_features(10)"` in
 * 0.51, AIC in older versions) is not part of this surrogate; limekit's feature-selection stage
 * fits the chosen segments only, and f(x), f(∅) are still read from the full sample's first
 * endpoint rows, which stay all ones and all zeros in any column subset.
 * @see Lundberg & Lee, "A Unified Approach to Interpreting Model Predictions", NeurIPS 2017, arXiv:1705.07874
 */
export class KernelShapSurrogate implements Surrogate {
  readonly id = 'kernelshap';
  readonly options: Readonly<KernelShapSurrogateOptions>;

  /** @throws InvalidOptionError for an unknown option or a non-boolean `standardErrors`. */
  constructor(options: Partial<KernelShapSurrogateOptions> = {}) {
    this.options = resolveOptions('KernelShapSurrogate', DEFAULT_KERNELSHAP_SURROGATE_OPTIONS, options);
  }

  /**
   * @param problem 0/1 coalitions with the all-ones and all-zeros rows among them, targets, weights.
   * @param ctx receives a warning when the system is singular (minimum-norm fallback).
   * @returns Shapley value estimates, intercept f(∅), R² on the non-endpoint rows, the prediction
   *   at the instance (= f(x)), `details` (`fx`, `fnull`, `solver`, `scoreRows`), and with
   *   `standardErrors`, `coefStd`:
   *   standard errors of the constrained estimator in the manner of Covert & Lee (AISTATS 2021) —
   *   the sandwich covariance of the reduced (d − 1)-parameter least-squares problem, with a
   *   coalition and its complement counted as one paired draw, and the last value's error from
   *   the efficiency constraint (omitted when the system is singular). See
   *   docs/decisions/0024-surrogate-standard-errors.md.
   * @throws ShapeMismatchError / InputError for inconsistent or non-finite input, bad weights, or a
   *   missing endpoint row.
   */
  fit(problem: RegressionProblem, ctx?: RunContext): FittedSurrogate {
    validateProblem(problem, 'KernelShapSurrogate');
    const fitted = fitConstrainedShapley(problem, ctx?.warn);
    if (!this.options.standardErrors) return fitted;
    const coefStd = constrainedShapleyStd(problem, fitted);
    return coefStd ? { ...fitted, coefStd } : fitted;
  }
}

/**
 * Standard errors of KernelSHAP's constrained least-squares estimate (Covert & Lee, "Improving
 * KernelSHAP", AISTATS 2021, Sect. 3–4): the efficiency constraint is eliminated by writing the
 * last value as Δ − Σ of the others (Δ = f(x) − f(∅)), which leaves an unconstrained weighted
 * least-squares problem in d − 1 values on rows eⱼ = zⱼ − z_d, t = y − f(∅) − z_d·Δ; its sandwich
 * covariance (linalg's `sandwichFactors`) gives the first d − 1 errors and, through the
 * constraint, the last. A coalition and its complement form one unit (Covert & Lee's paired
 * sampling: the pair, not the row, is the independent draw); the endpoint rows are fitted
 * exactly and carry no error.
 *
 * @remarks A coalition size whose every coalition is present (what shap's sampler enumerates
 * before it draws the rest at random, from the other sizes only) is taken as fixed by the design:
 * its rows enter the normal equations but add no sampling variance. A size a random design
 * happened to cover completely is then under-counted; duplicate coalitions form one unit.
 * @returns d standard errors, or undefined when the fit was singular or there are too few pairs.
 */
export function constrainedShapleyStd(problem: RegressionProblem, fitted: FittedSurrogate): Float64Array | undefined {
  const { X, n, d, y, sampleWeight: w } = problem;
  const details = fitted.details as { fx: number; fnull: number; solver: string } | undefined;
  if (d <= 1) return new Float64Array(d);
  if (!details || details.solver === 'lstsq') return undefined;
  const { fx, fnull } = details;
  const delta = fx - fnull;
  const p = d - 1, last = d - 1;
  const E = new Float64Array(n * p), t = new Float64Array(n), we = new Float64Array(n);
  const clusters = new Int32Array(n);
  const keys = new Map<string, number>();
  const bits: string[] = new Array(d);
  // Distinct coalitions per size, to find the sizes enumerated completely.
  const distinct: Set<string>[] = Array.from({ length: d + 1 }, () => new Set<string>());
  const sizeOf = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const row = i * d;
    const zl = X[row + last];
    let interior = false;
    for (let j = 0; j < p; j++) {
      const e = X[row + j] - zl;
      E[i * p + j] = e;
      if (e !== 0) interior = true;
    }
    t[i] = y[i] - fnull - zl * delta;
    we[i] = interior ? w[i] : 0;
    // The pair {z, 1 − z} is keyed by its member with z₀ = 1.
    let size = 0;
    for (let j = 0; j < d; j++) {
      bits[j] = X[row + j] !== 0 ? '1' : '0';
      size += X[row + j] !== 0 ? 1 : 0;
    }
    sizeOf[i] = size;
    distinct[size].add(bits.join(''));
    const flip = X[row] === 0;
    for (let j = 0; j < d; j++) bits[j] = (X[row + j] !== 0) !== flip ? '1' : '0';
    const key = bits.join('');
    let id = keys.get(key);
    if (id === undefined) keys.set(key, (id = keys.size));
    clusters[i] = id;
  }
  const complete = distinct.map((set, size) => set.size === binomial(d, size));
  const fixedRows = Uint8Array.from(sizeOf, (size) => (complete[size] ? 1 : 0));
  // Every coalition present: the estimate is the exact Shapley value, with no sampling error.
  if (complete.every((c) => c)) return new Float64Array(d);
  const phi = fitted.coef.subarray(0, p);
  const factors = sandwichFactors({ X: E, n, d: p, y: t, sampleWeight: we }, phi, 0, { xMean: new Float64Array(p), alpha: 0, extraParameters: 0, clusters, fixedRows });
  if (!factors) return undefined;
  const { U, units, scale } = factors;
  const std = new Float64Array(d);
  let lastVar = 0;
  for (let g = 0; g < units; g++) {
    let sum = 0;
    for (let j = 0; j < p; j++) {
      const u = U[g * p + j];
      std[j] += u * u;
      sum += u;
    }
    lastVar += sum * sum;
  }
  for (let j = 0; j < p; j++) std[j] = Math.sqrt(scale * std[j]);
  std[last] = Math.sqrt(scale * lastVar);
  return std;
}

function binomial(n: number, k: number): number {
  let c = 1;
  for (let i = 1; i <= k; i++) c = (c * (n - k + i)) / i;
  return Math.round(c);
}
