import type { RegressionProblem } from '@limekit/core';
import { axpy, centring, cholesky, choleskySolve, gram, scaledDesign, solveSymmetricPinv, transposeTimes } from '@limekit/linalg';

/**
 * lime's `forward_selection` (lime 0.2, `LimeBase.forward_selection`): greedily add the feature
 * whose weighted ridge fit together with the features already chosen has the highest weighted R²
 * (`Ridge(alpha=0, fit_intercept=True).fit(...).score(..., sample_weight)`), `numFeatures` times.
 * A candidate replaces the best so far only with a strictly larger score, so ties go to the
 * lower index, as in lime.
 *
 * Every candidate fit reuses one weighted, centred Gram matrix of all features: the fit on a
 * subset S solves G_SS β = c_S, and its R² is 1 − ‖ys − Xs_S β‖² / ‖ys‖² on the centred,
 * √w-scaled data, which is scikit-learn's weighted R².
 *
 * @param problem a validated regression problem.
 * @param numFeatures how many features to pick (at most d are).
 * @param alpha the ridge penalty of the candidate fits (lime: 0).
 * @returns feature indices in the order they were picked.
 */
export function forwardSelection(problem: RegressionProblem, numFeatures: number, alpha = 0): number[] {
  const { n, d } = problem;
  const { xMean, yMean } = centring(problem, true);
  const { Xs, ys } = scaledDesign(problem, xMean, yMean);
  const G = gram(Xs, n, d);
  const c = transposeTimes(Xs, n, d, ys);
  let tss = 0;
  for (let i = 0; i < n; i++) tss += ys[i] * ys[i];

  const used: number[] = [];
  for (let step = 0; step < Math.min(numFeatures, d); step++) {
    let best = 0;
    let bestScore = -100000000;
    for (let f = 0; f < d; f++) {
      if (used.includes(f)) continue;
      const s = subsetScore(Xs, ys, n, d, G, c, tss, [...used, f], alpha);
      if (s > bestScore) {
        best = f;
        bestScore = s;
      }
    }
    used.push(best);
  }
  return used;
}

/**
 * Weighted R² of the ridge fit on the columns `subset` of the centred, √w-scaled design:
 * solve (G_SS + αI)β = c_S, then 1 − ‖ys − Xs_S β‖² / tss.
 */
function subsetScore(Xs: Float64Array, ys: Float64Array, n: number, d: number, G: Float64Array, c: Float64Array, tss: number, subset: number[], alpha: number): number {
  const m = subset.length;
  const A = new Float64Array(m * m);
  const beta = new Float64Array(m);
  for (let a = 0; a < m; a++) {
    beta[a] = c[subset[a]];
    for (let b = 0; b < m; b++) A[a * m + b] = G[subset[a] * d + subset[b]];
    A[a * m + a] += alpha;
  }
  const { L, positiveDefinite } = cholesky(A, m);
  if (positiveDefinite) choleskySolve(L, m, beta);
  else solveSymmetricPinv(A, m, beta);
  const r = ys.slice();
  for (let a = 0; a < m; a++) axpy(n, -beta[a], Xs, subset[a] * n, r);
  let rss = 0;
  for (let i = 0; i < n; i++) rss += r[i] * r[i];
  // scikit-learn's r2_score with force_finite for a constant target.
  if (tss === 0) return rss === 0 ? 1 : 0;
  return 1 - rss / tss;
}
