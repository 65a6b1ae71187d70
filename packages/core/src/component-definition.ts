import { Baseline, FeatureSelector, Kernel, ModelAdapter, Sampler, Segmenter, Surrogate } from './components.js';
import { InvalidOptionError } from './errors.js';

/** The kinds of pluggable components. */
export type ComponentKind = 'segmenter' | 'sampler' | 'kernel' | 'surrogate' | 'baseline' | 'model' | 'featureSelector';

/** All component kinds, in pipeline order. */
export const COMPONENT_KINDS: readonly ComponentKind[] = ['segmenter', 'baseline', 'sampler', 'kernel', 'surrogate', 'featureSelector', 'model'];

/** The injection token each kind of component is registered under. */
export const COMPONENT_TOKENS: Readonly<Record<ComponentKind, symbol>> = {
  segmenter: Segmenter,
  baseline: Baseline,
  sampler: Sampler,
  kernel: Kernel,
  surrogate: Surrogate,
  featureSelector: FeatureSelector,
  model: ModelAdapter,
};

/**
 * How a component is named in config files and created from options. Every component package
 * exports one (or more) of these — it is the package's registration shape: the composition root
 * (`registerComponent` in `@limekit/lime`) puts any definition into a container under
 * {@link COMPONENT_TOKENS}`[kind]`. Plugins export the same shape.
 *
 * @typeParam T the component interface it creates (Segmenter, Sampler, …).
 * @typeParam O its options object.
 */
export interface ComponentDefinition<T = unknown, O extends object = Record<string, unknown>> {
  readonly kind: ComponentKind;
  /** The id used in config files: the package name without its kind prefix (`slic`, `ridge`). */
  readonly id: string;
  /** One line for `limekit presets` and error messages. */
  readonly description: string;
  /** Every option with its default; option names not in here are rejected. */
  readonly defaults: Readonly<O>;
  /**
   * Creates the component. Receives the options exactly as given by the user (validated against
   * {@link defaults} by the caller); merge over `defaults` and check ranges here.
   */
  create(options: Partial<O>): T;
}

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

/**
 * Checks option names and types against a defaults object: unknown names and values whose type
 * differs from the default's are rejected. Options whose default is `null` accept any value.
 * @throws InvalidOptionError naming the component, the option and the fix.
 */
export function validateOptionShape(component: string, defaults: object, options: object | undefined): void {
  if (options === undefined) return;
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new InvalidOptionError(`${component}: options must be an object, got ${typeName(options)}.`);
  }
  const known = Object.keys(defaults);
  for (const [key, value] of Object.entries(options)) {
    if (!known.includes(key)) {
      throw new InvalidOptionError(
        `${component}: unknown option "${key}". Known options: ${known.length ? known.join(', ') : '(none)'}.`,
      );
    }
    const def = (defaults as Record<string, unknown>)[key];
    if (def === null || def === undefined || value === undefined) continue;
    if (typeName(def) !== typeName(value)) {
      throw new InvalidOptionError(
        `${component}: option "${key}" must be a ${typeName(def)}, got ${typeName(value)} ${JSON.stringify(value)}.`,
      );
    }
  }
}

/** Merges options over defaults and checks their shape (see {@link validateOptionShape}). */
export function resolveOptions<O extends object>(component: string, defaults: O, options: Partial<O> | undefined): O {
  validateOptionShape(component, defaults, options);
  const merged = { ...defaults } as Record<string, unknown>;
  for (const [k, v] of Object.entries(options ?? {})) if (v !== undefined) merged[k] = v;
  return merged as O;
}

/** Range check helper: throws `<component>: <name> must be <constraint>, got <value>. <hint>`. */
export function requireOption(ok: boolean, component: string, name: string, constraint: string, value: unknown, hint = ''): void {
  if (!ok) {
    throw new InvalidOptionError(`${component}: ${name} must be ${constraint}, got ${JSON.stringify(value)}.${hint ? ` ${hint}` : ''}`);
  }
}
