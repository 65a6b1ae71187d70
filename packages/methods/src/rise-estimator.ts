import { InputError, requireOption, resolveOptions, validateProblem, type FittedSurrogate, type RegressionProblem, type RunContext, type Surrogate } from '@limekit/core';
import { asFitted, meanAndStdError } from './estimate-utils.js';

/** Options of {@link RiseEstimator}. */
export interface RiseEstimatorOptions {
  /** The masks' keep probability p; null (default) reads it from the fill's design (the `rise` fill declares it). */
  p: number | null;
}

/** Defaults of {@link RiseEstimatorOptions}: p from the fill. */
export const DEFAULT_RISE_ESTIMATOR_OPTIONS: Readonly<RiseEstimatorOptions> = { p: null };

const WHO = 'RiseEstimator';

/**
 * RISE's Monte-Carlo saliency per segment: S_j = Σᵢ f(x ⊙ Mᵢ) · m̄ᵢⱼ / (N · p), m̄ᵢⱼ the mean of
 * mask i over segment j's pixels (the row the `rise` fill reports), so S_j is the mean over the
 * segment's pixels of RISE's pixel saliency. Standard error over the N independent masks.
 */
export function riseSaliency(problem: RegressionProblem, p: number): { saliency: Float64Array; stdError: Float64Array } {
  const { X, n, d, y } = problem;
  const units = new Float64Array(n * d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) units[i * d + j] = (y[i] * X[i * d + j]) / p;
  const { mean, stdError } = meanAndStdError(units, n, d);
  return { saliency: mean, stdError };
}

/**
 * RISE's estimator (decision 0025): the saliency of {@link riseSaliency} on the rows a
 * continuous-mask fill reports. `coefStd` is its Monte-Carlo standard error over the masks.
 *
 * @remarks The saliency is an expected score, not an additive contribution: the intercept is the
 * one that best fits the rows for these coefficients, and the score (R² of that additive reading)
 * is usually low and says little. Sample weights are ignored.
 * @see Petsiuk, Das & Saenko, BMVC 2018, arXiv:1806.07421
 */
export class RiseEstimator implements Surrogate {
  readonly id = 'rise';
  readonly options: Readonly<RiseEstimatorOptions>;

  /** @throws InvalidOptionError when p is given outside (0, 1]. */
  constructor(options: Partial<RiseEstimatorOptions> = {}) {
    const o = (this.options = resolveOptions(WHO, DEFAULT_RISE_ESTIMATOR_OPTIONS, options));
    requireOption(o.p === null || (typeof o.p === 'number' && o.p > 0 && o.p <= 1), WHO, 'p', 'null or in (0, 1]', o.p, 'Leave it null to read it from the rise fill.');
  }

  /** @throws InputError when p is neither an option nor declared by the fill. */
  fit(problem: RegressionProblem, _ctx?: RunContext): FittedSurrogate {
    validateProblem(problem, WHO);
    const declared = problem.design?.fill?.['keepProbability'];
    const p = this.options.p ?? (typeof declared === 'number' ? declared : null);
    if (p === null) {
      throw new InputError(`${WHO}: the masks' keep probability p must be known, got neither option p nor a fill that declares keepProbability. Use the rise fill (baseline "rise") or set the estimator's p.`);
    }
    const { saliency, stdError } = riseSaliency(problem, p);
    const uniform = { ...problem, sampleWeight: new Float64Array(problem.n).fill(1) };
    return asFitted(uniform, saliency, { coefStd: stdError, details: { masks: problem.n, p } });
  }
}
