import { ModelAdapter } from '@limekit/core';
import type { DependencyContainer } from 'tsyringe';
import type { ModuleImporter } from './backend.js';
import { DEFAULT_TFJS_OPTIONS, TfjsModelAdapter, type TfjsModelOptions } from './tfjs-model-adapter.js';

/**
 * Registers an already-loaded adapter under core's `ModelAdapter` token, as a value. Loading is
 * asynchronous, so the composition root loads first (`await TfjsModelAdapter.load(…)`) and then
 * registers. The container does not dispose it: the caller does, when the experiment ends.
 * @param container the (child) container of the experiment.
 * @param adapter a loaded adapter.
 */
export function registerTfjsModel(container: DependencyContainer, adapter: TfjsModelAdapter): void {
  container.register(ModelAdapter, { useValue: adapter });
}

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
