// Model parameter randomisation (Adebayo et al., NeurIPS 2018) for TensorFlow.js Layers models, in
// memory: a copy of the weights read from disk gets random values; the files are never written.
import { ModelError } from '@limekit/core';
import type { io } from '@tensorflow/tfjs';
import type { TfjsModelFiles } from './model-files.js';

/** One layer's weights, as parameter randomisation treats them. */
export interface TfjsWeightLayer {
  /** The layer's name in the model topology (the manifest names' prefix, e.g. `conv2d_1`). */
  readonly layer: string;
  /** Manifest names of its randomisable weights, e.g. `conv2d_1/kernel`, `conv2d_1/bias`. */
  readonly weights: readonly string[];
}

/**
 * Weights left alone: batch normalisation's running statistics are not learned parameters (and a
 * normal draw would give negative variances, hence NaN outputs).
 */
const STATISTICS = /\/(moving_mean|moving_variance)(_\d+)?$/;

/** The layer names of a Keras topology, in order (nested models flattened in place). */
function topologyLayerNames(topology: unknown): string[] {
  const out: string[] = [];
  const walk = (node: unknown) => {
    if (!node || typeof node !== 'object') return;
    const n = node as { model_config?: unknown; config?: { layers?: unknown; name?: unknown; layer?: unknown } };
    if (n.model_config) return walk(n.model_config);
    const layers = n.config?.layers;
    if (!Array.isArray(layers)) return;
    for (const l of layers as { config?: { name?: unknown; layers?: unknown; layer?: { config?: { name?: unknown } } } }[]) {
      if (typeof l?.config?.name === 'string') out.push(l.config.name);
      if (Array.isArray(l?.config?.layers)) walk(l);
      // Wrappers (TimeDistributed, Bidirectional) name their inner layer's weights after it.
      if (typeof l?.config?.layer?.config?.name === 'string') out.push(l.config.layer.config.name);
    }
  };
  walk(topology);
  return out;
}

/** The manifest entries in the order of the weight bytes, with their byte offsets. */
function weightEntries(files: TfjsModelFiles): { spec: io.WeightsManifestEntry; offset: number; count: number; float: boolean }[] {
  const out: { spec: io.WeightsManifestEntry; offset: number; count: number; float: boolean }[] = [];
  let offset = 0;
  for (const spec of files.artifacts.weightSpecs ?? []) {
    const count = spec.shape.reduce((a, b) => a * b, 1);
    const dtype = spec.quantization?.dtype ?? spec.dtype;
    const per = { float32: 4, int32: 4, bool: 1, uint8: 1, complex64: 8, float16: 2, uint16: 2, int8: 1, int16: 2 }[dtype as string];
    if (per === undefined) throw new ModelError(`TensorFlow.js model ${files.path}: weight ${spec.name} has dtype ${dtype}, whose size is unknown, so its weights cannot be randomised. Convert the model again with float32 weights.`);
    out.push({ spec, offset, count, float: spec.dtype === 'float32' && !spec.quantization });
    offset += count * per;
  }
  return out;
}

/**
 * The layers of a TensorFlow.js Layers model for parameter randomisation, from the output down (the
 * cascade order of Adebayo et al.): float32 weights grouped by layer (the manifest name's prefix
 * before the last `/`), ordered by the layer's place in model.json's topology. Left out: quantised
 * or non-float weights, tensors of fewer than 2 values, and batch normalisation's moving mean and
 * variance (statistics, not parameters).
 * @throws ModelError for a Graph model (its weights are graph constants without layers).
 */
export function tfjsRandomisableLayers(files: TfjsModelFiles): TfjsWeightLayer[] {
  if (files.format !== 'layers-model') {
    throw new ModelError(`TensorFlow.js model ${files.path} is a Graph model: parameter randomisation works on ONNX and TensorFlow.js Layers models only for now. Convert the Keras model with tensorflowjs_converter --output_format tfjs_layers_model, or the graph to ONNX with tf2onnx.`);
  }
  const order = topologyLayerNames(files.json.modelTopology);
  const groups = new Map<string, string[]>();
  for (const e of weightEntries(files)) {
    if (!e.float || e.count < 2 || STATISTICS.test(e.spec.name)) continue;
    const cut = e.spec.name.lastIndexOf('/');
    const layer = cut > 0 ? e.spec.name.slice(0, cut) : e.spec.name;
    groups.set(layer, [...(groups.get(layer) ?? []), e.spec.name]);
  }
  // A layer's place: its own name in the topology, else its first path segment's (nested models).
  const place = (layer: string) => {
    const i = order.lastIndexOf(layer);
    return i >= 0 ? i : order.lastIndexOf(layer.split('/')[0]);
  };
  return [...groups.entries()]
    .map(([layer, weights], i) => ({ layer, weights, key: place(layer), i }))
    .sort((a, b) => b.key - a.key || b.i - a.i)
    .map(({ layer, weights }) => ({ layer, weights }));
}

/**
 * A copy of the model's files whose named weights hold random values: i.i.d. normal with the mean
 * and standard deviation of each tensor's own values (as @limekit/model-onnx's
 * `randomiseInitializers`: activations keep their scale; a constant tensor gets spread 0.01), drawn
 * from `nextGaussian` in manifest order. Neither the input nor the files on disk change.
 * @throws ModelError naming a weight that is not in the manifest or not float32.
 */
export function randomiseTfjsWeights(files: TfjsModelFiles, names: readonly string[], nextGaussian: () => number): TfjsModelFiles {
  const source = files.artifacts.weightData;
  if (!(source instanceof ArrayBuffer)) throw new ModelError(`TensorFlow.js model ${files.path}: its weights are not one buffer; parameter randomisation cannot rewrite them.`);
  const data = source.slice(0);
  const view = new DataView(data);
  const entries = weightEntries(files);
  for (const name of names) {
    const e = entries.find((x) => x.spec.name === name);
    if (!e) throw new ModelError(`TensorFlow.js model ${files.path} has no weight named "${name}"; its weights are ${entries.map((x) => x.spec.name).join(', ')}.`);
    if (!e.float) throw new ModelError(`TensorFlow.js model ${files.path}: weight "${name}" is ${e.spec.quantization ? 'quantised' : e.spec.dtype}; only float32 weights can be randomised.`);
  }
  for (const e of entries) {
    if (!names.includes(e.spec.name)) continue;
    let s = 0, ss = 0;
    for (let i = 0; i < e.count; i++) {
      const v = view.getFloat32(e.offset + 4 * i, true);
      s += v;
      ss += v * v;
    }
    const mean = s / e.count, sd = Math.sqrt(Math.max(0, ss / e.count - mean * mean)) || 1e-2;
    for (let i = 0; i < e.count; i++) view.setFloat32(e.offset + 4 * i, mean + sd * nextGaussian(), true);
  }
  const artifacts: io.ModelArtifacts = { ...files.artifacts, weightData: data };
  return { ...files, artifacts, handler: { load: async () => artifacts } };
}
