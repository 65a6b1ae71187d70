/**
 * scikit-image 0.19's `rgb2lab` (sRGB → CIE XYZ → CIE L*a*b*, illuminant D65, 2° observer) on
 * interleaved float RGB in [0, 1], in place of a new array.
 *
 * Same constants and order of operations as `skimage.color.colorconv`: gamma expansion
 * `((c + 0.055) / 1.055)^2.4` above 0.04045 else `c / 12.92`; `xyz_from_rgb`; division by the D65
 * white (0.95047, 1, 1.08883); `cbrt` above 0.008856 else `7.787·t + 16/116`.
 */
export function rgb2lab(rgb: Float64Array): Float64Array {
  const out = new Float64Array(rgb.length);
  const lin = (c: number) => (c > 0.04045 ? Math.pow((c + 0.055) / 1.055, 2.4) : c / 12.92);
  const f = (t: number) => (t > 0.008856 ? Math.cbrt(t) : 7.787 * t + 16 / 116);
  for (let i = 0; i < rgb.length; i += 3) {
    const r = lin(rgb[i]), g = lin(rgb[i + 1]), b = lin(rgb[i + 2]);
    const x = (r * 0.412453 + g * 0.35758 + b * 0.180423) / 0.95047;
    const y = (r * 0.212671 + g * 0.71516 + b * 0.072169) / 1;
    const z = (r * 0.019334 + g * 0.119193 + b * 0.950227) / 1.08883;
    const fx = f(x), fy = f(y), fz = f(z);
    out[i] = 116 * fy - 16;
    out[i + 1] = 500 * (fx - fy);
    out[i + 2] = 200 * (fy - fz);
  }
  return out;
}

/**
 * {@link rgb2lab} of 8-bit RGB after `img_as_float` (÷255) and an optional affine rescale
 * `(v − lo) / (hi − lo)` (scikit-image's SLIC rescales to [0, 1]): the same values as
 * `rgb2lab(rescaled floats)`, with the gamma expansion of the 256 possible inputs tabulated.
 */
export function rgb2labBytes(data: Uint8Array, lo = 0, hi = 1): Float64Array {
  const lin = gammaTable(lo, hi);
  const out = new Float64Array(data.length);
  const f = (t: number) => (t > 0.008856 ? Math.cbrt(t) : 7.787 * t + 16 / 116);
  for (let i = 0; i < data.length; i += 3) {
    const r = lin[data[i]], g = lin[data[i + 1]], b = lin[data[i + 2]];
    const fx = f((r * 0.412453 + g * 0.35758 + b * 0.180423) / 0.95047);
    const fy = f((r * 0.212671 + g * 0.71516 + b * 0.072169) / 1);
    const fz = f((r * 0.019334 + g * 0.119193 + b * 0.950227) / 1.08883);
    out[i] = 116 * fy - 16;
    out[i + 1] = 500 * (fx - fy);
    out[i + 2] = 200 * (fy - fz);
  }
  return out;
}

/**
 * The gamma expansion of {@link rgb2labBytes} for each of the 256 byte values (after ÷255 and the
 * rescale `(v − lo) / (hi − lo)`): the table its per-pixel loop, and the WebAssembly kernels' copy
 * of that loop, look values up in.
 */
export function gammaTable(lo = 0, hi = 1): Float64Array {
  const lin = new Float64Array(256);
  const range = hi - lo;
  for (let b = 0; b < 256; b++) {
    let c = b / 255 - lo;
    if (range !== 0) c /= range;
    lin[b] = c > 0.04045 ? Math.pow((c + 0.055) / 1.055, 2.4) : c / 12.92;
  }
  return lin;
}

/** `img_as_float` of 8-bit data: every value divided by 255. */
export function toFloat(data: Uint8Array): Float64Array {
  const out = new Float64Array(data.length);
  for (let i = 0; i < data.length; i++) out[i] = data[i] / 255;
  return out;
}
