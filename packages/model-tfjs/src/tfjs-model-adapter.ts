import { ModelError, requireOption, throwIfAborted, type ModelAdapter, type ModelInputSpec } from '@limekit/core';
import {
  applyOutputDecision,
  classNamesFromMetadata,
  DEFAULT_COMMON_MODEL_OPTIONS,
  DEFAULT_PROBE_CANDIDATES,
  decideOutput,
  inputSpecOf,
  probeBatchSize,
  readImageInput,
  resolveClassNames,
  resolveModelOptions,
  showShape,
  testInputs,
  type BatchSizeProbe,
  type CommonModelOptions,
  type InputDim,
  type OutputDecision,
} from '@limekit/model-common';
import * as tf from '@tensorflow/tfjs';
import { selectBackend, type BackendReport, type ModuleImporter, type TfjsBackendChoice } from './backend.js';
import { readTfjsModel, type TfjsModelFiles, type TfjsModelFormat } from './model-files.js';

/** Options of {@link TfjsModelAdapter.load}: the {@link CommonModelOptions} of every adapter, and TensorFlow.js's own. */
export interface TfjsModelOptions extends CommonModelOptions {
  /** Backend (see {@link TfjsBackendChoice}). Default `auto`. */
  backend: TfjsBackendChoice;
  /** Model input to feed. Default null: the model's only input. */
  inputName: string | null;
  /** Model output to read (a Layers output layer's name, or a Graph model's output node). Default null: the first output. */
  outputName: string | null;
}

/** Defaults of {@link TfjsModelOptions}. Layers models are usually channels-last; `layout: 'auto'` reads it from the input shape. */
export const DEFAULT_TFJS_OPTIONS: Readonly<TfjsModelOptions> = {
  ...DEFAULT_COMMON_MODEL_OPTIONS,
  backend: 'auto',
  inputName: null,
  outputName: null,
};

const C = 'TfjsModelAdapter';
const BACKENDS: TfjsBackendChoice[] = ['auto', 'tensorflow', 'wasm', 'cpu'];

/** A loaded model of either format, reduced to what the adapter calls. */
interface Runner {
  readonly format: TfjsModelFormat;
  readonly inputNames: string[];
  readonly outputNames: string[];
  inputShape(name: string): InputDim[] | undefined;
  inputDtype(name: string): string | undefined;
  /** The op computing an output, for the output-kind decision; undefined when unknown. */
  outputOp(name: string): string | undefined;
  /** Runs the model inside the caller's tidy scope (Graph models with control flow run asynchronously). */
  run(x: tf.Tensor, output: string): tf.Tensor | Promise<tf.Tensor>;
  dispose(): void;
}

/** Keras activation names → the op names {@link decideOutput} knows. */
const ACTIVATION_OPS: Record<string, string> = { softmax: 'Softmax', sigmoid: 'Sigmoid', hardSigmoid: 'HardSigmoid', hard_sigmoid: 'HardSigmoid', linear: 'Identity' };

function layersRunner(model: tf.LayersModel): Runner {
  const inputNames = model.inputs.map((t) => t.name.replace(/:\d+$/, ''));
  const outputNames = model.outputLayers.map((l) => l.name);
  return {
    format: 'layers-model',
    inputNames,
    outputNames,
    inputShape: (name) => model.inputs[inputNames.indexOf(name)]?.shape.map((d) => d ?? null),
    inputDtype: (name) => model.inputs[inputNames.indexOf(name)]?.dtype,
    outputOp: (name) => {
      const layer = model.outputLayers[outputNames.indexOf(name)];
      if (!layer) return undefined;
      const cls = layer.getClassName();
      if (cls === 'Softmax') return 'Softmax';
      const activation = (layer.getConfig() as { activation?: unknown }).activation;
      if (typeof activation === 'string') return activation === 'linear' ? cls : (ACTIVATION_OPS[activation] ?? activation);
      return cls;
    },
    run: (x, output) => {
      const y = model.predict(x, { batchSize: x.shape[0] });
      return Array.isArray(y) ? y[outputNames.indexOf(output)] : y;
    },
    dispose: () => model.dispose(),
  };
}

/** Ops that pass their first input through unchanged in value. */
const PASS_THROUGH = new Set(['Identity', 'Reshape', 'Squeeze', 'IdentityN', 'StopGradient', 'Snapshot']);

function graphRunner(model: tf.GraphModel, topology: { node?: { name: string; op: string; input?: string[] }[] }): Runner {
  const nodes = new Map((topology.node ?? []).map((n) => [n.name, n]));
  const inputNames = model.inputs.map((t) => t.name);
  const outputNames = model.outputs.map((t) => t.name);
  let asyncMode = false;
  return {
    format: 'graph-model',
    inputNames,
    outputNames,
    inputShape: (name) => model.inputs.find((t) => t.name === name)?.shape?.map((d) => (d === -1 ? null : d)),
    inputDtype: (name) => model.inputs.find((t) => t.name === name)?.dtype,
    outputOp: (name) => {
      let node = nodes.get(name.replace(/:\d+$/, ''));
      for (let hops = 0; node && PASS_THROUGH.has(node.op) && node.input?.length && hops < 64; hops++) node = nodes.get(node.input[0].replace(/^\^/, '').replace(/:\d+$/, ''));
      return node?.op;
    },
    run: (x, output) => {
      const feed = { [inputNames[0]]: x };
      if (!asyncMode) {
        try {
          return model.execute(feed, output) as tf.Tensor;
        } catch (err) {
          if (!/executeAsync/.test(String((err as Error).message))) throw err;
          asyncMode = true; // dynamic control flow: only executeAsync can run it
        }
      }
      return model.executeAsync(feed, output) as Promise<tf.Tensor>;
    },
    dispose: () => model.dispose(),
  };
}

/** What the constructor stores. */
interface TfjsModelState {
  readonly path: string;
  readonly runner: Runner;
  readonly inputName: string;
  readonly outputName: string;
  readonly fixedBatch: number | undefined;
  readonly output: OutputDecision;
  readonly backend: BackendReport;
}

/**
 * An image classifier in TensorFlow.js format — a Layers model (Keras, `tfjs_layers_model`) or a
 * Graph model (`tfjs_graph_model`, a frozen TensorFlow graph) — loaded from disk, never from the
 * network, and run on the best backend installed (see {@link selectBackend}).
 *
 * As with the ONNX adapter, the input's name, shape and layout, a fixed batch size, the output
 * convention (from the output layer's activation or the graph's last op, and the values on test
 * inputs) and class names (from model.json's `userDefinedMetadata`) are read when the model is
 * loaded, and each can be overridden. Every tensor a batch creates is disposed before
 * {@link predict} returns: `tf.memory().numTensors` is the same before and after an explanation.
 *
 * @example
 * ```ts
 * const model = await TfjsModelAdapter.load('model/model.json', { preprocess: 'inception' });
 * try { … } finally { await model.dispose(); }
 * ```
 * @see https://www.tensorflow.org/js/guide/save_load
 */
export class TfjsModelAdapter implements ModelAdapter {
  readonly id = 'tfjs';
  readonly input: ModelInputSpec;
  readonly numClasses: number;
  readonly classNames?: readonly string[];
  readonly info: Readonly<Record<string, unknown>>;
  private readonly state: TfjsModelState;
  private batchCap: number | undefined;
  private calls = 0;
  private disposed = false;
  /** Batches run one at a time: a TensorFlow.js scope must not collect another batch's tensors. */
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(state: TfjsModelState, input: ModelInputSpec, classNames: readonly string[] | undefined, maxBatchSize: number | undefined, info: Record<string, unknown>) {
    this.state = state;
    this.input = input;
    this.numClasses = state.output.numClasses;
    if (classNames) this.classNames = classNames;
    this.batchCap = maxBatchSize;
    this.info = info;
  }

  /** Largest batch {@link predict} should be given: the model's fixed batch, the `maxBatchSize` option, or the probed size; undefined: unlimited. */
  get maxBatchSize(): number | undefined {
    return this.batchCap;
  }

  /** The backend running this model (`tensorflow`, `wasm` or `cpu`) and the package providing it. */
  get backend(): BackendReport {
    return this.state.backend;
  }

  /**
   * Loads a TensorFlow.js image classifier from disk and checks that limekit can feed and read it.
   *
   * @param path `model.json` (or its folder); its weight shards are read from the same folder.
   * @param options see {@link TfjsModelOptions} and {@link DEFAULT_TFJS_OPTIONS}.
   * @param importer loads the optional native backends; tests replace it.
   * @returns the adapter; the caller disposes it.
   * @throws InvalidOptionError for unknown options or values out of range.
   * @throws ModelError naming the file and the fix: missing or corrupt model.json, missing or
   *   truncated weight files, a backend that cannot start, input not a rank-4 float32 tensor,
   *   channels not 1 or 3, symbolic spatial size without `width`/`height`, output rows ≠ batch
   *   rows, non-finite outputs on the test inputs.
   * @throws InputError for class names whose count differs from the model's classes.
   */
  static async load(path: string, options: Partial<TfjsModelOptions> = {}, importer?: ModuleImporter): Promise<TfjsModelAdapter> {
    const o = resolveModelOptions(C, DEFAULT_TFJS_OPTIONS, options);
    requireOption(BACKENDS.includes(o.backend), C, 'backend', `one of ${BACKENDS.join(', ')}`, o.backend);
    for (const k of ['inputName', 'outputName'] as const) requireOption(o[k] === null || typeof o[k] === 'string', C, k, 'null or a name', o[k]);
    const files = await readTfjsModel(path);
    const backend = await selectBackend(o.backend, importer);
    let runner: Runner;
    try {
      runner = files.format === 'layers-model'
        ? layersRunner(await tf.loadLayersModel(files.handler))
        : graphRunner(await tf.loadGraphModel(files.handler), files.json.modelTopology as { node?: { name: string; op: string; input?: string[] }[] });
    } catch (err) {
      throw new ModelError(
        `TensorFlow.js ${tf.version.tfjs} cannot load ${files.format} ${files.path}: ${(err as Error).message.split('\n')[0]}. The model may use a layer or op TensorFlow.js does not support, or be corrupt; convert it again with tensorflowjs_converter.`,
        { cause: err },
      );
    }
    try {
      return await TfjsModelAdapter.inspect(files, runner, backend, o);
    } catch (err) {
      runner.dispose();
      throw err;
    }
  }

  private static async inspect(files: TfjsModelFiles, runner: Runner, backend: BackendReport, o: TfjsModelOptions): Promise<TfjsModelAdapter> {
    const path = files.path;
    const fail = (message: string): never => {
      throw new ModelError(`Model ${path}: ${message}`);
    };
    const notes: string[] = [];
    const { inputNames, outputNames } = runner;
    if (o.inputName !== null && !inputNames.includes(o.inputName)) fail(`has no input named "${o.inputName}"; its inputs are ${inputNames.join(', ')}.`);
    if (o.inputName === null && inputNames.length !== 1) fail(`has ${inputNames.length} inputs (${inputNames.join(', ')}); limekit feeds one image tensor. Name it with inputName.`);
    const inputName = o.inputName ?? inputNames[0];
    const dims = runner.inputShape(inputName);
    if (!dims) fail(`input "${inputName}" declares no shape; limekit needs a rank-4 image tensor. Give the model an input shape when converting it.`);
    const dtype = runner.inputDtype(inputName);
    if (dims!.length === 4 && dtype !== undefined && dtype !== 'float32') {
      fail(`input "${inputName}" has dtype ${dtype}, but limekit feeds float32 tensors${dtype === 'int32' ? ' (a model that takes 0–255 integers does its own preprocessing: convert the float32 network behind it)' : ''}.`);
    }
    const image = readImageInput(`Model ${path}`, inputName, dims!, o);
    const { layout, channels, width, height, fixedBatch } = image;
    notes.push(...image.notes);
    const input = inputSpecOf(image, o, C);

    if (o.outputName !== null && !outputNames.includes(o.outputName)) fail(`has no output named "${o.outputName}"; its outputs are ${outputNames.join(', ')}. Choose one with outputName.`);
    const outputName = o.outputName ?? outputNames[0];

    // Run once on fixed test inputs: it runs, how many units, and (with outputKind auto) what they are.
    const rows = fixedBatch ?? 2;
    const shape = layout === 'NCHW' ? [rows, channels, height, width] : [rows, height, width, channels];
    let raw: Float32Array;
    let outShape: number[];
    try {
      const y = await runScoped(runner, tf.tensor(testInputs(rows, channels * height * width), shape, 'float32'), outputName);
      outShape = y.shape;
      raw = y.values;
    } catch (err) {
      return fail(`failed on a test input of shape ${showShape(shape)} (${layout}): ${(err as Error).message.split('\n')[0]}. Check layout, width and height.`);
    }
    if (outShape[0] !== rows) fail(`output "${outputName}" has ${outShape[0]} rows for a batch of ${rows} images (shape ${showShape(outShape)}); a classifier returns one row per image. Choose another output with outputName.`);
    const units = raw.length / rows;
    if (units < 1 || !Number.isInteger(units) || outShape.length > 2) fail(`output "${outputName}" has shape ${showShape(outShape)}, not one row of scores per image.`);
    const bad = raw.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) fail(`output "${outputName}" is ${raw[bad]} on a test input (image ${Math.floor(bad / units)}, class ${bad % units}); the model is broken or needs inputs it was not given.`);
    if (o.outputKind === 'sigmoid' && units !== 1) fail(`outputKind "sigmoid" needs a single output unit, but output "${outputName}" has ${units}. Use "multilabel" for several sigmoid units, or "auto".`);
    const op = runner.outputOp(outputName);
    const output = decideOutput(o.outputKind, units, op, raw);

    const metadata = stringMetadata(files.json.userDefinedMetadata);
    const fromMeta = classNamesFromMetadata(metadata);
    const names = await resolveClassNames(o, fromMeta ? { names: fromMeta, from: "model.json's userDefinedMetadata" } : undefined, output, `output "${outputName}" has ${units} units`, path);
    if (names.note) notes.push(names.note);

    const maxBatchSize = typeof o.maxBatchSize === 'number' ? (fixedBatch !== undefined ? Math.min(fixedBatch, o.maxBatchSize) : o.maxBatchSize) : fixedBatch;
    const info: Record<string, unknown> = {
      runtime: 'tensorflow.js',
      version: tf.version.tfjs,
      backend: backend.backend,
      backendPackage: backend.backendPackage,
      ...(backend.tried.length ? { backendsPassedOver: [...backend.tried] } : {}),
      model: path,
      format: files.format,
      formatSource: files.formatSource,
      inputName,
      inputNames,
      inputShape: dims!.map((d) => (typeof d === 'number' && d > 0 ? d : '?')),
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
      ...(fixedBatch !== undefined ? { fixedBatch } : {}),
      ...(names.from ? { classNamesFrom: names.from } : {}),
      ...(notes.length ? { notes } : {}),
    };
    const state: TfjsModelState = { path, runner, inputName, outputName, fixedBatch, output, backend };
    const adapter = new TfjsModelAdapter(state, input, names.classNames, maxBatchSize, info);
    if (o.maxBatchSize === 'auto') {
      const probed = await adapter.probeBatchSize(undefined, o.memoryBudgetBytes);
      adapter.batchCap = probed.batchSize;
      info.probedBatchSize = probed;
    }
    return adapter;
  }

  /**
   * Scores a batch. The first `count` images are copied into one input tensor; every tensor
   * created is disposed before this returns.
   *
   * @param batch `count × channels × height × width` floats in {@link ModelInputSpec.layout}; may be longer.
   * @param count images to score, ≥ 1.
   * @returns `count × numClasses` probabilities.
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
    if (batch.length < count * size) throw new ModelError(`${C}: batch holds ${batch.length} floats, fewer than ${count} images × ${size} (${width}×${height}×${channels}) for model ${path}.`);
    if (fixedBatch !== undefined && count > fixedBatch) {
      const out = new Float32Array(count * this.numClasses);
      for (let i = 0; i < count; i += fixedBatch) {
        const n = Math.min(fixedBatch, count - i);
        out.set(await this.predict(batch.subarray(i * size, (i + n) * size), n, ctx), i * this.numClasses);
      }
      return out;
    }
    const next = this.queue.then(() => this.run(batch, count, size));
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async run(batch: Float32Array, count: number, size: number): Promise<Float32Array> {
    const { path, runner, outputName, fixedBatch, output, backend } = this.state;
    const { width, height, channels, layout } = this.input;
    const call = ++this.calls;
    const what = `batch #${call} (${count} image${count === 1 ? '' : 's'})`;
    if (tf.getBackend() !== backend.backend) await tf.setBackend(backend.backend); // another model switched it
    const rows = fixedBatch ?? count;
    let data = batch.subarray(0, count * size);
    if (rows > count) {
      const padded = new Float32Array(rows * size);
      padded.set(data);
      data = padded;
    }
    const dims = layout === 'NCHW' ? [rows, channels, height, width] : [rows, height, width, channels];
    let result: { shape: number[]; values: Float32Array };
    try {
      result = await runScoped(runner, tf.tensor(data, dims, 'float32'), outputName);
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
    return out;
  }

  /**
   * Measures which batch size scores images fastest here, within a memory budget (see
   * `probeBatchSize` in @limekit/model-common for the rule).
   * @param candidates batch sizes to try, default `[1, 8, 16, 32, 64]`; capped by the `maxBatchSize` option.
   * @param memoryBudgetBytes default 1 GiB.
   * @param repeats timed calls per candidate, default 3.
   * @throws InvalidOptionError for empty or non-positive candidates, budget or repeats.
   */
  async probeBatchSize(candidates: readonly number[] = DEFAULT_PROBE_CANDIDATES, memoryBudgetBytes = DEFAULT_TFJS_OPTIONS.memoryBudgetBytes, repeats = 3): Promise<BatchSizeProbe> {
    requireOption(Array.isArray(candidates) && candidates.length > 0 && candidates.every((b) => Number.isInteger(b) && b >= 1), C, 'candidates', 'a non-empty array of integers >= 1', candidates);
    requireOption(Number.isFinite(memoryBudgetBytes) && memoryBudgetBytes > 0, C, 'memoryBudgetBytes', 'a number > 0', memoryBudgetBytes);
    requireOption(Number.isInteger(repeats) && repeats >= 1, C, 'repeats', 'an integer >= 1', repeats);
    const { width, height, channels } = this.input;
    const imageSize = width * height * channels;
    return probeBatchSize(
      {
        predict: (b, n) => this.predict(b, n),
        imageSize,
        ioBytesPerImage: 4 * (imageSize + this.state.output.units + this.numClasses),
        ...(this.batchCap !== undefined ? { cap: this.batchCap } : {}),
        ...(this.state.fixedBatch !== undefined ? { fixedBatch: this.state.fixedBatch } : {}),
      },
      candidates,
      memoryBudgetBytes,
      repeats,
    );
  }

  /** Disposes the model's weights. Safe to call twice. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    this.state.runner.dispose();
  }
}

/**
 * Runs the model on `x` and reads the output, disposing `x`, the output and every intermediate
 * tensor, also when the model throws.
 */
async function runScoped(runner: Runner, x: tf.Tensor, output: string): Promise<{ shape: number[]; values: Float32Array }> {
  tf.engine().startScope();
  try {
    const y = await runner.run(x, output);
    const values = (y.dtype === 'float32' ? await y.data() : await y.cast('float32').data()) as Float32Array;
    return { shape: [...y.shape], values };
  } finally {
    tf.engine().endScope();
    x.dispose();
  }
}

/** userDefinedMetadata as strings (JSON for arrays and objects), as classNamesFromMetadata reads it. */
function stringMetadata(meta: Record<string, unknown> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!meta || typeof meta !== 'object') return out;
  for (const [k, v] of Object.entries(meta)) out[k] = typeof v === 'string' ? v : JSON.stringify(v);
  return out;
}

