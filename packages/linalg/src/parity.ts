import { weightedMeans, weightedR2, type RegressionProblem } from '@limekit/core';

/**
 * The pieces of limekit's linear surrogates that decide parity with scikit-learn, written by hand
 * on purpose rather than taken from ml-matrix:
 * - the weighted centring and the √w rescaling are scikit-learn's `_preprocess_data` and
 *   `_rescale_data`, including how a constant target or column is treated; a generic mean or
 *   matrix product would differ from them in the last bits, and those bits decide whether a
 *   constant column gets exactly 0 and whether a constant target scores 1 or 0;
 * - the Gram matrix XᵀX, Xᵀy and every dot product are summed in a fixed, documented order over
 *   column-major Float64Arrays: that order makes duplicate columns give identical Gram entries (so
 *   collinearity is detected exactly), and the Gram matrix is the dominant cost of every fit
 *   (n·d²/2 multiply-adds against d³/6 for the factorisation), which this loop does ~4× faster
 *   than ml-matrix's `X.transpose().mmul(X)` at 1000 × 100 (decision note 0010);
 * - R² follows `r2_score(..., force_finite=True)`, which no linear-algebra library has.
 * Matrices are Float64Array; each function says whether it is row- or column-major.
 */

/**
 * The weighted centring of scikit-learn's `_preprocess_data` (weighted means of the columns of
 * X and of y), with one guard: a constant y gets its exact value as mean, so that a constant
 * target gives exactly zero coefficients (the plain weighted sum can be one ulp off).
 * Constant columns of X already get their exact value, because Σwᵢ·c and Σwᵢ are summed in the
 * same order.
 *
 * @param problem a validated regression problem.
 * @param fitIntercept when false, the means are zero (no centring), as scikit-learn.
 * @returns column means x̄ (length d), ȳ, and Σw.
 */
export function centring(problem: RegressionProblem, fitIntercept: boolean): { xMean: Float64Array; yMean: number; sumWeights: number } {
  if (!fitIntercept) {
    let sw = 0;
    for (let i = 0; i < problem.n; i++) sw += problem.sampleWeight[i];
    return { xMean: new Float64Array(problem.d), yMean: 0, sumWeights: sw };
  }
  const means = weightedMeans(problem);
  const { y, n } = problem;
  let constant = true;
  for (let i = 1; i < n && constant; i++) constant = y[i] === y[0];
  return constant ? { ...means, yMean: y[0] } : means;
}

/**
 * Weighted R² as scikit-learn's `r2_score(y, ŷ, sample_weight=w)`: core's `weightedR2`, except
 * for a constant target, where the weighted mean can be one ulp off y and the denominator
 * Σw(y − ȳ)² a meaningless 1e-32 instead of 0; scikit-learn's `force_finite` answer is then
 * returned: 1 for a perfect fit, 0 otherwise.
 *
 * @param problem the regression problem the fit was made on.
 * @param coef fitted coefficients (length d).
 * @param intercept fitted intercept.
 */
export function r2Score(problem: RegressionProblem, coef: Float64Array, intercept: number): number {
  const { X, n, d, y } = problem;
  let constant = true;
  for (let i = 1; i < n && constant; i++) constant = y[i] === y[0];
  if (!constant) return weightedR2(problem, coef, intercept);
  for (let i = 0; i < n; i++) {
    if (problem.sampleWeight[i] === 0) continue;
    let pred = intercept;
    for (let j = 0; j < d; j++) pred += X[i * d + j] * coef[j];
    if (pred !== y[i]) return 0;
  }
  return 1;
}

/**
 * The centred design rescaled by √w (scikit-learn's `_preprocess_data` followed by
 * `_rescale_data`): Xs[j·n + i] = √wᵢ (Xᵢⱼ − x̄ⱼ) stored column by column, ys[i] = √wᵢ (yᵢ − ȳ).
 *
 * @param problem the regression problem (n × d).
 * @param xMean column offsets x̄ (zeros for no centring).
 * @param yMean target offset ȳ.
 * @returns `Xs` (column-major, d columns of length n) and `ys` (length n).
 */
export function scaledDesign(problem: RegressionProblem, xMean: Float64Array, yMean: number): { Xs: Float64Array; ys: Float64Array } {
  const { X, n, d, y, sampleWeight: w } = problem;
  const Xs = new Float64Array(n * d);
  const ys = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const s = Math.sqrt(w[i]);
    ys[i] = s * (y[i] - yMean);
    if (s === 0) continue;
    const row = i * d;
    for (let j = 0; j < d; j++) Xs[j * n + i] = s * (X[row + j] - xMean[j]);
  }
  return { Xs, ys };
}

/**
 * Gram matrix G = XsᵀXs (d × d, row-major, symmetric) of a column-major n × d matrix.
 * @param Xs column-major n × d.
 */
export function gram(Xs: Float64Array, n: number, d: number): Float64Array {
  const G = new Float64Array(d * d);
  for (let a = 0; a < d; a++) {
    const oa = a * n;
    for (let b = 0; b <= a; b++) {
      const ob = b * n;
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      let i = 0;
      // Four partial sums: shorter dependency chains, and the same result for duplicate columns.
      for (; i + 3 < n; i += 4) {
        s0 += Xs[oa + i] * Xs[ob + i];
        s1 += Xs[oa + i + 1] * Xs[ob + i + 1];
        s2 += Xs[oa + i + 2] * Xs[ob + i + 2];
        s3 += Xs[oa + i + 3] * Xs[ob + i + 3];
      }
      for (; i < n; i++) s0 += Xs[oa + i] * Xs[ob + i];
      const s = s0 + s1 + (s2 + s3);
      G[a * d + b] = s;
      G[b * d + a] = s;
    }
  }
  return G;
}

/**
 * Σᵢ x[xOffset + i]·y[yOffset + i] over i < n, in two interleaved partial sums (even and odd i)
 * added at the end. Every dot product of the surrogates and of LARS goes through here, so they
 * all round alike: lasso's coordinate descent and LARS compare such sums against tolerances and
 * against each other (ties), and their last bits decide parity with scikit-learn.
 *
 * @param n number of terms.
 * @param x first vector (e.g. a column-major matrix, `xOffset` = column · rows).
 * @param y second vector.
 */
export function dot(n: number, x: Float64Array, xOffset: number, y: Float64Array, yOffset = 0): number {
  let s0 = 0, s1 = 0;
  let i = 0;
  for (; i + 1 < n; i += 2) {
    s0 += x[xOffset + i] * y[yOffset + i];
    s1 += x[xOffset + i + 1] * y[yOffset + i + 1];
  }
  if (i < n) s0 += x[xOffset + i] * y[yOffset + i];
  return s0 + s1;
}

/** y[i] += alpha·x[xOffset + i] for i < n (BLAS daxpy on a column of a column-major matrix). */
export function axpy(n: number, alpha: number, x: Float64Array, xOffset: number, y: Float64Array): void {
  for (let i = 0; i < n; i++) y[i] += alpha * x[xOffset + i];
}

/**
 * Xsᵀv for a column-major n × d matrix.
 * @returns a vector of length d.
 */
export function transposeTimes(Xs: Float64Array, n: number, d: number, v: Float64Array): Float64Array {
  const out = new Float64Array(d);
  for (let j = 0; j < d; j++) out[j] = dot(n, Xs, j * n, v);
  return out;
}

/**
 * Σᵢ (v − Xs·β)ᵢ², the residual sum of squares of a column-major n × d matrix.
 */
export function residualSumOfSquares(Xs: Float64Array, n: number, d: number, v: Float64Array, beta: Float64Array): number {
  const r = v.slice();
  for (let j = 0; j < d; j++) if (beta[j] !== 0) axpy(n, -beta[j], Xs, j * n, r);
  let s = 0;
  for (let i = 0; i < n; i++) s += r[i] * r[i];
  return s;
}

/**
 * The weighted, centred cross products of a regression problem: G = Σ wᵢ (xᵢ − x̄)(xᵢ − x̄)ᵀ and
 * c = Σ wᵢ (xᵢ − x̄)(yᵢ − ȳ) (scikit-learn's `_preprocess_data` then `_rescale_data`, then XᵀX
 * and Xᵀy).
 */
export function centredGram(problem: RegressionProblem, xMean: Float64Array, yMean: number): { G: Float64Array; c: Float64Array } {
  const { n, d } = problem;
  const { Xs, ys } = scaledDesign(problem, xMean, yMean);
  return { G: gram(Xs, n, d), c: transposeTimes(Xs, n, d, ys) };
}

/**
 * scikit-learn's `_set_intercept`: the intercept of a model fitted on centred data, ȳ − x̄·coef,
 * subtracted in column order; 0 without an intercept (the means are then zero).
 */
export function interceptFor(coef: Float64Array, xMean: Float64Array, yMean: number, fitIntercept: boolean): number {
  if (!fitIntercept) return 0;
  let intercept = yMean;
  for (let j = 0; j < coef.length; j++) intercept -= xMean[j] * coef[j];
  return intercept;
}
