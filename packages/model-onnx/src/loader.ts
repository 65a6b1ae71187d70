import { DEFAULT_ONNX_OPTIONS, OnnxModelAdapter, type OnnxModelOptions } from './onnx-model-adapter.js';

/**
 * The ONNX model loader, as configuration files name it (`model: { id: 'onnx', … }`). Models load
 * asynchronously, so they have a loader rather than a `ComponentDefinition`.
 */
export const onnxModelLoader = {
  id: 'onnx',
  description: 'ONNX image classifiers run with onnxruntime-node (opsets 7–21; NCHW or NHWC; logits, probabilities or sigmoid outputs)',
  defaults: DEFAULT_ONNX_OPTIONS,
  /**
   * Loads a model (see {@link OnnxModelAdapter.load}).
   * @param path the `.onnx` file.
   * @param options merged over {@link DEFAULT_ONNX_OPTIONS}.
   */
  load: (path: string, options: Partial<OnnxModelOptions> = {}): Promise<OnnxModelAdapter> => OnnxModelAdapter.load(path, options),
} as const;
