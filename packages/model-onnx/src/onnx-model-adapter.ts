import { closeSync, existsSync, fstatSync, openSync, readSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { ModelError, requireOption, type Embedding } from '@limekit/core';
import {
  BaseModelAdapter,
  checkTestOutput,
  conventionInfo,
  classNamesFromMetadata,
  DEFAULT_COMMON_MODEL_OPTIONS,
  decideOutput,
  isFixedDim,
  inputSpecOf,
  readImageInput,
  resolveClassNames,
  resolveModelOptions,
  showShape,
  testInputs,
  type AdapterState,
  type CommonModelOptions,
  type RawOutput,
} from '@limekit/model-common';
import * as ort from 'onnxruntime-node';
import { identifyForeignFormat, isOrtFormat } from './model-file.js';
import { InProcessSession, WorkerSession, type PlainTensor, type RuntimeSession } from './worker-session.js';
import { producingOp, readModelProto, readModelSkeleton, withGraphOutputs, type ByteSource, type OnnxDim, type OnnxModelInfo } from './onnx-proto.js';

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
  /**
   * ONNX Runtime's memory pattern (plans one block for a run's intermediate tensors from the first
   * run of each input shape). Default false: at batch 50 on MobileNetV2 it raised peak RSS from
   * 558 to 904 MiB with no measurable speed-up (docs/decisions/0013-onnxruntime-memory.md).
   */
  enableMemPattern: boolean;
  /**
   * Whether ONNX Runtime's intra-op threads spin while waiting for work (`session.intra_op.allow_spinning`).
   * Default false: spinning threads burn CPU between runs, while limekit writes the next batch on
   * the main thread; off, MobileNetV2 used 23 % less CPU at the same wall time (decision 0013).
   */
  intraOpSpinning: boolean;
  /**
   * Where the session runs. `'main'` (default): on the calling thread, which onnxruntime-node
   * blocks while a batch runs. `'worker'`: in a worker thread of this process, so the calling
   * thread is free meanwhile and the explainer writes the next batch while the model scores this
   * one (the batch's memory is moved to the worker, not copied). Same runtime, same options, same
   * scores bit for bit. On this project's 2-core machine, where the runtime's own threads already
   * fill both cores, the worker bought no time and cost ~24 MiB (docs/decisions/0028); it pays
   * where cores are left over (`intraOpNumThreads` below the core count, or many cores).
   */
  thread: 'worker' | 'main';
}

/** Defaults of {@link OnnxModelOptions}. */
export const DEFAULT_ONNX_OPTIONS: Readonly<OnnxModelOptions> = {
  ...DEFAULT_COMMON_MODEL_OPTIONS,
  inputName: null,
  outputName: null,
  executionProviders: ['cpu'],
  intraOpNumThreads: 0,
  enableMemPattern: false,
  intraOpSpinning: false,
  thread: 'main',
};

/**
 * The ONNX Runtime session options limekit uses for a model with these options; the bench's bare
 * loop uses the same, so that its ratio measures limekit's work and not a different runtime setting.
 */
export function onnxSessionOptions(o: Pick<OnnxModelOptions, 'executionProviders' | 'intraOpNumThreads' | 'enableMemPattern' | 'intraOpSpinning'>): ort.InferenceSession.SessionOptions {
  return {
    executionProviders: o.executionProviders,
    ...(o.intraOpNumThreads ? { intraOpNumThreads: o.intraOpNumThreads } : {}),
    graphOptimizationLevel: 'all',
    enableMemPattern: o.enableMemPattern,
    extra: { session: { intra_op: { allow_spinning: o.intraOpSpinning ? '1' : '0' } } },
  };
}

const C = 'OnnxModelAdapter';

/** The runtime side of a loaded model. */
interface OnnxSession {
  readonly session: RuntimeSession;
  readonly inputName: string;
  /** Every tensor name {@link OnnxModelAdapter.embed} accepts: node outputs in graph order, then graph outputs no node makes. */
  readonly tensorNames: readonly string[];
  /** The model's bytes again (re-read from the file, or kept when loaded from bytes), for embedding sessions. */
  readonly bytes: () => Promise<Uint8Array>;
  /** The session options the model was loaded with. */
  readonly options: ort.InferenceSession.SessionOptions;
  /** Where its sessions run. */
  readonly thread: OnnxModelOptions['thread'];
}

/** A session of the runtime on the chosen thread. */
function createSession(source: string | Uint8Array, options: ort.InferenceSession.SessionOptions, thread: OnnxModelOptions['thread']): Promise<RuntimeSession> {
  return thread === 'worker' ? WorkerSession.create(source, options) : InProcessSession.create(source, options);
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
export class OnnxModelAdapter extends BaseModelAdapter {
  readonly id = 'onnx';
  private readonly ort: OnnxSession;

  /** Stores a loaded model's state; use {@link OnnxModelAdapter.load}. */
  private constructor(state: AdapterState, runtime: OnnxSession) {
    super(state);
    this.ort = runtime;
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
    // ONNX Runtime reads the file itself; limekit reads only the graph's structure from it.
    return OnnxModelAdapter.open(path, path, await readModelStructure(path), o);
  }

  /**
   * Loads an ONNX classifier from bytes in memory (for example a copy whose weights were
   * randomised by {@link randomiseInitializers}), with the checks of {@link load}; nothing is
   * read from or written to disk. Models with external data need {@link load}.
   * @param name names the model in messages (the file it came from, plus what was changed).
   */
  static async fromBytes(bytes: Uint8Array, name: string, options: Partial<OnnxModelOptions> = {}): Promise<OnnxModelAdapter> {
    return OnnxModelAdapter.open(bytes, name, parseModel(name, bytes), resolveLoadOptions(options));
  }

  private static async open(source: string | Uint8Array, path: string, proto: OnnxModelInfo | undefined, o: OnnxModelOptions): Promise<OnnxModelAdapter> {
    checkProviders(path, o.executionProviders);

    let session: RuntimeSession;
    try {
      session = await createSession(source, onnxSessionOptions(o), o.thread);
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
    const runtime = {
      tensorNames: [...new Set([...(proto?.nodes ?? []).flatMap((n) => n.outputs.filter((x) => x !== '')), ...session.outputNames])],
      bytes: typeof source === 'string' ? () => readModelBytes(source) : async () => source,
      options: onnxSessionOptions(o),
      thread: o.thread,
    };
    try {
      return await OnnxModelAdapter.inspect(path, session, proto, o, runtime);
    } catch (err) {
      await session.release();
      throw err;
    }
  }

  /** Reads the graph's conventions from a created session; releases nothing (the caller does on error). */
  private static async inspect(
    path: string,
    session: RuntimeSession,
    proto: OnnxModelInfo | undefined,
    o: OnnxModelOptions,
    runtime: Omit<OnnxSession, 'session' | 'inputName'>,
  ): Promise<OnnxModelAdapter> {
    const fail: (message: string) => never = (message) => {
      throw new ModelError(`Model ${path}: ${message}`);
    };
    const notes: string[] = [];

    // --- input: name, element type, shape
    const inputNames = [...session.inputNames];
    if (o.inputName !== null && !inputNames.includes(o.inputName)) fail(`has no input named "${o.inputName}"; its inputs are ${inputNames.join(', ')}.`);
    if (o.inputName === null && inputNames.length !== 1) {
      fail(`has ${inputNames.length} inputs (${inputNames.join(', ')}); limekit feeds one image tensor. Name it with inputName (--input-name on the command line) (the others must be optional).`);
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
    if (o.outputName !== null && !outputNames.includes(o.outputName)) fail(`has no output named "${o.outputName}"; its outputs are ${outputNames.join(', ')}. Choose one with outputName (--output-name on the command line).`);
    const outputName = o.outputName ?? outputNames[0];
    const outMeta = valueMeta(session, 'output', outputName, proto);
    if (outMeta.type !== undefined && outMeta.type !== 'float32') {
      fail(`output "${outputName}" has element type ${outMeta.type}${outMeta.isTensor ? '' : ' (not a tensor)'}, not float32 scores${outputNames.length > 1 ? `; its outputs are ${outputNames.join(', ')}: choose the scores with outputName (--output-name on the command line)` : ''}.`);
    }

    // --- the output must have a row per image: a first dimension fixed at a number the input's
    // batch dimension does not share is a collapsed batch (checked again on every run)
    const outDims = outMeta.shape;
    const batchDim = dims[0];
    if (outDims && outDims.length > 0 && isFixedDim(outDims[0]) && !(isFixedDim(batchDim) && batchDim === outDims[0])) {
      fail(`output "${outputName}" has ${outDims[0]} rows for a batch of ${isFixedDim(batchDim) ? batchDim : `"${String(batchDim || '?')}"`} images (declared shape ${showShape(outDims)}); a classifier returns one row per image. Choose another output with outputName.`);
    }

    // --- run once on a fixed test input: one row (the smooth pattern) unless the batch is fixed.
    // A larger first run leaves a fragment of onnxruntime's arena unused by the batches that follow:
    // 2 rows cost 14 MiB of MobileNetV2's and SqueezeNet's peak at batch 50, 1 row 0–4 (decision 0028).
    const size = width * height * channels;
    const rows = fixedBatch ?? 1;
    const shape = layout === 'NCHW' ? [rows, channels, height, width] : [rows, height, width, channels];
    let probe: PlainTensor;
    try {
      probe = (await session.run({ [inputName]: { type: 'float32', data: testInputs(rows, size, fixedBatch ? 0 : 1), dims: shape } }, [outputName])).outputs[outputName];
    } catch (err) {
      return fail(`failed on a test input of shape ${showShape(shape)} (${layout}): ${(err as Error).message.split('\n')[0]}. Check layout, width and height (--layout, --input-size).`);
    }
    const raw = probe.data as Float32Array;
    const units = checkTestOutput(`Model ${path}`, outputName, rows, { shape: [...probe.dims], values: raw }, o.outputKind);
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
      ...(o.thread === 'worker' ? { thread: o.thread } : {}),
      executionProviders: [...o.executionProviders],
      model: path,
      inputName,
      inputNames,
      inputShape: dims.map((d) => (isFixedDim(d) ? d : String(d || '?'))),
      outputName,
      outputNames,
      ...conventionInfo(image, o.preprocess, output, op),
      ...(proto?.opset !== undefined ? { opset: proto.opset } : {}),
      ...(proto?.producer ? { producer: proto.producer } : {}),
      ...(fixedBatch !== undefined ? { fixedBatch } : {}),
      ...(namesFrom ? { classNamesFrom: namesFrom } : {}),
      ...(notes.length ? { notes } : {}),
    };
    const adapter = new OnnxModelAdapter({ who: C, path, outputName, fixedBatch, output, input, classNames, maxBatchSize, info }, { session, inputName, ...runtime });
    if (o.maxBatchSize === 'auto') await adapter.chooseBatchSizeNow(o.memoryBudgetBytes);
    return adapter;
  }

  /** True when the session runs in a worker thread (`thread: 'worker'`). */
  override get offThread(): boolean {
    return this.ort.thread === 'worker';
  }

  /** Runs the session on the images (wrapped as a tensor in process; moved or copied to the worker). */
  protected async runRaw(data: Float32Array, rows: number, _what: string, move = false): Promise<RawOutput> {
    const { width, height, channels, layout } = this.input;
    const { session, inputName } = this.ort;
    const outputName = this.base.outputName;
    const dims = layout === 'NCHW' ? [rows, channels, height, width] : [rows, height, width, channels];
    const { outputs, inputs } = await session.run({ [inputName]: { type: 'float32', data, dims } }, [outputName], move);
    const result = outputs[outputName];
    return { shape: [...result.dims], values: result.data, input: inputs[inputName] };
  }

  /**
   * A named intermediate tensor for a batch (see `ModelAdapter.embed`): any graph output, or the
   * output of any node (`/features/ReduceMean_output_0`, as Netron shows it). ONNX Runtime
   * returns only graph outputs, so for a node output a second session is made, once per name,
   * from the model's bytes with that tensor added as a graph output (the weights are shared on
   * disk, not in memory: the second session holds its own copy).
   *
   * @throws InvalidOptionError when no node outputs a tensor of that name (the message lists the
   *   names nearest the output); ModelError when the runtime fails.
   */
  async embed(batch: Float32Array, count: number, name: string, ctx?: { signal?: AbortSignal }): Promise<Embedding> {
    const { inputName, tensorNames } = this.ort;
    return this.embedWith(batch, count, name, tensorNames, async (data, rows) => {
      const session = await this.embeddingSession(name);
      const { width, height, channels, layout } = this.input;
      const dims = layout === 'NCHW' ? [rows, channels, height, width] : [rows, height, width, channels];
      const t = (await session.run({ [inputName]: { type: 'float32', data, dims } }, [name])).outputs[name];
      if (t.type !== 'float32') throw new Error(`tensor "${name}" has element type ${t.type}, not float32`);
      return { shape: [...t.dims], values: t.data };
    }, ctx);
  }

  private readonly embeddingSessions = new Map<string, Promise<RuntimeSession>>();

  /** The main session when `name` is a graph output, else a session with `name` added as one (made once). */
  private embeddingSession(name: string): Promise<RuntimeSession> {
    if (this.ort.session.outputNames.includes(name)) return Promise.resolve(this.ort.session);
    let s = this.embeddingSessions.get(name);
    if (!s) {
      s = this.ort.bytes().then((bytes) => createSession(withGraphOutputs(bytes, [name]), this.ort.options, this.ort.thread));
      this.embeddingSessions.set(name, s);
      s.catch(() => this.embeddingSessions.delete(name));
    }
    return s;
  }

  /** Releases the ONNX Runtime sessions. */
  protected async release(): Promise<void> {
    await this.ort.session.release();
    for (const s of this.embeddingSessions.values()) await (await s.catch(() => undefined))?.release();
    this.embeddingSessions.clear();
  }
}

function resolveLoadOptions(options: Partial<OnnxModelOptions>): OnnxModelOptions {
  const o = resolveModelOptions(C, DEFAULT_ONNX_OPTIONS, options);
  requireOption(Array.isArray(o.executionProviders) && o.executionProviders.length > 0 && o.executionProviders.every((e) => typeof e === 'string'), C, 'executionProviders', 'a non-empty array of provider names', o.executionProviders, 'The default is ["cpu"].');
  requireOption(Number.isInteger(o.intraOpNumThreads) && o.intraOpNumThreads >= 0, C, 'intraOpNumThreads', 'an integer >= 0', o.intraOpNumThreads, '0 lets ONNX Runtime choose.');
  requireOption(typeof o.enableMemPattern === 'boolean', C, 'enableMemPattern', 'true or false', o.enableMemPattern, 'The default is false.');
  requireOption(typeof o.intraOpSpinning === 'boolean', C, 'intraOpSpinning', 'true or false', o.intraOpSpinning, 'The default is false.');
  requireOption(o.thread === 'worker' || o.thread === 'main', C, 'thread', '"worker" or "main"', o.thread, 'The default is "main".');
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

/**
 * The ModelProto's structure read from the file without its weights ({@link readModelSkeleton}):
 * undefined for ORT-format files. Where the file cannot be opened or is not a well-formed ONNX model,
 * it is read whole and {@link parseModel} says what is wrong, as for bytes.
 */
async function readModelStructure(path: string): Promise<OnnxModelInfo | undefined> {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const size = fstatSync(fd).size;
    const f = fd;
    const source: ByteSource = {
      size,
      readInto: (target, position) => {
        // readSync may return less than asked for; read until the window is full or the file ends.
        const want = Math.max(0, Math.min(target.length, size - position));
        let got = 0;
        while (got < want) {
          const n = readSync(f, target, got, want - got, position + got);
          if (n === 0) break;
          got += n;
        }
        return got;
      },
    };
    const head = new Uint8Array(8);
    if (size > 0 && isOrtFormat(head.subarray(0, source.readInto(head, 0)))) return undefined;
    const proto = size > 0 ? readModelProto(readModelSkeleton(source)) : undefined;
    if (proto?.hasGraph) return proto;
  } catch {
    // Unreadable or malformed: the whole-file path below names the problem.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
  return parseModel(path, await readModelBytes(path));
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
        `Model ${path}: execution provider "${ep}" is known to onnxruntime-node but its libraries are not installed (installed: ${backends.filter((b) => b.bundled || providerLibraryPresent(b.name)).map((b) => b.name).join(', ')}). Install its ${ep.toUpperCase()} binaries (ONNXRUNTIME_NODE_INSTALL=cuda12 node node_modules/onnxruntime-node/script/install.js) on a machine with CUDA 12 and cuDNN, or use executionProviders: ["cpu"].`,
      );
    }
  }
}

/** Name, type and shape of a graph input or output: from ONNX Runtime's metadata, else from the ModelProto. */
function valueMeta(session: RuntimeSession, side: 'input' | 'output', name: string, proto: OnnxModelInfo | undefined): { type?: string; shape?: OnnxDim[]; isTensor: boolean } {
  const list = (side === 'input' ? session.inputMetadata : session.outputMetadata) as readonly ort.InferenceSession.ValueMetadata[] | undefined;
  const m = list?.find((v) => v.name === name);
  if (m) return m.isTensor ? { type: m.type, shape: [...m.shape], isTensor: true } : { type: 'non-tensor', isTensor: false };
  const p = (side === 'input' ? proto?.inputs : proto?.outputs)?.find((v) => v.name === name);
  return p ? { ...(p.elemType ? { type: p.elemType } : {}), ...(p.shape ? { shape: [...p.shape] } : {}), isTensor: p.elemType !== undefined } : { isTensor: true };
}
