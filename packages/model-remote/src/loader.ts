import { DEFAULT_REMOTE_OPTIONS, RemoteModelAdapter, type RemoteModelOptions } from './remote-model-adapter.js';

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
