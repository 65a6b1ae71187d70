import type { ModuleImporter } from './backend.js';
import { DEFAULT_TFJS_OPTIONS, TfjsModelAdapter, type TfjsModelOptions } from './tfjs-model-adapter.js';

/**
 * The TensorFlow.js model loader, as configuration files name it (`model: { id: 'tfjs', … }`).
 */
export const tfjsModelLoader = {
  id: 'tfjs',
  description: 'TensorFlow.js Layers and Graph models from disk, on tfjs-node-gpu, tfjs-node, WebAssembly or CPU',
  defaults: DEFAULT_TFJS_OPTIONS,
  /**
   * Loads a model (see {@link TfjsModelAdapter.load}).
   * @param path model.json, or its folder.
   * @param options merged over {@link DEFAULT_TFJS_OPTIONS}.
   */
  load: (path: string, options: Partial<TfjsModelOptions> = {}, importer?: ModuleImporter): Promise<TfjsModelAdapter> => TfjsModelAdapter.load(path, options, importer),
} as const;
