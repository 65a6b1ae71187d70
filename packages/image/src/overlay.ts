import { requireOption, resolveOptions, ShapeMismatchError, type RgbImage } from '@limekit/core';
import { boundaryMask } from './boundaries.js';
import { checkRenderInputs } from './render-input.js';

/** Which segments to show, named after lime's `get_image_and_mask`. */
export interface SegmentChoice {
  /** How many segments at most, strongest |weight| first (lime's `num_features`). */
  readonly numFeatures: number;
  /** Only segments that speak for the label (lime's `positive_only`). */
  readonly positiveOnly: boolean;
  /** Only segments that speak against the label (lime's `negative_only`). */
  readonly negativeOnly: boolean;
  /** Leave out segments whose |weight| is below this (lime's `min_weight`). */
  readonly minWeight: number;
}

/** Options of {@link renderOverlay}. */
export interface OverlayOptions extends SegmentChoice {
  /**
   * Per segment, 1 when the sign of its weight is uncertain (e.g. |w| < 2 σ from a Bayesian
   * surrogate): such a segment is drawn faded (its channel raised half way) with hatching.
   */
  readonly uncertain: Uint8Array | undefined;
  /** Brightness of the pixels not chosen, in [0, 1] (1 = not dimmed). */
  readonly dim: number;
  /** `chosen`: outline the chosen segments; `all`: every segment boundary; `none`. */
  readonly boundaries: 'chosen' | 'all' | 'none';
}

/**
 * Defaults of {@link renderOverlay}.
 *
 * Where lime's `get_image_and_mask` differs: lime defaults to `positive_only=True` (here both
 * signs, the look of lime's tutorial with `positive_only=False`), does not dim the rest
 * (`dim: 1` turns dimming off) and, with both signs, marks a segment of weight exactly 0 as
 * positive when it is among the strongest; here a zero weight is never painted.
 */
export const DEFAULT_OVERLAY_OPTIONS: OverlayOptions = {
  /** lime's `num_features` default. */
  numFeatures: 5,
  /** Both signs (lime's default is `positive_only=True`). */
  positiveOnly: false,
  /** lime's default. */
  negativeOnly: false,
  /** lime's default. */
  minWeight: 0,
  /** No uncertainty information. */
  uncertain: undefined,
  /** The unchosen part at 70 % brightness, so the coloured segments stand out. */
  dim: 0.7,
  /** Outline the chosen segments, as lime's `mark_boundaries(temp, mask)`. */
  boundaries: 'chosen',
};

/**
 * lime's choice of segments: ranked by |weight| (ties by segment id, as a stable sort of lime's
 * `local_exp`), then
 * - with `positiveOnly`: the first `numFeatures` with `w > 0` and `w > minWeight`;
 * - with `negativeOnly`: the first `numFeatures` with `w < 0` and `|w| > minWeight`;
 * - otherwise: among the first `numFeatures`, those with `|w| >= minWeight`.
 * Segments with a weight of exactly 0 (or NaN) are never chosen.
 *
 * @param weights one weight per segment.
 * @param choice see {@link SegmentChoice}.
 * @returns per segment 1 (chosen, for), −1 (chosen, against) or 0, and the chosen ids strongest first.
 * @throws InvalidOptionError for `numFeatures` not an integer >= 0, a negative or non-finite
 *   `minWeight`, or both `positiveOnly` and `negativeOnly`.
 * @see https://github.com/marcotcr/lime/blob/master/lime/lime_image.py (`get_image_and_mask`)
 */
export function chooseSegments(weights: ArrayLike<number>, choice: SegmentChoice): { sign: Int8Array; chosen: number[] } {
  const { numFeatures, positiveOnly, negativeOnly, minWeight } = choice;
  requireOption(Number.isInteger(numFeatures) && numFeatures >= 0, 'renderOverlay', 'numFeatures', 'an integer >= 0', numFeatures, "lime's default is 5.");
  requireOption(Number.isFinite(minWeight) && minWeight >= 0, 'renderOverlay', 'minWeight', 'a number >= 0', minWeight, "lime's default is 0.");
  requireOption(!(positiveOnly && negativeOnly), 'renderOverlay', 'positiveOnly and negativeOnly', 'not both true', true, 'Set both to false to see segments of either sign.');
  const order = Array.from({ length: weights.length }, (_, i) => i);
  const mag = (i: number) => (Number.isNaN(weights[i]) ? -1 : Math.abs(weights[i]));
  order.sort((a, b) => mag(b) - mag(a) || a - b);
  const sign = new Int8Array(weights.length);
  const chosen: number[] = [];
  const take = (i: number) => {
    sign[i] = weights[i] > 0 ? 1 : -1;
    chosen.push(i);
  };
  if (positiveOnly || negativeOnly) {
    for (const i of order) {
      if (chosen.length >= numFeatures) break;
      const w = weights[i];
      if (positiveOnly ? w > 0 && w > minWeight : w < 0 && -w > minWeight) take(i);
    }
  } else {
    for (const i of order.slice(0, numFeatures)) {
      const w = weights[i];
      if (w !== 0 && Math.abs(w) >= minWeight) take(i);
    }
  }
  return { sign, chosen };
}

const YELLOW = [255, 255, 0] as const;

/**
 * lime's look at the original image's resolution: the chosen segments with their green channel
 * (for the label) or red channel (against) raised to the image's maximum, exactly as lime's
 * `get_image_and_mask(positive_only=False)` does, outlined in yellow as
 * `mark_boundaries(temp, mask)` shows them, and the rest of the picture dimmed a little.
 *
 * @param original the original image (8-bit RGB).
 * @param segmentsAtOriginal one segment id per original pixel (see `segmentsToOriginal`); −1 marks
 *   pixels outside the model's view, drawn darker still.
 * @param weights one weight per segment (the surrogate's coefficients for one label).
 * @param options see {@link OverlayOptions} and {@link DEFAULT_OVERLAY_OPTIONS}.
 * @returns a new image of the original's size.
 * @throws InvalidOptionError for unknown or out-of-range options.
 * @throws ShapeMismatchError when segments, weights and `uncertain` disagree in size.
 * @remarks Boundaries are 1 px wide (see `boundaryMask`), drawn between chosen segments and
 *   around them. Uncertain segments have their channel raised half way and diagonal hatching in
 *   the full colour, so they read as "probably, but not surely".
 * @see https://github.com/marcotcr/lime/blob/master/lime/lime_image.py
 */
export function renderOverlay(original: RgbImage, segmentsAtOriginal: Int32Array, weights: ArrayLike<number>, options: Partial<OverlayOptions> = {}): RgbImage {
  const o = resolveOptions('renderOverlay', DEFAULT_OVERLAY_OPTIONS, options);
  requireOption(Number.isFinite(o.dim) && o.dim >= 0 && o.dim <= 1, 'renderOverlay', 'dim', 'a number in [0, 1]', o.dim, 'Use 1 for no dimming.');
  requireOption(['chosen', 'all', 'none'].includes(o.boundaries), 'renderOverlay', 'boundaries', '"chosen", "all" or "none"', o.boundaries);
  checkRenderInputs('renderOverlay', original, segmentsAtOriginal, weights.length);
  if (o.uncertain && o.uncertain.length !== weights.length) {
    throw new ShapeMismatchError(`renderOverlay: uncertain must have one entry per segment (${weights.length}), got ${o.uncertain.length}.`);
  }
  const { sign } = chooseSegments(weights, o);
  const { width, height, data } = original;
  // lime's np.max(image); most photographs reach 255 early, where the scan can stop.
  let max = 0;
  for (let i = 0; i < data.length && max < 255; i++) if (data[i] > max) max = data[i];

  let edge: Uint8Array | undefined;
  if (o.boundaries === 'all') {
    edge = boundaryMask(segmentsAtOriginal, width, height);
  } else if (o.boundaries === 'chosen') {
    const chosenMap = new Int32Array(segmentsAtOriginal.length);
    for (let p = 0; p < chosenMap.length; p++) {
      const s = segmentsAtOriginal[p];
      chosenMap[p] = s >= 0 && sign[s] !== 0 ? s : -1;
    }
    edge = boundaryMask(chosenMap, width, height);
  }

  const out = new Uint8Array(data.length);
  // Brightness tables: the same rounding for every pixel, without a multiplication per channel.
  const dimmed = Uint8Array.from({ length: 256 }, (_, v) => Math.round(v * o.dim));
  const darker = Uint8Array.from({ length: 256 }, (_, v) => Math.round(v * o.dim * 0.45));
  const uncertain = o.uncertain;
  for (let y = 0, p = 0; y < height; y++) {
    for (let x = 0; x < width; x++, p++) {
      const q = 3 * p;
      if (edge !== undefined && edge[p] !== 0) {
        out[q] = YELLOW[0];
        out[q + 1] = YELLOW[1];
        out[q + 2] = YELLOW[2];
        continue;
      }
      const s = segmentsAtOriginal[p];
      const sg = s >= 0 ? sign[s] : 0;
      if (sg === 0) {
        const lut = s < 0 ? darker : dimmed;
        out[q] = lut[data[q]];
        out[q + 1] = lut[data[q + 1]];
        out[q + 2] = lut[data[q + 2]];
        continue;
      }
      out[q] = data[q];
      out[q + 1] = data[q + 1];
      out[q + 2] = data[q + 2];
      const c = q + (sg > 0 ? 1 : 0);
      const faded = uncertain !== undefined && uncertain[s] !== 0 && (x + y) % 6 >= 2;
      out[c] = faded ? Math.round((data[c] + max) / 2) : max;
    }
  }
  return { width, height, data: out };
}
