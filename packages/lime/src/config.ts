import { readFile } from 'node:fs/promises';
import {
  InvalidOptionError,
  InputError,
  isValidRunOption,
  RUN_OPTION_LIMITS,
  runOptionConstraint,
  validateViewOptions,
  VIEW_OPTION_NAMES,
  type Normalization,
  type RunOptionName,
  type ViewOptions,
} from '@limekit/core';
import { MODEL_FIELD_NAMES, validateModelFields, type ModelFields } from './model-fields.js';

/** A component named in a config file: a built-in id or a module specifier, plus its options. */
export interface ComponentRef {
  /** Built-in id (`slic`, `ridge`, …) or module specifier (`./my-sampler.js`, `./x.ts#exportName`, `some-package`). */
  use: string;
  options?: Record<string, unknown>;
}

/** An explain configuration, as written in a JSON config file; the model fields are declared in {@link ModelFields}, the view fields in core's `ViewOptions`. */
export interface ExplainConfig extends ModelFields, ViewOptions {
  /** Preset to start from (`lime`, …); fields below override it. */
  preset?: string;
  segmenter?: ComponentRef;
  sampler?: ComponentRef;
  kernel?: ComponentRef;
  surrogate?: ComponentRef;
  baseline?: ComponentRef;
  /** LIME's feature selection (`none`, `highest_weights`, `forward_selection`, `lasso_path`, `auto`). */
  featureSelection?: ComponentRef;
  numSamples?: number;
  batchSize?: number;
  seed?: number;
  topLabels?: number;
  /** Segments fitted per label (with feature selection). */
  numFeatures?: number;
  /** Model preprocessing: a preset name or explicit normalisation. */
  preprocess?: string | Partial<Normalization>;
}

/** The component slots of a config, in pipeline order. */
export const COMPONENT_SLOTS = ['segmenter', 'baseline', 'sampler', 'kernel', 'surrogate', 'featureSelection'] as const;
/** A component slot of {@link ExplainConfig}. */
export type ComponentSlot = (typeof COMPONENT_SLOTS)[number];

const NUMERIC_FIELDS: readonly RunOptionName[] = ['numSamples', 'batchSize', 'seed', 'topLabels', 'numFeatures'];

const ALL_FIELDS = ['preset', ...COMPONENT_SLOTS, ...NUMERIC_FIELDS, 'preprocess', ...VIEW_OPTION_NAMES, ...MODEL_FIELD_NAMES];

function typeOf(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v;
}

/**
 * Checks the shape of a config object (field names, types, ranges) and returns it typed.
 * Component ids and options are checked later, against the registry (`resolveConfig`).
 * @param where names the source in messages, e.g. the file path.
 * @throws InvalidOptionError naming the field.
 */
export function validateConfig(raw: unknown, where = 'config'): ExplainConfig {
  if (typeOf(raw) !== 'object') throw new InvalidOptionError(`${where}: must be a JSON object, got ${typeOf(raw)}.`);
  const cfg = raw as Record<string, unknown>;
  for (const key of Object.keys(cfg)) {
    if (key === '$schema' || key === 'name') continue;
    if (!ALL_FIELDS.includes(key)) {
      throw new InvalidOptionError(`${where}: unknown field "${key}". Known fields: ${ALL_FIELDS.join(', ')}.`);
    }
  }
  if (cfg.preset !== undefined && typeof cfg.preset !== 'string') {
    throw new InvalidOptionError(`${where}.preset: must be a string such as "lime", got ${typeOf(cfg.preset)}.`);
  }
  for (const slot of COMPONENT_SLOTS) {
    const ref = cfg[slot];
    if (ref === undefined) continue;
    if (typeof ref === 'string') {
      cfg[slot] = { use: ref };
      continue;
    }
    if (typeOf(ref) !== 'object') throw new InvalidOptionError(`${where}.${slot}: must be {"use": ID, "options": {...}} or an id string, got ${typeOf(ref)}.`);
    const r = ref as Record<string, unknown>;
    for (const k of Object.keys(r)) {
      if (k !== 'use' && k !== 'options') throw new InvalidOptionError(`${where}.${slot}: unknown field "${k}"; a component entry has "use" and "options".`);
    }
    if (typeof r.use !== 'string' || r.use.length === 0) throw new InvalidOptionError(`${where}.${slot}.use: must be a component id or module path, got ${JSON.stringify(r.use)}.`);
    if (r.options !== undefined && typeOf(r.options) !== 'object') {
      throw new InvalidOptionError(`${where}.${slot}.options: must be an object, got ${typeOf(r.options)}.`);
    }
  }
  for (const field of NUMERIC_FIELDS) {
    const v = cfg[field];
    if (v !== undefined && !isValidRunOption(field, v)) {
      throw new InvalidOptionError(`${where}.${field}: must be ${runOptionConstraint(field)}, got ${JSON.stringify(v)}. ${RUN_OPTION_LIMITS[field].hint}`);
    }
  }
  if (cfg.preprocess !== undefined) {
    const p = cfg.preprocess;
    if (typeof p !== 'string') {
      if (typeOf(p) !== 'object') throw new InvalidOptionError(`${where}.preprocess: must be a preset name or {mean, std, scale, channelOrder}, got ${typeOf(p)}.`);
      const o = p as Record<string, unknown>;
      for (const k of Object.keys(o)) {
        if (!['mean', 'std', 'scale', 'channelOrder'].includes(k)) throw new InvalidOptionError(`${where}.preprocess: unknown field "${k}"; use mean, std, scale, channelOrder.`);
      }
      for (const k of ['mean', 'std'] as const) {
        const arr = o[k];
        if (arr !== undefined && !(Array.isArray(arr) && (arr.length === 1 || arr.length === 3) && arr.every((x) => typeof x === 'number' && Number.isFinite(x)))) {
          throw new InvalidOptionError(`${where}.preprocess.${k}: must be 1 or 3 numbers, got ${JSON.stringify(arr)}.`);
        }
      }
      if (Array.isArray(o.std) && o.std.some((s: number) => s <= 0)) throw new InvalidOptionError(`${where}.preprocess.std: must be > 0, got ${JSON.stringify(o.std)}.`);
      if (o.scale !== undefined && !(typeof o.scale === 'number' && o.scale > 0)) throw new InvalidOptionError(`${where}.preprocess.scale: must be a number > 0 (1/255 for [0, 1] models), got ${JSON.stringify(o.scale)}.`);
      if (o.channelOrder !== undefined && o.channelOrder !== 'RGB' && o.channelOrder !== 'BGR') {
        throw new InvalidOptionError(`${where}.preprocess.channelOrder: must be "RGB" or "BGR", got ${JSON.stringify(o.channelOrder)}.`);
      }
    }
  }
  validateViewOptions(cfg, where);
  validateModelFields(cfg, where);
  return cfg as ExplainConfig;
}

/**
 * Reads and validates a JSON config file.
 * @throws InputError when the file is missing or not JSON; InvalidOptionError for bad fields.
 */
export async function loadConfigFile(path: string): Promise<ExplainConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new InputError(`Config file ${path} cannot be read: ${(err as NodeJS.ErrnoException).code ?? String(err)}. Check the path.`, { cause: err });
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new InputError(`Config file ${path} is not valid JSON: ${(err as Error).message}.`, { cause: err });
  }
  return validateConfig(raw, path);
}

/**
 * Lays `override` over `base`: scalar fields replace; a component entry replaces the base's
 * entry, except that when both name the same component their options are merged (so
 * `{"preset": "lime", "segmenter": {"use": "quickshift", "options": {"kernelSize": 6}}}` keeps
 * lime's maxDist and ratio).
 */
export function mergeConfig(base: ExplainConfig, override: ExplainConfig): ExplainConfig {
  const out: ExplainConfig = { ...base };
  for (const [k, v] of Object.entries(override)) {
    if (v === undefined || k === 'preset') continue;
    const slot = k as ComponentSlot;
    if ((COMPONENT_SLOTS as readonly string[]).includes(k)) {
      const b = base[slot];
      const o = v as ComponentRef;
      out[slot] = b && b.use === o.use ? { use: o.use, options: { ...b.options, ...o.options } } : o;
    } else {
      (out as Record<string, unknown>)[k] = v;
    }
  }
  return out;
}
