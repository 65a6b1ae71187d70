import type {
  Baseline,
  FeatureSelector,
  FittedSurrogate,
  Kernel,
  ModelAdapter,
  RegressionProblem,
  SampleBlock,
  Sampler,
  Segmenter,
  Surrogate,
} from './components.js';
import type { Progress, RunContext } from './context.js';
import { InvalidOptionError, ModelError, ShapeMismatchError, throwIfAborted } from './errors.js';
import { Explanation, type LabelExplanation, type Timings } from './explanation.js';
import { validateSegmentMap, type RgbImage } from './image.js';
import { PerturbationWriter } from './perturb.js';
import { createRng } from './rng.js';

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

/** Defaults of {@link ExplainOptions}. */
export const DEFAULT_EXPLAIN_OPTIONS = {
  numSamples: 1000,
  batchSize: 64,
  seed: 0,
  topLabels: 5,
} as const;

class Growable<T extends Float64Array | Uint8Array> {
  length = 0;
  constructor(
    public data: T,
    private readonly make: (n: number) => T,
  ) {}
  reserve(extra: number): void {
    if (this.length + extra <= this.data.length) return;
    const bigger = this.make(Math.max(this.data.length * 2, this.length + extra));
    bigger.set(this.data.subarray(0, this.length) as never);
    this.data = bigger;
  }
  view(): T {
    return this.data.subarray(0, this.length) as T;
  }
}

function checkPositiveInt(name: string, value: number, min: number, hint: string): void {
  if (!Number.isInteger(value) || value < min) {
    throw new InvalidOptionError(`Explainer: ${name} must be an integer >= ${min}, got ${value}. ${hint}`);
  }
}

function topK(probs: Float32Array, k: number): number[] {
  const idx = Array.from(probs, (_, i) => i);
  idx.sort((a, b) => probs[b] - probs[a] || a - b);
  return idx.slice(0, k);
}

/**
 * LIME for images as a composition of stages (Ribeiro, Singh & Guestrin, KDD 2016,
 * https://doi.org/10.1145/2939672.2939778): segment, sample masks, perturb straight into the
 * model's input buffer, predict in batches, weigh, fit one surrogate per explained label.
 *
 * @remarks Memory is O(batch × image + samples × segments): perturbed images never accumulate.
 * The same seed gives the same explanation bit for bit at any batch size, provided the model
 * itself scores an image independently of the other images in its batch.
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
    checkPositiveInt('numSamples', numSamples, 2, "A surrogate needs at least 2 samples; lime's default is 1000.");
    checkPositiveInt('batchSize', requestedBatch, 1, 'Use a positive batch size such as 32.');
    if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
      throw new InvalidOptionError(`Explainer: seed must be an integer in [0, 4294967295], got ${seed}.`);
    }
    const C = model.numClasses;
    if (options.labels) {
      if (options.labels.length === 0) throw new InvalidOptionError('Explainer: labels must name at least one class index, got an empty list.');
      for (const l of options.labels) {
        if (!Number.isInteger(l) || l < 0 || l >= C) {
          throw new InvalidOptionError(`Explainer: label ${l} is not a class index of this model (0..${C - 1}).`);
        }
      }
    }
    const topLabels = options.topLabels ?? DEFAULT_EXPLAIN_OPTIONS.topLabels;
    checkPositiveInt('topLabels', topLabels, 1, 'Explain at least one label (lime explains 5).');
    const { width, height } = model.input;
    if (image.width !== width || image.height !== height) {
      throw new ShapeMismatchError(
        `Explainer: image is ${image.width}×${image.height} but the model sees ${width}×${height}. Preprocess it first (preprocessToView in @limekit/image).`,
      );
    }
    const signal = options.signal;
    const warn = options.warn;
    const root = createRng(seed);
    const ctx = (stage: string): RunContext => ({ rng: root.fork(stage), signal, warn });
    const progress = options.onProgress;
    const timings: Timings = { segment: 0, baseline: 0, perturb: 0, predict: 0, weigh: 0, fit: 0, total: 0 };
    const tStart = performance.now();
    throwIfAborted(signal);

    // 1. Segments and fill.
    progress?.({ phase: 'segment', done: 0, total: 1 });
    let t = performance.now();
    const segments = await segmenter.segment(image, ctx('segmenter'));
    validateSegmentMap(segments, width, height, `Segmenter "${segmenter.id}"`);
    timings.segment = performance.now() - t;
    progress?.({ phase: 'segment', done: 1, total: 1 });
    const M = segments.count;
    t = performance.now();
    const fill = await baseline.fill(image, segments, ctx('baseline'));
    timings.baseline = performance.now() - t;
    if (fill.width !== width || fill.height !== height) {
      throw new ShapeMismatchError(`Baseline "${baseline.id}": fill must be ${width}×${height} like the image, got ${fill.width}×${fill.height}.`);
    }
    throwIfAborted(signal);

    // 2. Sample, perturb, predict — streamed in batches.
    const writer = new PerturbationWriter(image, fill, segments, model.input);
    const batchCap = Math.max(1, Math.min(requestedBatch, model.maxBatchSize ?? requestedBatch));
    // Two input buffers: while the model scores one batch, the next is written into the other
    // (only for samplers that do not need to observe a batch before drawing the next).
    const buffers = [new Float32Array(batchCap * writer.imageSize), new Float32Array(batchCap * writer.imageSize)];
    // Each batch slot remembers the mask it holds, so the next sample only rewrites what changed.
    const slotMask = [new Uint8Array(batchCap * M), new Uint8Array(batchCap * M)];
    const slotFilled = [new Uint8Array(batchCap), new Uint8Array(batchCap)];
    let modelCalls = 0;
    // Time the model is busy: the union of in-flight calls' intervals (calls may overlap).
    let inFlightCalls = 0;
    let busySince = 0;
    const predict = async (input: Float32Array, count: number, what: string): Promise<Float32Array> => {
      if (inFlightCalls++ === 0) busySince = performance.now();
      let out: Float32Array;
      try {
        out = await model.predict(input, count, { signal });
      } catch (err) {
        if (err instanceof Error && (err as { code?: string }).code) throw err;
        throw new ModelError(`Model "${model.id}" failed on ${what}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
      } finally {
        if (--inFlightCalls === 0) timings.predict += performance.now() - busySince;
      }
      modelCalls++;
      if (out.length !== count * C) {
        throw new ModelError(`Model "${model.id}" returned ${out.length} values for ${what} of ${count} images; expected ${count} × ${C} classes.`);
      }
      for (let i = 0; i < out.length; i++) {
        if (!Number.isFinite(out[i])) {
          throw new ModelError(`Model "${model.id}" returned a non-finite value (${out[i]}) for ${what}, image ${Math.floor(i / C)} of the batch, class ${i % C}. Check the model and its preprocessing.`);
        }
      }
      return out;
    };

    const session = sampler.start(M, numSamples, ctx('sampler'));
    const pipelined = typeof session.observe !== 'function';
    const Z = new Growable(new Uint8Array(numSamples * M), (n) => new Uint8Array(n));
    const W = new Growable(new Float64Array(numSamples), (n) => new Float64Array(n));
    let labels: number[] | undefined;
    let instancePrediction: Float32Array | undefined;
    let targets: Growable<Float64Array>[] = [];
    let kernelOut = new Float64Array(batchCap);
    let done = 0;
    let batchNo = 0;
    let current = 0;

    /** Checks a block and writes it into buffer `b`; returns the scoring promise. */
    const launch = (block: SampleBlock, b: number): { block: SampleBlock; preds: Promise<Float32Array>; what: string } => {
      const { count, rows } = block;
      if (!Number.isInteger(count) || count < 1 || count > batchCap || rows.length < count * M) {
        throw new ShapeMismatchError(
          `Sampler "${sampler.id}": a block must have 1..${batchCap} rows of ${M} features, got count ${count} with ${rows.length} values.`,
        );
      }
      if (block.weights && block.weights.length < count) {
        throw new ShapeMismatchError(`Sampler "${sampler.id}": block weights must have ${count} entries, got ${block.weights.length}.`);
      }
      const t0 = performance.now();
      for (let i = 0; i < count * M; i++) {
        if (rows[i] > 1) throw new InvalidOptionError(`Sampler "${sampler.id}": mask values must be 0 or 1, got ${rows[i]} in row ${Math.floor(i / M)}.`);
      }
      const input = buffers[b], masks = slotMask[b], filled = slotFilled[b];
      for (let r = 0; r < count; r++) {
        if (filled[r]) writer.update(masks, r * M, rows, r * M, input, r * writer.imageSize);
        else writer.write(rows, r * M, input, r * writer.imageSize);
        masks.set(rows.subarray(r * M, (r + 1) * M), r * M);
        filled[r] = 1;
      }
      timings.perturb += performance.now() - t0;
      const first = done + pendingRows;
      const what = `batch ${batchNo} (samples ${first}..${first + count - 1})`;
      batchNo++;
      pendingRows += count;
      return { block, preds: predict(input, count, what), what };
    };
    let pendingRows = 0;

    /** Records a scored block: labels (first block), weights, targets, observation, progress. */
    const record = async (block: SampleBlock, preds: Float32Array): Promise<void> => {
      const { count, rows } = block;
      pendingRows -= count;
      if (!labels) {
        // The labels to explain come from the prediction on the instance itself: row 0 when the
        // sampler starts with the all-ones row (as lime does), otherwise one extra model call.
        let allOnes = true;
        for (let j = 0; j < M; j++) if (rows[j] !== 1) allOnes = false;
        if (allOnes) {
          instancePrediction = preds.slice(0, C);
        } else {
          const alone = new Float32Array(writer.imageSize);
          writer.write(new Uint8Array(M).fill(1), 0, alone, 0);
          instancePrediction = (await predict(alone, 1, 'the unperturbed image')).slice();
        }
        labels = options.labels ? [...options.labels] : topK(instancePrediction, Math.min(topLabels, C));
        targets = labels.map(() => new Growable(new Float64Array(numSamples), (n) => new Float64Array(n)));
      }
      const t0 = performance.now();
      if (kernelOut.length < count) kernelOut = new Float64Array(count);
      kernel.weigh(block, M, kernelOut);
      Z.reserve(count * M);
      Z.data.set(rows.subarray(0, count * M), Z.length);
      Z.length += count * M;
      W.reserve(count);
      for (let r = 0; r < count; r++) {
        const w = kernelOut[r] * (block.weights ? block.weights[r] : 1);
        if (!(w >= 0) || !Number.isFinite(w)) {
          throw new InvalidOptionError(`Kernel "${kernel.id}" / sampler "${sampler.id}": sample weight of row ${done + r} must be finite and >= 0, got ${w}.`);
        }
        W.data[W.length++] = w;
      }
      labels.forEach((label, li) => {
        const g = targets[li];
        g.reserve(count);
        for (let r = 0; r < count; r++) g.data[g.length++] = preds[r * C + label];
      });
      timings.weigh += performance.now() - t0;
      session.observe?.({ block, predictions: preds, numClasses: C, labels: labels! });
      done += count;
      progress?.({ phase: 'sample', done, total: Math.max(numSamples, done) });
    };

    let inFlight: { block: SampleBlock; preds: Promise<Float32Array> } | undefined;
    try {
      for (;;) {
        throwIfAborted(signal);
        const block = !inFlight || pipelined ? session.next(batchCap) : null;
        const previous = inFlight;
        inFlight = block ? launch(block, current) : undefined;
        current ^= 1;
        if (previous) await record(previous.block, await previous.preds);
        if (!inFlight) break;
        if (!pipelined) {
          await record(inFlight.block, await inFlight.preds);
          inFlight = undefined;
        }
      }
    } finally {
      // Never leave a model call running against a buffer that is about to be dropped.
      if (inFlight) await inFlight.preds.catch(() => undefined);
    }
    throwIfAborted(signal);
    if (!labels || !instancePrediction || done < 2) {
      throw new InvalidOptionError(`Sampler "${sampler.id}" produced ${done} samples; at least 2 are needed to fit a surrogate.`);
    }

    // 3. One surrogate per label, on the same samples and weights.
    t = performance.now();
    const n = done;
    const zView = Z.view();
    const X = new Float64Array(n * M);
    for (let i = 0; i < n * M; i++) X[i] = zView[i];
    const sampleWeight = W.view();
    const numFeatures = options.numFeatures ?? M;
    checkPositiveInt('numFeatures', numFeatures, 1, 'Fit at least one segment.');
    const results: LabelExplanation[] = [];
    const flat: string[] = [];
    for (let li = 0; li < labels.length; li++) {
      throwIfAborted(signal);
      const problem: RegressionProblem = { X, n, d: M, y: targets[li].view(), sampleWeight };
      const label = labels[li];
      if (warn) {
        let lo = Infinity;
        let hi = -Infinity;
        for (let i = 0; i < n; i++) {
          lo = Math.min(lo, problem.y[i]);
          hi = Math.max(hi, problem.y[i]);
        }
        if (hi - lo < FLAT_OUTPUT_RANGE) {
          const name = model.classNames?.[label];
          flat.push(`${name !== undefined ? `${name} (${label})` : `class ${label}`} ${lo.toPrecision(4)} to ${hi.toPrecision(4)}`);
        }
      }
      let features = Array.from({ length: M }, (_, j) => j);
      let fitted: FittedSurrogate;
      if (featureSelector && numFeatures < M) {
        features = featureSelector.select(problem, numFeatures, ctx(`featureSelector:${label}`));
        fitted = expand(surrogate.fit(selectColumns(problem, features), ctx(`surrogate:${label}`)), features, M);
      } else {
        fitted = surrogate.fit(problem, ctx(`surrogate:${label}`));
      }
      if (fitted.coef.length !== M) {
        throw new ShapeMismatchError(`Surrogate "${surrogate.id}" returned ${fitted.coef.length} coefficients for ${M} segments.`);
      }
      results.push({
        index: label,
        ...(model.classNames?.[label] !== undefined ? { name: model.classNames[label] } : {}),
        probability: instancePrediction[label],
        weights: fitted.coef,
        intercept: fitted.intercept,
        score: fitted.score,
        localPrediction: fitted.localPrediction,
        ...(fitted.coefStd ? { weightStd: fitted.coefStd } : {}),
        ...(fitted.localPredictionStd !== undefined ? { localPredictionStd: fitted.localPredictionStd } : {}),
        features,
        ...(fitted.details ? { details: fitted.details } : {}),
      });
      progress?.({ phase: 'fit', done: li + 1, total: labels.length });
    }
    if (flat.length) {
      warn?.(
        `the model's output barely varies across the ${n} samples (range < ${FLAT_OUTPUT_RANGE}) for ${flat.join('; ')}, so ${flat.length === 1 ? 'its' : 'their'} weights are near zero and say little. Hiding segments hardly changes the model's answer: try another fill (baseline), more segments, or check the preprocessing with 'limekit predict'.`,
      );
    }
    timings.fit = performance.now() - t;
    timings.total = performance.now() - tStart;
    const samplerSummary = session.summary?.();
    return new Explanation({
      image,
      segments,
      labels: results,
      prediction: instancePrediction,
      numSamples: n,
      modelCalls,
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
      ...(samplerSummary ? { samplerSummary } : {}),
      ...(model.info ? { modelInfo: model.info } : {}),
      ...(options.keepNeighbourhood
        ? { neighbourhood: { X: zView.slice(), n, d: M, y: targets.map((g) => g.view().slice()), labels: [...labels], sampleWeight: sampleWeight.slice() } }
        : {}),
    });
  }
}

/** The sub-problem on the given columns of X. */
export function selectColumns(problem: RegressionProblem, features: readonly number[]): RegressionProblem {
  const { X, n, d } = problem;
  const k = features.length;
  const out = new Float64Array(n * k);
  for (let i = 0; i < n; i++) for (let j = 0; j < k; j++) out[i * k + j] = X[i * d + features[j]];
  return { ...problem, X: out, d: k };
}

function expand(fitted: FittedSurrogate, features: readonly number[], d: number): FittedSurrogate {
  const coef = new Float64Array(d);
  const std = fitted.coefStd ? new Float64Array(d) : undefined;
  features.forEach((f, j) => {
    coef[f] = fitted.coef[j];
    if (std && fitted.coefStd) std[f] = fitted.coefStd[j];
  });
  return { ...fitted, coef, ...(std ? { coefStd: std } : {}) };
}
