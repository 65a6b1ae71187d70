// tsyringe needs the Reflect metadata API before it loads; the composition root owns that.
import 'reflect-metadata';
import {
  Baseline,
  DEFAULT_EXPLAIN_OPTIONS,
  Explainer,
  FeatureSelector,
  InvalidOptionError,
  Kernel,
  LimekitError,
  ModelAdapter,
  Sampler,
  Segmenter,
  Surrogate,
  validateOptionShape,
  type ComponentDefinition,
  type ComponentKind,
  type ExplainOptions,
} from '@limekit/core';
import { container as rootContainer, type DependencyContainer } from 'tsyringe';
import { COMPONENT_SLOTS, mergeConfig, type ComponentRef, type ComponentSlot, type ExplainConfig } from './config.js';
import { builtinRegistry } from './builtins.js';
import { isModuleSpecifier, loadPluginModule, pickDefinition } from './plugins.js';
import { getPreset } from './presets.js';
import { registerInstance, registerModel } from './register.js';
import type { ComponentRegistry } from './registry.js';
import { pickModelFields, type ModelFields } from './model-fields.js';

const SLOT_KIND: Record<ComponentSlot, ComponentKind> = {
  segmenter: 'segmenter',
  baseline: 'baseline',
  sampler: 'sampler',
  kernel: 'kernel',
  surrogate: 'surrogate',
  featureSelection: 'featureSelector',
};

/** A component entry with its definition found and the component built from it. */
export interface ResolvedComponent<T = unknown> extends ComponentRef {
  readonly definition: ComponentDefinition;
  /** Where the definition came from: `builtin` or the plugin module's URL. */
  readonly source: string;
  /** The component, created once from `options` while resolving (so its ranges are checked). */
  readonly instance: T;
}

/** The components of a {@link ResolvedConfig}, one per slot. */
export interface ResolvedComponents {
  readonly segmenter: ResolvedComponent<Segmenter>;
  readonly baseline: ResolvedComponent<Baseline>;
  readonly sampler: ResolvedComponent<Sampler>;
  readonly kernel: ResolvedComponent<Kernel>;
  readonly surrogate: ResolvedComponent<Surrogate>;
  readonly featureSelection?: ResolvedComponent<FeatureSelector>;
}

/** A complete, validated configuration: every slot resolved to a definition and an instance. */
export interface ResolvedConfig extends ModelFields, Pick<ExplainConfig, 'preprocess' | 'resize' | 'resizeTo' | 'interpolation' | 'numFeatures'> {
  readonly preset: string;
  readonly components: ResolvedComponents;
  readonly numSamples: number;
  readonly batchSize: number;
  readonly seed: number;
  readonly topLabels: number;
}

/** Options of {@link resolveConfig}. */
export interface ResolveOptions {
  /** Where components are looked up (default: the built-ins). */
  registry?: ComponentRegistry;
  /** Folder that relative plugin paths are resolved from (default: the working directory). */
  baseDir?: string;
  /** Names the config's source in messages. */
  where?: string;
}

/**
 * Lays the config over its preset (default `lime`), finds every component (built-in id or plugin
 * module), and checks every option against the component's defaults and ranges — before any
 * image or model is touched.
 *
 * @throws UnknownComponentError for unknown presets, components or plugins;
 *   InvalidOptionError for unknown options and bad values.
 */
export async function resolveConfig(config: ExplainConfig, options: ResolveOptions = {}): Promise<ResolvedConfig> {
  const registry = options.registry ?? builtinRegistry();
  const baseDir = options.baseDir ?? process.cwd();
  const where = options.where ?? 'config';
  const presetName = config.preset ?? 'lime';
  const merged = mergeConfig(getPreset(presetName).config, config);
  const components: Partial<Record<ComponentSlot, ResolvedComponent>> = {};
  for (const slot of COMPONENT_SLOTS) {
    const ref = merged[slot];
    if (!ref) continue;
    const kind = SLOT_KIND[slot];
    let definition: ComponentDefinition;
    let source = 'builtin';
    const id = kind === 'featureSelector' ? ref.use.replace(/_/g, '-') : ref.use;
    if (registry.has(kind, id)) {
      definition = registry.get(kind, id);
    } else if (isModuleSpecifier(ref.use)) {
      const plugin = await loadPluginModule(ref.use, baseDir);
      definition = pickDefinition(ref.use, plugin.definitions, kind);
      source = plugin.url;
    } else {
      definition = registry.get(kind, id, `${where}.${slot}.use`);
    }
    validateOptionShape(`${where}.${slot} (${definition.id})`, definition.defaults, ref.options ?? {});
    let instance: unknown;
    try {
      instance = definition.create(ref.options ?? {}); // range checks happen in constructors: fail before any work
    } catch (err) {
      if (err instanceof LimekitError) throw err;
      throw new InvalidOptionError(`${where}.${slot} (${definition.id}): ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
    components[slot] = { use: ref.use, options: ref.options ?? {}, definition, source, instance };
  }
  for (const slot of ['segmenter', 'baseline', 'sampler', 'kernel', 'surrogate'] as const) {
    if (!components[slot]) throw new InvalidOptionError(`${where}: no ${slot} configured and the preset "${presetName}" has none.`);
  }
  return {
    preset: presetName,
    components: components as ResolvedConfig['components'],
    numSamples: merged.numSamples ?? DEFAULT_EXPLAIN_OPTIONS.numSamples,
    batchSize: merged.batchSize ?? DEFAULT_EXPLAIN_OPTIONS.batchSize,
    seed: merged.seed ?? DEFAULT_EXPLAIN_OPTIONS.seed,
    topLabels: merged.topLabels ?? DEFAULT_EXPLAIN_OPTIONS.topLabels,
    ...(merged.numFeatures !== undefined ? { numFeatures: merged.numFeatures } : {}),
    ...(merged.preprocess !== undefined ? { preprocess: merged.preprocess } : {}),
    ...(merged.resize !== undefined ? { resize: merged.resize } : {}),
    ...(merged.resizeTo !== undefined ? { resizeTo: merged.resizeTo } : {}),
    ...(merged.interpolation !== undefined ? { interpolation: merged.interpolation } : {}),
    ...pickModelFields(merged),
  };
}

/** A JSON-ready view of a resolved config (ids and options, no functions). */
export function describeConfig(resolved: ResolvedConfig): Record<string, unknown> {
  const comps: Record<string, unknown> = {};
  for (const [slot, c] of Object.entries(resolved.components)) {
    if (c) comps[slot] = { use: c.use, id: c.definition.id, options: { ...c.definition.defaults, ...c.options }, ...(c.source !== 'builtin' ? { source: c.source } : {}) };
  }
  return {
    preset: resolved.preset,
    ...comps,
    numSamples: resolved.numSamples,
    batchSize: resolved.batchSize,
    seed: resolved.seed,
    topLabels: resolved.topLabels,
    ...(resolved.numFeatures !== undefined ? { numFeatures: resolved.numFeatures } : {}),
  };
}

/**
 * A child container with every configured component (the instances {@link resolveConfig} built)
 * registered under core's tokens, and the model (already loaded) under `ModelAdapter`. Override
 * any token on the returned container before calling {@link explainerFrom}.
 */
export function createExperimentContainer(resolved: ResolvedConfig, model: ModelAdapter, parent: DependencyContainer = rootContainer): DependencyContainer {
  const child = parent.createChildContainer();
  for (const c of Object.values(resolved.components) as ResolvedComponent[]) {
    if (!(c.definition.kind === 'featureSelector' && c.definition.id === 'none')) registerInstance(child, c.definition, c.instance);
  }
  registerModel(child, model);
  return child;
}

/** Builds an {@link Explainer} from the components registered in a container. */
export function explainerFrom(container: DependencyContainer): Explainer {
  return new Explainer({
    segmenter: container.resolve<Segmenter>(Segmenter),
    baseline: container.resolve<Baseline>(Baseline),
    sampler: container.resolve<Sampler>(Sampler),
    kernel: container.resolve<Kernel>(Kernel),
    surrogate: container.resolve<Surrogate>(Surrogate),
    model: container.resolve<ModelAdapter>(ModelAdapter),
    ...(container.isRegistered(FeatureSelector, true) ? { featureSelector: container.resolve<FeatureSelector>(FeatureSelector) } : {}),
  });
}

/** The run options a resolved config implies (seed, samples, batch, labels). */
export function explainOptionsFrom(resolved: ResolvedConfig): ExplainOptions {
  return {
    numSamples: resolved.numSamples,
    batchSize: resolved.batchSize,
    seed: resolved.seed,
    topLabels: resolved.topLabels,
    ...(resolved.numFeatures !== undefined ? { numFeatures: resolved.numFeatures } : {}),
    config: describeConfig(resolved),
  };
}
