import { predictAllOnes, type RegressionProblem } from '@limekit/core';
import { centring, gram, interceptFor, r2Score, transposeTimes, residualSumOfSquares, scaledDesign, symmetricEigen } from '@limekit/linalg';

/**
 * Which precisions evidence maximisation updates. The names follow BayLIME (Zhao et al. 2021):
 * - `evidence`: α and λ both (scikit-learn's `BayesianRidge`; BayLIME's non-informative prior);
 * - `fixed-lambda`: λ held at `lambdaInit`, α fitted (BayLIME's partial-informative prior,
 *   `BayesianRidge_inf_prior_fit_alpha`);
 * - `fixed-both`: both held at their initial values, one posterior update (BayLIME's
 *   full-informative prior, `BayesianRidge_inf_prior`).
 */
export type BayesianRidgeMode = 'evidence' | 'fixed-lambda' | 'fixed-both';

/** Settings of {@link fitBayesianRidge} (scikit-learn's names in camelCase). */
export interface BayesianRidgeFitOptions {
  readonly maxIter: number;
  readonly tol: number;
  readonly alpha1: number;
  readonly alpha2: number;
  readonly lambda1: number;
  readonly lambda2: number;
  readonly alphaInit: number | null;
  readonly lambdaInit: number | null;
  readonly fitIntercept: boolean;
  readonly mode: BayesianRidgeMode;
  /** Prior mean μ₀ of the coefficients (length d), or null for 0. */
  readonly priorMean: readonly number[] | null;
}

/** A fitted Bayesian ridge posterior. */
export interface BayesianRidgeFit {
  /** Posterior mean of the coefficients. */
  readonly coef: Float64Array;
  readonly intercept: number;
  readonly score: number;
  readonly localPrediction: number;
  /** √diag(Σ), Σ the posterior covariance (scikit-learn's `sigma_`). */
  readonly coefStd: Float64Array;
  /** Predictive standard deviation at the all-ones row: √(1ᵀΣ1 + 1/α). */
  readonly localPredictionStd: number;
  /** Posterior covariance Σ, d × d row-major. */
  readonly sigma: Float64Array;
  /** Noise precision α. */
  readonly alpha: number;
  /** Weight precision λ. */
  readonly lambda: number;
  /** Evidence-maximisation iterations run (0 in `fixed-both` mode). */
  readonly nIter: number;
  /** Whether the coefficients settled (Σ|Δβ| < tol) before `maxIter`; true in `fixed-both` mode. */
  readonly converged: boolean;
}

/**
 * Bayesian ridge regression with sample weights, as scikit-learn 1.2's
 * `BayesianRidge(...).fit(X, y, sample_weight)`, extended with BayLIME's fixed precisions and an
 * informative prior mean.
 *
 * Model, on the weight-centred data scaled by √w (Xs, ys): ys = Xs·β + ε, ε ~ N(0, α⁻¹I),
 * β ~ N(μ₀, λ⁻¹I), Gamma(α₁, α₂) and Gamma(λ₁, λ₂) hyperpriors. With Xsᵀ Xs = V·diag(e)·Vᵀ the
 * posterior is N(μ₀ + δ, Σ), δ = (XsᵀXs + (λ/α)I)⁻¹ Xsᵀ(ys − Xs μ₀), Σ = (αXsᵀXs + λI)⁻¹; the
 * MacKay updates are γ = Σₖ αeₖ/(λ + αeₖ), λ ← (γ + 2λ₁)/(‖δ‖² + 2λ₂),
 * α ← (n − γ + 2α₁)/(‖ys − Xs(μ₀+δ)‖² + 2α₂), until Σ|Δδ| < tol. As in scikit-learn, n counts
 * every row, zero-weight rows included. Unlike scikit-learn 1.2, Σ is the full posterior
 * covariance also when n ≤ d (see the README).
 *
 * @param problem a validated regression problem.
 * @param options see {@link BayesianRidgeFitOptions}.
 * @returns the posterior (mean, covariance, precisions) and the usual surrogate summaries.
 * @see MacKay, "Bayesian Interpolation", Neural Computation 4(3), 1992. doi:10.1162/neco.1992.4.3.415
 * @see Tipping, "Sparse Bayesian Learning and the Relevance Vector Machine", JMLR 1, 2001.
 * @see Zhao et al., "BayLIME: Bayesian Local Interpretable Model-Agnostic Explanations", UAI 2021. arXiv:2012.03058
 */
export function fitBayesianRidge(problem: RegressionProblem, options: BayesianRidgeFitOptions): BayesianRidgeFit {
  const { n, d } = problem;
  const { xMean, yMean } = centring(problem, options.fitIntercept);
  const { Xs, ys } = scaledDesign(problem, xMean, yMean);
  const prior = new Float64Array(d);
  if (options.priorMean) prior.set(options.priorMean);

  // Residual target of the deviation δ = β − μ₀.
  const yr = ys.slice();
  for (let j = 0; j < d; j++) {
    const m = prior[j];
    if (m === 0) continue;
    for (let i = 0; i < n; i++) yr[i] -= Xs[j * n + i] * m;
  }
  const xty = transposeTimes(Xs, n, d, yr);
  const { values, vectors } = symmetricEigen(gram(Xs, n, d), d);
  // scikit-learn's thin SVD has min(n, d) singular values.
  const k = Math.min(n, d);
  const eig = new Float64Array(k);
  const proj = new Float64Array(k);
  for (let q = 0; q < k; q++) {
    eig[q] = Math.max(values[q], 0);
    let s = 0;
    for (let j = 0; j < d; j++) s += vectors[j * d + q] * xty[j];
    proj[q] = s;
  }

  let alpha = options.alphaInit ?? 1 / (variance(ys) + Number.EPSILON);
  let lambda = options.lambdaInit ?? 1;
  let nIter = 0;
  let converged = true;
  if (options.mode !== 'fixed-both') {
    converged = false;
    let previous: Float64Array | null = null;
    for (let iter = 0; iter < options.maxIter; iter++) {
      const dl = posteriorDeviation(vectors, d, eig, proj, alpha, lambda);
      const rmse = residualSumOfSquares(Xs, n, d, yr, dl);
      let gamma = 0;
      for (let q = 0; q < k; q++) gamma += (alpha * eig[q]) / (lambda + alpha * eig[q]);
      if (options.mode === 'evidence') {
        let norm2 = 0;
        for (let j = 0; j < d; j++) norm2 += dl[j] * dl[j];
        lambda = (gamma + 2 * options.lambda1) / (norm2 + 2 * options.lambda2);
      }
      alpha = (n - gamma + 2 * options.alpha1) / (rmse + 2 * options.alpha2);
      nIter = iter + 1;
      if (previous) {
        let change = 0;
        for (let j = 0; j < d; j++) change += Math.abs(previous[j] - dl[j]);
        if (change < options.tol) {
          converged = true;
          break;
        }
      }
      previous = dl;
    }
  }

  const dl = posteriorDeviation(vectors, d, eig, proj, alpha, lambda);
  const coef = new Float64Array(d);
  for (let j = 0; j < d; j++) coef[j] = prior[j] + dl[j];
  const intercept = interceptFor(coef, xMean, yMean, options.fitIntercept);

  // Σ = (αXsᵀXs + λI)⁻¹ = Σₖ vₖvₖᵀ / (αeₖ + λ) over all d eigenpairs. scikit-learn 1.2 sums over
  // its thin SVD's min(n, d) only, which gives zero variance to the null space when n ≤ d
  // (scikit-learn issue #31093, fixed in 1.7); the null space keeps its prior variance 1/λ here.
  const sigma = new Float64Array(d * d);
  for (let q = 0; q < d; q++) {
    const f = 1 / (alpha * Math.max(values[q], 0) + lambda);
    for (let a = 0; a < d; a++) {
      const va = vectors[a * d + q] * f;
      if (va === 0) continue;
      for (let b = 0; b < d; b++) sigma[a * d + b] += va * vectors[b * d + q];
    }
  }
  const coefStd = new Float64Array(d);
  let onesSigmaOnes = 0;
  for (let a = 0; a < d; a++) {
    coefStd[a] = Math.sqrt(Math.max(sigma[a * d + a], 0));
    for (let b = 0; b < d; b++) onesSigmaOnes += sigma[a * d + b];
  }
  return {
    coef,
    intercept,
    score: r2Score(problem, coef, intercept),
    localPrediction: predictAllOnes(coef, intercept),
    coefStd,
    localPredictionStd: Math.sqrt(Math.max(onesSigmaOnes, 0) + 1 / alpha),
    sigma,
    alpha,
    lambda,
    nIter,
    converged,
  };
}

/**
 * δ = Σₖ vₖ pₖ / (eₖ + λ/α) over the k = eig.length leading eigenpairs, pₖ = vₖᵀXsᵀ(ys − Xsμ₀):
 * scikit-learn's `_update_coef_`.
 */
function posteriorDeviation(vectors: Float64Array, d: number, eig: Float64Array, proj: Float64Array, alpha: number, lambda: number): Float64Array {
  const out = new Float64Array(d);
  for (let q = 0; q < eig.length; q++) {
    const t = proj[q] / (eig[q] + lambda / alpha);
    for (let j = 0; j < d; j++) out[j] += vectors[j * d + q] * t;
  }
  return out;
}

/** Population variance with a two-pass mean, as numpy's `var`. */
function variance(v: Float64Array): number {
  let mean = 0;
  for (let i = 0; i < v.length; i++) mean += v[i];
  mean /= v.length;
  let s = 0;
  for (let i = 0; i < v.length; i++) s += (v[i] - mean) ** 2;
  return s / v.length;
}
