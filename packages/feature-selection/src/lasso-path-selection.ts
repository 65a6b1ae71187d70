import type { RegressionProblem } from '@limekit/core';
import { centring, scaledDesign } from '@limekit/linalg';
import { larsLassoPath } from './lars-path.js';

/**
 * lime's `lasso_path` feature selection (lime 0.2, `LimeBase.feature_selection`): centre X and y
 * with the weighted means, scale the rows by √w, compute the lasso path with LARS
 * (`lars_path(..., method='lasso')`), and walk it from the least penalised end back towards the
 * start; the first step with at most `numFeatures` nonzero coefficients gives the features. A
 * path with a single step (a constant target) selects every feature, as lime's loop never runs.
 *
 * @param problem a validated regression problem.
 * @param numFeatures the largest number of features to keep (fewer when the path jumps past it).
 * @param maxIter LARS steps (scikit-learn's default 500).
 * @returns feature indices in increasing order (lime returns `nonzero()`).
 */
export function lassoPathSelection(problem: RegressionProblem, numFeatures: number, maxIter = 500): number[] {
  const { n, d } = problem;
  const { xMean, yMean } = centring(problem, true);
  const { Xs, ys } = scaledDesign(problem, xMean, yMean);
  const { coefs } = larsLassoPath(Xs, n, d, ys, maxIter);
  let nonzero = Array.from({ length: d }, (_, j) => j);
  for (let step = coefs.length - 1; step > 0; step--) {
    nonzero = Array.from(coefs[step]).flatMap((c, j) => (c !== 0 ? [j] : []));
    if (nonzero.length <= numFeatures) break;
  }
  return nonzero;
}
