import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { InputError, ModelError, type ModelAdapter } from '@limekit/core';
import { loadDetector, type DetectorJson } from '@limekit/manifold';
import { resolveFeatureSettings, type ScaffoldFeatureSettings } from './features.js';
import { DEFAULT_SCAFFOLD_OPTIONS, ScaffoldModelAdapter } from './scaffold-model-adapter.js';

/** The `format` field that marks a scaffold file. */
export const SCAFFOLD_FORMAT = 'limekit-scaffold';

/** Version of the scaffold file layout this package writes and reads. */
export const SCAFFOLD_FILE_VERSION = 1;

/** Cross-validated detector scores recorded at training (`@limekit/manifold`'s `crossValidateDetector`). */
export interface ScaffoldCrossValidation {
  auc: number;
  aucStd: number;
  pooledAuc: number;
  accuracy: number;
  chanceAccuracy: number;
  folds: number;
}

/** A scaffold.json: what {@link loadScaffoldModel} needs, and how the scaffold was made. */
export interface ScaffoldFile {
  format: typeof SCAFFOLD_FORMAT;
  version: number;
  /** Path of the biased model, relative to the scaffold file's folder (or absolute, or a URL). */
  biased: string;
  /** Path of the innocuous model, relative to the scaffold file's folder (or absolute, or a URL). */
  innocuous: string;
  /** P(perturbed) at or above which an input goes to the innocuous model. */
  threshold: number;
  features: ScaffoldFeatureSettings;
  /** The serialised detector (`FittedDetector.toJSON()`). */
  detector: DetectorJson;
  /** The configuration the detector was trained against and how (config, samples per image, seed, images). */
  trainedAgainst: Record<string, unknown>;
  crossValidation?: ScaffoldCrossValidation;
}

/**
 * Whether a JSON text is a scaffold file (its `format` is {@link SCAFFOLD_FORMAT}). Cheap enough to
 * call on any `.json` model path: a TensorFlow.js `model.json` answers false.
 */
export function isScaffoldText(text: string): boolean {
  // The format field is written first; look for it before parsing a possibly large file.
  if (!text.includes(`"${SCAFFOLD_FORMAT}"`)) return false;
  try {
    return (JSON.parse(text) as { format?: unknown })?.format === SCAFFOLD_FORMAT;
  } catch {
    return false;
  }
}

/**
 * Parses and checks a scaffold file.
 * @param where - the file's path, for messages.
 * @throws InputError for malformed JSON or a missing or wrong field.
 */
export function parseScaffoldFile(text: string, where: string): ScaffoldFile {
  let json: Partial<ScaffoldFile>;
  try {
    json = JSON.parse(text) as Partial<ScaffoldFile>;
  } catch (err) {
    throw new InputError(`${where}: a scaffold file must be JSON, got a parse error (${(err as Error).message}). Write it with 'limekit scaffold train'.`, { cause: err });
  }
  const bad = (field: string, constraint: string, value: unknown) =>
    new InputError(`${where}: scaffold ${field} must be ${constraint}, got ${JSON.stringify(value)}. Retrain it with 'limekit scaffold train'.`);
  if (json?.format !== SCAFFOLD_FORMAT) throw bad('format', `"${SCAFFOLD_FORMAT}"`, json?.format);
  if (json.version !== SCAFFOLD_FILE_VERSION) throw bad('version', String(SCAFFOLD_FILE_VERSION), json.version);
  for (const key of ['biased', 'innocuous'] as const) {
    if (typeof json[key] !== 'string' || json[key].length === 0) throw bad(key, 'a model path', json[key]);
  }
  const threshold = json.threshold ?? DEFAULT_SCAFFOLD_OPTIONS.threshold;
  if (!(typeof threshold === 'number' && threshold > 0 && threshold < 1)) throw bad('threshold', 'a number in (0, 1)', threshold);
  if ((json.detector as { name?: unknown } | undefined)?.name !== 'limekit-manifold-detector') throw bad('detector.name', '"limekit-manifold-detector"', (json.detector as { name?: unknown } | undefined)?.name);
  let features: ScaffoldFeatureSettings;
  try {
    features = resolveFeatureSettings(json.features ?? {});
  } catch (err) {
    throw new InputError(`${where}: ${(err as Error).message}`, { cause: err });
  }
  return { ...(json as ScaffoldFile), threshold, features, trainedAgainst: json.trainedAgainst ?? {} };
}

/** A model path of a scaffold file made absolute: URLs and absolute paths as they are, others from the file's folder. */
export function scaffoldModelPath(scaffoldPath: string, modelPath: string): string {
  return /^https?:\/\//i.test(modelPath) ? modelPath : resolve(dirname(scaffoldPath), modelPath);
}

/**
 * Loads a scaffold.json: its two models through `load` (the caller's model loader, e.g.
 * `@limekit/lime`'s `loadModel` with the run's preprocessing options), its detector, and
 * composes them.
 * @param load - loads one model from an absolute path or URL.
 * @throws InputError for a bad scaffold file or two models that differ in classes or input;
 *   whatever `load` throws (ModelError for a missing model). A model loaded before the failure is
 *   disposed.
 */
export async function loadScaffoldModel(path: string, load: (modelPath: string) => Promise<ModelAdapter>): Promise<ScaffoldModelAdapter> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new ModelError(`Model file ${path} does not exist or cannot be read. Check the --model path.`, { cause: err });
  }
  const file = parseScaffoldFile(text, path);
  const detector = (() => {
    try {
      return loadDetector(file.detector);
    } catch (err) {
      throw new InputError(`${path}: the scaffold's detector cannot be restored (${(err as Error).message}). Retrain it with 'limekit scaffold train'.`, { cause: err });
    }
  })();
  const loaded: ModelAdapter[] = [];
  try {
    for (const key of ['biased', 'innocuous'] as const) {
      const modelPath = scaffoldModelPath(path, file[key]);
      try {
        loaded.push(await load(modelPath));
      } catch (err) {
        if (err instanceof Error && (err as { code?: string }).code === 'E_MODEL') {
          throw new ModelError(`${path}: the scaffold's ${key} model ${file[key]} (${modelPath}) cannot be loaded: ${err.message}`, { cause: err });
        }
        throw err;
      }
    }
    return new ScaffoldModelAdapter({ biased: loaded[0], innocuous: loaded[1], detector, features: file.features, threshold: file.threshold });
  } catch (err) {
    await Promise.all(loaded.map((m) => m.dispose().catch(() => undefined)));
    throw err;
  }
}
