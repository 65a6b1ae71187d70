import { predictAllOnes, type FittedSurrogate, type RegressionProblem } from '@limekit/core';
import { centring, cholesky, choleskySolve, gram, interceptFor, minNormLeastSquares, r2Score, transposeTimes, scaledDesign } from '@limekit/linalg';

/**
 * Below this Cholesky pivot ratio (`minPivotRatio` of linalg's `cholesky`), the normal equations lose more than ~4
 * digits and the fit switches to QR + SVD of the scaled design itself.
 */
const NORMAL_EQUATIONS_MIN_PIVOT_RATIO = 1e-4;

/**
 * Weighted ordinary least squares, as scikit-learn 1.2's
 * `LinearRegression(fit_intercept).fit(X, y, sample_weight)`: minimises Σᵢ wᵢ (yᵢ − xᵢ·β − b)²
 * on the weight-centred data, b = ȳ − x̄·β. Rank-deficient problems (collinear columns, a
 * constant column, more columns than rows) get the minimum-norm β, as scipy's `lstsq` does.
 *
 * Well-conditioned problems (every LIME design with distinct segments) are solved from the
 * normal equations by Cholesky; the others by the SVD of √W(X − x̄) (linalg's `minNormLeastSquares`).
 *
 * @param problem a validated regression problem (see `validateProblem`).
 * @param fitIntercept centre with the weighted means and fit b (default true).
 * @returns the fitted surrogate; `details` has `rank` (of the centred, scaled design) and
 *   `solver` (`'cholesky'` or `'svd'`).
 */
export function fitLeastSquares(problem: RegressionProblem, fitIntercept = true): FittedSurrogate {
  const { n, d } = problem;
  const { xMean, yMean } = centring(problem, fitIntercept);
  const { Xs, ys } = scaledDesign(problem, xMean, yMean);
  let coef: Float64Array | undefined;
  let rank = d;
  let solver = 'cholesky';
  if (d > 0 && d <= n) {
    const { L, minPivotRatio } = cholesky(gram(Xs, n, d), d);
    if (minPivotRatio > NORMAL_EQUATIONS_MIN_PIVOT_RATIO) {
      coef = transposeTimes(Xs, n, d, ys);
      choleskySolve(L, d, coef);
    }
  }
  if (!coef) {
    const sol = minNormLeastSquares(Xs, n, d, ys);
    coef = sol.beta;
    rank = sol.rank;
    solver = 'svd';
  }
  const intercept = interceptFor(coef, xMean, yMean, fitIntercept);
  return {
    coef,
    intercept,
    score: r2Score(problem, coef, intercept),
    localPrediction: predictAllOnes(coef, intercept),
    details: { rank, solver },
  };
}
