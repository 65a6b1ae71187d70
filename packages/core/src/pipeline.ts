import type { FeatureSelector, FittedSurrogate, Kernel, ModelAdapter, RegressionProblem, SampleBlock, Sampler, SamplingDesign, Surrogate } from './components.js';
import type { Progress, RunContext } from './context.js';
import { InvalidOptionError, ModelError, ShapeMismatchError, throwIfAborted } from './errors.js';
import type { Timings } from './explanation.js';
import type { SegmentGeometry } from './geometry.js';
import type { Neighbourhood } from './neighbourhood.js';
import type { SampleWriter } from './perturb.js';
import type { Rng } from './rng.js';
import { STREAMS } from './run-options.js';

/** What {@link sampleNeighbourhood} needs besides the image, already written into `writer`. */
export interface SampleNeighbourhoodOptions {
  readonly sampler: Sampler;
  readonly kernel: Kernel;
  readonly model: ModelAdapter;
  /** Perturbs masks of the image into the model's input layout (a static or a sample-dependent fill). */
  readonly writer: SampleWriter;
  /** M (segments), samples requested (the instance included), rows per model call (within the model's limit). */
  readonly numFeatures: number;
  /** The segmentation's geometry, passed on to {@link Sampler.start} (its `count` must be `numFeatures`). */
  readonly geometry?: SegmentGeometry;
  readonly numSamples: number;
  readonly batchSize: number;
  /** Explain exactly these class indices; otherwise the `topLabels` most probable. */
  readonly labels?: readonly number[];
  readonly topLabels: number;
  /** The run's root generator (the sampler gets its `sampler` fork). */
  readonly rng: Rng;
  readonly signal?: AbortSignal;
  readonly warn?: (message: string) => void;
  readonly onProgress?: (progress: Progress) => void;
  /** Receives the time spent perturbing, predicting and weighing (added to what it holds). */
  readonly timings: Timings;
}

/** What {@link sampleNeighbourhood} returns. */
export interface SampledNeighbourhood {
  /**
   * Mask rows (0/1; for a continuous-mask fill, its per-segment mask values), targets per
   * explained label, sample weights, and the sampling design (sampler summary, fill facts).
   */
  readonly neighbourhood: Neighbourhood & { readonly X: Uint8Array | Float64Array; readonly labels: readonly number[]; readonly sampleWeight: Float64Array; readonly design: SamplingDesign };
  /** The model's class probabilities for the unperturbed image. */
  readonly instancePrediction: Float32Array;
  readonly modelCalls: number;
  readonly samplerSummary?: Record<string, unknown>;
}

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

function topK(probs: Float32Array, k: number): number[] {
  const idx = Array.from(probs, (_, i) => i);
  idx.sort((a, b) => probs[b] - probs[a] || a - b);
  return idx.slice(0, k);
}

/** The input batches perturbed samples are written into, and what each row of each holds. */
export interface InputSlots {
  /** One or two buffers of `batch` images. */
  readonly buffers: Float32Array[];
  /** Per buffer, the mask of the sample each row holds (`batch` × M). */
  readonly masks: Uint8Array[];
  /** Per buffer, 1 for a row that holds a sample (so the writer may update it). */
  readonly filled: Uint8Array[];
}

/**
 * The input batches for a model: two when it computes off the calling thread
 * ({@link ModelAdapter.offThread}), so the next batch is written while it scores one; otherwise one
 * — a model on this thread cannot score a batch while the next is written, and a second buffer
 * (30 MB at batch 50, 224²) would only cost memory. With one buffer nothing hides the writing, so
 * it is the writer's own ({@link SampleWriter.allocateSlots}: the static writer's WebAssembly
 * memory) where the writer has one; off-thread models may move their batches to another thread,
 * which a WebAssembly memory cannot do, so they get plain arrays.
 *
 * @param batch images per buffer. @param numFeatures M, the mask length.
 */
export function inputSlots(model: Pick<ModelAdapter, 'offThread'>, writer: Pick<SampleWriter, 'imageSize' | 'allocateSlots'>, batch: number, numFeatures: number): InputSlots {
  const slots = model.offThread === true ? 2 : 1;
  const floats = batch * writer.imageSize;
  const buffers = (slots === 1 && writer.allocateSlots?.(slots, floats)) || Array.from({ length: slots }, () => new Float32Array(floats));
  return {
    buffers,
    masks: Array.from({ length: slots }, () => new Uint8Array(batch * numFeatures)),
    filled: Array.from({ length: slots }, () => new Uint8Array(batch)),
  };
}

/**
 * The sampling stage of LIME: draws mask rows, perturbs them straight into the model's input
 * buffer, scores them in batches and weighs them, streaming — perturbed images never accumulate.
 *
 * @remarks For a model that computes off the calling thread ({@link ModelAdapter.offThread}), two
 * input buffers let the next batch be written while the model scores the current one, unless the
 * session declares {@link SamplerSession.needsObservations}; otherwise one buffer, one batch at a
 * time. The labels to explain come
 * from the instance's prediction: row 0 when the session declares
 * {@link SamplerSession.firstRowIsInstance}, otherwise one extra model call.
 * @throws InvalidOptionError / ShapeMismatchError for a sampler or kernel that breaks its contract,
 *   ModelError for unusable model output, AbortedError when cancelled.
 */
export async function sampleNeighbourhood(options: SampleNeighbourhoodOptions): Promise<SampledNeighbourhood> {
  const { sampler, kernel, model, writer, numFeatures: M, numSamples, batchSize: batchCap, signal, warn, timings } = options;
  const progress = options.onProgress;
  const C = model.numClasses;
  const { buffers, masks: slotMask, filled: slotFilled } = inputSlots(model, writer, batchCap, M);
  const twoSlots = buffers.length === 2;
  const slots = buffers.length;
  let modelCalls = 0;
  // Time the model is busy: the union of in-flight calls' intervals (calls may overlap).
  let inFlightCalls = 0;
  let busySince = 0;
  const predict = async (input: Float32Array, count: number, what: string, slot?: number): Promise<Float32Array> => {
    if (inFlightCalls++ === 0) busySince = performance.now();
    let out: Float32Array;
    try {
      if (slot !== undefined && twoSlots && model.predictMoving) {
        // The adapter may move the slot's memory to the model's thread (no 30 MB copy per batch);
        // it comes back with the scores, in a new array when it was moved.
        const length = input.length;
        const moved = await model.predictMoving(input, count, { signal });
        if (!(moved.batch instanceof Float32Array) || moved.batch.length !== length) {
          throw new ModelError(`Model "${model.id}": predictMoving must give the batch back as a Float32Array of ${length} floats, got ${moved.batch instanceof Float32Array ? moved.batch.length : typeof moved.batch}.`);
        }
        buffers[slot] = moved.batch;
        out = moved.scores;
      } else out = await model.predict(input, count, { signal });
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

  const ctx: RunContext = { rng: options.rng.fork(STREAMS.sampler), signal, warn };
  if (options.geometry && options.geometry.count !== M) {
    throw new ShapeMismatchError(`sampleNeighbourhood: geometry must describe numFeatures = ${M} segments, got ${options.geometry.count}. Compute it from the same segment map (segmentGeometry).`);
  }
  const session = options.geometry ? sampler.start(M, numSamples, ctx, options.geometry) : sampler.start(M, numSamples, ctx);
  for (const flag of ['firstRowIsInstance', 'needsObservations'] as const) {
    if (typeof session[flag] !== 'boolean') throw new InvalidOptionError(`Sampler "${sampler.id}": its session must declare ${flag} as true or false, got ${String(session[flag])}. See the SamplerSession contract in @limekit/core (firstRowIsInstance: row 0 is the all-ones instance; needsObservations: next() needs the previous block's predictions).`);
  }
  const pipelined = twoSlots && !session.needsObservations;
  // A continuous-mask fill (RISE) reports each sample's per-segment mask values: they, not the
  // 0/1 rows, are the neighbourhood's X (decision 0025). Static fills never take this branch.
  const soft = writer.softMask === true;
  if (soft && session.firstRowIsInstance) {
    throw new InvalidOptionError(`Sampler "${sampler.id}": its session declares firstRowIsInstance, but the fill applies continuous masks of its own, so row 0 is not the unperturbed image. Use a sampler that does not draw the instance (e.g. "ones" for RISE).`);
  }
  const Z = new Growable(new Uint8Array(soft ? 0 : numSamples * M), (n) => new Uint8Array(n));
  const ZSoft = new Growable(new Float64Array(soft ? numSamples * M : 0), (n) => new Float64Array(n));
  const W = new Growable(new Float64Array(numSamples), (n) => new Float64Array(n));
  let labels: number[] | undefined;
  let instancePrediction: Float32Array | undefined;
  let targets: Growable<Float64Array>[] = [];
  let kernelOut = new Float64Array(batchCap);
  let done = 0;
  let batchNo = 0;
  let current = 0;
  let pendingRows = 0;

  /** Checks a block and writes it into buffer `b`; returns the scoring promise. */
  const launch = (block: SampleBlock, b: number): { block: SampleBlock; preds: Promise<Float32Array>; visibility?: Float64Array } => {
    const { count, rows } = block;
    if (!Number.isInteger(count) || count < 1 || count > batchCap || rows.length < count * M) {
      throw new ShapeMismatchError(`Sampler "${sampler.id}": a block must have 1..${batchCap} rows of ${M} features, got count ${count} with ${rows.length} values.`);
    }
    if (block.weights && block.weights.length < count) {
      throw new ShapeMismatchError(`Sampler "${sampler.id}": block weights must have ${count} entries, got ${block.weights.length}.`);
    }
    const t0 = performance.now();
    for (let i = 0; i < count * M; i++) {
      if (rows[i] > 1) throw new InvalidOptionError(`Sampler "${sampler.id}": mask values must be 0 or 1, got ${rows[i]} in row ${Math.floor(i / M)}.`);
    }
    const input = buffers[b], masks = slotMask[b], filled = slotFilled[b];
    const first = done + pendingRows;
    let visibility: Float64Array | undefined;
    if (soft) {
      visibility = new Float64Array(count * M);
      for (let r = 0; r < count; r++) writer.write(rows, r * M, input, r * writer.imageSize, first + r, visibility.subarray(r * M, (r + 1) * M));
      for (let i = 0; i < count * M; i++) {
        if (!(visibility[i] >= 0 && visibility[i] <= 1)) throw new InvalidOptionError(`Baseline: a continuous-mask fill must report visibility values in [0, 1], got ${visibility[i]} for segment ${i % M} of sample ${first + Math.floor(i / M)}.`);
      }
    }
    for (let r = 0; r < count && !soft; r++) {
      if (filled[r]) writer.update(masks, r * M, rows, r * M, input, r * writer.imageSize, first + r);
      else writer.write(rows, r * M, input, r * writer.imageSize, first + r);
      masks.set(rows.subarray(r * M, (r + 1) * M), r * M);
      filled[r] = 1;
    }
    timings.perturb += performance.now() - t0;
    const what = `batch ${batchNo} (samples ${first}..${first + count - 1})`;
    batchNo++;
    pendingRows += count;
    return { block, preds: predict(input, count, what, b), ...(visibility ? { visibility } : {}) };
  };

  /** The instance's prediction: row 0 of the first block, or one extra model call. */
  const predictInstance = async (rows: Uint8Array, preds: Float32Array): Promise<Float32Array> => {
    if (session.firstRowIsInstance) {
      const j = rows.subarray(0, M).indexOf(0); // values above 1 were rejected when the block was written
      if (j >= 0) throw new InvalidOptionError(`Sampler "${sampler.id}": its session declares firstRowIsInstance but row 0 has a 0 at segment ${j}. Make row 0 all ones, or declare firstRowIsInstance: false.`);
      return preds.slice(0, C);
    }
    const alone = new Float32Array(writer.imageSize);
    writer.write(new Uint8Array(M).fill(1), 0, alone, 0);
    return (await predict(alone, 1, 'the unperturbed image')).slice();
  };

  /** Records a scored block: labels (first block), weights, targets, observation, progress. */
  const record = async (block: SampleBlock, preds: Float32Array, visibility?: Float64Array): Promise<void> => {
    const { count, rows } = block;
    pendingRows -= count;
    if (!labels) {
      instancePrediction = await predictInstance(rows, preds);
      labels = options.labels ? [...options.labels] : topK(instancePrediction, Math.min(options.topLabels, C));
      targets = labels.map(() => new Growable(new Float64Array(numSamples), (n) => new Float64Array(n)));
    }
    const t0 = performance.now();
    if (kernelOut.length < count) kernelOut = new Float64Array(count);
    kernel.weigh(block, M, kernelOut);
    if (visibility) {
      ZSoft.reserve(count * M);
      ZSoft.data.set(visibility, ZSoft.length);
      ZSoft.length += count * M;
    } else {
      Z.reserve(count * M);
      Z.data.set(rows.subarray(0, count * M), Z.length);
      Z.length += count * M;
    }
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

  let inFlight: { block: SampleBlock; preds: Promise<Float32Array>; visibility?: Float64Array } | undefined;
  try {
    for (;;) {
      throwIfAborted(signal);
      const block = !inFlight || pipelined ? session.next(batchCap) : null;
      const previous = inFlight;
      inFlight = block ? launch(block, current) : undefined;
      current = (current + 1) % slots;
      if (previous) await record(previous.block, await previous.preds, previous.visibility);
      if (!inFlight) break;
      if (!pipelined) {
        await record(inFlight.block, await inFlight.preds, inFlight.visibility);
        inFlight = undefined;
      }
    }
  } finally {
    // Never leave a model call running against a buffer that is about to be dropped.
    if (inFlight) await inFlight.preds.catch(() => undefined);
    // Done with the input buffers: the writer's memory can serve the next explanation.
    writer.releaseSlots?.();
  }
  throwIfAborted(signal);
  if (!labels || !instancePrediction || done < 2) {
    throw new InvalidOptionError(`Sampler "${sampler.id}" produced ${done} samples; at least 2 are needed to fit a surrogate.`);
  }
  const samplerSummary = session.summary?.();
  const design: SamplingDesign = { ...(samplerSummary ? { sampler: samplerSummary } : {}), ...(writer.design ? { fill: writer.design } : {}) };
  return {
    neighbourhood: { X: soft ? ZSoft.view() : Z.view(), n: done, d: M, y: targets.map((g) => g.view()), labels, sampleWeight: W.view(), design },
    instancePrediction,
    modelCalls,
    ...(samplerSummary ? { samplerSummary } : {}),
  };
}

/** What {@link fitLabels} needs besides the neighbourhood. */
export interface FitLabelsOptions {
  readonly surrogate: Surrogate;
  /** LIME's feature selection; without one (or when `numFeatures` ≥ d) every feature is fitted. */
  readonly featureSelector?: FeatureSelector;
  /** Features fitted per label (default: all d). */
  readonly numFeatures?: number;
  /** The run's root generator: label L's surrogate gets its `surrogate:L` fork, its selector `featureSelector:L` ({@link STREAMS}). */
  readonly rng: Rng;
  readonly signal?: AbortSignal;
  readonly warn?: (message: string) => void;
  readonly onProgress?: (progress: Progress) => void;
}

/** One label's fitted surrogate, with coefficients for all d features. */
export interface LabelFit extends FittedSurrogate {
  readonly label: number | string;
  /** Features fitted, in selection order (all when there is no feature selection). */
  readonly features: number[];
}

/**
 * The fitting stage of LIME: one surrogate per explained label, on the same rows and weights,
 * after the feature selection when there is one. `explain` and `refit` both run it, so a saved
 * neighbourhood refitted with the same components and seed gives the same weights.
 * @throws ShapeMismatchError when a surrogate returns the wrong number of coefficients;
 *   AbortedError when cancelled.
 */
export function fitLabels(nb: Neighbourhood, options: FitLabelsOptions): LabelFit[] {
  const { surrogate, featureSelector, signal, warn } = options;
  const { n, d } = nb;
  const X = nb.X instanceof Float64Array ? nb.X : Float64Array.from(nb.X);
  const sampleWeight = nb.sampleWeight ?? new Float64Array(n).fill(1);
  const numFeatures = options.numFeatures ?? d;
  const ctx = (stream: string): RunContext => ({ rng: options.rng.fork(stream), ...(signal ? { signal } : {}), ...(warn ? { warn } : {}) });
  return nb.labels.map((label, li) => {
    throwIfAborted(signal);
    const problem: RegressionProblem = { X, n, d, y: nb.y[li], sampleWeight, ...(nb.design ? { design: nb.design } : {}) };
    let features = Array.from({ length: d }, (_, j) => j);
    let fitted: FittedSurrogate;
    if (featureSelector && numFeatures < d) {
      features = featureSelector.select(problem, numFeatures, ctx(STREAMS.featureSelector(label)));
      fitted = expand(surrogate.fit(selectColumns(problem, features), ctx(STREAMS.surrogate(label))), features, d);
    } else {
      fitted = surrogate.fit(problem, ctx(STREAMS.surrogate(label)));
    }
    if (fitted.coef.length !== d) {
      throw new ShapeMismatchError(`Surrogate "${surrogate.id}" returned ${fitted.coef.length} coefficients for ${d} segments.`);
    }
    options.onProgress?.({ phase: 'fit', done: li + 1, total: nb.labels.length });
    return { ...fitted, label, features };
  });
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
