import { ModelAdapter } from '@limekit/core';
import type { DependencyContainer } from 'tsyringe';
import { DEFAULT_REMOTE_OPTIONS, RemoteModelAdapter, type RemoteModelOptions } from './remote-model-adapter.js';

/**
 * Registers an already-connected adapter under core's `ModelAdapter` token, as a value. The
 * caller disposes it when the experiment ends.
 * @param container the (child) container of the experiment.
 * @param adapter a loaded adapter.
 */
export function registerRemoteModel(container: DependencyContainer, adapter: RemoteModelAdapter): void {
  container.register(ModelAdapter, { useValue: adapter });
}

/** The remote model loader, as configuration files name it (`model: { id: 'remote', … }`). */
export const remoteModelLoader = {
  id: 'remote',
  description: 'Image classifiers on an Open Inference Protocol (KServe v2 REST) server: Triton, KServe, MLServer, OpenVINO Model Server, limekit serve',
  defaults: DEFAULT_REMOTE_OPTIONS,
  /**
   * Connects to a model (see {@link RemoteModelAdapter.load}).
   * @param url `http(s)://host:port/v2/models/NAME`.
   * @param options merged over {@link DEFAULT_REMOTE_OPTIONS}.
   */
  load: (url: string, options: Partial<RemoteModelOptions> = {}): Promise<RemoteModelAdapter> => RemoteModelAdapter.load(url, options),
} as const;
