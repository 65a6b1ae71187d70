import { resolveOptions, validateProblem, type FittedSurrogate, type RegressionProblem, type RunContext, type Surrogate } from '@limekit/core';
import { centring, sandwichStd } from '@limekit/linalg';
import { fitLeastSquares } from './least-squares.js';

/** Options of {@link LinearSurrogate}. */
export interface LinearOptions {
  /**
   * Fit an intercept on weight-centred data. Default true, as scikit-learn's
   * `LinearRegression` and lime's surrogate.
   */
  fitIntercept: boolean;
  /**
   * Report `coefStd`, the sandwich (HC1) standard error of each coefficient around the population
   * weighted least-squares solution. Default false. Not a scikit-learn parameter.
   */
  standardErrors: boolean;
}

/** Defaults of {@link LinearOptions}: `LinearRegression(fit_intercept=True)`, no standard errors. */
export const DEFAULT_LINEAR_OPTIONS: Readonly<LinearOptions> = { fitIntercept: true, standardErrors: false };

/**
 * Weighted ordinary least squares (no penalty): scikit-learn 1.2's
 * `LinearRegression().fit(X, y, sample_weight)`, including its minimum-norm answer on
 * rank-deficient problems. Objective: Σᵢ wᵢ (yᵢ − xᵢ·β − b)².
 *
 * @remarks Unregularised fits interpolate when segments outnumber samples and amplify noise on
 * nearly collinear segments; lime's default surrogate is ridge (α = 1) for that reason. Use this
 * one to compare with an unbiased fit, or with many samples per segment.
 * @see Ribeiro, Singh & Guestrin, KDD 2016, doi:10.1145/2939672.2939778
 */
export class LinearSurrogate implements Surrogate {
  readonly id = 'linear';
  readonly options: Readonly<LinearOptions>;

  /**
   * @param options `fitIntercept` (default true), `standardErrors` (default false).
   * @throws InvalidOptionError for unknown options or wrong types.
   */
  constructor(options: Partial<LinearOptions> = {}) {
    this.options = resolveOptions('LinearSurrogate', DEFAULT_LINEAR_OPTIONS, options);
  }

  /**
   * @param problem the weighted neighbourhood (n × d masks, targets, weights).
   * @returns coefficients, intercept, weighted R², the prediction at the all-ones row,
   *   `details.rank` / `details.solver`, and with `standardErrors`, `coefStd`: the sandwich (HC1) standard error of each
   *   coefficient as an estimate of the population weighted least-squares solution (omitted when
   *   the design is rank-deficient or has no more weighted rows than parameters). See
   *   docs/decisions/0024-surrogate-standard-errors.md.
   * @throws ShapeMismatchError / InputError on inconsistent or non-finite input, negative or
   *   all-zero weights.
   */
  fit(problem: RegressionProblem, _ctx?: RunContext): FittedSurrogate {
    validateProblem(problem, 'LinearSurrogate');
    const { fitIntercept, standardErrors } = this.options;
    const fitted = fitLeastSquares(problem, fitIntercept);
    if (!standardErrors) return fitted;
    // A rank-deficient design has no unique solution, so no standard error around one.
    if (fitted.details?.['rank'] !== problem.d) return fitted;
    const { xMean } = centring(problem, fitIntercept);
    const coefStd = sandwichStd(problem, fitted.coef, fitted.intercept, { xMean, alpha: 0, extraParameters: fitIntercept ? 1 : 0 });
    return coefStd ? { ...fitted, coefStd } : fitted;
  }
}
