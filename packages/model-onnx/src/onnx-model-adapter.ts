import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { ModelError, requireOption, throwIfAborted, type ModelAdapter, type ModelInputSpec } from '@limekit/core';
import {
  applyOutputDecision,
  classNamesFromMetadata,
  DEFAULT_COMMON_MODEL_OPTIONS,
  DEFAULT_PROBE_CANDIDATES,
  decideOutput,
  isFixedDim,
  inputSpecOf,
  probeBatchSize,
  readImageInput,
  resolveClassNames,
  resolveModelOptions,
  showShape,
  testInputs,
  type BatchSizeProbe,
  type CommonModelOptions,
  type OutputDecision,
} from '@limekit/model-common';
import * as ort from 'onnxruntime-node';
import { identifyForeignFormat, isOrtFormat } from './model-file.js';
import { producingOp, readModelProto, type OnnxDim, type OnnxModelInfo } from './onnx-proto.js';

/** Options of {@link OnnxModelAdapter.load}: the {@link CommonModelOptions} of every adapter, and ONNX Runtime's own. */
export interface OnnxModelOptions extends CommonModelOptions {
  /** Graph input to feed. Default null: the model's only input. */
  inputName: string | null;
  /** Graph output to read. Default null: the first output. */
  outputName: string | null;
  /** ONNX Runtime execution providers, in order of preference. Default `['cpu']`. */
  executionProviders: string[];
  /** Threads inside one operator; 0 lets ONNX Runtime choose (one per physical core). Default 0. */
  intraOpNumThreads: number;
}

/** Defaults of {@link OnnxModelOptions}. */
export const DEFAULT_ONNX_OPTIONS: Readonly<OnnxModelOptions> = {
  ...DEFAULT_COMMON_MODEL_OPTIONS,
  inputName: null,
  outputName: null,
  executionProviders: ['cpu'],
  intraOpNumThreads: 0,
};

const C = 'OnnxModelAdapter';

/** The internals {@link OnnxModelAdapter}'s constructor stores. */
interface OnnxModelState {
  readonly path: string;
  readonly session: ort.InferenceSession;
  readonly inputName: string;
  readonly outputName: string;
  readonly fixedBatch: number | undefined;
  readonly output: OutputDecision;
  readonly input: ModelInputSpec;
  readonly classNames: readonly string[] | undefined;
  readonly maxBatchSize: number | undefined;
  readonly info: Readonly<Record<string, unknown>>;
}


/**
 * Where onnxruntime-node keeps its native libraries, to tell whether a provider that is not
 * bundled (CUDA, TensorRT) was installed; undefined when the package layout is unknown.
 */
function ortBinaryDir(): string | undefined {
  try {
    const entry = createRequire(import.meta.url).resolve('onnxruntime-node');
    const dir = join(dirname(entry), '..', 'bin', 'napi-v6', process.platform, process.arch);
    return existsSync(dir) ? dir : undefined;
  } catch {
    return undefined;
  }
}

function providerLibraryPresent(ep: string): boolean | undefined {
  const dir = ortBinaryDir();
  if (!dir) return undefined;
  const file = process.platform === 'win32' ? `onnxruntime_providers_${ep}.dll` : process.platform === 'darwin' ? `libonnxruntime_providers_${ep}.dylib` : `libonnxruntime_providers_${ep}.so`;
  return existsSync(join(dir, file));
}


/**
 * An image classifier in ONNX format, run with onnxruntime-node (CPU by default).
 *
 * Everything the explainer needs is read from the graph when the model is loaded: the input's
 * name, element type and shape, hence the layout (NCHW / NHWC), the view size and a fixed batch
 * size; the output's op and values, hence how outputs become probabilities (see
 * {@link decideOutput}); class names from the model's metadata. Each can be overridden.
 *
 * @example
 * ```ts
 * const model = await OnnxModelAdapter.load('resnet50.onnx', { preprocess: 'imagenet', labels: 'imagenet_class_index.json' });
 * try { … } finally { await model.dispose(); }
 * ```
 * @see https://onnxruntime.ai/docs/get-started/with-javascript/node.html
 */
export class OnnxModelAdapter implements ModelAdapter {
  readonly id = 'onnx';
  readonly input: ModelInputSpec;
  readonly numClasses: number;
  readonly classNames?: readonly string[];
  readonly info: Readonly<Record<string, unknown>>;
  private readonly state: OnnxModelState;
  private batchCap: number | undefined;
  private calls = 0;
  private disposed = false;

  /** Stores a loaded model's state; use {@link OnnxModelAdapter.load}. */
  private constructor(state: OnnxModelState) {
    this.state = state;
    this.input = state.input;
    this.numClasses = state.output.numClasses;
    if (state.classNames) this.classNames = state.classNames;
    this.batchCap = state.maxBatchSize;
    this.info = state.info;
  }

  /** Largest batch {@link predict} should be given: the model's fixed batch, the `maxBatchSize` option, or the probed size; undefined: unlimited. */
  get maxBatchSize(): number | undefined {
    return this.batchCap;
  }

  /**
   * Loads an ONNX image classifier and checks that limekit can feed it and read it.
   *
   * @param path the `.onnx` file (an ONNX Runtime `.ort` file works too).
   * @param options see {@link OnnxModelOptions} and {@link DEFAULT_ONNX_OPTIONS}.
   * @returns the adapter; the caller disposes it.
   * @throws InvalidOptionError for unknown options or values out of range.
   * @throws ModelError naming the file and the fix: missing or unreadable file; not ONNX (another
   *   format, corrupt or truncated); an execution provider that is not installed; input not a
   *   rank-4 float32 tensor; channels not 1 or 3; symbolic spatial size without `width`/`height`;
   *   output rows ≠ batch rows; non-finite outputs on the test inputs.
   * @throws InputError for a labels file that cannot be read, or class names (`classNames` or
   *   `labels`) whose count differs from the model's classes, naming both counts. Names from the
   *   model's metadata that do not fit are dropped with a note in `info.notes`.
   * @remarks The model is run once at load time on fixed test inputs (zeros and smooth patterns in
   *   the model's input space), which checks that it runs, counts its classes and, with
   *   `outputKind: 'auto'`, helps decide the output kind — once per model, never from the data.
   */
  static async load(path: string, options: Partial<OnnxModelOptions> = {}): Promise<OnnxModelAdapter> {
    const o = resolveLoadOptions(options);
    const bytes = await readModelBytes(path);
    const proto = parseModel(path, bytes);
    checkProviders(path, o.executionProviders);

    let session: ort.InferenceSession;
    try {
      session = await ort.InferenceSession.create(path, {
        executionProviders: o.executionProviders,
        ...(o.intraOpNumThreads ? { intraOpNumThreads: o.intraOpNumThreads } : {}),
        graphOptimizationLevel: 'all',
      });
    } catch (err) {
      const msg = String((err as Error).message ?? err).split('\n')[0];
      const extra = o.executionProviders.filter((ep) => ep !== 'cpu');
      if (extra.length && /provider|\.so|\.dll|librar|cuda|tensorrt|webgpu|adapter|device/i.test(msg)) {
        throw new ModelError(
          `Model ${path}: execution provider ${extra.map((e) => `"${e}"`).join(', ')} could not be started by the installed onnxruntime-node (${msg}). Install what it needs (a GPU and its drivers; CUDA 12 and cuDNN for "cuda"), or use executionProviders: ["cpu"].`,
          { cause: err },
        );
      }
      throw new ModelError(`Model file ${path} cannot be loaded by ONNX Runtime ${ort.env.versions?.common ?? ''}: ${msg}. Check that it is a complete ONNX model with opset 7–21 (re-export or download it again).`, { cause: err });
    }
    try {
      return await OnnxModelAdapter.inspect(path, session, proto, o);
    } catch (err) {
      await session.release();
      throw err;
    }
  }

  /** Reads the graph's conventions from a created session; releases nothing (the caller does on error). */
  private static async inspect(path: string, session: ort.InferenceSession, proto: OnnxModelInfo | undefined, o: OnnxModelOptions): Promise<OnnxModelAdapter> {
    const fail: (message: string) => never = (message) => {
      throw new ModelError(`Model ${path}: ${message}`);
    };
    const notes: string[] = [];

    // --- input: name, element type, shape
    const inputNames = [...session.inputNames];
    if (o.inputName !== null && !inputNames.includes(o.inputName)) fail(`has no input named "${o.inputName}"; its inputs are ${inputNames.join(', ')}.`);
    if (o.inputName === null && inputNames.length !== 1) {
      fail(`has ${inputNames.length} inputs (${inputNames.join(', ')}); limekit feeds one image tensor. Name it with inputName (the others must be optional).`);
    }
    const inputName = o.inputName ?? inputNames[0];
    const meta = valueMeta(session, 'input', inputName, proto);
    if (!meta.shape) fail(`input "${inputName}" declares no shape; limekit needs a rank-4 image tensor. Re-export the model with a fixed input shape.`);
    const dims = meta.shape!;
    if (dims.length === 4 && meta.type !== 'float32') {
      const hint = meta.type === 'float16'
        ? 'Convert the model to float32 (for example onnxconverter_common.float16.convert_float_to_float16 in reverse, or re-export without .half()).'
        : meta.type === 'uint8'
          ? 'It probably does its own preprocessing on 0–255 bytes; export the float32 network behind it, or use a float32-input variant.'
          : 'Re-export the model with a float32 image input.';
      fail(`input "${inputName}" has element type ${meta.type ?? 'unknown'}, but limekit feeds float32 tensors. ${hint}`);
    }
    const image = readImageInput(`Model ${path}`, inputName, dims, o);
    const { layout, channels, width, height, fixedBatch } = image;
    notes.push(...image.notes);
    const input = inputSpecOf(image, o, C);

    // --- output
    const outputNames = [...session.outputNames];
    if (o.outputName !== null && !outputNames.includes(o.outputName)) fail(`has no output named "${o.outputName}"; its outputs are ${outputNames.join(', ')}. Choose one with outputName.`);
    const outputName = o.outputName ?? outputNames[0];
    const outMeta = valueMeta(session, 'output', outputName, proto);
    if (outMeta.type !== undefined && outMeta.type !== 'float32') {
      fail(`output "${outputName}" has element type ${outMeta.type}${outMeta.isTensor ? '' : ' (not a tensor)'}, not float32 scores${outputNames.length > 1 ? `; its outputs are ${outputNames.join(', ')}: choose the scores with outputName` : ''}.`);
    }

    // --- run once on fixed test inputs
    const size = width * height * channels;
    const rows = fixedBatch ?? 2;
    const shape = layout === 'NCHW' ? [rows, channels, height, width] : [rows, height, width, channels];
    let probe: ort.Tensor;
    try {
      probe = (await session.run({ [inputName]: new ort.Tensor('float32', testInputs(rows, size), shape) }, [outputName]))[outputName] as ort.Tensor;
    } catch (err) {
      return fail(`failed on a test input of shape ${showShape(shape)} (${layout}): ${(err as Error).message.split('\n')[0]}. Check layout, width and height.`);
    }
    if (probe.dims[0] !== rows) fail(`output "${outputName}" has ${probe.dims[0]} rows for a batch of ${rows} images (shape ${showShape([...probe.dims])}); a classifier returns one row per image. Choose another output with outputName.`);
    const raw = probe.data as Float32Array;
    const units = raw.length / rows;
    if (units < 1 || !Number.isInteger(units)) fail(`output "${outputName}" has shape ${showShape([...probe.dims])}, not one row of scores per image.`);
    const bad = raw.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) fail(`output "${outputName}" is ${raw[bad]} on a test input (image ${Math.floor(bad / units)}, class ${bad % units}); the model is broken or needs inputs it was not given.`);
    if (o.outputKind === 'sigmoid' && units !== 1) fail(`outputKind "sigmoid" needs a single output unit, but output "${outputName}" has ${units}. Use "multilabel" for several sigmoid units, or "auto".`);
    const op = proto ? producingOp(proto, outputName) : undefined;
    const output = decideOutput(o.outputKind, units, op, raw);

    // --- class names: the caller's (option or labels file) must fit; the model's own are dropped with a note when they do not
    const fromMeta = proto ? classNamesFromMetadata(proto.metadata) : undefined;
    const names = await resolveClassNames(o, fromMeta ? { names: fromMeta, from: "The model's metadata_props" } : undefined, output, `output "${outputName}" has ${units} units`, path);
    if (names.note) notes.push(names.note);
    const { classNames, from: namesFrom } = names;

    if (proto?.opset !== undefined && (proto.opset < 7 || proto.opset > 21)) notes.push(`opset ${proto.opset} is outside the range limekit is tested with (7–21).`);
    const maxBatchSize = typeof o.maxBatchSize === 'number' ? (fixedBatch !== undefined ? Math.min(fixedBatch, o.maxBatchSize) : o.maxBatchSize) : fixedBatch;
    const info: Record<string, unknown> = {
      runtime: 'onnxruntime-node',
      version: ort.env.versions?.common,
      executionProviders: [...o.executionProviders],
      model: path,
      inputName,
      inputNames,
      inputShape: dims.map((d) => (isFixedDim(d) ? d : String(d || '?'))),
      outputName,
      outputNames,
      layout,
      layoutSource: image.layoutSource,
      preprocess: typeof o.preprocess === 'string' ? o.preprocess : { ...o.preprocess },
      outputKind: output.kind,
      outputActivation: output.activation,
      outputKindSource: output.source,
      outputKindReason: output.reason,
      ...(op !== undefined ? { outputOp: op } : {}),
      ...(proto?.opset !== undefined ? { opset: proto.opset } : {}),
      ...(proto?.producer ? { producer: proto.producer } : {}),
      ...(fixedBatch !== undefined ? { fixedBatch } : {}),
      ...(namesFrom ? { classNamesFrom: namesFrom } : {}),
      ...(notes.length ? { notes } : {}),
    };
    const adapter = new OnnxModelAdapter({ path, session, inputName, outputName, fixedBatch, output, input, classNames, maxBatchSize, info });
    if (o.maxBatchSize === 'auto') {
      const probed = await adapter.probeBatchSize(undefined, o.memoryBudgetBytes);
      adapter.batchCap = probed.batchSize;
      info.probedBatchSize = probed;
    }
    return adapter;
  }

  /**
   * Scores a batch. The first `count` images of `batch` are wrapped as a tensor without copying
   * (a fixed-batch model gets a zero-padded copy when `count` is short of its batch).
   *
   * @param batch `count × channels × height × width` floats in {@link ModelInputSpec.layout}; may be longer.
   * @param count images to score, ≥ 1.
   * @returns `count × numClasses` probabilities (see {@link decideOutput}).
   * @throws ModelError naming the model and the batch: after dispose, a short buffer, a runtime
   *   failure, output rows ≠ batch rows, or a non-finite output.
   * @throws AbortedError when `ctx.signal` is already aborted.
   */
  async predict(batch: Float32Array, count: number, ctx?: { signal?: AbortSignal }): Promise<Float32Array> {
    const { path, fixedBatch } = this.state;
    if (this.disposed) throw new ModelError(`${C}: predict called after dispose (model ${path}). Load the model again.`);
    throwIfAborted(ctx?.signal);
    const { width, height, channels } = this.input;
    const size = width * height * channels;
    if (!Number.isInteger(count) || count < 1) throw new ModelError(`${C}: count must be an integer >= 1, got ${count} (model ${path}).`);
    if (batch.length < count * size) {
      throw new ModelError(`${C}: batch holds ${batch.length} floats, fewer than ${count} images × ${size} (${width}×${height}×${channels}) for model ${path}.`);
    }
    if (fixedBatch !== undefined && count > fixedBatch) {
      // A fixed-batch model runs several times (the explainer already caps batches at maxBatchSize).
      const out = new Float32Array(count * this.numClasses);
      for (let i = 0; i < count; i += fixedBatch) {
        const n = Math.min(fixedBatch, count - i);
        out.set(await this.predict(batch.subarray(i * size, (i + n) * size), n, ctx), i * this.numClasses);
      }
      return out;
    }
    return this.run(batch, count, size);
  }

  private async run(batch: Float32Array, count: number, size: number): Promise<Float32Array> {
    const { path, session, inputName, outputName, fixedBatch, output } = this.state;
    const { width, height, channels, layout } = this.input;
    const call = ++this.calls;
    const what = `batch #${call} (${count} image${count === 1 ? '' : 's'})`;
    const rows = fixedBatch ?? count;
    let data = batch.subarray(0, count * size);
    if (rows > count) {
      const padded = new Float32Array(rows * size);
      padded.set(data);
      data = padded;
    }
    const dims = layout === 'NCHW' ? [rows, channels, height, width] : [rows, height, width, channels];
    let result: ort.Tensor;
    try {
      result = (await session.run({ [inputName]: new ort.Tensor('float32', data, dims) }, [outputName]))[outputName] as ort.Tensor;
    } catch (err) {
      throw new ModelError(`Model ${path} failed on ${what}: ${(err as Error).message.split('\n')[0]}`, { cause: err });
    }
    const raw = result.data as Float32Array;
    if (result.dims[0] !== rows || raw.length !== rows * output.units) {
      throw new ModelError(
        `Model ${path}: output "${outputName}" has shape ${showShape([...result.dims])} for ${what}, expected ${rows} rows of ${output.units}. A classifier returns one row per image; choose another output with outputName.`,
      );
    }
    for (let i = 0; i < count * output.units; i++) {
      if (!Number.isFinite(raw[i])) {
        throw new ModelError(
          `Model ${path}: output "${outputName}" is ${raw[i]} for image ${Math.floor(i / output.units)} of ${what}, unit ${i % output.units}. Check the preprocessing (preprocess ${JSON.stringify(this.info.preprocess)}) and the model.`,
        );
      }
    }
    const out = new Float32Array(count * output.numClasses);
    applyOutputDecision(output, raw, count, out);
    return out;
  }

  /**
   * Measures which batch size scores images fastest on this machine, within a memory budget.
   *
   * For each candidate, in increasing order: one warm-up call, then `repeats` timed calls of
   * {@link predict} on a fixed test batch; its time per image is the median divided by the batch
   * size. Its memory is the larger of its input and output buffers and the growth of the
   * process's resident memory since probing began (ONNX Runtime's arena keeps its high-water mark,
   * so this covers the activations). A candidate whose memory, extrapolated linearly from the
   * largest batch run so far, would exceed the budget is not run, nor are larger ones.
   * The choice rule is {@link chooseBatchSize}: among candidates within budget, the smallest
   * batch size within 5 % of the fastest time per image.
   *
   * @param candidates batch sizes to try, default `[1, 8, 16, 32, 64]`; capped by the `maxBatchSize` option.
   * @param memoryBudgetBytes default 1 GiB.
   * @param repeats timed calls per candidate, default 3.
   * @returns the choice and every measurement. A fixed-batch model returns its batch size unmeasured.
   * @throws InvalidOptionError for empty or non-positive candidates, budget or repeats.
   * @remarks Timings vary from run to run; the choice is deterministic given them. The explainer
   *   caps its batches at {@link maxBatchSize}; `maxBatchSize: 'auto'` sets it from this probe.
   */
  async probeBatchSize(candidates: readonly number[] = DEFAULT_PROBE_CANDIDATES, memoryBudgetBytes = DEFAULT_ONNX_OPTIONS.memoryBudgetBytes, repeats = 3): Promise<BatchSizeProbe> {
    requireOption(Array.isArray(candidates) && candidates.length > 0 && candidates.every((b) => Number.isInteger(b) && b >= 1), C, 'candidates', 'a non-empty array of integers >= 1', candidates);
    requireOption(Number.isFinite(memoryBudgetBytes) && memoryBudgetBytes > 0, C, 'memoryBudgetBytes', 'a number > 0', memoryBudgetBytes);
    requireOption(Number.isInteger(repeats) && repeats >= 1, C, 'repeats', 'an integer >= 1', repeats);
    const { width, height, channels } = this.input;
    return probeBatchSize(
      {
        predict: (batch, count) => this.predict(batch, count),
        imageSize: width * height * channels,
        ioBytesPerImage: 4 * (width * height * channels + this.state.output.units + this.numClasses),
        ...(this.batchCap !== undefined ? { cap: this.batchCap } : {}),
        ...(this.state.fixedBatch !== undefined ? { fixedBatch: this.state.fixedBatch } : {}),
      },
      candidates,
      memoryBudgetBytes,
      repeats,
    );
  }

  /** Releases the ONNX Runtime session. Safe to call twice. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    await this.state.session.release();
  }
}

function resolveLoadOptions(options: Partial<OnnxModelOptions>): OnnxModelOptions {
  const o = resolveModelOptions(C, DEFAULT_ONNX_OPTIONS, options);
  requireOption(Array.isArray(o.executionProviders) && o.executionProviders.length > 0 && o.executionProviders.every((e) => typeof e === 'string'), C, 'executionProviders', 'a non-empty array of provider names', o.executionProviders, 'The default is ["cpu"].');
  requireOption(Number.isInteger(o.intraOpNumThreads) && o.intraOpNumThreads >= 0, C, 'intraOpNumThreads', 'an integer >= 0', o.intraOpNumThreads, '0 lets ONNX Runtime choose.');
  return o;
}

async function readModelBytes(path: string): Promise<Uint8Array> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'does not exist' : code === 'EISDIR' ? 'is a directory, not a model file' : code === 'EACCES' ? 'cannot be read (permission denied)' : `cannot be read (${code ?? String(err)})`;
    throw new ModelError(`Model file ${path} ${why}. Check the model path.`, { cause: err });
  }
  if (bytes.length === 0) throw new ModelError(`Model file ${path} is empty (0 bytes): an interrupted download or copy? Get the file again.`);
  return bytes;
}

/** Parses the ModelProto; undefined for ORT-format files (read by ONNX Runtime alone). */
function parseModel(path: string, bytes: Uint8Array): OnnxModelInfo | undefined {
  if (isOrtFormat(bytes)) return undefined;
  let proto: OnnxModelInfo | undefined;
  let parseError: Error | undefined;
  try {
    proto = readModelProto(bytes);
  } catch (err) {
    parseError = err as Error;
  }
  if (proto?.hasGraph) return proto;
  const foreign = identifyForeignFormat(bytes);
  if (foreign) throw new ModelError(`Model file ${path} is not an ONNX model: it looks like ${foreign.what}. ${foreign.fix}`);
  if (parseError) {
    throw new ModelError(
      `Model file ${path} is not a valid ONNX model (${bytes.length} bytes; ${parseError.message}). It is truncated or corrupt (an interrupted download or copy?), or another format: download or export it again.`,
      { cause: parseError },
    );
  }
  throw new ModelError(`Model file ${path} is a protobuf message but not an ONNX model (it has no graph): a TensorFlow SavedModel or GraphDef .pb? Convert it with tf2onnx (python -m tf2onnx.convert --saved-model DIR --output model.onnx).`);
}

function checkProviders(path: string, providers: readonly string[]): void {
  const backends = ort.listSupportedBackends();
  const names = backends.map((b) => b.name);
  for (const ep of providers) {
    const backend = backends.find((b) => b.name === ep);
    if (!backend) {
      throw new ModelError(`Model ${path}: execution provider "${ep}" is not available in the installed onnxruntime-node ${ort.env.versions?.common ?? ''} (it supports ${names.join(', ')}). Use one of those, or executionProviders: ["cpu"].`);
    }
    if (!backend.bundled && providerLibraryPresent(ep) === false) {
      throw new ModelError(
        `Model ${path}: execution provider "${ep}" is known to onnxruntime-node but its libraries are not installed (installed: ${backends.filter((b) => b.bundled || providerLibraryPresent(b.name)).map((b) => b.name).join(', ')}). Reinstall onnxruntime-node with its ${ep.toUpperCase()} binaries (npm install onnxruntime-node --onnxruntime-node-install=cuda12) on a machine with CUDA 12 and cuDNN, or use executionProviders: ["cpu"].`,
      );
    }
  }
}

/** Name, type and shape of a graph input or output: from ONNX Runtime's metadata, else from the ModelProto. */
function valueMeta(session: ort.InferenceSession, side: 'input' | 'output', name: string, proto: OnnxModelInfo | undefined): { type?: string; shape?: OnnxDim[]; isTensor: boolean } {
  const list = (side === 'input' ? session.inputMetadata : session.outputMetadata) as readonly ort.InferenceSession.ValueMetadata[] | undefined;
  const m = list?.find((v) => v.name === name);
  if (m) return m.isTensor ? { type: m.type, shape: [...m.shape], isTensor: true } : { type: 'non-tensor', isTensor: false };
  const p = (side === 'input' ? proto?.inputs : proto?.outputs)?.find((v) => v.name === name);
  return p ? { ...(p.elemType ? { type: p.elemType } : {}), ...(p.shape ? { shape: [...p.shape] } : {}), isTensor: p.elemType !== undefined } : { isTensor: true };
}
