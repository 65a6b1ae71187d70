import {
  INTERPOLATIONS,
  InvalidOptionError,
  normalizationForChannels,
  normalizationPreset,
  requireOption,
  resolveOptions,
  RESIZE_MODES,
  type Interpolation,
  type ModelInputSpec,
  type Normalization,
  type ResizeMode,
} from '@limekit/core';
import type { OutputKind } from './output-kind.js';

/** The options every model adapter takes: how images go in, how outputs come out, class names, batching. */
export interface CommonModelOptions {
  /**
   * Preprocessing: a core preset name (`imagenet`, `inception`, `unit`, `raw`, `caffe`) or an
   * explicit {@link Normalization}. Default `imagenet` (torchvision and the ONNX model zoo).
   */
  preprocess: string | Normalization;
  /** Input layout; `auto` reads it from the input shape. Default `auto`. */
  layout: 'auto' | 'NCHW' | 'NHWC';
  /** View width in pixels, for models whose spatial dims are symbolic. Default null (from the model). */
  width: number | null;
  /** View height in pixels, for models whose spatial dims are symbolic. Default null (from the model). */
  height: number | null;
  /** How images are brought to the view size. Default `center-crop` (torchvision's Resize + CenterCrop). */
  resize: ResizeMode;
  /**
   * With `center-crop`: resize the shorter side to this first, then crop the view's centre —
   * torchvision's ImageNet evaluation `Resize(256)` + `CenterCrop(224)` is 256. Default null: the
   * view's size (no margin).
   */
  resizeTo: number | null;
  /** Resampling filter: `bilinear` (torchvision's default), `bicubic` (many timm models), `lanczos`. Default `bilinear`. */
  interpolation: Interpolation;
  /** How outputs become probabilities (see {@link OutputKind}). Default `auto`. */
  outputKind: OutputKind;
  /** Class names, in class-index order. Default null: from `labels`, else the model's metadata. */
  classNames: string[] | null;
  /** A labels file (see `loadClassNames`). Default null. */
  labels: string | null;
  /**
   * Outputs before the first named class: a labels file (or `classNames`) names outputs
   * `labelOffset`, `labelOffset + 1`, …; the first ones are called `background`. 1 for the
   * TF-Hub / TFLite-zoo ImageNet models with 1001 outputs, whose index 0 is a background class,
   * when the labels list the 1000 ImageNet classes. Default 0.
   */
  labelOffset: number;
  /**
   * Largest batch to send: a number, `auto` (measured by `probeBatchSize` at load time within
   * `memoryBudgetBytes`), or null (as the model allows). Default null.
   */
  maxBatchSize: number | 'auto' | null;
  /** Memory budget of `maxBatchSize: 'auto'`, in bytes. Default 1 GiB. */
  memoryBudgetBytes: number;
}

/** Defaults of {@link CommonModelOptions}. */
export const DEFAULT_COMMON_MODEL_OPTIONS: Readonly<CommonModelOptions> = {
  preprocess: 'imagenet',
  layout: 'auto',
  width: null,
  height: null,
  resize: 'center-crop',
  resizeTo: null,
  interpolation: 'bilinear',
  outputKind: 'auto',
  classNames: null,
  labels: null,
  labelOffset: 0,
  maxBatchSize: null,
  memoryBudgetBytes: 2 ** 30,
};

const OUTPUT_KINDS: OutputKind[] = ['auto', 'probabilities', 'logits', 'sigmoid', 'multilabel'];

const isNormalization = (p: unknown): p is Normalization =>
  typeof p === 'object' &&
  p !== null &&
  typeof (p as Normalization).scale === 'number' &&
  Array.isArray((p as Normalization).mean) &&
  Array.isArray((p as Normalization).std) &&
  ['RGB', 'BGR'].includes((p as Normalization).channelOrder);

/**
 * Merges an adapter's options over its defaults and checks the common ones.
 * @param who the adapter's name, for messages (`OnnxModelAdapter`).
 * @param defaults the adapter's defaults, which include {@link DEFAULT_COMMON_MODEL_OPTIONS}.
 * @param options what the caller gave.
 * @throws InvalidOptionError naming the option, what it must be and what was given; for unknown options too.
 */
export function resolveModelOptions<T extends CommonModelOptions>(who: string, defaults: Readonly<T>, options: Partial<T>): T {
  // `preprocess` is a preset name or a Normalization object, so it is checked here rather than by
  // the type of its default.
  const { preprocess, ...rest } = options;
  const { preprocess: _default, ...restDefaults } = defaults;
  const o = { ...resolveOptions<Omit<T, 'preprocess'>>(who, restDefaults as Omit<T, 'preprocess'>, rest as Partial<Omit<T, 'preprocess'>>), preprocess: preprocess ?? defaults.preprocess } as T;
  requireOption(typeof o.preprocess === 'string' || isNormalization(o.preprocess), who, 'preprocess', 'a preset name or {scale, mean, std, channelOrder}', o.preprocess, 'Presets: imagenet (torchvision), inception ([-1, 1]), unit ([0, 1]), raw (0–255), caffe (BGR, mean-subtracted).');
  if (typeof o.preprocess === 'string') normalizationPreset(o.preprocess); // throws naming the presets
  requireOption(['auto', 'NCHW', 'NHWC'].includes(o.layout), who, 'layout', '"auto", "NCHW" or "NHWC"', o.layout);
  requireOption((RESIZE_MODES as readonly string[]).includes(o.resize), who, 'resize', `one of ${RESIZE_MODES.join(', ')}`, o.resize);
  requireOption(o.resizeTo === null || (Number.isInteger(o.resizeTo) && o.resizeTo >= 1), who, 'resizeTo', 'null or an integer >= 1 (pixels of the shorter side before the centre crop)', o.resizeTo, 'torchvision ImageNet evaluation: 256 for a 224 view.');
  requireOption(o.resizeTo === null || o.resize === 'center-crop', who, 'resizeTo', 'null when resize is "stretch"', o.resizeTo, 'resizeTo is the margin of a centre crop.');
  requireOption((INTERPOLATIONS as readonly string[]).includes(o.interpolation), who, 'interpolation', `one of ${INTERPOLATIONS.join(', ')}`, o.interpolation);
  requireOption(OUTPUT_KINDS.includes(o.outputKind), who, 'outputKind', `one of ${OUTPUT_KINDS.join(', ')}`, o.outputKind);
  for (const k of ['width', 'height'] as const) {
    requireOption(o[k] === null || (Number.isInteger(o[k]) && o[k]! >= 1), who, k, 'null or an integer >= 1 (pixels)', o[k]);
  }
  requireOption(o.classNames === null || (Array.isArray(o.classNames) && o.classNames.length > 0 && o.classNames.every((n) => typeof n === 'string')), who, 'classNames', 'null or a non-empty array of strings', o.classNames);
  requireOption(o.labels === null || typeof o.labels === 'string', who, 'labels', 'null or the path of a labels file', o.labels);
  requireOption(Number.isInteger(o.labelOffset) && o.labelOffset >= 0, who, 'labelOffset', 'an integer >= 0 (outputs before the first named class; 1 for 1001-output models with a background class)', o.labelOffset);
  requireOption(o.maxBatchSize === null || o.maxBatchSize === 'auto' || (Number.isInteger(o.maxBatchSize) && (o.maxBatchSize as number) >= 1), who, 'maxBatchSize', 'null, "auto" or an integer >= 1', o.maxBatchSize);
  requireOption(Number.isFinite(o.memoryBudgetBytes) && o.memoryBudgetBytes > 0, who, 'memoryBudgetBytes', 'a number of bytes > 0', o.memoryBudgetBytes);
  if (o.classNames && o.labels) throw new InvalidOptionError(`${who}: give classNames or labels, not both.`);
  return o;
}

/**
 * The {@link ModelInputSpec} of an adapter: the view read from the model, the preprocessing and
 * resizing options.
 * @throws InvalidOptionError when `resizeTo` is smaller than the view.
 */
export function inputSpecOf(
  view: { width: number; height: number; channels: 1 | 3; layout: 'NCHW' | 'NHWC' },
  o: Pick<CommonModelOptions, 'preprocess' | 'resize' | 'resizeTo' | 'interpolation'>,
  who: string,
): ModelInputSpec {
  const { width, height, channels, layout } = view;
  requireOption(o.resizeTo === null || o.resizeTo >= Math.max(width, height), who, 'resizeTo', `null or at least the model's larger input side (${Math.max(width, height)})`, o.resizeTo);
  return {
    width,
    height,
    channels,
    layout,
    normalization: normalizationForChannels(typeof o.preprocess === 'string' ? normalizationPreset(o.preprocess) : o.preprocess, channels),
    resize: o.resize,
    ...(o.resizeTo !== null ? { resizeTo: o.resizeTo } : {}),
    ...(o.interpolation !== 'bilinear' ? { interpolation: o.interpolation } : {}),
  };
}
