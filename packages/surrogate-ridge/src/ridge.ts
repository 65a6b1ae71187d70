import { predictAllOnes, type FittedSurrogate, type RegressionProblem } from '@limekit/core';
import { centredGram, centring, cholesky, choleskySolve, interceptFor, r2Score, solveSymmetricPinv } from '@limekit/linalg';

/**
 * Weighted ridge regression, as scikit-learn 1.2's
 * `Ridge(alpha, fit_intercept).fit(X, y, sample_weight)`: minimises
 * Σᵢ wᵢ (yᵢ − xᵢ·β − b)² + α‖β‖² by Cholesky on the weight-centred normal equations
 * (XᵀWX + αI)β = XᵀWy, then b = ȳ − x̄·β. Without an intercept the data is not centred and b = 0.
 * A singular system (α = 0 with collinear columns) gets the minimum-norm solution.
 *
 * @param problem a validated regression problem (see `validateProblem`).
 * @param alpha the L2 penalty α ≥ 0.
 * @param fitIntercept centre with the weighted means and fit b (default true).
 * @returns the fitted surrogate (coef, intercept, weighted R², prediction at the all-ones row).
 */
export function fitRidge(problem: RegressionProblem, alpha: number, fitIntercept = true): FittedSurrogate {
  const { d } = problem;
  const { xMean, yMean } = centring(problem, fitIntercept);
  const { G, c } = centredGram(problem, xMean, yMean);
  for (let j = 0; j < d; j++) G[j * d + j] += alpha;
  const coef = c.slice();
  if (d > 0) {
    const { L, positiveDefinite } = cholesky(G, d);
    if (positiveDefinite) choleskySolve(L, d, coef);
    else solveSymmetricPinv(G, d, coef);
  }
  const intercept = interceptFor(coef, xMean, yMean, fitIntercept);
  return { coef, intercept, score: r2Score(problem, coef, intercept), localPrediction: predictAllOnes(coef, intercept) };
}
