import { InvalidOptionError } from './errors.js';

/** How an image is brought to the model's view size: `center-crop` keeps the aspect ratio. */
export const RESIZE_MODES = ['center-crop', 'stretch'] as const;
/** A member of {@link RESIZE_MODES}. */
export type ResizeMode = (typeof RESIZE_MODES)[number];

/** Resampling filters: `bilinear` (torchvision's default), `bicubic` (many timm models), `lanczos`. */
export const INTERPOLATIONS = ['bilinear', 'bicubic', 'lanczos'] as const;
/** A member of {@link INTERPOLATIONS}. */
export type Interpolation = (typeof INTERPOLATIONS)[number];

/**
 * How an image becomes the model's view. Declared once here and used by config files, CLI flags,
 * model options and evaluation plans.
 */
export interface ViewOptions {
  /** `center-crop` (default) or `stretch`. */
  resize?: ResizeMode;
  /** With `center-crop`: resize the shorter side to this first (torchvision's `Resize(256)` + `CenterCrop(224)`: 256). */
  resizeTo?: number;
  /** Resampling filter; default `bilinear`. */
  interpolation?: Interpolation;
}

/** The field names of {@link ViewOptions}. */
export const VIEW_OPTION_NAMES = ['resize', 'resizeTo', 'interpolation'] as const;

const quoted = (values: readonly string[]) => values.map((v) => `"${v}"`).join(', ').replace(/, ([^,]*)$/, ' or $1');

/**
 * Checks the view fields of a config-like object (other fields are ignored).
 * @param where prefixes messages: `config` gives `config.resize: must be …`.
 * @throws InvalidOptionError naming the field and its allowed values.
 */
export function validateViewOptions(raw: object, where: string): void {
  const { resize, resizeTo, interpolation } = raw as Record<string, unknown>;
  if (resize !== undefined && !(RESIZE_MODES as readonly unknown[]).includes(resize)) {
    throw new InvalidOptionError(`${where}.resize: must be ${quoted(RESIZE_MODES)}, got ${JSON.stringify(resize)}.`);
  }
  if (resizeTo !== undefined && !(typeof resizeTo === 'number' && Number.isInteger(resizeTo) && resizeTo >= 1)) {
    throw new InvalidOptionError(`${where}.resizeTo: must be an integer >= 1 (the shorter side before the centre crop; 256 for torchvision's ImageNet evaluation), got ${JSON.stringify(resizeTo)}.`);
  }
  if (resizeTo !== undefined && resize === 'stretch') throw new InvalidOptionError(`${where}.resizeTo: only applies to resize "center-crop", but resize is "stretch".`);
  if (interpolation !== undefined && !(INTERPOLATIONS as readonly unknown[]).includes(interpolation)) {
    throw new InvalidOptionError(`${where}.interpolation: must be ${quoted(INTERPOLATIONS)}, got ${JSON.stringify(interpolation)}.`);
  }
}

/** The {@link ViewOptions} fields that `from` defines (undefined ones left out). */
export function pickViewOptions(from: Readonly<ViewOptions>): ViewOptions {
  const out: Record<string, unknown> = {};
  for (const k of VIEW_OPTION_NAMES) if (from[k] !== undefined) out[k] = from[k];
  return out as ViewOptions;
}
