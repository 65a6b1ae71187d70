import { InvalidOptionError } from './errors.js';
import type { RgbImage, SegmentMap } from './image.js';
import type { Neighbourhood } from './neighbourhood.js';

/** The explanation of one class. */
export interface LabelExplanation {
  /** Class index in the model's output. */
  readonly index: number;
  /** Class name when the model or a labels file gives one. */
  readonly name?: string;
  /** The model's probability for this class on the unperturbed image. */
  readonly probability: number;
  /** One weight per segment, in segment-id order (0 for segments the feature selection dropped). */
  readonly weights: Float64Array;
  readonly intercept: number;
  /** Weighted R² of the surrogate on the neighbourhood. */
  readonly score: number;
  /** The surrogate's prediction at the instance (all segments on). */
  readonly localPrediction: number;
  /** Posterior standard deviation of each weight, when the surrogate provides it. */
  readonly weightStd?: Float64Array;
  /** Predictive standard deviation at the instance, when the surrogate provides it. */
  readonly localPredictionStd?: number;
  /** Segments the feature selection kept, in selection order (all, when there is no selection). */
  readonly features: readonly number[];
  /** Surrogate-specific facts (iterations, convergence, fitted hyperparameters). */
  readonly details?: Readonly<Record<string, unknown>>;
}

/** Wall-clock milliseconds spent per stage. */
export interface Timings {
  segment: number;
  baseline: number;
  /** Sampling and perturbation (writing model inputs); partly overlapped with the model. */
  perturb: number;
  /** Time the model was busy (`ModelAdapter.predict` in flight); `total − predict` is LIME's own overhead. */
  predict: number;
  /** Similarity kernel and bookkeeping of samples. */
  weigh: number;
  fit: number;
  total: number;
}

/** Everything an {@link Explanation} holds. */
export interface ExplanationData {
  /** The image as the model saw it (view size). */
  readonly image: RgbImage;
  readonly segments: SegmentMap;
  /** Explained labels, most probable first (or in the order they were requested). */
  readonly labels: readonly LabelExplanation[];
  /** The model's class probabilities for the unperturbed image. */
  readonly prediction: Float32Array;
  readonly numSamples: number;
  readonly modelCalls: number;
  readonly seed: number;
  readonly batchSize: number;
  readonly timings: Timings;
  /** Component ids and whatever else the run wants recorded. */
  readonly config: Readonly<Record<string, unknown>>;
  readonly samplerSummary?: Readonly<Record<string, unknown>>;
  readonly modelInfo?: Readonly<Record<string, unknown>>;
  readonly neighbourhood?: Neighbourhood;
}

/** Options of {@link Explanation.mask}, named after lime's `get_image_and_mask`. */
export interface MaskOptions {
  /** Only segments that speak for the label (default true, as lime). */
  positiveOnly?: boolean;
  /** Only segments that speak against the label (default false). */
  negativeOnly?: boolean;
  /** How many segments at most (default 5, as lime). */
  numFeatures?: number;
  /** Ignore segments whose |weight| is not above this (default 0). */
  minWeight?: number;
  /** Black out everything outside the chosen segments (default false). */
  hideRest?: boolean;
}

/** Result of {@link Explanation.mask}. */
export interface MaskResult {
  /** The view image with lime's marking applied (see {@link Explanation.mask}). */
  readonly image: RgbImage;
  /** Per pixel: 1 chosen for, −1 chosen against (only when neither positiveOnly nor negativeOnly), 0 otherwise. */
  readonly mask: Int32Array;
  /** The chosen segment ids, strongest first. */
  readonly segments: readonly number[];
}

/** A segment with its weight. */
export interface RankedSegment {
  readonly segment: number;
  readonly weight: number;
}

/**
 * The result of explaining one image: per label, a weight for every segment.
 */
export class Explanation implements ExplanationData {
  readonly image!: RgbImage;
  readonly segments!: SegmentMap;
  readonly labels!: readonly LabelExplanation[];
  readonly prediction!: Float32Array;
  readonly numSamples!: number;
  readonly modelCalls!: number;
  readonly seed!: number;
  readonly batchSize!: number;
  readonly timings!: Timings;
  readonly config!: Readonly<Record<string, unknown>>;
  readonly samplerSummary?: Readonly<Record<string, unknown>>;
  readonly modelInfo?: Readonly<Record<string, unknown>>;
  readonly neighbourhood?: Neighbourhood;

  constructor(data: ExplanationData) {
    Object.assign(this, data);
  }

  /**
   * The explanation of one label, by class index or name.
   * @throws InvalidOptionError when that label was not explained.
   */
  label(label: number | string): LabelExplanation {
    const found = this.labels.find((l) => (typeof label === 'number' ? l.index === label : l.name === label));
    if (!found) {
      const have = this.labels.map((l) => (l.name ? `${l.index} (${l.name})` : String(l.index))).join(', ');
      throw new InvalidOptionError(`Explanation: label ${JSON.stringify(label)} was not explained; explained labels are ${have}. Ask for it with labels or topLabels.`);
    }
    return found;
  }

  /** Segments ordered by |weight|, largest first (ties keep segment order), as lime's `local_exp`. */
  ranked(label: number | string): RankedSegment[] {
    const w = this.label(label).weights;
    const idx = Array.from(w, (_, i) => i);
    idx.sort((a, b) => Math.abs(w[b]) - Math.abs(w[a]) || a - b);
    return idx.map((segment) => ({ segment, weight: w[segment] }));
  }

  /**
   * lime's `ImageExplanation.get_image_and_mask`, on the view image.
   *
   * With `positiveOnly` (default) or `negativeOnly`, the first `numFeatures` segments of that sign
   * whose |weight| exceeds `minWeight` are marked 1. Otherwise the `numFeatures` strongest segments
   * are marked 1 (for) or −1 (against), and in the image their green (for) or red (against)
   * channel is set to the image's maximum, as lime does. `hideRest` blacks out everything else.
   */
  mask(label: number | string, options: MaskOptions = {}): MaskResult {
    const { positiveOnly = true, negativeOnly = false, numFeatures = 5, minWeight = 0, hideRest = false } = options;
    if (positiveOnly && negativeOnly) {
      throw new InvalidOptionError('Explanation.mask: positiveOnly and negativeOnly cannot both be true. Set positiveOnly: false to see negative segments.');
    }
    if (!Number.isInteger(numFeatures) || numFeatures < 0) {
      throw new InvalidOptionError(`Explanation.mask: numFeatures must be an integer >= 0, got ${numFeatures}.`);
    }
    const ranked = this.ranked(label);
    const { labels } = this.segments;
    const src = this.image.data;
    const out = hideRest ? new Uint8Array(src.length) : Uint8Array.from(src);
    const mask = new Int32Array(labels.length);
    const chosen: number[] = [];
    const sign = new Int8Array(this.segments.count);
    if (positiveOnly || negativeOnly) {
      for (const { segment, weight } of ranked) {
        if (chosen.length >= numFeatures) break;
        if (positiveOnly ? weight > 0 && weight > minWeight : weight < 0 && Math.abs(weight) > minWeight) {
          chosen.push(segment);
          sign[segment] = 1;
        }
      }
      for (let p = 0; p < labels.length; p++) {
        if (sign[labels[p]] !== 0) {
          mask[p] = 1;
          out[3 * p] = src[3 * p];
          out[3 * p + 1] = src[3 * p + 1];
          out[3 * p + 2] = src[3 * p + 2];
        }
      }
    } else {
      let max = 0;
      for (let i = 0; i < src.length; i++) if (src[i] > max) max = src[i];
      for (const { segment, weight } of ranked.slice(0, numFeatures)) {
        if (Math.abs(weight) < minWeight) continue;
        chosen.push(segment);
        sign[segment] = weight < 0 ? -1 : 1;
      }
      for (let p = 0; p < labels.length; p++) {
        const s = sign[labels[p]];
        if (s === 0) continue;
        mask[p] = s;
        out[3 * p] = src[3 * p];
        out[3 * p + 1] = src[3 * p + 1];
        out[3 * p + 2] = src[3 * p + 2];
        out[3 * p + (s < 0 ? 0 : 1)] = max;
      }
    }
    return { image: { width: this.image.width, height: this.image.height, data: out }, mask, segments: chosen };
  }

  /** A JSON-ready summary (no pixels): labels with weights, sizes, timings and configuration. */
  toJSON(): Record<string, unknown> {
    return {
      view: { width: this.image.width, height: this.image.height },
      numSegments: this.segments.count,
      labels: this.labels.map((l) => ({
        index: l.index,
        ...(l.name !== undefined ? { name: l.name } : {}),
        probability: l.probability,
        weights: Array.from(l.weights),
        ...(l.weightStd ? { weightStd: Array.from(l.weightStd) } : {}),
        intercept: l.intercept,
        score: l.score,
        localPrediction: l.localPrediction,
        ...(l.localPredictionStd !== undefined ? { localPredictionStd: l.localPredictionStd } : {}),
        features: [...l.features],
        ...(l.details ? { details: l.details } : {}),
      })),
      numSamples: this.numSamples,
      modelCalls: this.modelCalls,
      seed: this.seed,
      batchSize: this.batchSize,
      timings: this.timings,
      config: this.config,
      ...(this.samplerSummary ? { sampler: this.samplerSummary } : {}),
      ...(this.modelInfo ? { model: this.modelInfo } : {}),
    };
  }
}
