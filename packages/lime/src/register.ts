import { COMPONENT_TOKENS, ModelAdapter, type ComponentDefinition } from '@limekit/core';
import type { DependencyContainer } from 'tsyringe';

/**
 * Registers a component — built-in or a plugin's — under core's token for its kind
 * ({@link COMPONENT_TOKENS}): the one registration function for every {@link ComponentDefinition}.
 * The component is created here, once, so bad options fail now rather than when it is resolved.
 * @param container the experiment's (child) container.
 * @param definition what a component package (or plugin) exports.
 * @param options the component's options, merged over its defaults by `definition.create`.
 * @returns the registered instance.
 * @throws InvalidOptionError (from the component) for bad options.
 */
export function registerComponent<T, O extends object>(container: DependencyContainer, definition: ComponentDefinition<T, O>, options: Partial<O> = {}): T {
  const instance = definition.create(options);
  container.register<T>(COMPONENT_TOKENS[definition.kind], { useValue: instance });
  return instance;
}

/**
 * Registers a loaded model adapter under core's `ModelAdapter` token, as a value. Models load
 * asynchronously, so the composition root loads first and registers after. The container does
 * not dispose it: the caller does, when the experiment ends.
 */
export function registerModel(container: DependencyContainer, model: ModelAdapter): ModelAdapter {
  container.register<ModelAdapter>(ModelAdapter, { useValue: model });
  return model;
}
