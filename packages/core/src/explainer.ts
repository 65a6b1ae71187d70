import type { Baseline, FeatureSelector, Kernel, ModelAdapter, Sampler, Segmenter, Surrogate } from './components.js';
import type { Progress, RunContext } from './context.js';
import { InvalidOptionError, ShapeMismatchError, throwIfAborted } from './errors.js';
import { Explanation, type Timings } from './explanation.js';
import { validateSegmentMap, type RgbImage } from './image.js';
import { segmentGeometry } from './geometry.js';
import type { Neighbourhood } from './neighbourhood.js';
import { PerSampleWriter, PerturbationWriter, type SampleWriter } from './perturb.js';
import { fitLabels, sampleNeighbourhood } from './pipeline.js';
import { createRng } from './rng.js';
import { DEFAULT_EXPLAIN_OPTIONS, isValidRunOption, RUN_OPTION_LIMITS, runOptionConstraint, STREAMS, type RunOptionName } from './run-options.js';

/** The stages of an explainer; any of them can be swapped. */
export interface ExplainerParts {
  readonly segmenter: Segmenter;
  readonly sampler: Sampler;
  readonly kernel: Kernel;
  readonly surrogate: Surrogate;
  readonly baseline: Baseline;
  readonly model: ModelAdapter;
  /** LIME's feature selection; without one every segment is fitted. */
  readonly featureSelector?: FeatureSelector;
}

/** Run options of {@link Explainer.explain}. */
export interface ExplainOptions {
  /** Perturbed samples, the instance included (default 1000, as lime). */
  numSamples?: number;
  /** Model batch size (default 64), capped by the model's own limit. Results do not depend on it. */
  batchSize?: number;
  /** Seed of the run's generator (default 0). */
  seed?: number;
  /** Explain the K most probable classes (default 5, as lime); ignored when `labels` is given. */
  topLabels?: number;
  /** Explain exactly these class indices, in this order. */
  labels?: readonly number[];
  /** Fit at most this many segments per label, chosen by the feature selector (default: all). */
  numFeatures?: number;
  /** Keep the sampled neighbourhood in the explanation, for refitting without the model. */
  keepNeighbourhood?: boolean;
  signal?: AbortSignal;
  onProgress?: (progress: Progress) => void;
  warn?: (message: string) => void;
  /** Extra facts recorded in {@link Explanation.config}. */
  config?: Record<string, unknown>;
}

/**
 * When a label's model output spans less than this (max − min over the samples), the explainer
 * warns through {@link ExplainOptions.warn}: the surrogate's weights are then near zero and say
 * little (a model that is sure of its answer whatever is hidden, or a preprocessing mismatch).
 */
export const FLAT_OUTPUT_RANGE = 1e-3;

/** The labels whose outputs span less than {@link FLAT_OUTPUT_RANGE}, described for the warning. */
function flatLabels(nb: Neighbourhood, classNames: readonly string[] | undefined): string[] {
  const flat: string[] = [];
  nb.labels.forEach((label, li) => {
    let [lo, hi] = [Infinity, -Infinity];
    for (let i = 0; i < nb.n; i++) [lo, hi] = [Math.min(lo, nb.y[li][i]), Math.max(hi, nb.y[li][i])];
    if (hi - lo < FLAT_OUTPUT_RANGE) {
      const name = typeof label === 'number' ? classNames?.[label] : undefined;
      flat.push(`${name !== undefined ? `${name} (${label})` : `class ${label}`} ${lo.toPrecision(4)} to ${hi.toPrecision(4)}`);
    }
  });
  return flat;
}

function checkRunOption(name: RunOptionName, value: number): void {
  if (!isValidRunOption(name, value)) {
    throw new InvalidOptionError(`Explainer: ${name} must be ${runOptionConstraint(name)}, got ${value}. ${RUN_OPTION_LIMITS[name].hint}`);
  }
}

/**
 * LIME for images as a composition of stages (Ribeiro, Singh & Guestrin, KDD 2016,
 * https://doi.org/10.1145/2939672.2939778): segment, sample masks, perturb straight into the
 * model's input buffer, predict in batches, weigh, fit one surrogate per explained label.
 *
 * @remarks Memory is O(batch × image + samples × segments): perturbed images never accumulate.
 * The same seed gives the same explanation bit for bit at any batch size, provided the model
 * itself scores an image independently of the other images in its batch. The stages run as
 * {@link sampleNeighbourhood} and {@link fitLabels}, which `refit` shares.
 */
export class Explainer {
  constructor(readonly parts: ExplainerParts) {}

  /**
   * Explains one image.
   * @param image 8-bit RGB already at the model's view size (see `@limekit/image` to preprocess).
   * @throws InvalidOptionError for bad options, ShapeMismatchError when the image is not at the view
   *   size, ModelError when the model returns unusable output, AbortedError when cancelled.
   */
  async explain(image: RgbImage, options: ExplainOptions = {}): Promise<Explanation> {
    const { segmenter, sampler, kernel, surrogate, baseline, model, featureSelector } = this.parts;
    const numSamples = options.numSamples ?? DEFAULT_EXPLAIN_OPTIONS.numSamples;
    const seed = options.seed ?? DEFAULT_EXPLAIN_OPTIONS.seed;
    const requestedBatch = options.batchSize ?? DEFAULT_EXPLAIN_OPTIONS.batchSize;
    const topLabels = options.topLabels ?? DEFAULT_EXPLAIN_OPTIONS.topLabels;
    const given = { numSamples, batchSize: requestedBatch, seed, topLabels, numFeatures: options.numFeatures ?? 1 };
    for (const [name, value] of Object.entries(given)) checkRunOption(name as RunOptionName, value);
    const C = model.numClasses;
    if (options.labels) {
      if (options.labels.length === 0) throw new InvalidOptionError('Explainer: labels must name at least one class index, got an empty list.');
      const bad = options.labels.find((l) => !Number.isInteger(l) || l < 0 || l >= C);
      if (bad !== undefined) throw new InvalidOptionError(`Explainer: label ${bad} is not a class index of this model (0..${C - 1}).`);
    }
    const { width, height } = model.input;
    if (image.width !== width || image.height !== height) {
      throw new ShapeMismatchError(
        `Explainer: image is ${image.width}×${image.height} but the model sees ${width}×${height}. Preprocess it first (preprocessToView in @limekit/image).`,
      );
    }
    const { signal, warn } = options;
    const rng = createRng(seed);
    const ctx = (stream: string): RunContext => ({ rng: rng.fork(stream), signal, warn });
    const progress = options.onProgress;
    const timings: Timings = { segment: 0, baseline: 0, perturb: 0, predict: 0, weigh: 0, fit: 0, total: 0 };
    const tStart = performance.now();
    throwIfAborted(signal);

    // 1. Segments and fill.
    progress?.({ phase: 'segment', done: 0, total: 1 });
    let t = performance.now();
    const segments = await segmenter.segment(image, ctx(STREAMS.segmenter));
    validateSegmentMap(segments, width, height, `Segmenter "${segmenter.id}"`);
    timings.segment = performance.now() - t;
    progress?.({ phase: 'segment', done: 1, total: 1 });
    const M = segments.count;
    t = performance.now();
    let writer: SampleWriter;
    if (baseline.perSample) {
      // Sample-dependent fill: each mask row makes its own image, from its own stream.
      if (typeof baseline.startSamples !== 'function') {
        throw new InvalidOptionError(`Baseline "${baseline.id}": declares perSample but has no startSamples method. Implement startSamples (see the Baseline contract in @limekit/core) or drop perSample.`);
      }
      const sampleFill = await baseline.startSamples(image, segments, ctx(STREAMS.baseline));
      timings.baseline = performance.now() - t;
      writer = new PerSampleWriter(image, segments, model.input, sampleFill, rng.fork(STREAMS.baseline), { ...(signal ? { signal } : {}), ...(warn ? { warn } : {}) });
    } else {
      const fill = await baseline.fill(image, segments, ctx(STREAMS.baseline));
      timings.baseline = performance.now() - t;
      if (fill.width !== width || fill.height !== height) {
        throw new ShapeMismatchError(`Baseline "${baseline.id}": fill must be ${width}×${height} like the image, got ${fill.width}×${fill.height}.`);
      }
      writer = new PerturbationWriter(image, fill, segments, model.input);
    }
    throwIfAborted(signal);

    // 2. Sample, perturb, predict — streamed in batches.
    const batchCap = Math.max(1, Math.min(requestedBatch, model.maxBatchSize ?? requestedBatch));
    const sampled = await sampleNeighbourhood({
      sampler,
      kernel,
      model,
      writer,
      numFeatures: M,
      geometry: segmentGeometry(segments),
      numSamples,
      batchSize: batchCap,
      ...(options.labels ? { labels: options.labels } : {}),
      topLabels,
      rng,
      ...(signal ? { signal } : {}),
      ...(warn ? { warn } : {}),
      ...(progress ? { onProgress: progress } : {}),
      timings,
    });
    const { neighbourhood: nb, instancePrediction } = sampled;

    // 3. One surrogate per label, on the same samples and weights.
    t = performance.now();
    const numFeatures = options.numFeatures ?? M;
    const fits = fitLabels(nb, {
      surrogate,
      ...(featureSelector ? { featureSelector } : {}),
      numFeatures,
      rng,
      ...(signal ? { signal } : {}),
      ...(warn ? { warn } : {}),
      ...(progress ? { onProgress: progress } : {}),
    });
    const labels = fits.map(({ label: _, coef, coefStd, ...fitted }, li) => {
      const index = nb.labels[li];
      const name = model.classNames?.[index];
      return { index, ...(name !== undefined ? { name } : {}), probability: instancePrediction[index], weights: coef, ...(coefStd ? { weightStd: coefStd } : {}), ...fitted };
    });
    const flat = warn ? flatLabels(nb, model.classNames) : [];
    if (flat.length) {
      warn?.(
        `the model's output barely varies across the ${nb.n} samples (range < ${FLAT_OUTPUT_RANGE}) for ${flat.join('; ')}, so ${flat.length === 1 ? 'its' : 'their'} weights are near zero and say little. Hiding segments hardly changes the model's answer: try another fill (baseline), more segments, or check the preprocessing with 'limekit predict'.`,
      );
    }
    timings.fit = performance.now() - t;
    timings.total = performance.now() - tStart;
    return new Explanation({
      image,
      segments,
      labels,
      prediction: instancePrediction,
      numSamples: nb.n,
      modelCalls: sampled.modelCalls,
      seed,
      batchSize: batchCap,
      timings,
      config: {
        segmenter: segmenter.id,
        sampler: sampler.id,
        kernel: kernel.id,
        surrogate: surrogate.id,
        baseline: baseline.id,
        model: model.id,
        ...(featureSelector ? { featureSelection: featureSelector.id, numFeatures } : {}),
        ...options.config,
      },
      ...(sampled.samplerSummary ? { samplerSummary: sampled.samplerSummary } : {}),
      ...(model.info ? { modelInfo: model.info } : {}),
      ...(options.keepNeighbourhood
        ? { neighbourhood: { X: nb.X.slice(), n: nb.n, d: M, y: nb.y.map((y) => y.slice()), labels: [...nb.labels], sampleWeight: nb.sampleWeight.slice() } }
        : {}),
    });
  }
}
