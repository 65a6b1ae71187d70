import { InputError, resolveOptions, validateProblem, type FittedSurrogate, type RegressionProblem, type RunContext, type Surrogate } from '@limekit/core';
import { solveSymmetricPinv } from '@limekit/linalg';
import { constrainedShapleyStd } from '@limekit/surrogate-kernelshap';
import { asFitted, findConstantRow } from './estimate-utils.js';

/** {@link LeverageShapEstimator} has no options. */
export type LeverageShapOptions = Record<string, never>;

/** Defaults of {@link LeverageShapOptions}: none. */
export const DEFAULT_LEVERAGE_SHAP_OPTIONS: Readonly<LeverageShapOptions> = {};

const WHO = 'LeverageShapEstimator';

/**
 * Leverage SHAP's constrained least squares (Musco & Witter, ICLR 2025, Algorithm 1): with
 * Δ = f(x) − f(∅) and P = I − 11ᵀ/M the projection off the all-ones direction, solve
 * min_ψ Σᵢ ωᵢ (bᵢ − (P zᵢ)·ψ)², bᵢ = yᵢ − f(∅) − |zᵢ|·Δ/M, by the minimum-norm solution of the
 * normal equations, and return φ = ψ + Δ/M·1. φ satisfies Σφ = Δ exactly and is KernelSHAP's
 * constrained solution (Σφ = Δ, intercept f(∅)) written in the projected form.
 *
 * @param problem 0/1 coalitions including the all-ones and all-zeros rows (constraints; their
 *   weights do not matter), targets, weights ω (Shapley kernel / inclusion probability).
 * @throws InputError when an endpoint row is missing.
 */
export function leverageShapSolve(problem: RegressionProblem): { phi: Float64Array; fx: number; fnull: number; rows: number } {
  const { X, n, d, y, sampleWeight: w } = problem;
  const ones = findConstantRow(problem, 1), zeros = findConstantRow(problem, 0);
  if (ones < 0 || zeros < 0) {
    throw new InputError(`${WHO}: X must contain the all-ones row (f(x)) and the all-zeros row (f(∅)); ${ones < 0 ? 'the all-ones row' : 'the all-zeros row'} is missing. Use the leverage sampler, which draws both first.`);
  }
  const fx = y[ones], fnull = y[zeros], delta = fx - fnull;
  const A = new Float64Array(d * d), r = new Float64Array(d), zp = new Float64Array(d);
  let rows = 0;
  for (let i = 0; i < n; i++) {
    let size = 0;
    for (let j = 0; j < d; j++) size += X[i * d + j];
    if (size === 0 || size === d || w[i] === 0) continue;
    rows++;
    for (let j = 0; j < d; j++) zp[j] = X[i * d + j] - size / d;
    const b = y[i] - fnull - (size * delta) / d;
    for (let j = 0; j < d; j++) {
      const wz = w[i] * zp[j];
      r[j] += wz * b;
      for (let k = 0; k <= j; k++) A[j * d + k] += wz * zp[k];
    }
  }
  for (let j = 0; j < d; j++) for (let k = j + 1; k < d; k++) A[j * d + k] = A[k * d + j];
  if (d > 0) solveSymmetricPinv(A, d, r, Math.max(n, d) * Number.EPSILON * 10);
  const phi = new Float64Array(d);
  for (let j = 0; j < d; j++) phi[j] = r[j] + delta / d;
  return { phi, fx, fnull, rows };
}

/**
 * Leverage SHAP's estimator (decision 0025): the projected constrained least squares of
 * {@link leverageShapSolve} on the `leverage` sampler's weighted rows. Converges to the exact
 * Shapley values, and is exact once every coalition has been drawn.
 *
 * @remarks Intercept f(∅), local prediction f(x). `coefStd`: the paper gives error bounds, not a
 * per-segment variance; since the solution is KernelSHAP's constrained least squares on the same
 * weighted rows, its errors are surrogate-kernelshap's `constrainedShapleyStd` (Covert & Lee's
 * paired sandwich), which treats the pairs as independent draws — sampling without replacement
 * makes them conservative. Omitted when the system is underdetermined. The score is the weighted
 * R² on the rows.
 * @see Musco & Witter, "Provably Accurate Shapley Value Estimation via Leverage Score Sampling", ICLR 2025, arXiv:2410.01917
 */
export class LeverageShapEstimator implements Surrogate {
  readonly id = 'leverage-shap';

  /** @throws InvalidOptionError for any option (there are none). */
  constructor(options: Partial<LeverageShapOptions> = {}) {
    resolveOptions(WHO, DEFAULT_LEVERAGE_SHAP_OPTIONS, options);
  }

  /** @throws InputError when an endpoint row is missing. */
  fit(problem: RegressionProblem, ctx?: RunContext): FittedSurrogate {
    validateProblem(problem, WHO);
    const { phi, fx, fnull, rows } = leverageShapSolve(problem);
    const fitted = asFitted(problem, phi, { intercept: fnull, details: { fx, fnull, rows } });
    if (rows < problem.d) {
      ctx?.warn?.(`${WHO}: ${rows} sampled coalitions for ${problem.d} segments; the system is underdetermined and the minimum-norm solution is used. Use more samples.`);
      return fitted;
    }
    // The same solution as KernelSHAP's constrained least squares, so the same paired sandwich errors.
    const coefStd = constrainedShapleyStd(problem, { ...fitted, details: { fx, fnull, solver: 'projected' } });
    return coefStd ? { ...fitted, coefStd } : fitted;
  }
}
