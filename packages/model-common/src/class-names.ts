import { readFile } from 'node:fs/promises';
import { InputError } from '@limekit/core';

/**
 * Reads class names from a labels file.
 *
 * Accepted contents:
 * - a JSON array of names (`["tench", "goldfish", …]`; an entry that is an array gives its last
 *   string, so `[["n01440764", "tench"], …]` works too);
 * - a JSON object keyed by class index, like Keras' `imagenet_class_index.json`
 *   (`{"0": ["n01440764", "tench"], …}` → "tench"; a string value is the name);
 * - a Hugging Face `config.json` (its `id2label`), or an object holding one of the arrays or
 *   index objects above under `classes`, `class_names`, `labels` or `names`;
 * - plain text with one name per line (trailing empty lines ignored).
 *
 * @param path the labels file.
 * @returns one name per class, in class-index order.
 * @throws InputError naming the file: missing or unreadable, JSON that does not parse, an object
 *   whose keys are not exactly 0..C−1, or no names at all.
 */
export async function loadClassNames(path: string): Promise<string[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new InputError(`Labels file ${path} cannot be read (${(err as NodeJS.ErrnoException).code ?? String(err)}). Check the labels path.`, { cause: err });
  }
  return parseClassNames(text, path);
}

/**
 * Parses the text of a labels file (see {@link loadClassNames}).
 * @param text the file's contents.
 * @param path named in error messages.
 * @throws InputError as {@link loadClassNames}.
 */
export function parseClassNames(text: string, path = 'labels'): string[] {
  const trimmed = text.replace(/^\uFEFF/, '').trim();
  let names: string[];
  if (trimmed.startsWith('[') || trimmed.startsWith('{')) {
    let json: unknown;
    try {
      json = JSON.parse(trimmed);
    } catch (err) {
      throw new InputError(`Labels file ${path} looks like JSON but does not parse: ${(err as Error).message}. Fix the JSON, or write one name per line.`, { cause: err });
    }
    names = namesFromJson(json, `Labels file ${path}`);
  } else {
    names = trimmed === '' ? [] : trimmed.split(/\r?\n/).map((l) => l.trim());
  }
  if (names.length === 0) throw new InputError(`Labels file ${path} holds no class names. Give a JSON array or one name per line.`);
  return names;
}

const NAME_KEYS = ['id2label', 'classes', 'class_names', 'labels', 'names'];

function nameOf(v: unknown, where: string, at: string): string {
  if (typeof v === 'string') return v;
  if (Array.isArray(v) && typeof v[v.length - 1] === 'string') return v[v.length - 1] as string;
  if (typeof v === 'number') return String(v);
  throw new InputError(`${where}: entry ${at} must be a name (a string, or an array ending in one), got ${JSON.stringify(v)}.`);
}

function namesFromJson(json: unknown, where: string): string[] {
  if (Array.isArray(json)) return json.map((v, i) => nameOf(v, where, String(i)));
  if (json === null || typeof json !== 'object') throw new InputError(`${where}: expected a JSON array or object of class names, got ${JSON.stringify(json)}.`);
  const obj = json as Record<string, unknown>;
  for (const key of NAME_KEYS) {
    if (key in obj && obj[key] !== null && typeof obj[key] === 'object') return namesFromJson(obj[key], where);
  }
  const keys = Object.keys(obj);
  const names = new Array<string>(keys.length);
  for (const k of keys) {
    const i = Number(k);
    if (!/^\d+$/.test(k) || i >= keys.length) {
      throw new InputError(
        `${where}: keys must be the class indices 0..${keys.length - 1}, got "${k}". Give a JSON array, an object keyed "0", "1", …, or an object with one of ${NAME_KEYS.join(', ')}.`,
      );
    }
    names[i] = nameOf(obj[k], where, k);
  }
  return names;
}

/**
 * Class names stored in an ONNX model's `metadata_props`, under the first of the keys
 * `classes`, `class_names`, `labels`, `names`, `id2label` that is present. The value may be a JSON
 * array or index object, a Python dict literal as Ultralytics writes it (`{0: 'cat', 1: 'dog'}`),
 * or a comma-separated list.
 * @param metadata the model's metadata_props.
 * @returns the names, or undefined when no such key is present or its value cannot be read.
 */
export function classNamesFromMetadata(metadata: Readonly<Record<string, string>>): string[] | undefined {
  for (const key of ['classes', 'class_names', 'labels', 'names', 'id2label']) {
    const value = metadata[key]?.trim();
    if (!value) continue;
    try {
      return namesFromJson(JSON.parse(value), `metadata "${key}"`);
    } catch {
      // Not JSON: a Python dict literal or a comma list.
    }
    if (value.startsWith('{')) {
      const entries = [...value.matchAll(/(\d+)\s*:\s*(['"])((?:\\.|(?!\2).)*)\2/g)];
      if (entries.length === 0) continue;
      const names = new Array<string>(entries.length);
      for (const [, k, , name] of entries) {
        const i = Number(k);
        if (i >= entries.length) return undefined;
        names[i] = name.replace(/\\(.)/g, '$1');
      }
      return names.includes(undefined as unknown as string) ? undefined : names;
    }
    return value.split(',').map((s) => s.trim());
  }
  return undefined;
}

/** Where an adapter's class names came from, and what to tell the user. */
export interface ResolvedClassNames {
  readonly classNames?: string[];
  /** `classNames`, `Labels file …` or the metadata's description. */
  readonly from?: string;
  /** Set when the model's own names were dropped. */
  readonly note?: string;
}

/**
 * Chooses a model's class names: the caller's (`classNames` option or `labels` file) must fit the
 * model's classes; names from the model's metadata that do not fit are dropped with a note.
 *
 * @param o the adapter's `classNames` and `labels` options.
 * @param metadata names found in the model file, with a description of where (`The model's metadata_props`).
 * @param output the model's decided output: its kind and classes.
 * @param detail describes the output for the mismatch message (`output "logits" has 4 units`).
 * @param model names the model file.
 * @throws InputError when the caller's names do not fit, naming both counts.
 * @remarks One name for a single sigmoid unit names its positive class: `[not NAME, NAME]`.
 */
export async function resolveClassNames(
  o: { classNames: string[] | null; labels: string | null; labelOffset?: number },
  metadata: { names: string[]; from: string } | undefined,
  output: { kind: string; numClasses: number },
  detail: string,
  model: string,
): Promise<ResolvedClassNames> {
  let classNames: string[] | undefined;
  let from: string | undefined;
  if (o.classNames) [classNames, from] = [o.classNames, 'classNames'];
  else if (o.labels) [classNames, from] = [await loadClassNames(o.labels), `Labels file ${o.labels}`];
  else if (metadata) [classNames, from] = [metadata.names, metadata.from];
  const offset = o.labelOffset ?? 0;
  if (offset > 0 && classNames && (o.classNames || o.labels)) {
    const background = offset === 1 ? ['background'] : Array.from({ length: offset }, (_, i) => `background ${i}`);
    classNames = [...background, ...classNames];
    from = `${from} after ${offset} background output${offset === 1 ? '' : 's'} (labelOffset ${offset})`;
  }
  if (classNames && output.kind === 'sigmoid' && classNames.length === 1) classNames = [`not ${classNames[0]}`, classNames[0]];
  if (!classNames || classNames.length === output.numClasses) return { ...(classNames ? { classNames, from } : {}) };
  const why = output.kind === 'sigmoid' ? 'one sigmoid unit explains two classes, [not p, p]: give 1 or 2 names' : detail;
  const mismatch = `${from} has ${classNames.length} names but the model has ${output.numClasses} classes (${model}: ${why})`;
  if (o.classNames || o.labels) {
    const gap = output.numClasses - classNames.length;
    const hint = gap > 0 && gap <= 2
      ? ` If the model's first ${gap === 1 ? 'output is a background class' : `${gap} outputs are background classes`} (TF-Hub and TFLite-zoo ImageNet models have 1001 outputs, index 0 = background), give labelOffset ${offset + gap} (--label-offset ${offset + gap} on the command line).`
      : ' Use the labels that belong to this model, or choose another output with outputName (--output-name on the command line).';
    throw new InputError(`${mismatch}.${hint}`);
  }
  return { note: `${mismatch}; the names are ignored. Give classNames or labels.` };
}
