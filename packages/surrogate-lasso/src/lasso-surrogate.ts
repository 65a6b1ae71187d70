import { createRng, requireOption, resolveOptions, STREAMS, validateProblem, type FittedSurrogate, type RegressionProblem, type RunContext, type Surrogate } from '@limekit/core';
import { fitLasso } from './lasso.js';

/** Options of {@link LassoSurrogate} (scikit-learn's `Lasso` parameters in camelCase). */
export interface LassoOptions {
  /**
   * L1 penalty α (> 0 for a sparse fit). Default 1, scikit-learn's default. On LIME problems
   * (probabilities as targets, kernel weights below 1) α = 1 zeroes every coefficient; values
   * around 0.001–0.01 select a handful of segments. lime itself uses no lasso surrogate (its
   * `lasso_path` feature selection is in `@limekit/feature-selection`).
   */
  alpha: number;
  /** Maximum number of coordinate-descent epochs. Default 1000, as scikit-learn. */
  maxIter: number;
  /** Relative tolerance: the duality gap must fall below tol·‖√w(y − ȳ)‖² (scaled as scikit-learn). Default 1e-4. */
  tol: number;
  /** Constrain every coefficient to be ≥ 0. Default false. */
  positive: boolean;
  /** Fit an intercept on weight-centred data. Default true. */
  fitIntercept: boolean;
  /**
   * Bootstrap refits behind `coefStd` (each resamples the n rows with replacement, from the
   * surrogate's `bootstrap` stream). Default 0: no standard errors, no extra cost (each round
   * costs one more lasso fit; 50–200 rounds give usable errors).
   * Not a scikit-learn parameter.
   */
  bootstrapRounds: number;
}

/** Defaults of {@link LassoOptions}: scikit-learn 1.2's `Lasso()`. */
export const DEFAULT_LASSO_OPTIONS: Readonly<LassoOptions> = { alpha: 1, maxIter: 1000, tol: 1e-4, positive: false, fitIntercept: true, bootstrapRounds: 0 };

/**
 * Sparse surrogate: weighted lasso by cyclic coordinate descent, step for step as scikit-learn
 * 1.2's `Lasso(...).fit(X, y, sample_weight)`. Objective:
 * (1 / (2 Σwᵢ)) Σᵢ wᵢ (yᵢ − xᵢ·β − b)² + α‖β‖₁.
 *
 * @remarks `details` reports `nIter`, `dualGap` (normalised as scikit-learn's `dual_gap_`),
 * `converged` and `gapTolerance`; a run that stops at `maxIter` warns through `ctx.warn`.
 * @see Tibshirani, "Regression Shrinkage and Selection via the Lasso", JRSS B 58(1), 1996.
 *   doi:10.1111/j.2517-6161.1996.tb02080.x
 * @see Friedman, Hastie & Tibshirani, J. Stat. Softw. 33(1), 2010. doi:10.18637/jss.v033.i01
 */
export class LassoSurrogate implements Surrogate {
  readonly id = 'lasso';
  readonly options: Readonly<LassoOptions>;

  /**
   * @param options see {@link LassoOptions}.
   * @throws InvalidOptionError for unknown options, wrong types, alpha < 0, maxIter < 1, tol < 0.
   */
  constructor(options: Partial<LassoOptions> = {}) {
    const o = resolveOptions('LassoSurrogate', DEFAULT_LASSO_OPTIONS, options);
    requireOption(Number.isFinite(o.alpha) && o.alpha >= 0, 'LassoSurrogate', 'alpha', '>= 0', o.alpha, 'Try 0.001-0.01 on LIME problems.');
    requireOption(Number.isInteger(o.maxIter) && o.maxIter >= 1, 'LassoSurrogate', 'maxIter', 'an integer >= 1', o.maxIter, "scikit-learn's default is 1000.");
    requireOption(Number.isFinite(o.tol) && o.tol >= 0, 'LassoSurrogate', 'tol', '>= 0', o.tol, "scikit-learn's default is 1e-4.");
    requireOption(Number.isInteger(o.bootstrapRounds) && (o.bootstrapRounds === 0 || o.bootstrapRounds >= 2), 'LassoSurrogate', 'bootstrapRounds', '0 or an integer >= 2', o.bootstrapRounds, 'Use 0 for no standard errors, 50-200 for them.');
    this.options = o;
  }

  /**
   * @param problem the weighted neighbourhood.
   * @param ctx receives a warning when coordinate descent stops at `maxIter` (or alpha is 0).
   * @param ctx also seeds the bootstrap (its `rng` forked by `STREAMS.bootstrap`; without a
   *   context, seed 0).
   * @returns coefficients (many exactly 0), intercept, weighted R², the local prediction,
   *   convergence details, and with `bootstrapRounds` > 0, `coefStd`: the bootstrap standard deviation of each coefficient
   *   over `bootstrapRounds` refits on rows resampled with replacement (see
   *   docs/decisions/0024-surrogate-standard-errors.md).
   * @throws ShapeMismatchError / InputError on inconsistent or non-finite input, negative or
   *   all-zero weights.
   */
  fit(problem: RegressionProblem, ctx?: RunContext): FittedSurrogate {
    validateProblem(problem, 'LassoSurrogate');
    if (this.options.alpha === 0) {
      ctx?.warn?.('LassoSurrogate: alpha = 0 is ordinary least squares, which coordinate descent solves slowly; use the "linear" surrogate instead.');
    }
    const fit = fitLasso(problem, this.options);
    const details = fit.details as { nIter: number; dualGap: number; converged: boolean; gapTolerance: number };
    if (!details.converged) {
      ctx?.warn?.(
        `LassoSurrogate: coordinate descent did not converge in ${details.nIter} iterations (duality gap ${details.dualGap.toExponential(3)}, ` +
          `tolerance ${details.gapTolerance.toExponential(3)}). Increase maxIter or tol, or use a larger alpha.`,
      );
    }
    const coefStd = this.options.bootstrapRounds > 0 ? bootstrapStd(problem, this.options, ctx) : undefined;
    return coefStd ? { ...fit, coefStd } : fit;
  }
}

/**
 * Bootstrap standard deviation of the lasso coefficients: `bootstrapRounds` refits, each on the
 * n rows resampled with replacement (multinomial counts multiply the sample weights), drawn from
 * `ctx.rng.fork(STREAMS.bootstrap)`. Rounds whose resample has no positive weight are skipped.
 * @see Efron & Tibshirani, "An Introduction to the Bootstrap", 1993, ch. 6; for the lasso's
 *   zero coefficients the bootstrap is known to be unreliable (Chatterjee & Lahiri, JASA 2011,
 *   doi:10.1198/jasa.2011.tm10159).
 */
function bootstrapStd(problem: RegressionProblem, options: LassoOptions, ctx?: RunContext): Float64Array | undefined {
  const { n, d, sampleWeight } = problem;
  const rng = (ctx?.rng ?? createRng(0)).fork(STREAMS.bootstrap);
  const counts = new Float64Array(n);
  const weights = new Float64Array(n);
  const mean = new Float64Array(d), m2 = new Float64Array(d);
  let k = 0;
  for (let b = 0; b < options.bootstrapRounds; b++) {
    counts.fill(0);
    for (let i = 0; i < n; i++) counts[rng.nextInt(n)]++;
    let total = 0;
    for (let i = 0; i < n; i++) total += weights[i] = sampleWeight[i] * counts[i];
    if (!(total > 0)) continue;
    const { coef } = fitLasso({ ...problem, sampleWeight: weights }, options);
    k++;
    for (let j = 0; j < d; j++) {
      const delta = coef[j] - mean[j];
      mean[j] += delta / k;
      m2[j] += delta * (coef[j] - mean[j]);
    }
  }
  if (k < 2) return undefined;
  return Float64Array.from(m2, (v) => Math.sqrt(v / (k - 1)));
}
