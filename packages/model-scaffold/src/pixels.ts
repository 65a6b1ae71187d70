import { normalizationForChannels, ShapeMismatchError, type ModelInputSpec } from '@limekit/core';

/**
 * Reads one image back out of a model input buffer: the inverse of core's `writeNormalized`
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
export function readInputImage(batch: Float32Array, index: number, spec: ModelInputSpec, out?: Uint8Array): Uint8Array {
  const { width, height, channels, layout } = spec;
  const hw = width * height;
  const size = hw * channels;
  const offset = index * size;
  if (!Number.isInteger(index) || index < 0 || batch.length < offset + size) {
    throw new ShapeMismatchError(`readInputImage: batch must hold image ${index} of ${size} floats, got ${batch.length} floats. Pass the model input buffer and an index below its count.`);
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
