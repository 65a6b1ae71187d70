import { InputError, resolveOptions, validateProblem, type FittedSurrogate, type RegressionProblem, type RunContext, type Surrogate } from '@limekit/core';
import { asFitted } from './estimate-utils.js';

/** {@link BanzhafEstimator} has no options. */
export type BanzhafOptions = Record<string, never>;

/** Defaults of {@link BanzhafOptions}: none. */
export const DEFAULT_BANZHAF_OPTIONS: Readonly<BanzhafOptions> = {};

const WHO = 'BanzhafEstimator';

/**
 * Maximum-sample-reuse Banzhaf estimate: β_j = mean of f over the rows with j on − mean over the
 * rows with j off, every row used for every segment. With uniform rows (each segment on with
 * probability ½, independently) it is unbiased for the Banzhaf value; with all 2^M rows once,
 * exact. The standard error is √(s₁²/n₁ + s₀²/n₀), the two groups' sample variances.
 *
 * @throws InputError when a segment is on in every row or off in every row.
 */
export function msrBanzhaf(problem: RegressionProblem): { beta: Float64Array; stdError: Float64Array } {
  const { X, n, d, y } = problem;
  const beta = new Float64Array(d), stdError = new Float64Array(d);
  for (let j = 0; j < d; j++) {
    let n1 = 0, s1 = 0, q1 = 0, n0 = 0, s0 = 0, q0 = 0;
    for (let i = 0; i < n; i++) {
      const v = y[i];
      if (X[i * d + j] === 1) {
        n1++;
        s1 += v;
      } else if (X[i * d + j] === 0) {
        n0++;
        s0 += v;
      } else {
        throw new InputError(`${WHO}: X must hold 0/1 masks, got ${X[i * d + j]} in row ${i}, column ${j}. Use a binary sampler and fill.`);
      }
    }
    if (n1 === 0 || n0 === 0) {
      throw new InputError(`${WHO}: every segment must be on in some rows and off in others, got segment ${j} ${n1 === 0 ? 'off' : 'on'} in all ${n} rows. Use more samples from a uniform sampler (bernoulli with p 0.5).`);
    }
    const m1 = s1 / n1, m0 = s0 / n0;
    for (let i = 0; i < n; i++) {
      if (X[i * d + j] === 1) q1 += (y[i] - m1) ** 2;
      else q0 += (y[i] - m0) ** 2;
    }
    beta[j] = m1 - m0;
    const v1 = n1 > 1 ? q1 / (n1 - 1) / n1 : NaN, v0 = n0 > 1 ? q0 / (n0 - 1) / n0 : NaN;
    stdError[j] = Math.sqrt(v1 + v0);
  }
  return { beta, stdError };
}

/**
 * Banzhaf values by maximum sample reuse (Wang & Jia, AISTATS 2023) as an estimator (decision
 * 0025), for uniform masks: the `bernoulli` sampler with p = 0.5 and `firstRowAllOnes: false`
 * (an all-ones first row would be one non-uniform sample). Sample weights are ignored.
 *
 * @remarks `coefStd` is the Monte-Carlo standard error √(s₁²/n₁ + s₀²/n₀) (n₁, n₀ rows with the
 * segment on, off). The intercept is the one that best fits the rows for these coefficients; the
 * score the R² of that additive reading.
 * @see Wang & Jia, "Data Banzhaf: A Robust Data Valuation Framework for Machine Learning",
 * AISTATS 2023, arXiv:2205.15466
 */
export class BanzhafEstimator implements Surrogate {
  readonly id = 'banzhaf';

  /** @throws InvalidOptionError for any option (there are none). */
  constructor(options: Partial<BanzhafOptions> = {}) {
    resolveOptions(WHO, DEFAULT_BANZHAF_OPTIONS, options);
  }

  /** @throws InputError for non-binary rows or a segment that never changes. */
  fit(problem: RegressionProblem, _ctx?: RunContext): FittedSurrogate {
    validateProblem(problem, WHO);
    const { beta, stdError } = msrBanzhaf(problem);
    const uniform = { ...problem, sampleWeight: new Float64Array(problem.n).fill(1) };
    return asFitted(uniform, beta, { coefStd: stdError, details: { rows: problem.n } });
  }
}
