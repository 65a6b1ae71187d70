import { normalQuantile, studentTQuantile } from '@limekit/core';
import { cholesky, choleskySolve, forwardSubstitute } from '@limekit/linalg';

/** The posterior summary {@link BayesianLinearAccumulator.posterior} returns. */
export interface BlrPosterior {
  /** Posterior mean of the M coefficients (the intercept excluded). */
  readonly coef: Float64Array;
  readonly intercept: number;
  /** BayesLIME's s² = (weighted SSR + Φ̂ᵀΦ̂)/N, the scale of σ²'s posterior. */
  readonly s2: number;
  /** Full width (upper − lower) of each coefficient's central credible interval. */
  readonly widths: Float64Array;
  /** The widest of {@link widths}. */
  readonly maxWidth: number;
  /** Rows in the fit. */
  readonly n: number;
  /** Mean sample weight. */
  readonly meanWeight: number;
}

/**
 * BayesLIME's Bayesian linear regression, accumulated row by row: y = [1, z]·Φ + ε with
 * ε ~ N(0, σ²/π(z)), prior Φ | σ² ~ N(0, σ² I) (BayesLIME's `l2=True`, intercept included) and the
 * uninformative prior on σ². The posterior is Φ | σ² ~ N(Φ̂, σ² V), V = (XᵀΠX + I)⁻¹, Φ̂ = V XᵀΠy,
 * σ² ~ Inv-Gamma(N/2, N s²/2) with s² = ((y − XΦ̂)ᵀΠ(y − XΦ̂) + Φ̂ᵀΦ̂)/N, so each coefficient is
 * Student-t with N degrees of freedom, centre Φ̂ⱼ, scale √(s² Vⱼⱼ).
 *
 * @remarks BayesLIME estimates the credible half-width as the percentile of |Φ − Φ̂| over 10 000
 * posterior draws; here it is the t quantile, which that Monte Carlo estimate approximates.
 * @see Slack, Hilgard, Singh & Lakkaraju, "Reliable Post hoc Explanations: Modeling Uncertainty in Explainability", NeurIPS 2021, arXiv:2008.05030
 */
export class BayesianLinearAccumulator {
  private readonly d: number;
  /** XᵀΠX, (M+1)², lower triangle used; column 0 is the intercept. */
  private readonly xtx: Float64Array;
  private readonly xty: Float64Array;
  private yty = 0;
  private sumW = 0;
  private n = 0;
  private readonly onesIdx: Int32Array;

  constructor(readonly numFeatures: number) {
    this.d = numFeatures + 1;
    this.xtx = new Float64Array(this.d * this.d);
    this.xty = new Float64Array(this.d);
    this.onesIdx = new Int32Array(this.d);
  }

  /** Adds one 0/1 row with target y and weight w (only its kept segments touch XᵀΠX). */
  add(row: ArrayLike<number>, y: number, w: number): void {
    const { d, xtx, xty, onesIdx } = this;
    let k = 0;
    onesIdx[k++] = 0;
    for (let j = 0; j < this.numFeatures; j++) if (row[j] !== 0) onesIdx[k++] = j + 1;
    for (let a = 0; a < k; a++) {
      const ia = onesIdx[a];
      xty[ia] += w * y;
      for (let b = 0; b <= a; b++) xtx[ia * d + onesIdx[b]] += w;
    }
    this.yty += w * y * y;
    this.sumW += w;
    this.n++;
  }

  /**
   * @param level credible level in (0, 1), e.g. 0.95.
   * @returns posterior means, s², and the credible-interval widths of the coefficients.
   */
  posterior(level: number): BlrPosterior {
    const { d, n } = this;
    // XᵀΠX + I, positive definite thanks to the prior.
    const A = new Float64Array(d * d);
    for (let i = 0; i < d; i++) {
      for (let j = 0; j <= i; j++) A[i * d + j] = A[j * d + i] = this.xtx[i * d + j] + (i === j ? 1 : 0);
    }
    const { L } = cholesky(A, d);
    const phi = this.xty.slice();
    choleskySolve(L, d, phi);
    // s² = (yᵀΠy − Φ̂ᵀXᵀΠy)/N: the weighted residual plus the prior term Φ̂ᵀΦ̂, since (XᵀΠX + I)Φ̂ = XᵀΠy.
    let phiB = 0;
    for (let i = 0; i < d; i++) phiB += phi[i] * this.xty[i];
    const s2 = Math.max(0, this.yty - phiB) / Math.max(1, n);
    // diag(V): Vⱼⱼ = ‖L⁻¹ eⱼ‖².
    const widths = new Float64Array(d - 1);
    const t = n >= 1 ? studentTQuantile((1 + level) / 2, n) : normalQuantile((1 + level) / 2);
    let maxWidth = 0;
    const e = new Float64Array(d);
    for (let j = 1; j < d; j++) {
      e.fill(0);
      e[j] = 1;
      forwardSubstitute(L, d, e);
      let vjj = 0;
      for (let i = j; i < d; i++) vjj += e[i] * e[i];
      widths[j - 1] = 2 * t * Math.sqrt(s2 * vjj);
      if (widths[j - 1] > maxWidth) maxWidth = widths[j - 1];
    }
    return { coef: phi.slice(1), intercept: phi[0], s2, widths, maxWidth, n, meanWeight: n ? this.sumW / n : 0 };
  }
}

/**
 * BayesLIME's perturbations-to-go estimate (`BayesianLinearRegression.get_ptg`): the total number
 * of samples after which a coefficient's credible interval should be `targetWidth` wide,
 * `4 s² (z/W)² / mean(π)`, z the normal quantile of the level (1.96 at 95 %).
 */
export function perturbationsNeeded(post: BlrPosterior, targetWidth: number, level: number): number {
  const z = normalQuantile((1 + level) / 2);
  return (4 * post.s2 * (z / targetWidth) ** 2) / post.meanWeight;
}
