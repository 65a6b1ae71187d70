import { InvalidOptionError, ModelError, requireOption, throwIfAborted, type Embedding, type ModelAdapter, type ModelInputSpec } from '@limekit/core';
import { DEFAULT_PROBE_CANDIDATES, probeBatchSize, type BatchSizeProbe } from './batch-size.js';
import { showShape } from './input-shape.js';
import { DEFAULT_COMMON_MODEL_OPTIONS, type CommonModelOptions } from './options.js';
import { applyOutputDecision, type OutputDecision, type OutputKind } from './output-kind.js';

/** What a runtime returns for one batch: the output's shape and its values as float32. */
export interface RawOutput {
  readonly shape: readonly number[];
  readonly values: Float32Array;
  /** The input images again, when {@link BaseModelAdapter.runRaw} was allowed to move them and did (its `data` is then detached). */
  readonly input?: Float32Array;
}

/** What {@link BaseModelAdapter}'s constructor needs, decided when the model was loaded. */
export interface AdapterState {
  /** The adapter's class name, for messages. */
  readonly who: string;
  /** The model file, for messages. */
  readonly path: string;
  readonly outputName: string;
  /** A batch size the model fixes; longer batches run in pieces, a short one is zero-padded. */
  readonly fixedBatch: number | undefined;
  readonly output: OutputDecision;
  readonly input: ModelInputSpec;
  readonly classNames: readonly string[] | undefined;
  readonly maxBatchSize: number | undefined;
  readonly info: Record<string, unknown>;
}

/**
 * Checks the output of the model's run on fixed test inputs at load time: one row per image, a
 * whole number of units, finite values, one unit when `outputKind` is `sigmoid`.
 * @returns the units per image.
 * @throws ModelError naming the model, the output and the fix.
 */
export function checkTestOutput(model: string, outputName: string, rows: number, out: RawOutput, outputKind: OutputKind): number {
  const fail = (message: string): never => {
    throw new ModelError(`${model}: ${message}`);
  };
  if (out.shape[0] !== rows) fail(`output "${outputName}" has ${out.shape[0]} rows for a batch of ${rows} images (shape ${showShape(out.shape)}); a classifier returns one row per image. Choose another output with outputName.`);
  const units = out.values.length / rows;
  if (units < 1 || !Number.isInteger(units) || out.shape.length > 2) fail(`output "${outputName}" has shape ${showShape(out.shape)}, not one row of scores per image.`);
  const bad = out.values.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) fail(`output "${outputName}" is ${out.values[bad]} on a test input (image ${Math.floor(bad / units)}, class ${bad % units}); the model is broken or needs inputs it was not given.`);
  if (outputKind === 'sigmoid' && units !== 1) fail(`outputKind "sigmoid" needs a single output unit, but output "${outputName}" has ${units}. Use "multilabel" for several sigmoid units, or "auto".`);
  return units;
}

/**
 * What every adapter does around its runtime: argument checks, fixed-batch models run in pieces
 * or zero-padded, one row of finite scores per image (naming the batch and image otherwise),
 * outputs turned into probabilities, the batch-size probe, dispose-once. A runtime supplies
 * {@link runRaw} and {@link release}.
 */
export abstract class BaseModelAdapter implements ModelAdapter {
  abstract readonly id: string;
  readonly input: ModelInputSpec;
  readonly numClasses: number;
  readonly classNames?: readonly string[];
  readonly info: Readonly<Record<string, unknown>>;
  protected readonly base: AdapterState;
  private batchCap: number | undefined;
  private calls = 0;
  private disposed = false;

  protected constructor(state: AdapterState) {
    this.base = state;
    this.input = state.input;
    this.numClasses = state.output.numClasses;
    if (state.classNames) this.classNames = state.classNames;
    this.batchCap = state.maxBatchSize;
    this.info = state.info;
  }

  /** Largest batch {@link predict} should be given: the model's fixed batch, the `maxBatchSize` option, or the probed size; undefined: unlimited. */
  /** Whether the model computes off the calling thread (see `ModelAdapter.offThread`); false unless an adapter says otherwise. */
  get offThread(): boolean {
    return false;
  }

  get maxBatchSize(): number | undefined {
    return this.batchCap;
  }

  /**
   * Runs the model on `rows` images (`data` holds exactly `rows` images in the input layout).
   * @param what names the batch in messages (`batch #3 (64 images)`).
   */
  protected abstract runRaw(data: Float32Array, rows: number, what: string, move?: boolean): Promise<RawOutput>;

  /** Frees the runtime's resources; called once. */
  protected abstract release(): Promise<void>;

  /**
   * Scores a batch.
   *
   * @param batch `count × channels × height × width` floats in {@link ModelInputSpec.layout}; may be longer.
   * @param count images to score, ≥ 1.
   * @returns `count × numClasses` probabilities (see `decideOutput`).
   * @throws ModelError naming the model and the batch: after dispose, a short buffer, a runtime
   *   failure, output rows ≠ batch rows, or a non-finite output.
   * @throws AbortedError when `ctx.signal` is already aborted.
   */
  async predict(batch: Float32Array, count: number, ctx?: { signal?: AbortSignal }): Promise<Float32Array> {
    const { fixedBatch } = this.base;
    const size = this.beginPredict(batch, count, ctx);
    if (fixedBatch !== undefined && count > fixedBatch) {
      // A fixed-batch model runs several times (the explainer already caps batches at maxBatchSize).
      const out = new Float32Array(count * this.numClasses);
      for (let i = 0; i < count; i += fixedBatch) {
        const n = Math.min(fixedBatch, count - i);
        out.set(await this.predict(batch.subarray(i * size, (i + n) * size), n, ctx), i * this.numClasses);
      }
      return out;
    }
    return (await this.runChecked(batch, count, size)).scores;
  }

  /**
   * {@link predict}, letting the runtime move `batch.buffer` to its thread instead of copying it
   * (see `ModelAdapter.predictMoving`). Batches that must be cut or padded for a fixed-batch model
   * are copied as by {@link predict}.
   */
  async predictMoving(batch: Float32Array, count: number, ctx?: { signal?: AbortSignal }): Promise<{ scores: Float32Array; batch: Float32Array }> {
    const { fixedBatch } = this.base;
    if (fixedBatch !== undefined && count !== fixedBatch) return { scores: await this.predict(batch, count, ctx), batch };
    const size = this.beginPredict(batch, count, ctx);
    const { byteOffset, length } = batch;
    const { scores, input } = await this.runChecked(batch, count, size, true);
    return { scores, batch: input ? new Float32Array(input.buffer, byteOffset, length) : batch };
  }

  /**
   * Runs the model and returns its raw output (before the output decision: logits stay logits),
   * for servers that put the model behind a protocol (`limekit serve`). Checks as {@link predict}
   * does: the buffer's size, one row per image; fixed-batch models run in pieces, zero-padded.
   *
   * @param batch `count` images in {@link ModelInputSpec.layout}; may be longer.
   * @param count images to score, ≥ 1.
   * @returns shape `[count, units]` and the raw float32 values (may be non-finite: the caller decides).
   * @throws ModelError after dispose, for a short buffer, a runtime failure or output rows ≠ batch rows.
   */
  async predictRaw(batch: Float32Array, count: number): Promise<RawOutput> {
    const { who, path, outputName, output } = this.base;
    if (this.disposed) throw new ModelError(`${who}: predictRaw called after dispose (model ${path}). Load the model again.`);
    const piece = this.checkBatch(batch, count);
    const values = new Float32Array(count * output.units);
    for (const { offset: i, n, data } of this.pieces(batch, count, piece)) {
      const what = `batch #${++this.calls} (${n} image${n === 1 ? '' : 's'})`;
      let result: RawOutput;
      try {
        result = await this.runRaw(data, piece, what);
      } catch (err) {
        throw new ModelError(`Model ${path} failed on ${what}: ${(err as Error).message.split('\n')[0]}`, { cause: err });
      }
      if (result.shape[0] !== piece || result.values.length !== piece * output.units) {
        throw new ModelError(`Model ${path}: output "${outputName}" has shape ${showShape(result.shape)} for ${what}, expected ${piece} rows of ${output.units}.`);
      }
      values.set(result.values.subarray(0, n * output.units), i * output.units);
    }
    return { shape: [count, output.units], values };
  }

  /**
   * What an adapter's `embed` shares with every runtime: the checks of {@link predict}, the name
   * checked against `names` (an unknown one is an InvalidOptionError listing some valid names),
   * fixed-batch models run in pieces (zero-padded), one row per image.
   *
   * @param names every tensor name the model can return, in graph order (the last are nearest the output).
   * @param run runs the runtime on `rows` images (exactly `rows` in `data`) and returns the named tensor.
   * @returns the tensor of the `count` images, `shape[0] === count`.
   * @throws InvalidOptionError for an unknown name; ModelError after dispose, for a short buffer, a
   *   runtime failure or a tensor whose first dimension is not the batch.
   */
  protected async embedWith(
    batch: Float32Array,
    count: number,
    name: string,
    names: readonly string[],
    run: (data: Float32Array, rows: number) => Promise<RawOutput>,
    ctx?: { signal?: AbortSignal },
  ): Promise<Embedding> {
    const { who, path } = this.base;
    if (this.disposed) throw new ModelError(`${who}: embed called after dispose (model ${path}). Load the model again.`);
    throwIfAborted(ctx?.signal);
    if (typeof name !== 'string' || !names.includes(name)) {
      const shown = names.length > 12 ? [...names.slice(-12), `… (${names.length} in all; the last are nearest the output)`] : names;
      throw new InvalidOptionError(`${who}: embedding must name a tensor of model ${path}, got ${JSON.stringify(name)}. Valid names include: ${shown.map((n) => (n.startsWith('…') ? n : JSON.stringify(n))).join(', ')}.`);
    }
    const piece = this.checkBatch(batch, count);
    let values: Float32Array | undefined;
    let shape: number[] = [];
    let per = 0;
    for (const { offset: i, n, data } of this.pieces(batch, count, piece)) {
      let result: RawOutput;
      try {
        result = await run(data, piece);
      } catch (err) {
        throw new ModelError(`Model ${path} failed to compute tensor "${name}" for ${n} image${n === 1 ? '' : 's'}: ${(err as Error).message.split('\n')[0]}`, { cause: err });
      }
      if (result.shape[0] !== piece || result.values.length % piece !== 0) {
        throw new ModelError(`Model ${path}: tensor "${name}" has shape ${showShape(result.shape)} for a batch of ${piece} images; an embedding needs one row per image (batch first). Choose another tensor.`);
      }
      if (!values) {
        per = result.values.length / piece;
        shape = [count, ...result.shape.slice(1)];
        values = new Float32Array(count * per);
      }
      values.set(result.values.subarray(0, n * per), i * per);
    }
    return { values: values!, shape };
  }

  /**
   * Checks `count` and the buffer's length (as {@link predict} does).
   * @returns the rows of one model run: the fixed batch size, or `count`.
   * @throws ModelError naming the model.
   */
  /** predict's and predictMoving's checks (not disposed, not aborted, batch long enough); returns floats per image. */
  private beginPredict(batch: Float32Array, count: number, ctx?: { signal?: AbortSignal }): number {
    const { who, path } = this.base;
    if (this.disposed) throw new ModelError(`${who}: predict called after dispose (model ${path}). Load the model again.`);
    throwIfAborted(ctx?.signal);
    this.checkBatch(batch, count);
    const { width, height, channels } = this.input;
    return width * height * channels;
  }

  private checkBatch(batch: Float32Array, count: number): number {
    const { who, path, fixedBatch } = this.base;
    const { width, height, channels } = this.input;
    const size = width * height * channels;
    if (!Number.isInteger(count) || count < 1) throw new ModelError(`${who}: count must be an integer >= 1, got ${count} (model ${path}).`);
    if (batch.length < count * size) throw new ModelError(`${who}: batch holds ${batch.length} floats, fewer than ${count} images × ${size} (${width}×${height}×${channels}) for model ${path}.`);
    return fixedBatch ?? count;
  }

  /** The batch in runs of `piece` images (`offset` the first image, `n` real images, the last run zero-padded to `piece`). */
  private *pieces(batch: Float32Array, count: number, piece: number): Generator<{ offset: number; n: number; data: Float32Array }> {
    const { width, height, channels } = this.input;
    const size = width * height * channels;
    for (let i = 0; i < count; i += piece) {
      const n = Math.min(piece, count - i);
      let data = batch.subarray(i * size, (i + n) * size);
      if (n < piece) {
        const padded = new Float32Array(piece * size);
        padded.set(data);
        data = padded;
      }
      yield { offset: i, n, data };
    }
  }

  /** The raw output's name and units per image (what {@link predictRaw} returns per row), for servers. */
  get rawOutput(): { readonly name: string; readonly units: number } {
    return { name: this.base.outputName, units: this.base.output.units };
  }

  private async runChecked(batch: Float32Array, count: number, size: number, move = false): Promise<{ scores: Float32Array; input?: Float32Array }> {
    const { path, outputName, fixedBatch, output } = this.base;
    const what = `batch #${++this.calls} (${count} image${count === 1 ? '' : 's'})`;
    const rows = fixedBatch ?? count;
    let data = batch.subarray(0, count * size);
    if (rows > count) {
      const padded = new Float32Array(rows * size);
      padded.set(data);
      data = padded;
    }
    let result: RawOutput;
    try {
      result = await this.runRaw(data, rows, what, move && rows === count);
    } catch (err) {
      throw new ModelError(`Model ${path} failed on ${what}: ${(err as Error).message.split('\n')[0]}`, { cause: err });
    }
    const raw = result.values;
    if (result.shape[0] !== rows || raw.length !== rows * output.units) {
      throw new ModelError(`Model ${path}: output "${outputName}" has shape ${showShape(result.shape)} for ${what}, expected ${rows} rows of ${output.units}. A classifier returns one row per image; choose another output with outputName.`);
    }
    for (let i = 0; i < count * output.units; i++) {
      if (!Number.isFinite(raw[i])) {
        throw new ModelError(`Model ${path}: output "${outputName}" is ${raw[i]} for image ${Math.floor(i / output.units)} of ${what}, unit ${i % output.units}. Check the preprocessing (preprocess ${JSON.stringify(this.info.preprocess)}) and the model.`);
      }
    }
    const out = new Float32Array(count * output.numClasses);
    applyOutputDecision(output, raw, count, out);
    return { scores: out, ...(result.input && result.input !== data ? { input: result.input } : {}) };
  }

  /**
   * Measures which batch size scores images fastest on this machine, within a memory budget (see
   * {@link probeBatchSize} for the rule).
   * @param candidates batch sizes to try, default `[1, 8, 16, 32, 64]`; capped by the `maxBatchSize` option.
   * @param memoryBudgetBytes default 1 GiB.
   * @param repeats timed calls per candidate, default 3.
   * @returns the choice and every measurement. A fixed-batch model returns its batch size unmeasured.
   * @throws InvalidOptionError for empty or non-positive candidates, budget or repeats.
   */
  async probeBatchSize(candidates: readonly number[] = DEFAULT_PROBE_CANDIDATES, memoryBudgetBytes = DEFAULT_COMMON_MODEL_OPTIONS.memoryBudgetBytes, repeats = 3): Promise<BatchSizeProbe> {
    const { who, fixedBatch, output } = this.base;
    requireOption(Array.isArray(candidates) && candidates.length > 0 && candidates.every((b) => Number.isInteger(b) && b >= 1), who, 'candidates', 'a non-empty array of integers >= 1', candidates);
    requireOption(Number.isFinite(memoryBudgetBytes) && memoryBudgetBytes > 0, who, 'memoryBudgetBytes', 'a number > 0', memoryBudgetBytes);
    requireOption(Number.isInteger(repeats) && repeats >= 1, who, 'repeats', 'an integer >= 1', repeats);
    const { width, height, channels } = this.input;
    const imageSize = width * height * channels;
    return probeBatchSize(
      {
        predict: (b, n) => this.predict(b, n),
        imageSize,
        ioBytesPerImage: 4 * (imageSize + output.units + this.numClasses),
        ...(this.batchCap !== undefined ? { cap: this.batchCap } : {}),
        ...(fixedBatch !== undefined ? { fixedBatch } : {}),
      },
      candidates,
      memoryBudgetBytes,
      repeats,
    );
  }

  /**
   * `maxBatchSize: 'auto'`: probes now and keeps the choice (recorded in `info.probedBatchSize`).
   * Adapters call it at the end of loading.
   */
  protected async chooseBatchSizeNow(memoryBudgetBytes: number): Promise<void> {
    const probed = await this.probeBatchSize(undefined, memoryBudgetBytes);
    this.batchCap = probed.batchSize;
    this.base.info.probedBatchSize = probed;
  }

  /** Releases the runtime's resources. Safe to call twice. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    await this.release();
  }
}

/** The `info` fields every adapter reports about its input and output conventions. */
export function conventionInfo(
  image: { layout: 'NCHW' | 'NHWC'; layoutSource: 'graph' | 'option' },
  preprocess: CommonModelOptions['preprocess'],
  output: OutputDecision,
  op: string | undefined,
): Record<string, unknown> {
  return {
    layout: image.layout,
    layoutSource: image.layoutSource,
    preprocess: typeof preprocess === 'string' ? preprocess : { ...preprocess },
    outputKind: output.kind,
    outputActivation: output.activation,
    outputKindSource: output.source,
    outputKindReason: output.reason,
    ...(op !== undefined ? { outputOp: op } : {}),
  };
}
