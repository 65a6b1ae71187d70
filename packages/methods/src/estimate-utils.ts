import { InputError, predictAllOnes, weightedR2, type FittedSurrogate, type RegressionProblem } from '@limekit/core';

/** Index of the first row of X equal to `value` in every column, or −1. */
export function findConstantRow(problem: RegressionProblem, value: 0 | 1): number {
  const { X, n, d } = problem;
  for (let i = 0; i < n; i++) {
    let all = true;
    for (let j = 0; j < d && all; j++) if (X[i * d + j] !== value) all = false;
    if (all) return i;
  }
  return -1;
}

/** The first all-ones row (the instance), or an InputError saying how to get one. */
export function requireInstanceRow(problem: RegressionProblem, who: string, hint: string): number {
  const i = findConstantRow(problem, 1);
  if (i < 0) throw new InputError(`${who}: X must contain the all-ones row (the instance, f(x)), got none among ${problem.n} rows. ${hint}`);
  return i;
}

/**
 * Wraps per-segment attributions as a {@link FittedSurrogate}: with `intercept` given, that one;
 * otherwise the intercept that best fits the rows for these coefficients (weighted mean of
 * y − X·coef). The score is the weighted R² of that additive reading on the rows.
 */
export function asFitted(problem: RegressionProblem, coef: Float64Array, options: { intercept?: number; coefStd?: Float64Array; details?: Record<string, unknown> } = {}): FittedSurrogate {
  const { X, n, d, y, sampleWeight: w } = problem;
  let intercept = options.intercept;
  if (intercept === undefined) {
    let sw = 0, s = 0;
    for (let i = 0; i < n; i++) {
      let pred = 0;
      for (let j = 0; j < d; j++) pred += X[i * d + j] * coef[j];
      sw += w[i];
      s += w[i] * (y[i] - pred);
    }
    intercept = sw > 0 ? s / sw : 0;
  }
  return {
    coef,
    intercept,
    score: weightedR2(problem, coef, intercept),
    localPrediction: predictAllOnes(coef, intercept),
    ...(options.coefStd ? { coefStd: options.coefStd } : {}),
    ...(options.details ? { details: options.details } : {}),
  };
}

/**
 * Per column, the mean and the standard error of the mean (sample standard deviation with n − 1,
 * over √n) of `units` (k rows of d values, row-major): the Monte-Carlo error over independent units.
 * With one unit the error is undefined and reported as NaN.
 */
export function meanAndStdError(units: Float64Array, k: number, d: number): { mean: Float64Array; stdError: Float64Array } {
  const mean = new Float64Array(d), stdError = new Float64Array(d);
  for (let u = 0; u < k; u++) for (let j = 0; j < d; j++) mean[j] += units[u * d + j];
  for (let j = 0; j < d; j++) mean[j] /= k;
  for (let j = 0; j < d; j++) {
    if (k < 2) {
      stdError[j] = NaN;
      continue;
    }
    let ss = 0;
    for (let u = 0; u < k; u++) ss += (units[u * d + j] - mean[j]) ** 2;
    stdError[j] = Math.sqrt(ss / (k - 1) / k);
  }
  return { mean, stdError };
}
