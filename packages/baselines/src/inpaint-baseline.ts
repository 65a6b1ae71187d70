import { requireOption, resolveOptions, type Baseline, type RgbImage, type RunContext, type SampleFill, type SegmentMap } from '@limekit/core';
import { inpaintTelea } from '@limekit/imgproc';

/** Options of {@link InpaintBaseline}. */
export interface InpaintOptions {
  /** Radius in pixels of the neighbourhood that fills each hidden pixel (OpenCV's `inpaintRadius`; rounded, clamped to [1, 100]). */
  radius: number;
}

/** Defaults of {@link InpaintOptions}: radius 3, shap's `inpaint_telea` masker. */
export const DEFAULT_INPAINT_OPTIONS: Readonly<InpaintOptions> = { radius: 3 };

/** Per-channel mean of an RGB image, rounded half up to 8 bits (shap fills an all-hidden image with its mean). */
function meanColour(image: RgbImage): [number, number, number] {
  const sum = [0, 0, 0];
  const d = image.data;
  for (let i = 0; i < d.length; i += 3) {
    sum[0] += d[i];
    sum[1] += d[i + 1];
    sum[2] += d[i + 2];
  }
  const n = d.length / 3;
  return [Math.round(sum[0] / n), Math.round(sum[1] / n), Math.round(sum[2] / n)];
}

/**
 * A sample-dependent fill: each sample's switched-off segments are inpainted from its visible
 * pixels with Telea's fast-marching method (`inpaintTelea` of `@limekit/imgproc`, which computes
 * what OpenCV's `INPAINT_TELEA` computes — what shap's `inpaint_telea` image masker calls).
 * A row with every segment off becomes the image's mean colour (as shap does); a row with every
 * segment on is the image itself.
 *
 * {@link fill}, the one fill image that code needing a static fill gets (e.g. deletion curves),
 * is that all-off fill: the mean colour.
 */
export class InpaintBaseline implements Baseline {
  readonly id = 'inpaint';
  readonly perSample = true;
  readonly options: Readonly<InpaintOptions>;

  /** @throws InvalidOptionError for a radius that is not a finite number >= 1. */
  constructor(options: Partial<InpaintOptions> = {}) {
    const o = (this.options = resolveOptions('InpaintBaseline', DEFAULT_INPAINT_OPTIONS, options));
    requireOption(Number.isFinite(o.radius) && o.radius >= 1, 'InpaintBaseline', 'radius', 'a number >= 1 (pixels; shap uses 3)', o.radius);
  }

  fill(image: RgbImage): RgbImage {
    const [r, g, b] = meanColour(image);
    const data = new Uint8Array(image.data.length);
    for (let i = 0; i < data.length; i += 3) {
      data[i] = r;
      data[i + 1] = g;
      data[i + 2] = b;
    }
    return { width: image.width, height: image.height, data };
  }

  startSamples(image: RgbImage, segments: SegmentMap): SampleFill {
    const { width, height } = image;
    const labels = segments.labels;
    const M = segments.count;
    const mask = new Uint8Array(width * height);
    const mean = this.fill(image).data;
    const radius = this.options.radius;
    return {
      fillSample(rows: Uint8Array, rowOffset: number, _ctx: RunContext, out: Uint8Array): void {
        let off = 0;
        for (let s = 0; s < M; s++) if (rows[rowOffset + s] === 0) off++;
        if (off === 0) {
          out.set(image.data);
          return;
        }
        if (off === M) {
          out.set(mean);
          return;
        }
        for (let p = 0; p < mask.length; p++) mask[p] = rows[rowOffset + labels[p]] === 0 ? 1 : 0;
        inpaintTelea(image.data, width, height, mask, { radius, out });
      },
    };
  }
}
