import type { ModelInputSpec, Normalization } from './components.js';
import { InvalidOptionError, ShapeMismatchError } from './errors.js';
import type { RgbImage } from './image.js';

/** Named preprocessing conventions of popular model families. */
export const NORMALIZATION_PRESETS = {
  /** torchvision / ONNX model zoo: RGB/255, ImageNet mean and std. */
  imagenet: { scale: 1 / 255, mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225], channelOrder: 'RGB' },
  /** Inception / MobileNet (Keras, TF-Slim): scaled to [-1, 1]. */
  inception: { scale: 1 / 127.5, mean: [1, 1, 1], std: [1, 1, 1], channelOrder: 'RGB' },
  /** [0, 1]. */
  unit: { scale: 1 / 255, mean: [0, 0, 0], std: [1, 1, 1], channelOrder: 'RGB' },
  /** 0–255 as decoded. */
  raw: { scale: 1, mean: [0, 0, 0], std: [1, 1, 1], channelOrder: 'RGB' },
  /** Caffe / Keras `preprocess_input(mode='caffe')`: BGR, 0–255, ImageNet means subtracted (B, G, R order). */
  caffe: { scale: 1, mean: [103.939, 116.779, 123.68], std: [1, 1, 1], channelOrder: 'BGR' },
} as const satisfies Record<string, Normalization>;

/** Name of a preprocessing preset. */
export type NormalizationPresetName = keyof typeof NORMALIZATION_PRESETS;

/**
 * Looks up a preprocessing preset by name.
 * @throws InvalidOptionError naming the known presets.
 */
export function normalizationPreset(name: string): Normalization {
  const preset = (NORMALIZATION_PRESETS as Record<string, Normalization>)[name];
  if (!preset) {
    throw new InvalidOptionError(
      `preprocess must be one of ${Object.keys(NORMALIZATION_PRESETS).join(', ')}, got "${name}". Or give explicit mean/std/scale in the config.`,
    );
  }
  return { ...preset, mean: [...preset.mean], std: [...preset.std] };
}

/** Adapts a 3-channel normalisation to a 1-channel (grayscale) model by averaging. */
export function normalizationForChannels(norm: Normalization, channels: 1 | 3): Normalization {
  if (norm.mean.length === channels && norm.std.length === channels) return norm;
  if (channels === 1 && norm.mean.length === 3 && norm.std.length === 3) {
    const avg = (v: readonly number[]) => (v[0] + v[1] + v[2]) / 3;
    return { ...norm, mean: [avg(norm.mean)], std: [avg(norm.std)] };
  }
  throw new InvalidOptionError(
    `normalization: mean and std must have ${channels} entries for a ${channels}-channel model, got ${norm.mean.length} and ${norm.std.length}.`,
  );
}

/**
 * Writes an image into a float buffer in the model's layout and normalisation.
 * @param out destination, at least `channels * height * width` floats from `offset`.
 */
export function writeNormalized(image: RgbImage, spec: ModelInputSpec, out: Float32Array, offset = 0): void {
  const { width, height, channels, layout } = spec;
  if (image.width !== width || image.height !== height) {
    throw new ShapeMismatchError(
      `writeNormalized: image is ${image.width}×${image.height} but the model expects ${width}×${height}. Preprocess it to the model's view first.`,
    );
  }
  const norm = normalizationForChannels(spec.normalization, channels);
  const hw = width * height;
  const data = image.data;
  // Per channel c of the model: which RGB channel it reads (or luma), and its affine map a·v + b.
  const src = channels === 1 ? [-1] : norm.channelOrder === 'BGR' ? [2, 1, 0] : [0, 1, 2];
  const a = norm.std.map((s) => norm.scale / s);
  const b = norm.mean.map((m, c) => -m / norm.std[c]);
  for (let c = 0; c < channels; c++) {
    const ac = a[c], bc = b[c], sc = src[c];
    for (let p = 0; p < hw; p++) {
      const v = sc < 0 ? 0.299 * data[3 * p] + 0.587 * data[3 * p + 1] + 0.114 * data[3 * p + 2] : data[3 * p + sc];
      const idx = layout === 'NCHW' ? c * hw + p : p * channels + c;
      out[offset + idx] = ac * v + bc;
    }
  }
}

/**
 * Reads one image back out of a model input buffer: the inverse of {@link writeNormalized}
 * (layout, channel order and normalisation undone, values rounded and clamped to 0–255). A
 * grayscale (1-channel) input comes back with its luma in all three channels.
 *
 * @param batch - model input, `count × channels × height × width` floats in `spec.layout`.
 * @param index - which image of the batch (0-based).
 * @param spec - the model's input spec (size, channels, layout, normalisation).
 * @param out - optional destination of `width·height·3` bytes (reused between calls).
 * @returns H×W×3 RGB bytes, row-major.
 * @throws ShapeMismatchError when the batch is too short for image `index`.
 */
export function readNormalized(batch: Float32Array, index: number, spec: ModelInputSpec, out?: Uint8Array): Uint8Array {
  const { width, height, channels, layout } = spec;
  const hw = width * height;
  const size = hw * channels;
  const offset = index * size;
  if (!Number.isInteger(index) || index < 0 || batch.length < offset + size) {
    throw new ShapeMismatchError(`readNormalized: batch must hold image ${index} of ${size} floats, got ${batch.length} floats. Pass the model input buffer and an index below its count.`);
  }
  const rgb = out && out.length === hw * 3 ? out : new Uint8Array(hw * 3);
  const norm = normalizationForChannels(spec.normalization, channels);
  // writeNormalized stores a·v + b with a = scale/std, b = −mean/std; v = (x − b)/a.
  const a = norm.std.map((s) => norm.scale / s);
  const b = norm.mean.map((m, c) => -m / norm.std[c]);
  const dst = channels === 1 ? [0] : norm.channelOrder === 'BGR' ? [2, 1, 0] : [0, 1, 2];
  for (let c = 0; c < channels; c++) {
    const ac = a[c], bc = b[c], d = dst[c];
    for (let p = 0; p < hw; p++) {
      const x = batch[offset + (layout === 'NCHW' ? c * hw + p : p * channels + c)];
      const v = Math.round((x - bc) / ac);
      rgb[3 * p + d] = v < 0 ? 0 : v > 255 ? 255 : v;
    }
  }
  if (channels === 1) for (let p = 0; p < hw; p++) rgb[3 * p + 1] = rgb[3 * p + 2] = rgb[3 * p];
  return rgb;
}
