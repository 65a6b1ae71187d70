import { requireOption, resolveOptions, type Baseline, type RgbImage, type RunContext, type SampleFill, type SegmentMap } from '@limekit/core';
import { riseGeometry, riseMask } from './rise-mask.js';

/** Options of {@link RiseBaseline}. */
export interface RiseOptions {
  /** s: the masks' grid is s × s cells (an integer ≥ 2). RISE: 7 for ResNet-50 on 224². */
  gridSize: number;
  /** Probability that a cell is kept, in (0, 1). RISE: 0.5. */
  p: number;
  /**
   * What masked pixels blend towards, RGB 0–255. Default [124, 116, 104], ImageNet's mean colour:
   * RISE's PyTorch code multiplies the *normalised* image by the mask, which blends towards the
   * mean (0 after normalisation). [0, 0, 0] blends towards black, as masking the raw image.
   */
  color: number[];
}

/** Defaults of {@link RiseOptions}: the paper's (s = 7, p = 0.5) with ImageNet's mean colour. */
export const DEFAULT_RISE_OPTIONS: Readonly<RiseOptions> = { gridSize: 7, p: 0.5, color: [124, 116, 104] };

const WHO = 'RiseBaseline';

/**
 * RISE's masks as a sample-dependent fill with continuous masks (decision 0025): for each sample,
 * a random s × s binary grid (keep probability p) upsampled bilinearly with a random shift
 * ({@link riseMask}, drawn from the sample's own stream), times the sample's row (a switched-off
 * segment is fully masked), blends `mask · image + (1 − mask) · color`. It reports per segment
 * the mean mask over the segment's pixels, which the pipeline records as the sample's row, and
 * declares its keep probability for the `rise` estimator.
 *
 * @remarks Use with the `ones` sampler (so the mask is RISE's alone), the `uniform` kernel and
 * the `rise` estimator. The blended image is rounded to 8 bits, as every fill's; the reported
 * mask values are not. `fill()` (one representative image, for the evaluation's deletion curves)
 * is the plain colour.
 * @see Petsiuk, Das & Saenko, "RISE: Randomized Input Sampling for Explanation of Black-box Models", BMVC 2018, arXiv:1806.07421
 */
export class RiseBaseline implements Baseline {
  readonly id = 'rise';
  readonly perSample = true;
  readonly options: Readonly<RiseOptions>;

  /** @throws InvalidOptionError for a grid below 2, p outside (0, 1), or a colour that is not three 0–255 numbers. */
  constructor(options: Partial<RiseOptions> = {}) {
    const o = (this.options = resolveOptions(WHO, DEFAULT_RISE_OPTIONS, options));
    requireOption(Number.isInteger(o.gridSize) && o.gridSize >= 2, WHO, 'gridSize', 'an integer >= 2', o.gridSize, 'RISE uses 7 on 224 × 224 images.');
    requireOption(o.p > 0 && o.p < 1, WHO, 'p', 'in (0, 1)', o.p, 'It is the keep probability of a cell; RISE uses 0.5.');
    requireOption(Array.isArray(o.color) && o.color.length === 3 && o.color.every((v) => typeof v === 'number' && v >= 0 && v <= 255), WHO, 'color', 'three numbers in 0..255', o.color, 'For example [0, 0, 0] for black.');
  }

  fill(image: RgbImage): RgbImage {
    const data = new Uint8Array(image.width * image.height * 3);
    for (let i = 0; i < data.length; i++) data[i] = Math.round(this.options.color[i % 3]);
    return { width: image.width, height: image.height, data };
  }

  startSamples(image: RgbImage, segments: SegmentMap, _ctx: RunContext): SampleFill {
    const { gridSize, p, color } = this.options;
    const { width: W, height: H, data } = image;
    const geometry = riseGeometry(H, W, gridSize);
    const labels = segments.labels;
    const M = segments.count;
    const size = new Float64Array(M);
    for (let q = 0; q < H * W; q++) size[labels[q]]++;
    const mask = new Float32Array(H * W);
    return {
      softMask: true,
      design: { method: 'rise', keepProbability: p, gridSize },
      fillSample(rows: Uint8Array, rowOffset: number, ctx: RunContext, out: Uint8Array, visibility?: Float64Array): void {
        riseMask(geometry, p, ctx.rng, mask);
        visibility?.fill(0);
        for (let q = 0; q < H * W; q++) {
          const seg = labels[q];
          const m = rows[rowOffset + seg] ? mask[q] : 0;
          if (visibility) visibility[seg] += m;
          const o = 3 * q;
          out[o] = Math.round(m * data[o] + (1 - m) * color[0]);
          out[o + 1] = Math.round(m * data[o + 1] + (1 - m) * color[1]);
          out[o + 2] = Math.round(m * data[o + 2] + (1 - m) * color[2]);
        }
        if (visibility) for (let j = 0; j < M; j++) visibility[j] = size[j] ? Math.min(1, visibility[j] / size[j]) : 0;
      },
    };
  }
}
