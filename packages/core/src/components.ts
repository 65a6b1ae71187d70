import type { RunContext } from './context.js';
import type { SegmentGeometry } from './geometry.js';
import type { RgbImage, SegmentMap } from './image.js';
import type { Interpolation, ResizeMode } from './view-options.js';

// ---------------------------------------------------------------------------------------------
// Segmenter

/** Splits an image into segments, LIME's interpretable features. */
export interface Segmenter {
  /** Component id, e.g. `quickshift`. */
  readonly id: string;
  /**
   * @param image 8-bit RGB at the resolution the model sees.
   * @returns ids 0..M−1, contiguous, one per pixel.
   */
  segment(image: RgbImage, ctx: RunContext): SegmentMap | Promise<SegmentMap>;
}
/** Injection token of {@link Segmenter}. */
export const Segmenter: unique symbol = Symbol.for('limekit.Segmenter');

// ---------------------------------------------------------------------------------------------
// Sampler

/**
 * A block of mask rows. Row r, feature j is `rows[r * numFeatures + j]`, 1 = segment kept,
 * 0 = segment switched off (replaced by the baseline's fill).
 */
export interface SampleBlock {
  readonly rows: Uint8Array;
  /** Number of rows in this block (≥ 1). */
  readonly count: number;
  /**
   * Optional per-row weights the sampler attaches (importance weights, stratum weights, …).
   * The final sample weight is `kernel(row) × weight`; omitted means 1 for every row.
   */
  readonly weights?: Float64Array;
}

/** What a sampler learns about rows it produced once the model has scored them. */
export interface Observation {
  readonly block: SampleBlock;
  /** `block.count × numClasses` model outputs (probabilities), row-major. */
  readonly predictions: Float32Array;
  readonly numClasses: number;
  /** Class indices being explained, most probable first. */
  readonly labels: readonly number[];
}

/** One sampling run over a fixed number of features. Created by {@link Sampler.start}; declares its protocol (see docs/decisions/0006). */
export interface SamplerSession {
  /**
   * Whether row 0 of the first block is the instance itself, the all-ones row (lime's sampler
   * draws it so). When true the pipeline reads the instance's prediction, and so the labels to
   * explain, from that row, and fails if the row is not all ones; when false it scores the
   * unperturbed image in one extra model call before the first block.
   */
  readonly firstRowIsInstance: boolean;
  /**
   * Whether {@link next} depends on the model's outputs for earlier blocks (adaptive samplers).
   * When true the pipeline scores every block and calls {@link observe} before the next `next`;
   * when false, with a model that computes off the calling thread ({@link ModelAdapter.offThread}),
   * it writes the next batch while the model scores the current one (double buffering), and `observe`, if defined, still receives every block in order, but may lag one
   * block behind `next`.
   */
  readonly needsObservations: boolean;
  /**
   * The next rows, at most `maxRows` (the model's batch capacity). Return fewer rows when a block
   * of your own design ends earlier; return `null` when sampling is done.
   *
   * @remarks Reproducibility at any batch size: draw from the context's generator in an order
   * that does not depend on `maxRows`, and let adaptive decisions depend only on rows already
   * observed at a block boundary of your own choosing (never on how the pipeline chunked them).
   */
  next(maxRows: number): SampleBlock | null;
  /** Called with the model's outputs for every block, in order (before the next `next` call when {@link needsObservations}). */
  observe?(observation: Observation): void;
  /** Facts worth reporting in the explanation (e.g. samples used by an adaptive stopping rule). */
  summary?(): Record<string, unknown>;
}

/** Draws perturbation masks. */
export interface Sampler {
  readonly id: string;
  /**
   * @param numFeatures M, the number of segments.
   * @param budget the number of samples requested (an adaptive sampler may stop earlier or go beyond, and says so in its summary).
   * @param geometry the segmentation's sizes, centroids, bounding boxes and adjacency graph
   *   ({@link segmentGeometry}); the explainer always passes it, callers outside an explanation
   *   may not. Samplers that ignore the segmentation ignore it; samplers that need it (MPS-LIME)
   *   fail with a clear error without it.
   */
  start(numFeatures: number, budget: number, ctx: RunContext, geometry?: SegmentGeometry): SamplerSession;
}
/** Injection token of {@link Sampler}. */
export const Sampler: unique symbol = Symbol.for('limekit.Sampler');

// ---------------------------------------------------------------------------------------------
// Kernel (a *similarity* kernel)

/** Turns mask rows into sample weights π (LIME's proximity measure). */
export interface Kernel {
  readonly id: string;
  /**
   * Writes one weight per row of `block` into `out` (length ≥ block.count).
   * Rows are compared with the instance itself, the all-ones row.
   */
  weigh(block: SampleBlock, numFeatures: number, out: Float64Array): void;
}
/** Injection token of {@link Kernel}. */
export const Kernel: unique symbol = Symbol.for('limekit.Kernel');

// ---------------------------------------------------------------------------------------------
// Surrogate

/** A weighted regression problem: the neighbourhood of one explained label. */
export interface RegressionProblem {
  /** n × d design matrix, row-major, usually 0/1 masks. */
  readonly X: Float64Array;
  readonly n: number;
  readonly d: number;
  /** n targets (the model's output for one label). */
  readonly y: Float64Array;
  /** n non-negative sample weights. */
  readonly sampleWeight: Float64Array;
  /**
   * How the rows were drawn, for estimators that are not a weighted regression (decision 0025).
   * Rows of X are always in the order the sampler produced them (the instance-prediction call,
   * when the sampler does not draw the instance itself, is not a row). Absent for a problem that
   * did not come from the sampling stage (a refitted file, a hand-made problem).
   */
  readonly design?: SamplingDesign;
}

/**
 * Facts about how a neighbourhood was sampled that an estimator may need (decision 0025):
 * the sampler session's {@link SamplerSession.summary} and a sample-dependent fill's
 * {@link SampleFill.design} (RISE's keep probability, say). Regression surrogates ignore it.
 */
export interface SamplingDesign {
  /** What the sampler session's `summary()` returned. */
  readonly sampler?: Readonly<Record<string, unknown>>;
  /** What the sample-dependent fill declared in {@link SampleFill.design}. */
  readonly fill?: Readonly<Record<string, unknown>>;
}

/**
 * A fitted linear surrogate, a plain value. Estimators that are not a regression (occlusion
 * differences, Monte-Carlo means, permutation Shapley; decision 0025) return the same value:
 * `coef` holds their per-segment attribution and `coefStd` its standard error where one is
 * natural; each documents what its intercept and score mean.
 */
export interface FittedSurrogate {
  /** d coefficients, one per column of X. */
  readonly coef: Float64Array;
  readonly intercept: number;
  /** Weighted coefficient of determination R² on the training data. */
  readonly score: number;
  /** The surrogate's prediction at the all-ones row (the instance itself). */
  readonly localPrediction: number;
  /** Posterior standard deviation of each coefficient, for surrogates that have one. */
  readonly coefStd?: Float64Array;
  /** Predictive standard deviation at the all-ones row, for surrogates that have one. */
  readonly localPredictionStd?: number;
  /** Surrogate-specific facts (iterations, convergence, hyperparameters found…). */
  readonly details?: Readonly<Record<string, unknown>>;
}

/**
 * Fits an interpretable linear model to a weighted neighbourhood, or, more generally, estimates
 * one attribution per segment from the sampled rows: an estimator that is not a weighted
 * regression (occlusion, RISE, permutation Shapley, Banzhaf) is a Surrogate too, reading the
 * rows in sampler order and {@link RegressionProblem.design} (decision 0025).
 */
export interface Surrogate {
  readonly id: string;
  fit(problem: RegressionProblem, ctx?: RunContext): FittedSurrogate;
}
/** Injection token of {@link Surrogate}. */
export const Surrogate: unique symbol = Symbol.for('limekit.Surrogate');

// ---------------------------------------------------------------------------------------------
// Baseline

/**
 * Produces what a switched-off segment shows.
 *
 * Two shapes: a *static* fill (only {@link fill}) is one image per explanation, normalised once
 * and copied into the model's buffer per sample (the fast path); a *sample-dependent* fill
 * declares {@link perSample} and makes each perturbed image from its mask row
 * ({@link startSamples}). See docs/decisions/0021-sample-dependent-fills.md.
 */
export interface Baseline {
  readonly id: string;
  /**
   * @returns an image of the same size: pixel p shows `fill[p]` whenever p's segment is off.
   *   A sample-dependent baseline returns a representative fill here (used by code that needs
   *   one fill image, such as the evaluation's deletion curves) and says which in its docs.
   */
  fill(image: RgbImage, segments: SegmentMap, ctx: RunContext): RgbImage | Promise<RgbImage>;
  /**
   * `true`: the fill depends on the sample's mask row; the explainer then calls
   * {@link startSamples} instead of {@link fill}. Omitted or `false`: a static fill.
   */
  readonly perSample?: boolean;
  /**
   * Sample-dependent baselines only: prepares one explanation (load data, precompute) and
   * returns what perturbs each mask row. Called once per explanation with the `baseline` stream.
   */
  startSamples?(image: RgbImage, segments: SegmentMap, ctx: RunContext): SampleFill | Promise<SampleFill>;
}

/** Makes the perturbed image of one mask row (a sample-dependent {@link Baseline}). */
export interface SampleFill {
  /**
   * Writes the perturbed image for mask `rows[rowOffset .. rowOffset+M)` (1 = segment kept,
   * 0 = switched off) into `out`, 8-bit RGB of the image's size (`width·height·3`, row-major).
   * Pixels of kept segments must be the image's own.
   *
   * @param ctx `ctx.rng` is this row's own stream (the `baseline` stream forked by the sample's
   *   index, {@link sampleStreamName}), so a result does not depend on the batch size or on
   *   the order rows are written in. `out` is reused between calls: write every pixel.
   * @param visibility only for a fill that declares {@link softMask}: M values to write, per
   *   segment the mean over its pixels of the mask applied (1 = the image's own pixels, 0 = the
   *   fill). The pipeline records them as the sample's row in place of the 0/1 mask row.
   */
  fillSample(rows: Uint8Array, rowOffset: number, ctx: RunContext, out: Uint8Array, visibility?: Float64Array): void;
  /**
   * `true`: a continuous mask (RISE): the fill blends `mask·image + (1 − mask)·fill` with a mask
   * of its own (modulated by the row), so kept segments need not show the image's own pixels,
   * and it reports the effective per-segment mask through `visibility`. The unperturbed image
   * (the instance's prediction) is then written by the pipeline, not by the fill, and a sampler
   * session must not declare `firstRowIsInstance`. Omitted: a binary fill.
   */
  readonly softMask?: boolean;
  /** Facts an estimator may need (e.g. RISE's keep probability), passed on in {@link SamplingDesign.fill}. */
  readonly design?: Readonly<Record<string, unknown>>;
}

/** The name the `baseline` stream is forked by for sample `index` (0-based; the unperturbed image written for the instance's prediction is `instance`). */
export function sampleStreamName(index: number | 'instance'): string {
  return `sample:${index}`;
}
/** Injection token of {@link Baseline}. */
export const Baseline: unique symbol = Symbol.for('limekit.Baseline');

// ---------------------------------------------------------------------------------------------
// ModelAdapter

/** Per-channel affine normalisation: `value = (pixel * scale - mean[c]) / std[c]`. */
export interface Normalization {
  /** Multiplies the 0–255 pixel first (1/255 for [0, 1] models). */
  readonly scale: number;
  /** One entry per model input channel, in the model's channel order. */
  readonly mean: readonly number[];
  readonly std: readonly number[];
  /** Order of the colour channels the model expects. */
  readonly channelOrder: 'RGB' | 'BGR';
}

/** What a model's input looks like. */
export interface ModelInputSpec {
  readonly width: number;
  readonly height: number;
  /** 3 for colour models, 1 for grayscale models (luma of the RGB image). */
  readonly channels: 1 | 3;
  readonly layout: 'NCHW' | 'NHWC';
  readonly normalization: Normalization;
  /** How images are resized to `width × height`; `center-crop` keeps the aspect ratio. */
  readonly resize: ResizeMode;
  /**
   * `center-crop` only: the shorter side is first resized to this many pixels and the centre
   * `width × height` is cut out of it — torchvision's `Resize(256)` + `CenterCrop(224)` is
   * `resizeTo: 256` on a 224 × 224 input. Default: the view's own size (no margin cropped).
   */
  readonly resizeTo?: number;
  /** Resampling filter used to resize: `bilinear` (default, torchvision's), `bicubic` (many timm models) or `lanczos`. */
  readonly interpolation?: Interpolation;
}

/** A named intermediate tensor returned by {@link ModelAdapter.embed}. */
export interface Embedding {
  /** The tensor's values, row-major, `shape` product long. */
  readonly values: Float32Array;
  /** Its shape; `shape[0]` is the image count (e.g. `[n, 96]`, or `[n, 96, 16, 16]` for a feature map). */
  readonly shape: readonly number[];
}

/** Scores batches of images already laid out and normalised as the model expects. */
export interface ModelAdapter {
  readonly id: string;
  readonly input: ModelInputSpec;
  readonly numClasses: number;
  /** Class names when known (labels file or model metadata). */
  readonly classNames?: readonly string[];
  /** Largest batch the model accepts (1 for a fixed-batch-1 model); undefined: unlimited. */
  readonly maxBatchSize?: number;
  /** Facts to report with an explanation (runtime, backend, execution provider, …). */
  readonly info?: Readonly<Record<string, unknown>>;
  /**
   * True when the model computes off the calling thread — in a worker thread, another process or
   * another machine — so that the explainer can write the next batch while one is scored (it then
   * keeps two input buffers). False or absent: {@link predict}'s work blocks the calling thread
   * (onnxruntime-node, TensorFlow.js), so batches are written one at a time into one buffer.
   */
  readonly offThread?: boolean;
  /**
   * @param batch `count × channels × height × width` floats in {@link ModelInputSpec.layout}.
   *   It may be longer than needed; read only the first `count` images. Do not keep it.
   * @returns `count × numClasses` class probabilities, row-major.
   */
  predict(batch: Float32Array, count: number, ctx?: { signal?: AbortSignal }): Promise<Float32Array>;
  /**
   * Optional capability: {@link predict}, but the adapter may move `batch.buffer` (the whole
   * ArrayBuffer) to the thread that runs the model instead of copying it — a batch of 50 images at
   * 224² is 30 MB. Neither read nor write the buffer while the promise is pending. It resolves
   * with the scores and the images again: `batch` itself, or, when its buffer was moved, a new
   * Float32Array at the same offset over the same bytes (the old array is then detached, length 0);
   * use that one from then on. On failure the images are lost. The explainer's pipeline uses it
   * for its own input buffers when the model computes off the calling thread ({@link offThread}),
   * so that the next batch is written while the model scores this one.
   */
  predictMoving?(batch: Float32Array, count: number, ctx?: { signal?: AbortSignal }): Promise<{ scores: Float32Array; batch: Float32Array }>;
  /**
   * Optional capability: a named intermediate tensor of the model (an embedding) for the same
   * inputs as {@link predict} — an ONNX node output, a TensorFlow.js layer or graph node.
   * Off-manifold diagnostics (`limekit manifold --embedding NAME`) use it.
   *
   * @param batch as for {@link predict}. @param count images, ≥ 1.
   * @param name the tensor's name in the model.
   * @returns the tensor of the `count` images (`shape[0] === count`), row-major.
   * @throws InvalidOptionError when the model has no tensor of that name (the message lists valid names).
   */
  embed?(batch: Float32Array, count: number, name: string, ctx?: { signal?: AbortSignal }): Promise<Embedding>;
  /** Releases native resources (sessions, tensors). */
  dispose(): Promise<void>;
}
/** Injection token of {@link ModelAdapter}. */
export const ModelAdapter: unique symbol = Symbol.for('limekit.ModelAdapter');

// ---------------------------------------------------------------------------------------------
// Feature selection (LIME's lime_base.feature_selection)

/** Picks the features a surrogate is fitted on; the others get weight 0. */
export interface FeatureSelector {
  readonly id: string;
  /**
   * @param ctx the run's context (random stream, warnings), when run inside an explanation.
   * @returns the selected column indices, in selection order.
   */
  select(problem: RegressionProblem, numFeatures: number, ctx?: RunContext): number[];
}
/** Injection token of {@link FeatureSelector}. */
export const FeatureSelector: unique symbol = Symbol.for('limekit.FeatureSelector');
