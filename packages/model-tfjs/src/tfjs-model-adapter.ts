import { ModelError, requireOption, type Embedding } from '@limekit/core';
import {
  BaseModelAdapter,
  checkTestOutput,
  conventionInfo,
  classNamesFromMetadata,
  DEFAULT_COMMON_MODEL_OPTIONS,
  decideOutput,
  inputSpecOf,
  readImageInput,
  resolveClassNames,
  resolveModelOptions,
  showShape,
  testInputs,
  type CommonModelOptions,
  type AdapterState,
  type InputDim,
  type RawOutput,
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
  /** Names {@link runTensor} accepts: a Layers model's layer names, a Graph model's node names (not constants or inputs), in model order. */
  readonly tensorNames: readonly string[];
  /** Computes a named intermediate tensor (inside the caller's tidy scope). */
  runTensor(x: tf.Tensor, name: string): tf.Tensor | Promise<tf.Tensor>;
  dispose(): void;
}

/** Keras activation names → the op names {@link decideOutput} knows. */
const ACTIVATION_OPS: Record<string, string> = { softmax: 'Softmax', sigmoid: 'Sigmoid', hardSigmoid: 'HardSigmoid', hard_sigmoid: 'HardSigmoid', linear: 'Identity' };

function layersRunner(model: tf.LayersModel): Runner {
  const subModels = new Map<string, tf.LayersModel>();
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
    tensorNames: model.layers.filter((l) => l.getClassName() !== 'InputLayer').map((l) => l.name),
    runTensor: (x, name) => {
      // A sub-model from the input to the layer's output, made once per name; it shares the weights.
      let sub = subModels.get(name);
      if (!sub) {
        const out = model.getLayer(name).output;
        sub = tf.model({ inputs: model.inputs, outputs: Array.isArray(out) ? out[0] : out });
        subModels.set(name, sub);
      }
      const y = sub.predict(x, { batchSize: x.shape[0] });
      return Array.isArray(y) ? y[0] : y;
    },
    // The sub-models own no weights, and disposing one would dispose the shared layers (tfjs
    // does not count a layer's references from tf.model): only the model itself is disposed.
    dispose: () => {
      subModels.clear();
      model.dispose();
    },
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
    tensorNames: (topology.node ?? []).filter((n) => n.op !== 'Const' && n.op !== 'Placeholder').map((n) => n.name),
    runTensor: (x, name) => {
      const feed = { [inputNames[0]]: x };
      return asyncMode ? (model.executeAsync(feed, name) as Promise<tf.Tensor>) : (model.execute(feed, name) as tf.Tensor);
    },
    dispose: () => model.dispose(),
  };
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
export class TfjsModelAdapter extends BaseModelAdapter {
  readonly id = 'tfjs';
  private readonly runner: Runner;
  private readonly backendReport: BackendReport;
  /** Batches run one at a time: a TensorFlow.js scope must not collect another batch's tensors. */
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(state: AdapterState, runner: Runner, backend: BackendReport) {
    super(state);
    this.runner = runner;
    this.backendReport = backend;
  }

  /** The backend running this model (`tensorflow`, `wasm` or `cpu`) and the package providing it. */
  get backend(): BackendReport {
    return this.backendReport;
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
    checkOptions(options);
    return TfjsModelAdapter.fromFiles(await readTfjsModel(path), options, importer);
  }

  /**
   * As {@link load}, from files already read (and perhaps changed in memory, as parameter
   * randomisation does with `randomiseTfjsWeights`); `files.path` names the model in messages.
   */
  static async fromFiles(files: TfjsModelFiles, options: Partial<TfjsModelOptions> = {}, importer?: ModuleImporter): Promise<TfjsModelAdapter> {
    const o = checkOptions(options);
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
    if (o.inputName === null && inputNames.length !== 1) fail(`has ${inputNames.length} inputs (${inputNames.join(', ')}); limekit feeds one image tensor. Name it with inputName (--input-name on the command line).`);
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

    if (o.outputName !== null && !outputNames.includes(o.outputName)) fail(`has no output named "${o.outputName}"; its outputs are ${outputNames.join(', ')}. Choose one with outputName (--output-name on the command line).`);
    const outputName = o.outputName ?? outputNames[0];

    // Run once on fixed test inputs: it runs, how many units, and (with outputKind auto) what they are.
    const rows = fixedBatch ?? 2;
    const shape = layout === 'NCHW' ? [rows, channels, height, width] : [rows, height, width, channels];
    let raw: Float32Array;
    let outShape: readonly number[];
    try {
      const y = await runScoped(runner, tf.tensor(testInputs(rows, channels * height * width), shape, 'float32'), outputName);
      outShape = y.shape;
      raw = y.values;
    } catch (err) {
      return fail(`failed on a test input of shape ${showShape(shape)} (${layout}): ${(err as Error).message.split('\n')[0]}. Check layout, width and height (--layout, --input-size).`);
    }
    const units = checkTestOutput(`Model ${path}`, outputName, rows, { shape: outShape, values: raw }, o.outputKind);
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
      ...conventionInfo(image, o.preprocess, output, op),
      ...(fixedBatch !== undefined ? { fixedBatch } : {}),
      ...(names.from ? { classNamesFrom: names.from } : {}),
      ...(notes.length ? { notes } : {}),
    };
    const adapter = new TfjsModelAdapter({ who: C, path, outputName, fixedBatch, output, input, classNames: names.classNames, maxBatchSize, info }, runner, backend);
    if (o.maxBatchSize === 'auto') await adapter.chooseBatchSizeNow(o.memoryBudgetBytes);
    return adapter;
  }

  /**
   * Copies the images into one input tensor and runs the model in a TensorFlow.js scope, one
   * batch at a time; every tensor it creates is disposed before it returns.
   */
  protected runRaw(data: Float32Array, rows: number): Promise<RawOutput> {
    const { width, height, channels, layout } = this.input;
    const dims = layout === 'NCHW' ? [rows, channels, height, width] : [rows, height, width, channels];
    const next = this.queue.then(async () => {
      if (tf.getBackend() !== this.backendReport.backend) await tf.setBackend(this.backendReport.backend); // another model switched it
      return runScoped(this.runner, tf.tensor(data, dims, 'float32'), this.base.outputName);
    });
    this.queue = next.catch(() => undefined);
    return next;
  }

  /**
   * A named intermediate tensor for a batch (see `ModelAdapter.embed`): a Layers model's layer
   * (its output, through a sub-model that shares the weights, made once per name) or a Graph
   * model's node. Every tensor it creates is disposed before it returns.
   *
   * @throws InvalidOptionError when the model has no layer or node of that name (the message lists
   *   the names nearest the output); ModelError when the runtime fails.
   */
  async embed(batch: Float32Array, count: number, name: string, ctx?: { signal?: AbortSignal }): Promise<Embedding> {
    const { width, height, channels, layout } = this.input;
    return this.embedWith(batch, count, name, this.runner.tensorNames, (data, rows) => {
      const dims = layout === 'NCHW' ? [rows, channels, height, width] : [rows, height, width, channels];
      const next = this.queue.then(async () => {
        if (tf.getBackend() !== this.backendReport.backend) await tf.setBackend(this.backendReport.backend);
        return runScopedWith(() => this.runner.runTensor(tf.tensor(data, dims, 'float32'), name));
      });
      this.queue = next.catch(() => undefined);
      return next;
    }, ctx);
  }

  /** Disposes the model's weights. */
  protected async release(): Promise<void> {
    this.runner.dispose();
  }
}

/** Options merged over the defaults and checked. */
function checkOptions(options: Partial<TfjsModelOptions>): TfjsModelOptions {
  const o = resolveModelOptions(C, DEFAULT_TFJS_OPTIONS, options);
  requireOption(BACKENDS.includes(o.backend), C, 'backend', `one of ${BACKENDS.join(', ')}`, o.backend);
  for (const k of ['inputName', 'outputName'] as const) requireOption(o[k] === null || typeof o[k] === 'string', C, k, 'null or a name', o[k]);
  return o;
}

/**
 * Runs the model on `x` and reads the output, disposing `x`, the output and every intermediate
 * tensor, also when the model throws.
 */
async function runScoped(runner: Runner, x: tf.Tensor, output: string): Promise<RawOutput> {
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

/** Runs `make` (which creates its input tensor) in a scope and reads the result; every tensor made is disposed. */
async function runScopedWith(make: () => tf.Tensor | Promise<tf.Tensor>): Promise<RawOutput> {
  tf.engine().startScope();
  try {
    const y = await make();
    const values = (y.dtype === 'float32' ? await y.data() : await y.cast('float32').data()) as Float32Array;
    return { shape: [...y.shape], values };
  } finally {
    tf.engine().endScope();
  }
}

/** userDefinedMetadata as strings (JSON for arrays and objects), as classNamesFromMetadata reads it. */
function stringMetadata(meta: Record<string, unknown> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!meta || typeof meta !== 'object') return out;
  for (const [k, v] of Object.entries(meta)) out[k] = typeof v === 'string' ? v : JSON.stringify(v);
  return out;
}

