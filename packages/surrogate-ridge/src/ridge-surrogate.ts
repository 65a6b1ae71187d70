import { requireOption, resolveOptions, validateProblem, type FittedSurrogate, type RegressionProblem, type Surrogate } from '@limekit/core';
import { centring, sandwichStd } from '@limekit/linalg';
import { fitRidge } from './ridge.js';

/** Options of {@link RidgeSurrogate}. */
export interface RidgeOptions {
  /** L2 penalty α. scikit-learn's default and lime's surrogate (`Ridge(alpha=1)`): 1. */
  alpha: number;
  /** Fit an intercept (weight-centred data), as lime does. */
  fitIntercept: boolean;
  /**
   * Report `coefStd`, the sandwich (HC1) standard error of each coefficient around the population
   * ridge solution (LIME's target). Default false (lime reports none; it costs about one more
   * pass over the rows). Not a scikit-learn parameter.
   */
  standardErrors: boolean;
}

/** Defaults of {@link RidgeOptions}: lime's `Ridge(alpha=1, fit_intercept=True)`, no standard errors. */
export const DEFAULT_RIDGE_OPTIONS: Readonly<RidgeOptions> = { alpha: 1, fitIntercept: true, standardErrors: false };

/**
 * LIME's default surrogate: weighted ridge regression, identical to scikit-learn 1.2's
 * `Ridge(alpha).fit(X, y, sample_weight)` (to 1e-8 on the reference problems).
 * Objective: Σᵢ wᵢ (yᵢ − xᵢ·β − b)² + α‖β‖².
 * @see Hoerl & Kennard, "Ridge Regression", Technometrics 1970, doi:10.1080/00401706.1970.10488634
 */
export class RidgeSurrogate implements Surrogate {
  readonly id = 'ridge';
  readonly options: Readonly<RidgeOptions>;

  /** @throws InvalidOptionError when alpha < 0. */
  constructor(options: Partial<RidgeOptions> = {}) {
    this.options = resolveOptions('RidgeSurrogate', DEFAULT_RIDGE_OPTIONS, options);
    requireOption(this.options.alpha >= 0 && Number.isFinite(this.options.alpha), 'RidgeSurrogate', 'alpha', '>= 0', this.options.alpha, "lime uses 1.");
  }

  /**
   * @returns coefficients, intercept, weighted R², the prediction at the all-ones row, and with
   *   `standardErrors`, `coefStd`: the sandwich (HC1) standard error of each coefficient as an estimate of the
   *   population ridge solution over the sampling distribution of the rows (omitted when there
   *   are no more weighted rows than parameters). See docs/decisions/0024-surrogate-standard-errors.md.
   */
  fit(problem: RegressionProblem): FittedSurrogate {
    validateProblem(problem, 'RidgeSurrogate');
    const { alpha, fitIntercept, standardErrors } = this.options;
    const fitted = fitRidge(problem, alpha, fitIntercept);
    if (!standardErrors) return fitted;
    const { xMean } = centring(problem, fitIntercept);
    const coefStd = sandwichStd(problem, fitted.coef, fitted.intercept, { xMean, alpha, extraParameters: fitIntercept ? 1 : 0 });
    return coefStd ? { ...fitted, coefStd } : fitted;
  }
}
