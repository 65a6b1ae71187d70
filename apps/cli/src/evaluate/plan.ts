import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { dirname, extname, join, resolve } from 'node:path';
import { InputError, InvalidOptionError, isValidRunOption, runOptionConstraint, VIEW_OPTION_NAMES, type ViewOptions } from '@limekit/core';
import { MODEL_FIELD_NAMES, resolveConfig, validateConfig, type ExplainConfig, type ModelFields, type ResolvedConfig } from '@limekit/lime';

/** A model of an evaluation plan: its file, labels, preprocessing, the view fields (core's `ViewOptions`) and the {@link ModelFields} of a config file. */
export interface PlanModel extends ModelFields, ViewOptions {
  name: string;
  path: string;
  preprocess?: string;
  labels?: string;
}

/** An image set of an evaluation plan. */
export interface PlanImages {
  name: string;
  dir: string;
  /** Ground-truth masks with the same file names as the images (255 / non-zero = evidence). */
  masks?: string;
}

/** A configuration of an evaluation plan: a name plus the fields of an explain config file. */
export type PlanConfig = { name: string } & ExplainConfig;

/** `limekit evaluate --plan FILE`. */
export interface EvaluationPlan {
  models: PlanModel[];
  images: PlanImages[];
  configs: PlanConfig[];
  seeds: number[];
  metrics?: string[];
  numSamples?: number;
  /**
   * Every worker of a distributed run (`evaluate --queue`) sees the same paths: jobs then carry
   * paths instead of image bytes, and model files are allowed. Default false.
   */
  sharedFileSystem?: boolean;
}

/** A plan with paths resolved, images listed and configs resolved. */
export interface LoadedPlan {
  plan: EvaluationPlan;
  /** sha256 of the plan's canonical JSON. */
  hash: string;
  baseDir: string;
  models: (PlanModel & { absPath: string; absLabels?: string })[];
  images: { set: string; file: string; path: string; maskPath?: string }[];
  configs: { name: string; resolved: ResolvedConfig }[];
  metrics: string[];
}

const IMAGE_EXT = new Set(['.png', '.jpg', '.jpeg', '.webp', '.tif', '.tiff', '.gif']);

function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

/** Hash of a plan, independent of key order and whitespace. */
export function planHash(plan: unknown): string {
  return createHash('sha256').update(canonical(plan)).digest('hex');
}

async function isDir(p: string): Promise<boolean> {
  try {
    return (await stat(p)).isDirectory();
  } catch {
    return false;
  }
}

async function isFile(p: string): Promise<boolean> {
  try {
    return (await stat(p)).isFile();
  } catch {
    return false;
  }
}

function need(ok: unknown, message: string): asserts ok {
  if (!ok) throw new InvalidOptionError(message);
}

/**
 * Reads a plan file as JSON (evaluate's and benchmark's plans).
 * @throws InputError naming the file: unreadable (with the error code) or not valid JSON.
 */
export async function readPlanJson(path: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(path, 'utf8'));
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new InputError(`Plan ${path}: ${e.code ? `cannot be read (${e.code})` : `is not valid JSON (${e.message})`}.`, { cause: err });
  }
}

/**
 * Reads and validates a plan before any work starts: fields and types, unique names, model files,
 * image folders (at least one image each), mask folders, every config (unknown component or
 * option), metric ids.
 * @param knownMetrics metric ids the evaluator can compute.
 * @param defaultMetrics the metrics of a plan that names none (default: all known).
 */
export async function loadPlan(path: string, knownMetrics: readonly string[], defaultMetrics: readonly string[] = knownMetrics): Promise<LoadedPlan> {
  const raw = await readPlanJson(path);
  const where = path;
  need(raw && typeof raw === 'object' && !Array.isArray(raw), `${where}: a plan must be a JSON object.`);
  const p = raw as Record<string, unknown>;
  const fields = ['models', 'images', 'configs', 'seeds', 'metrics', 'numSamples', 'sharedFileSystem', '$schema', 'description'];
  for (const k of Object.keys(p)) need(fields.includes(k), `${where}: unknown field "${k}". Known fields: ${fields.filter((f) => f !== '$schema').join(', ')}.`);
  for (const k of ['models', 'images', 'configs']) need(Array.isArray(p[k]) && (p[k] as unknown[]).length > 0, `${where}.${k}: must be a non-empty array.`);
  need(Array.isArray(p.seeds) && p.seeds.length > 0 && p.seeds.every((s) => Number.isInteger(s) && s >= 0 && s <= 0xffffffff), `${where}.seeds: must be a non-empty array of integers >= 0, got ${JSON.stringify(p.seeds)}.`);
  if (p.numSamples !== undefined) need(isValidRunOption('numSamples', p.numSamples), `${where}.numSamples: must be ${runOptionConstraint('numSamples')}, got ${JSON.stringify(p.numSamples)}.`);
  if (p.sharedFileSystem !== undefined) need(typeof p.sharedFileSystem === 'boolean', `${where}.sharedFileSystem: must be true or false, got ${JSON.stringify(p.sharedFileSystem)}.`);
  const plan = p as unknown as EvaluationPlan;
  const baseDir = dirname(resolve(path));

  const uniq = (kind: string, names: string[]) => {
    const seen = new Set<string>();
    for (const n of names) {
      need(typeof n === 'string' && /^[A-Za-z0-9._-]+$/.test(n), `${where}.${kind}: every entry needs a "name" of letters, digits, . _ -, got ${JSON.stringify(n)}.`);
      need(!seen.has(n), `${where}.${kind}: the name "${n}" is used twice; names must be unique.`);
      seen.add(n);
    }
  };
  uniq('models', plan.models.map((m) => m.name));
  uniq('images', plan.images.map((m) => m.name));
  uniq('configs', plan.configs.map((m) => m.name));
  for (const c of plan.configs) need(c.name !== 'random', `${where}.configs: the name "random" is reserved for the random-explanation control that every evaluation adds; rename your configuration.`);

  const models: LoadedPlan['models'] = [];
  for (const [i, m] of plan.models.entries()) {
    const modelKeys = ['name', 'path', 'preprocess', 'labels', ...VIEW_OPTION_NAMES, ...MODEL_FIELD_NAMES];
    for (const k of Object.keys(m)) need(modelKeys.includes(k), `${where}.models[${i}]: unknown field "${k}"; use ${modelKeys.join(', ')}.`);
    const { name: _name, path: _path, labels: _labels, ...modelFields } = m as PlanModel;
    Object.assign(m, validateConfig(modelFields, `${where}.models[${i}]`));
    need(typeof m.path === 'string', `${where}.models[${i}].path: must be a file path or an inference server's http://host:port/v2/models/NAME.`);
    const remote = /^https?:\/\//i.test(m.path);
    const absPath = remote ? m.path : resolve(baseDir, m.path);
    need(remote || (await isFile(absPath)), `${where}.models[${i}] (${m.name}): model file ${absPath} does not exist.`);
    let absLabels: string | undefined;
    if (m.labels !== undefined) {
      absLabels = resolve(baseDir, m.labels);
      need(await isFile(absLabels), `${where}.models[${i}] (${m.name}): labels file ${absLabels} does not exist.`);
    }
    models.push({ ...m, absPath, ...(absLabels ? { absLabels } : {}) });
  }

  const images: LoadedPlan['images'] = [];
  for (const [i, set] of plan.images.entries()) {
    for (const k of Object.keys(set)) need(['name', 'dir', 'masks'].includes(k), `${where}.images[${i}]: unknown field "${k}"; use name, dir, masks.`);
    need(typeof set.dir === 'string', `${where}.images[${i}].dir: must be a folder path.`);
    const dir = resolve(baseDir, set.dir);
    need(await isDir(dir), `${where}.images[${i}] (${set.name}): folder ${dir} does not exist.`);
    const files = (await readdir(dir)).filter((f) => IMAGE_EXT.has(extname(f).toLowerCase())).sort();
    need(files.length > 0, `${where}.images[${i}] (${set.name}): folder ${dir} holds no images (${[...IMAGE_EXT].join(', ')}).`);
    let maskDir: string | undefined;
    if (set.masks !== undefined) {
      maskDir = resolve(baseDir, set.masks);
      need(await isDir(maskDir), `${where}.images[${i}] (${set.name}): masks folder ${maskDir} does not exist.`);
    }
    for (const file of files) {
      const maskPath = maskDir ? join(maskDir, file) : undefined;
      images.push({ set: set.name, file, path: join(dir, file), ...(maskPath && (await isFile(maskPath)) ? { maskPath } : {}) });
    }
  }

  const configs: LoadedPlan['configs'] = [];
  for (const [i, c] of plan.configs.entries()) {
    const { name, ...rest } = c;
    for (const k of ['preprocess', ...VIEW_OPTION_NAMES, ...MODEL_FIELD_NAMES] as (keyof ExplainConfig)[]) {
      need(rest[k] === undefined, `${where}.configs[${i}] (${name}): "${k}" belongs to the model, which every config shares; set it in models[] instead.`);
    }
    const cfg = validateConfig({ ...rest, ...(plan.numSamples !== undefined ? { numSamples: plan.numSamples } : {}) }, `${where}.configs[${i}] (${name})`);
    configs.push({ name, resolved: await resolveConfig(cfg, { baseDir, where: `${where}.configs[${i}] (${name})` }) });
  }

  const metrics = plan.metrics ?? [...defaultMetrics];
  need(Array.isArray(metrics) && metrics.length > 0, `${where}.metrics: must be a non-empty array of metric ids.`);
  for (const m of metrics) need(knownMetrics.includes(m), `${where}.metrics: unknown metric "${m}". Known metrics: ${knownMetrics.join(', ')}.`);

  return { plan, hash: planHash(plan), baseDir, models, images, configs, metrics };
}
