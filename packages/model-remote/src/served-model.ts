import { ModelError, type ModelAdapter } from '@limekit/core';
import type { RawOutput } from '@limekit/model-common';
import type { ServedModel } from './server.js';

/** A loaded adapter that can answer with its raw output (every `BaseModelAdapter` can). */
export interface RawModelAdapter extends ModelAdapter {
  predictRaw(batch: Float32Array, count: number): Promise<RawOutput>;
  readonly rawOutput: { readonly name: string; readonly units: number };
}

/** Whether an adapter can be served (it has `predictRaw`). */
export function canServe(adapter: ModelAdapter): adapter is RawModelAdapter {
  return typeof (adapter as Partial<RawModelAdapter>).predictRaw === 'function' && (adapter as Partial<RawModelAdapter>).rawOutput !== undefined;
}

/**
 * What {@link createInferenceServer} needs from a loaded ONNX or TensorFlow.js adapter: its input
 * tensor in the adapter's layout (already normalised: clients preprocess), its raw output (logits
 * stay logits), and the op behind the output as a hint (`limekit_output_op`), so that a limekit
 * client decides the output kind exactly as it would locally.
 * @param name the model's name in URLs.
 * @throws ModelError for an adapter without raw outputs.
 */
export function servedModelFrom(adapter: ModelAdapter, name: string): ServedModel {
  if (!canServe(adapter)) throw new ModelError(`limekit serve: adapter "${adapter.id}" cannot return raw outputs (it has no predictRaw); serve an ONNX or TensorFlow.js model.`);
  const { width, height, channels, layout } = adapter.input;
  const info = adapter.info ?? {};
  const fixed = typeof info.fixedBatch === 'number' ? info.fixedBatch : -1;
  const op = info.outputOp;
  const runtime = String(info.runtime ?? adapter.id);
  return {
    name,
    platform: adapter.id === 'onnx' ? 'onnxruntime_onnx' : adapter.id === 'tfjs' ? 'tensorflowjs' : runtime,
    input: { name: String(info.inputName ?? 'input'), shape: layout === 'NCHW' ? [fixed, channels, height, width] : [fixed, height, width, channels] },
    // A Layers model may leave its output unnamed: the wire needs a name.
    output: { name: adapter.rawOutput.name || 'output', units: adapter.rawOutput.units },
    parameters: { ...(typeof op === 'string' ? { limekit_output_op: op } : {}), limekit_layout: layout },
    run: (data, rows) => adapter.predictRaw(data, rows),
  };
}
