import { readFile, stat } from 'node:fs/promises';
import { extname } from 'node:path';
import {
  InvalidOptionError,
  ModelError,
  normalizationPreset,
  pickViewOptions,
  type ModelAdapter,
  type Normalization,
  type ViewOptions,
} from '@limekit/core';
import type { TfjsBackendChoice, TfjsModelFiles } from '@limekit/model-tfjs';

export type { TfjsBackendChoice };
import type { ExplainConfig } from './config.js';
import { parseInputSize, pickModelFields, type ModelFields } from './model-fields.js';

/** Options of {@link loadModel}: the config's model fields ({@link ModelFields}), the view fields (core's `ViewOptions`) and these. */
export interface LoadModelOptions extends ModelFields, ViewOptions {
  /** A preprocessing preset name or an explicit normalisation (fields missing from it come from `imagenet`). */
  preprocess?: ExplainConfig['preprocess'];
  /** A labels file (JSON array, imagenet_class_index-style JSON object, or one name per line); the adapters' `labels` option. */
  labels?: string;
  /** Largest batch to send to the model. */
  batchSize?: number;
  /** TensorFlow.js models only: the backend (`auto`, `tensorflow`, `wasm`, `cpu`); default `auto`. */
  backend?: TfjsBackendChoice;
  /**
   * ONNX models only: rewrites the file's bytes in memory before loading (model parameter
   * randomisation); the file on disk is never changed. `name` labels the changed model in messages.
   */
  transformOnnx?: { apply: (bytes: Uint8Array) => Uint8Array; name: string };
  /** TensorFlow.js models only: as `transformOnnx`, on the files read from disk (weights in memory). */
  transformTfjs?: { apply: (files: TfjsModelFiles) => TfjsModelFiles; name: string };
}

/** Turns a config's `preprocess` into a full {@link Normalization}. */
export function normalizationFrom(preprocess: ExplainConfig['preprocess'] | undefined): Normalization | undefined {
  if (preprocess === undefined) return undefined;
  if (typeof preprocess === 'string') return normalizationPreset(preprocess);
  const base = normalizationPreset('imagenet');
  return {
    scale: preprocess.scale ?? base.scale,
    mean: preprocess.mean ?? base.mean,
    std: preprocess.std ?? base.std,
    channelOrder: preprocess.channelOrder ?? base.channelOrder,
  };
}

/**
 * Loads a model from disk, choosing the adapter by file type: `.onnx` / `.ort` → onnxruntime-node
 * (@limekit/model-onnx); `model.json` or a folder holding one → TensorFlow.js (@limekit/model-tfjs,
 * loaded on first use), with class names from a labels file when given. An
 * `http(s)://host:port/v2/models/NAME` URL → an Open Inference Protocol server
 * (@limekit/model-remote), with the same preprocessing options. A `.json` file whose `format` is
 * `limekit-scaffold` → a scaffolded model (@limekit/model-scaffold): its two models load through
 * this function with the same options.
 * @throws ModelError for a missing or unusable model or an unknown file type; InputError for a bad
 *   labels file or a labels count that differs from the model's classes.
 */
export async function loadModel(path: string, options: LoadModelOptions = {}): Promise<ModelAdapter> {
  if (/^https?:\/\//i.test(path)) return loadRemoteModel(path, options);
  let isDir: boolean;
  try {
    isDir = (await stat(path)).isDirectory();
  } catch {
    throw new ModelError(`Model file ${path} does not exist or cannot be read. Check the --model path.`);
  }
  const ext = extname(path).toLowerCase();
  if (!isDir && ext === '.json' && (await isScaffoldFile(path))) return loadScaffold(path, options);
  const common = adapterOptions(options);
  if (options.transformOnnx && (isDir || ext === '.json' || ext === '.ort')) {
    throw new InvalidOptionError(`${path}: transformOnnx applies to ONNX (.onnx) models; use transformTfjs for a TensorFlow.js model.`);
  }
  if (options.transformTfjs && !(isDir || ext === '.json')) throw new InvalidOptionError(`${path}: transformTfjs applies to TensorFlow.js models (model.json or its folder).`);
  if (isDir || ext === '.json') {
    // Imported on first use: TensorFlow.js takes a while to load and ONNX users never need it.
    const { TfjsModelAdapter, readTfjsModel } = await import('@limekit/model-tfjs');
    const tfjsOptions = { ...common, ...(options.backend ? { backend: options.backend } : {}) };
    if (!options.transformTfjs) return TfjsModelAdapter.load(path, tfjsOptions);
    const changed = options.transformTfjs.apply(await readTfjsModel(path));
    return TfjsModelAdapter.fromFiles({ ...changed, path: `${changed.path} (${options.transformTfjs.name})` }, tfjsOptions);
  }
  if (ext !== '.onnx' && ext !== '.ort') {
    throw new ModelError(
      `Model file ${path}: unsupported model type "${ext || '(no extension)'}". limekit loads ONNX models (.onnx, .ort) and TensorFlow.js models (model.json, or its folder).`,
    );
  }
  if (options.backend) throw new InvalidOptionError(`backend "${options.backend}" applies to TensorFlow.js models; ${path} is an ONNX model (it runs on onnxruntime-node).`);
  // Imported on first use too: onnxruntime-node's native library takes a while to load.
  const { OnnxModelAdapter } = await import('@limekit/model-onnx');
  if (options.transformOnnx) return OnnxModelAdapter.fromBytes(options.transformOnnx.apply(await readFile(path)), `${path} (${options.transformOnnx.name})`, common);
  return OnnxModelAdapter.load(path, common);
}

/**
 * The options every adapter (ONNX, TensorFlow.js, remote) takes, from {@link LoadModelOptions}:
 * normalisation, class names, input size, the model fields, batch size and the view options.
 */
function adapterOptions(options: LoadModelOptions) {
  const normalization = normalizationFrom(options.preprocess);
  const size = options.inputSize !== undefined ? parseInputSize(options.inputSize, 'inputSize') : undefined;
  return {
    ...(normalization ? { preprocess: normalization } : {}),
    ...(options.labels ? { labels: options.labels } : {}),
    ...(size ? { width: size.width, height: size.height } : {}),
    ...(options.layout ? { layout: options.layout } : {}),
    ...(options.inputName ? { inputName: options.inputName } : {}),
    ...(options.outputName ? { outputName: options.outputName } : {}),
    ...(options.outputKind ? { outputKind: options.outputKind } : {}),
    ...(options.labelOffset ? { labelOffset: options.labelOffset } : {}),
    ...(options.batchSize ? { maxBatchSize: options.batchSize } : {}),
    ...pickViewOptions(options),
  };
}

/** Whether a `.json` model path is a scaffold file (@limekit/model-scaffold) rather than a TensorFlow.js model.json. */
async function isScaffoldFile(path: string): Promise<boolean> {
  const { isScaffoldText } = await import('@limekit/model-scaffold');
  try {
    return isScaffoldText(await readFile(path, 'utf8'));
  } catch {
    return false;
  }
}

/**
 * A scaffold.json: the biased and innocuous models it names load through {@link loadModel} with the
 * same options (preprocessing, labels, batch size…), then compose with its detector.
 */
async function loadScaffold(path: string, options: LoadModelOptions): Promise<ModelAdapter> {
  if (options.transformOnnx || options.transformTfjs) {
    throw new InvalidOptionError(`${path}: a scaffold model cannot be transformed (model parameter randomisation); run it on the biased or innocuous model itself.`);
  }
  const { loadScaffoldModel } = await import('@limekit/model-scaffold');
  return loadScaffoldModel(path, (modelPath) => loadModel(modelPath, options));
}

/** A model behind an inference server: the protocol carries no preprocessing, so it comes from the options as for a file. */
async function loadRemoteModel(url: string, options: LoadModelOptions): Promise<ModelAdapter> {
  if (options.backend) throw new InvalidOptionError(`backend "${options.backend}" applies to TensorFlow.js models run here; ${url} runs on an inference server.`);
  const { RemoteModelAdapter } = await import('@limekit/model-remote');
  return RemoteModelAdapter.load(url, adapterOptions(options));
}

/** The {@link LoadModelOptions} a resolved config (or a plan's model entry) implies: preprocessing, resizing and the {@link ModelFields}. */
export function modelOptionsFrom(resolved: Pick<ExplainConfig, 'preprocess' | 'resize' | 'resizeTo' | 'interpolation'> & ModelFields): LoadModelOptions {
  return {
    ...pickModelFields(resolved),
    ...(resolved.preprocess !== undefined ? { preprocess: resolved.preprocess } : {}),
    ...pickViewOptions(resolved),
  };
}
