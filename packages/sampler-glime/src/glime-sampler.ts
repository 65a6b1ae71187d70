import {
  requireOption,
  resolveOptions,
  rowByRowSession,
  type RunContext,
  type Sampler,
  type SamplerSession,
} from '@limekit/core';
import { cumulative, drawGlimeRow, glimeSizeDistribution } from './glime-binomial.js';

/** Options of {@link GlimeSampler}. */
export interface GlimeOptions {
  /**
   * σ, the kernel width of GLIME's proximity `exp(−‖1 − z‖²/σ²)` folded into the sampling law.
   * GLIME's code and README default: 0.25 (lime's image kernel width), at which nearly every row
   * switches off exactly one segment; larger σ spreads the rows towards fewer kept segments.
   */
  kernelWidth: number;
  /** Make the first row the instance itself (all ones), as GLIME's code does. Default true. */
  firstRowAllOnes: boolean;
}

/** Defaults of {@link GlimeOptions}: GLIME's `comb_exp` distribution with `kernel_width=0.25`. */
export const DEFAULT_GLIME_OPTIONS: Readonly<GlimeOptions> = { kernelWidth: 0.25, firstRowAllOnes: true };

/**
 * GLIME-Binomial (Tan, Tian & Li, NeurIPS 2023): instead of sampling masks uniformly and weighting
 * them by the proximity kernel, sample them from the proximity-weighted distribution itself and
 * give every row weight 1. The number of kept segments k is drawn from
 * `P(k) ∝ C(M, k) · exp(−(M − k)/σ²)` over k = 0..M−1, then k segments uniformly at random;
 * the rows are exactly distributed as uniform masks reweighted by `exp(−‖1 − z‖²/σ²)`. Use it
 * with the **`uniform` kernel**: the proximity is already in the sample.
 *
 * @remarks As GLIME's released code (`generate_samples(distribution='comb_exp')`), k = M is left
 * out of the draws (the paper's law puts it in; at small σ it would hold nearly all the mass, so
 * that almost every row repeated the instance), and the first row is the instance. GLIME's
 * Ridge regulariser rescaling is a surrogate matter and not part of this sampler.
 * @see Tan, Tian & Li, "GLIME: General, Stable and Local LIME Explanation", NeurIPS 2023, arXiv:2311.15722
 */
export class GlimeSampler implements Sampler {
  readonly id = 'glime';
  readonly options: Readonly<GlimeOptions>;

  /** @throws InvalidOptionError when kernelWidth is not a positive finite number or an option is unknown. */
  constructor(options: Partial<GlimeOptions> = {}) {
    this.options = resolveOptions('GlimeSampler', DEFAULT_GLIME_OPTIONS, options);
    const { kernelWidth } = this.options;
    requireOption(
      kernelWidth > 0 && Number.isFinite(kernelWidth),
      'GlimeSampler',
      'kernelWidth',
      'a positive finite number',
      kernelWidth,
      "It is σ in exp(−(M − k)/σ²); GLIME's default is 0.25.",
    );
  }

  start(numFeatures: number, budget: number, ctx: RunContext): SamplerSession {
    const M = numFeatures;
    const { kernelWidth, firstRowAllOnes } = this.options;
    const rng = ctx.rng;
    const cdf = M > 0 ? cumulative(glimeSizeDistribution(M, kernelWidth)) : new Float64Array(0);
    const perm = new Int32Array(M);
    return rowByRowSession({
      total: budget,
      numFeatures: M,
      firstRowIsInstance: firstRowAllOnes || M === 0,
      drawRow(row) {
        if (M > 0) drawGlimeRow(row, cdf, rng, perm);
      },
    });
  }
}
