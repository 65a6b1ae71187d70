import { InvalidOptionError } from '@limekit/core';

/**
 * How a model is fed and read, as config-file fields (and evaluate-plan model fields). Each has a
 * command-line flag of the same meaning, declared once in {@link MODEL_FIELDS}.
 */
export interface ModelFields {
  /** View size `"WxH"` (or one number for a square) for models whose height and width are symbolic. */
  inputSize?: string | number;
  /** Input layout; default: read from the input shape. */
  layout?: 'auto' | 'NCHW' | 'NHWC';
  /** The graph input to feed (models with several inputs). */
  inputName?: string;
  /** The graph output holding the class scores (models with several outputs). */
  outputName?: string;
  /** How outputs become probabilities; default `auto` (from the output op and values). */
  outputKind?: 'auto' | 'logits' | 'probabilities' | 'sigmoid' | 'multilabel';
  /** Outputs before the first class of the labels file (1 for 1001-output models with a background class). */
  labelOffset?: number;
}

/** One model field: its config name, its flag, and how its value is checked. */
export interface ModelFieldSpec {
  /** Name in config files and evaluate plans. */
  readonly field: keyof ModelFields;
  /** Command-line flag, without the dashes. */
  readonly flag: string;
  /** The flag's value, for the help text. */
  readonly value: string;
  /** One-line help. */
  readonly help: string;
  /** Checks a config value (or a flag's string when `fromFlag`), returning the field's value. */
  readonly check: (value: unknown, where: string, fromFlag: boolean) => ModelFields[keyof ModelFields];
}

const OUTPUT_KINDS = ['auto', 'logits', 'probabilities', 'sigmoid', 'multilabel'] as const;
const LAYOUTS = ['auto', 'NCHW', 'NHWC'] as const;

/** Reads `"WxH"` (or `"N"`, or a number N) as a size. */
export function parseInputSize(value: unknown, where: string): { width: number; height: number } {
  const bad = () =>
    new InvalidOptionError(`${where}: must be WxH with positive integers (e.g. "224x224"), or one integer for a square, got ${JSON.stringify(value)}. Give the size the model was trained at.`);
  if (typeof value === 'number') {
    if (!Number.isInteger(value) || value < 1) throw bad();
    return { width: value, height: value };
  }
  if (typeof value !== 'string') throw bad();
  const m = /^\s*(\d+)\s*(?:[x×X]\s*(\d+))?\s*$/.exec(value);
  if (!m) throw bad();
  const width = Number(m[1]);
  const height = Number(m[2] ?? m[1]);
  if (width < 1 || height < 1) throw bad();
  return { width, height };
}

const oneOf = <T extends string>(choices: readonly T[]) => (value: unknown, where: string): T => {
  if (typeof value !== 'string' || !(choices as readonly string[]).includes(value)) {
    throw new InvalidOptionError(`${where}: must be one of ${choices.join(', ')}, got ${JSON.stringify(value)}.`);
  }
  return value as T;
};

const aName = (value: unknown, where: string): string => {
  if (typeof value !== 'string' || value.length === 0) throw new InvalidOptionError(`${where}: must be a non-empty name, got ${JSON.stringify(value)}.`);
  return value;
};

/** Every model field, with its flag. Add a model option here and it reaches flags, configs and plans. */
export const MODEL_FIELDS: readonly ModelFieldSpec[] = [
  {
    field: 'inputSize',
    flag: 'input-size',
    value: 'WxH',
    help: 'view size for models with dynamic height and width (PyTorch exports with dynamic axes), e.g. 224x224',
    check: (v, where) => {
      parseInputSize(v, where);
      return v as string | number;
    },
  },
  {
    field: 'layout',
    flag: 'layout',
    value: 'NAME',
    help: 'auto | NCHW | NHWC (default auto: read from the input shape)',
    check: oneOf(LAYOUTS),
  },
  {
    field: 'inputName',
    flag: 'input-name',
    value: 'NAME',
    help: 'the graph input to feed (models with several inputs)',
    check: aName,
  },
  {
    field: 'outputName',
    flag: 'output-name',
    value: 'NAME',
    help: 'the graph output holding the class scores (default: the first output)',
    check: aName,
  },
  {
    field: 'outputKind',
    flag: 'output-kind',
    value: 'KIND',
    help: 'auto | logits | probabilities | sigmoid | multilabel (default auto: from the last op and the values)',
    check: oneOf(OUTPUT_KINDS),
  },
  {
    field: 'labelOffset',
    flag: 'label-offset',
    value: 'N',
    help: 'outputs before the first class of --labels; 1 for 1001-output models whose index 0 is a background class (TF-Hub, TFLite zoo)',
    check: (v, where, fromFlag) => {
      const n = fromFlag && typeof v === 'string' && /^\s*\d+\s*$/.test(v) ? Number(v) : v;
      if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) throw new InvalidOptionError(`${where}: must be an integer >= 0 (1 for a background class at index 0), got ${JSON.stringify(v)}.`);
      return n;
    },
  },
];

/** The names of {@link ModelFields}. */
export const MODEL_FIELD_NAMES: readonly string[] = MODEL_FIELDS.map((f) => f.field);

/**
 * Checks the model fields of a config or plan entry in place.
 * @param where names the source in messages (`config.json`, `plan.json.models[0]`).
 * @throws InvalidOptionError naming the field.
 */
export function validateModelFields(cfg: Record<string, unknown>, where: string): void {
  for (const spec of MODEL_FIELDS) {
    if (cfg[spec.field] !== undefined) cfg[spec.field] = spec.check(cfg[spec.field], `${where}.${spec.field}`, false);
  }
}

/** `parseArgs` options of the model flags. */
export function modelFieldFlags(): Record<string, { type: 'string' }> {
  return Object.fromEntries(MODEL_FIELDS.map((f) => [f.flag, { type: 'string' as const }]));
}

/**
 * The model fields given as flags.
 * @param command names the command in messages.
 * @throws InvalidOptionError naming the flag.
 */
export function modelFieldsFromFlags(flags: Record<string, unknown>, command: string): ModelFields {
  const out: Record<string, unknown> = {};
  for (const spec of MODEL_FIELDS) {
    const v = flags[spec.flag];
    if (v !== undefined) out[spec.field] = spec.check(v, `${command}: --${spec.flag}`, true);
  }
  return out as ModelFields;
}

/** The help lines of the model flags, aligned like the commands' help. */
export function modelFieldsHelp(indent = 2, column = 24): string {
  return MODEL_FIELDS.map((f) => {
    const head = `${' '.repeat(indent)}--${f.flag} ${f.value}`;
    return head.length + 1 < column ? `${head.padEnd(column)}${f.help}` : `${head}\n${' '.repeat(column)}${f.help}`;
  }).join('\n');
}

/** The model fields present on an object (a resolved config, a plan model). */
export function pickModelFields(o: object): ModelFields {
  const out: Record<string, unknown> = {};
  for (const f of MODEL_FIELD_NAMES) if ((o as Record<string, unknown>)[f] !== undefined) out[f] = (o as Record<string, unknown>)[f];
  return out as ModelFields;
}
