import type { RegressionProblem } from '@limekit/core';
import { cholesky, solveSymmetricPinv } from './decompositions.js';
import { choleskySolve } from './triangular.js';

/** Options of {@link sandwichStd}. */
export interface SandwichOptions {
  /** Column means the fit was centred with (zeros without an intercept). */
  readonly xMean: Float64Array;
  /** The L2 penalty α of the fit (0 for least squares). */
  readonly alpha: number;
  /** Parameters fitted besides the d coefficients (1 with an intercept), for the degrees of freedom. */
  readonly extraParameters: number;
  /**
   * Rows drawn together (e.g. a coalition and its complement, Covert & Lee's paired sampling):
   * one cluster id per row; the scores of a cluster are summed before their outer product
   * (the cluster-robust sandwich). Omitted: every row is its own cluster.
   */
  readonly clusters?: Int32Array;
  /**
   * Rows the design fixed rather than drew (e.g. coalition sizes a KernelSHAP sampler enumerated
   * completely), marked 1: they enter A but add no sampling variance, and the other units' scores
   * are centred on their own mean. Omitted: every row was drawn.
   */
  readonly fixedRows?: Uint8Array;
}

/**
 * Per-coefficient standard errors of a weighted (ridge) least-squares fit by the sandwich
 * (heteroscedasticity- and misspecification-robust) estimator: with x̃ᵢ = xᵢ − x̄, residuals
 * rᵢ = yᵢ − b − xᵢ·β and scores ψᵢ = wᵢ x̃ᵢ rᵢ,
 *
 *   Var(β̂) ≈ A⁻¹ B A⁻¹,  A = Σ wᵢ x̃ᵢ x̃ᵢᵀ + αI,  B = c · Σ (ψᵢ − ψ̄)(ψᵢ − ψ̄)ᵀ,
 *
 * with the small-sample factor c = n/(n − p) (HC1; G/(G − 1) for G clusters). The mean score
 * ψ̄ = αβ/n is what the ridge penalty leaves at the optimum; subtracting it makes B the sample
 * covariance of the scores, so the estimate targets the population (ridge) solution over the
 * sampling distribution of the rows — LIME's target — whether or not the linear model fits.
 *
 * @param problem the fitted problem (rows, targets, weights).
 * @param coef the fitted coefficients β; `intercept` the fitted b.
 * @returns d standard errors, or undefined when they are not estimable (no more rows with a
 *   positive weight, or clusters, than parameters).
 * @see White, "A Heteroskedasticity-Consistent Covariance Matrix Estimator", Econometrica 1980,
 *   doi:10.2307/1912934; MacKinnon & White, J. Econometrics 1985 (HC1), doi:10.1016/0304-4076(85)90158-7
 */
export function sandwichStd(problem: RegressionProblem, coef: Float64Array, intercept: number, options: SandwichOptions): Float64Array | undefined {
  const factors = sandwichFactors(problem, coef, intercept, options);
  if (!factors) return undefined;
  const { U, units, scale } = factors;
  const d = problem.d;
  const std = new Float64Array(d);
  for (let g = 0; g < units; g++) for (let j = 0; j < d; j++) std[j] += U[g * d + j] ** 2;
  for (let j = 0; j < d; j++) std[j] = Math.sqrt(scale * std[j]);
  return std;
}

/**
 * The factors of the sandwich covariance of {@link sandwichStd}: `Cov(β̂) ≈ scale · UᵀU` with
 * U (units × d) = rows A⁻¹(ψ_g − ψ̄), so the variance of any linear combination cᵀβ̂ is
 * `scale · Σ_g (cᵀU_g)²` (e.g. the last Shapley value, which KernelSHAP's efficiency constraint
 * makes minus the sum of the others).
 *
 * @returns undefined when not estimable (see {@link sandwichStd}).
 */
export function sandwichFactors(problem: RegressionProblem, coef: Float64Array, intercept: number, options: SandwichOptions): { U: Float64Array; units: number; scale: number } | undefined {
  const { X, n, d, y, sampleWeight: w } = problem;
  const { xMean, alpha, extraParameters, clusters, fixedRows } = options;
  const p = d + extraParameters;
  // Scores, summed per cluster.
  const ids = new Map<number, number>();
  const groupOf = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const key = clusters ? clusters[i] : i;
    let g = ids.get(key);
    if (g === undefined) ids.set(key, (g = ids.size));
    groupOf[i] = g;
  }
  const G = ids.size;
  const counted = new Uint8Array(G);
  for (let i = 0; i < n; i++) if (w[i] > 0 && !fixedRows?.[i]) counted[groupOf[i]] = 1;
  let units = 0;
  for (let g = 0; g < G; g++) units += counted[g];
  if (units <= p || (clusters && units < 2)) return undefined;
  if (d === 0) return { U: new Float64Array(0), units, scale: 1 };
  const A = new Float64Array(d * d);
  const psi = new Float64Array(G * d);
  const xt = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    const wi = w[i];
    if (!(wi > 0)) continue;
    const row = i * d;
    let r = y[i] - intercept;
    for (let j = 0; j < d; j++) {
      r -= X[row + j] * coef[j];
      xt[j] = X[row + j] - xMean[j];
    }
    const base = groupOf[i] * d;
    const drawn = fixedRows?.[i] ? 0 : 1;
    for (let j = 0; j < d; j++) {
      const wx = wi * xt[j];
      psi[base + j] += drawn * wx * r;
      for (let k = 0; k <= j; k++) A[j * d + k] += wx * xt[k];
    }
  }
  for (let j = 0; j < d; j++) {
    A[j * d + j] += alpha;
    for (let k = 0; k < j; k++) A[k * d + j] = A[j * d + k];
  }
  // Centre the scores over the units that carry weight (clusters or positive-weight rows).
  const mean = new Float64Array(d);
  for (let g = 0; g < G; g++) if (counted[g]) for (let j = 0; j < d; j++) mean[j] += psi[g * d + j];
  for (let j = 0; j < d; j++) mean[j] /= units;
  // U = A⁻¹ (ψ_g − ψ̄) for each unit; Var(β̂_j) = c · Σ_g U_gj².
  const factor = cholesky(A, d);
  const solve = factor.positiveDefinite ? (b: Float64Array) => choleskySolve(factor.L, d, b) : (b: Float64Array) => solveSymmetricPinv(A, d, b);
  const U = new Float64Array(units * d);
  let at = 0;
  for (let g = 0; g < G; g++) {
    if (!counted[g]) continue;
    const u = U.subarray(at * d, (at + 1) * d);
    for (let j = 0; j < d; j++) u[j] = psi[g * d + j] - mean[j];
    solve(u);
    at++;
  }
  const scale = clusters ? units / (units - 1) : units / (units - p);
  return { U, units, scale };
}
