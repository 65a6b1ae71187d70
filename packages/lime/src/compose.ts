import {
  Baseline,
  COMPONENT_TOKENS,
  DEFAULT_EXPLAIN_OPTIONS,
  Explainer,
  FeatureSelector,
  InvalidOptionError,
  Kernel,
  LimekitError,
  ModelAdapter,
  pickViewOptions,
  Sampler,
  Segmenter,
  Surrogate,
  validateOptionShape,
  type ComponentDefinition,
  type ComponentKind,
  type ExplainOptions,
} from '@limekit/core';
import type { DependencyContainer } from 'tsyringe';
import { rootContainer } from './di.js';
import { COMPONENT_SLOTS, mergeConfig, type ComponentRef, type ComponentSlot, type ExplainConfig } from './config.js';
import { loadBuiltin, unknownBuiltin } from './builtin-loaders.js';
import { isModuleSpecifier, loadPluginModule, pickDefinition } from './plugins.js';
import { getPreset } from './presets.js';
import { registerModel } from './register.js';
import type { ComponentRegistry } from './registry.js';
import { pickModelFields, type ModelFields } from './model-fields.js';

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
  /** Where components are looked up (default: the built-ins, each package loaded when a config names one of its components). */
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
  const registry = options.registry;
  const baseDir = options.baseDir ?? process.cwd();
  const where = options.where ?? 'config';
  const presetName = config.preset ?? 'lime';
  const merged = mergeConfig(getPreset(presetName).config, config);
  const components: Partial<Record<ComponentSlot, ResolvedComponent>> = {};
  for (const slot of COMPONENT_SLOTS) {
    const ref = merged[slot];
    if (!ref) continue;
    const kind: ComponentKind = slot === 'featureSelection' ? 'featureSelector' : slot;
    let definition: ComponentDefinition;
    let source = 'builtin';
    const id = kind === 'featureSelector' ? ref.use.replace(/_/g, '-') : ref.use;
    const builtin = registry ? (registry.has(kind, id) ? registry.get(kind, id) : undefined) : await loadBuiltin(kind, id);
    if (builtin) {
      definition = builtin;
    } else if (isModuleSpecifier(ref.use)) {
      const plugin = await loadPluginModule(ref.use, baseDir);
      definition = pickDefinition(ref.use, plugin.definitions, kind);
      source = plugin.url;
    } else {
      definition = registry ? registry.get(kind, id, `${where}.${slot}.use`) : await unknownBuiltin(kind, id, `${where}.${slot}.use`);
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
    ...runOptions({ ...DEFAULT_EXPLAIN_OPTIONS, ...merged }),
    ...(merged.preprocess !== undefined ? { preprocess: merged.preprocess } : {}),
    ...pickViewOptions(merged),
    ...pickModelFields(merged),
  };
}

/** The run options of a resolved config (numFeatures only when set). */
function runOptions(r: Pick<ResolvedConfig, 'numSamples' | 'batchSize' | 'seed' | 'topLabels' | 'numFeatures'>): Pick<ResolvedConfig, 'numSamples' | 'batchSize' | 'seed' | 'topLabels' | 'numFeatures'> {
  return { numSamples: r.numSamples, batchSize: r.batchSize, seed: r.seed, topLabels: r.topLabels, ...(r.numFeatures !== undefined ? { numFeatures: r.numFeatures } : {}) };
}

/** A JSON-ready view of a resolved config (ids and options, no functions). */
export function describeConfig(resolved: ResolvedConfig): Record<string, unknown> {
  const comps: Record<string, unknown> = {};
  for (const [slot, c] of Object.entries(resolved.components)) {
    if (c) comps[slot] = { use: c.use, id: c.definition.id, options: { ...c.definition.defaults, ...c.options }, ...(c.source !== 'builtin' ? { source: c.source } : {}) };
  }
  return { preset: resolved.preset, ...comps, ...runOptions(resolved) };
}

/**
 * A child container with every configured component (the instances {@link resolveConfig} built)
 * registered under core's tokens, and the model (already loaded) under `ModelAdapter`. Override
 * any token on the returned container before calling {@link explainerFrom}.
 */
export function createExperimentContainer(resolved: ResolvedConfig, model: ModelAdapter, parent: DependencyContainer = rootContainer): DependencyContainer {
  const child = parent.createChildContainer();
  for (const c of Object.values(resolved.components) as ResolvedComponent[]) {
    if (!(c.definition.kind === 'featureSelector' && c.definition.id === 'none')) child.register(COMPONENT_TOKENS[c.definition.kind], { useValue: c.instance });
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
  return { ...runOptions(resolved), config: describeConfig(resolved) };
}
