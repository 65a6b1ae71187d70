// Reads a TensorFlow.js model (model.json and its binary weight shards) from disk, with errors a
// researcher can act on, and hands TensorFlow.js an IOHandler that never touches the network.
import { readFile, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { ModelError } from '@limekit/core';
import type { io } from '@tensorflow/tfjs';

/** The two TensorFlow.js model formats. */
export type TfjsModelFormat = 'layers-model' | 'graph-model';

/** A model read from disk, ready for `tf.loadLayersModel` / `tf.loadGraphModel`. */
export interface TfjsModelFiles {
  /** The model.json file. */
  readonly path: string;
  readonly format: TfjsModelFormat;
  /** Why the format was decided (the `format` field, or the topology's shape). */
  readonly formatSource: string;
  /** The parsed model.json. */
  readonly json: io.ModelJSON;
  /** An IOHandler serving the files read here. */
  readonly handler: io.IOHandler;
  /** What {@link handler} serves: topology, weight specs and all weights in one buffer (parameter randomisation copies and rewrites it). */
  readonly artifacts: io.ModelArtifacts;
  /** Total bytes of weights. */
  readonly weightBytes: number;
}

const BYTES: Record<string, number> = { float32: 4, int32: 4, bool: 1, uint8: 1, complex64: 8, float16: 2, uint16: 2, int8: 1, int16: 2 };

/** Bytes one weight entry occupies in the shards; undefined when it cannot be known (strings). */
function entryBytes(w: io.WeightsManifestEntry): number | undefined {
  const n = w.shape.reduce((a, b) => a * b, 1);
  const dtype = w.quantization?.dtype ?? w.dtype;
  const per = BYTES[dtype];
  return per === undefined ? undefined : n * per;
}

async function readOrFail(path: string, what: string, fix: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'does not exist' : code === 'EISDIR' ? 'is a directory' : code === 'EACCES' ? 'cannot be read (permission denied)' : `cannot be read (${code ?? String(err)})`;
    throw new ModelError(`${what} ${path} ${why}. ${fix}`, { cause: err });
  }
}

/**
 * Decides the format: the `format` field when present, else from the topology (Keras JSON with
 * `class_name` and `config` → layers; a GraphDef with `node` → graph).
 */
function decideFormat(path: string, json: Record<string, unknown>): { format: TfjsModelFormat; source: string } {
  const declared = json.format;
  if (declared === 'layers-model' || declared === 'graph-model') return { format: declared, source: `model.json "format": "${declared}"` };
  const topo = json.modelTopology as Record<string, unknown> | undefined;
  if (topo && typeof topo === 'object') {
    const inner = (topo.model_config ?? topo) as Record<string, unknown>;
    if (typeof inner.class_name === 'string' && inner.config) return { format: 'layers-model', source: 'a Keras model topology (class_name, config)' };
    if (Array.isArray(topo.node)) return { format: 'graph-model', source: 'a TensorFlow GraphDef topology (node list)' };
  }
  throw new ModelError(
    `Model ${path} is neither a TensorFlow.js Layers model nor a Graph model: ${declared !== undefined ? `its "format" is ${JSON.stringify(declared)}` : 'it has no "format" field'} and its modelTopology is ${topo ? 'not a Keras model or a GraphDef' : 'missing'}. Convert the model with tensorflowjs_converter (--output_format tfjs_layers_model or tfjs_graph_model).`,
  );
}

/**
 * Reads `model.json` and every weight shard it lists, checking that the shards are all there and
 * hold the bytes the manifest describes.
 *
 * @param path a `model.json` file, or a folder holding one.
 * @throws ModelError naming the file and the fix: missing file, not JSON, not a tfjs model,
 *   no weights manifest, missing weight shards (all of them named), or shards whose total size
 *   differs from the manifest (a truncated download).
 */
export async function readTfjsModel(path: string): Promise<TfjsModelFiles> {
  let file = resolve(path);
  try {
    if ((await stat(file)).isDirectory()) file = join(file, 'model.json');
  } catch {
    // reported below by readOrFail
  }
  const text = (await readOrFail(file, 'TensorFlow.js model file', 'Give the path of the model.json file (or its folder).')).toString('utf8');
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    throw new ModelError(`TensorFlow.js model file ${file} is not valid JSON (${(err as Error).message}). It is truncated or corrupt: convert or copy it again.`, { cause: err });
  }
  if (!json || typeof json !== 'object' || Array.isArray(json)) throw new ModelError(`TensorFlow.js model file ${file} holds ${Array.isArray(json) ? 'an array' : JSON.stringify(json)}, not a model.json object.`);
  const { format, source } = decideFormat(file, json);
  const manifest = json.weightsManifest as io.WeightsManifestConfig | undefined;
  if (!Array.isArray(manifest)) {
    throw new ModelError(`TensorFlow.js model ${file} has no "weightsManifest": the weights are not described. Convert the model again with tensorflowjs_converter, which writes model.json and its .bin shards together.`);
  }
  const dir = dirname(file);
  const shardPaths = manifest.flatMap((g) => g.paths.map((p) => join(dir, decodeURIComponent(p))));
  const missing: string[] = [];
  for (const p of shardPaths) {
    try {
      if (!(await stat(p)).isFile()) missing.push(p);
    } catch {
      missing.push(p);
    }
  }
  if (missing.length) {
    throw new ModelError(
      `TensorFlow.js model ${file}: ${missing.length} of its ${shardPaths.length} weight file${shardPaths.length === 1 ? '' : 's'} ${missing.length === 1 ? 'is' : 'are'} missing: ${missing.join(', ')}. Copy the .bin files listed in model.json's weightsManifest next to it (they travel together).`,
    );
  }
  const shards = await Promise.all(shardPaths.map((p) => readOrFail(p, 'Weight file', 'Copy it again next to model.json.')));
  const weightBytes = shards.reduce((a, b) => a + b.length, 0);
  const specs = manifest.flatMap((g) => g.weights);
  const sizes = specs.map(entryBytes);
  if (sizes.every((s) => s !== undefined)) {
    const expected = (sizes as number[]).reduce((a, b) => a + b, 0);
    if (expected !== weightBytes) {
      throw new ModelError(
        `TensorFlow.js model ${file}: its weight files hold ${weightBytes} bytes but weightsManifest describes ${expected} bytes (${specs.length} tensors). A shard is truncated or from another model: copy or convert the model again.`,
      );
    }
  }
  // One contiguous buffer: TensorFlow.js slices weights out of it by the manifest's order.
  const all = Buffer.concat(shards);
  const weightData = all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength) as ArrayBuffer;
  const modelJson = json as unknown as io.ModelJSON;
  const artifacts: io.ModelArtifacts = {
    modelTopology: modelJson.modelTopology,
    weightSpecs: specs,
    weightData,
    format,
    ...(modelJson.generatedBy ? { generatedBy: modelJson.generatedBy } : {}),
    ...(modelJson.convertedBy ? { convertedBy: modelJson.convertedBy } : {}),
    ...(modelJson.trainingConfig ? { trainingConfig: modelJson.trainingConfig } : {}),
    ...(modelJson.signature ? { signature: modelJson.signature } : {}),
    ...(modelJson.userDefinedMetadata ? { userDefinedMetadata: modelJson.userDefinedMetadata } : {}),
    ...(modelJson.modelInitializer ? { modelInitializer: modelJson.modelInitializer } : {}),
    ...(modelJson.initializerSignature ? { initializerSignature: modelJson.initializerSignature } : {}),
  };
  return { path: file, format, formatSource: source, json: modelJson, handler: { load: async () => artifacts }, artifacts, weightBytes };
}
