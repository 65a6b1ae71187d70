import { predictAllOnes, type FittedSurrogate, type RegressionProblem } from '@limekit/core';
import { axpy, centring, dot, interceptFor, r2Score, scaledDesign } from '@limekit/linalg';

/** Result of {@link coordinateDescent}. */
export interface CoordinateDescentResult {
  /** The coefficients (the input `w`, updated in place). */
  readonly w: Float64Array;
  /** Duality gap of the last check (unnormalised, as `cd_fast` returns it). */
  readonly gap: number;
  /** The stopping tolerance on the gap: `tol · ‖y‖²`. */
  readonly gapTolerance: number;
  /** Epochs run (full passes over the coordinates). */
  readonly nIter: number;
  /** Whether the gap fell below its tolerance before `maxIter` epochs. */
  readonly converged: boolean;
}

/**
 * Cyclic coordinate descent for the elastic net, step for step as scikit-learn 1.2's
 * `cd_fast.enet_coordinate_descent` (dense X, `selection='cyclic'`). Minimises
 *
 *   ½‖y − Xw‖² + l1‖w‖₁ + (l2/2)‖w‖²
 *
 * One epoch updates every coordinate with the soft-threshold
 * wⱼ ← S(xⱼᵀrⱼ, l1) / (‖xⱼ‖² + l2), rⱼ the residual without feature j. When the largest change of
 * an epoch is below `tol` times the largest |wⱼ| (or at the last epoch), the duality gap is
 * computed; the descent stops once it is below `tol · ‖y‖²`.
 *
 * @param X column-major n × d (`X[j * n + i]`).
 * @param y length n.
 * @param w starting coefficients (length d), updated in place.
 * @param l1 L1 penalty on the ½‖·‖² scale (scikit-learn passes α·n).
 * @param l2 L2 penalty on the same scale (0 for the lasso).
 * @param maxIter maximum number of epochs.
 * @param tol relative tolerance (scikit-learn's `tol`).
 * @param positive constrain w ≥ 0.
 * @see Friedman, Hastie & Tibshirani, "Regularization Paths for Generalized Linear Models via
 *   Coordinate Descent", J. Stat. Softw. 33(1), 2010. doi:10.18637/jss.v033.i01
 */
export function coordinateDescent(
  X: Float64Array,
  n: number,
  d: number,
  y: Float64Array,
  w: Float64Array,
  l1: number,
  l2: number,
  maxIter: number,
  tol: number,
  positive: boolean,
): CoordinateDescentResult {
  const normCols = new Float64Array(d);
  for (let j = 0; j < d; j++) normCols[j] = dot(n, X, j * n, X, j * n);
  const R = y.slice();
  for (let j = 0; j < d; j++) if (w[j] !== 0) axpy(n, -w[j], X, j * n, R);
  const gapTolerance = tol * dot(n, y, 0, y);
  let gap = tol + 1;
  let iter = 0;
  let converged = false;
  for (; iter < maxIter; iter++) {
    let wMax = 0;
    let dwMax = 0;
    for (let j = 0; j < d; j++) {
      if (normCols[j] === 0) continue;
      const o = j * n;
      const wOld = w[j];
      if (wOld !== 0) axpy(n, wOld, X, o, R);
      const tmp = dot(n, X, o, R);
      if (positive && tmp < 0) w[j] = 0;
      else w[j] = (Math.sign(tmp) * Math.max(Math.abs(tmp) - l1, 0)) / (normCols[j] + l2);
      if (w[j] !== 0) axpy(n, -w[j], X, o, R);
      const dw = Math.abs(w[j] - wOld);
      if (dw > dwMax) dwMax = dw;
      if (Math.abs(w[j]) > wMax) wMax = Math.abs(w[j]);
    }
    if (wMax === 0 || dwMax / wMax < tol || iter === maxIter - 1) {
      gap = dualityGap(X, n, d, y, w, R, l1, l2, positive);
      if (gap < gapTolerance) {
        converged = true;
        break;
      }
    }
  }
  return { w, gap, gapTolerance, nIter: Math.min(iter + 1, maxIter), converged };
}

/** The elastic-net duality gap at w, with R = y − Xw (as `cd_fast`). */
function dualityGap(X: Float64Array, n: number, d: number, y: Float64Array, w: Float64Array, R: Float64Array, l1: number, l2: number, positive: boolean): number {
  let dualNorm = -Infinity;
  let wNorm2 = 0;
  let l1Norm = 0;
  for (let j = 0; j < d; j++) {
    const xta = dot(n, X, j * n, R) - l2 * w[j];
    const v = positive ? xta : Math.abs(xta);
    if (v > dualNorm || j === 0) dualNorm = v;
    wNorm2 += w[j] * w[j];
    l1Norm += Math.abs(w[j]);
  }
  if (d === 0) dualNorm = 0;
  const rNorm2 = dot(n, R, 0, R);
  let scale = 1;
  let gap = rNorm2;
  if (dualNorm > l1) {
    scale = l1 / dualNorm;
    gap = 0.5 * (rNorm2 + rNorm2 * scale * scale);
  }
  return gap + l1 * l1Norm - scale * dot(n, R, 0, y) + 0.5 * l2 * (1 + scale * scale) * wNorm2;
}

/** Options of {@link fitLasso}, scikit-learn's names in camelCase. */
export interface LassoFitOptions {
  readonly alpha: number;
  readonly maxIter: number;
  readonly tol: number;
  readonly positive: boolean;
  readonly fitIntercept: boolean;
}

/**
 * Weighted lasso, as scikit-learn 1.2's `Lasso(alpha, max_iter, tol, positive,
 * fit_intercept).fit(X, y, sample_weight)`: minimises
 *
 *   (1 / (2 Σwᵢ)) Σᵢ wᵢ (yᵢ − xᵢ·β − b)² + α‖β‖₁
 *
 * scikit-learn rescales the weights to sum to n (w' = w·n/Σw), centres X and y with the weighted
 * means, multiplies the rows by √w', and runs coordinate descent with l1 = α·n (the ½‖·‖² form
 * of the same objective). b = ȳ − x̄·β.
 *
 * @param problem a validated regression problem.
 * @returns the fit, with `details` `{ nIter, dualGap, converged, gapTolerance }`; `dualGap` is
 *   normalised by n as scikit-learn's `dual_gap_`.
 */
export function fitLasso(problem: RegressionProblem, options: LassoFitOptions): FittedSurrogate {
  const { n, d } = problem;
  let sw = 0;
  for (let i = 0; i < n; i++) sw += problem.sampleWeight[i];
  const w = new Float64Array(n);
  for (let i = 0; i < n; i++) w[i] = problem.sampleWeight[i] * (n / sw);
  const scaled = { ...problem, sampleWeight: w };
  const { xMean, yMean } = centring(scaled, options.fitIntercept);
  const { Xs, ys } = scaledDesign(scaled, xMean, yMean);
  const coef = new Float64Array(d);
  const cd = coordinateDescent(Xs, n, d, ys, coef, options.alpha * n, 0, options.maxIter, options.tol, options.positive);
  const intercept = interceptFor(coef, xMean, yMean, options.fitIntercept);
  return {
    coef,
    intercept,
    score: r2Score(problem, coef, intercept),
    localPrediction: predictAllOnes(coef, intercept),
    details: { nIter: cd.nIter, dualGap: cd.gap / n, converged: cd.converged, gapTolerance: cd.gapTolerance / n },
  };
}
