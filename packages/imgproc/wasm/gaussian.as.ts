// AssemblyScript port of `gaussianFilterSpatial` (src/scipy-gaussian.ts), for the segmenters'
// WebAssembly kernels, which import it from their own wasm/*.as.ts sources (each module gets its
// own copy; tools/wasm/build.mjs compiles them). Same float operations in the same order as the
// TypeScript, hence identical results; the kernel weights come from the TypeScript side
// (`gaussianKernel`, which uses Math.exp), so no transcendental function is evaluated here.


import { ld, st, li, si, align8 } from './memory.as';
/** scipy's `reflect` border (d c b a | a b c d | d c b a), periodic with period 2n. */
@inline function reflect(i: i32, n: i32): i32 {
  const period = 2 * n;
  let j = i % period;
  if (j < 0) j += period;
  return j < n ? j : period - 1 - j;
}

/** Bytes of scratch memory {@link gaussianSpatial} needs for radius r. */
export function gaussianScratchBytes(height: i32, width: i32, channels: i32, r: i32): usize {
  const groups = (r + 3) >> 2;
  const rowLen = <usize>width * <usize>channels;
  return align8(8 * <usize>height * rowLen) + align8(8 * (rowLen + 2 * 4 * <usize>groups * <usize>channels)) + align8(8 * 4 * <usize>groups) + 2 * align8(4 * 4 * <usize>groups) + align8(4 * (<usize>width + 8 * <usize>groups));
}

/**
 * `gaussianFilterSpatial(data, height, width, channels, σ, truncate, out)` with the 2r + 1 weights
 * of `gaussianKernel(σ, truncate)` at `w`; r ≥ 1. `out` may equal `data`.
 */
export function gaussianSpatial(data: usize, height: i32, width: i32, channels: i32, w: usize, r: i32, out: usize, scratch: usize): void {
  const w0 = ld(w, r);
  const rowLen = width * channels;
  const groups = (r + 3) >> 2;
  const G = 4 * groups;
  const tmp = scratch;
  const padded = tmp + align8(8 * <usize>height * <usize>rowLen);
  const weights = padded + align8(8 * (<usize>rowLen + 2 * <usize>G * <usize>channels));
  const lo = weights + align8(8 * <usize>G);
  const hi = lo + align8(4 * <usize>G);
  const src = hi + align8(4 * <usize>G);
  for (let j = 0; j < G; j++) st(weights, j, 0);
  for (let k = r; k >= 1; k--) st(weights, G - k, ld(w, r - k));

  // Axis 0.
  for (let y = 0; y < height; y++) {
    for (let j = 0; j < G; j++) {
      const k = G - j;
      si(lo, j, (k > r ? y : reflect(y - k, height)) * rowLen);
      si(hi, j, (k > r ? y : reflect(y + k, height)) * rowLen);
    }
    sumPairs(data, y * rowLen, w0, data, lo, hi, weights, groups, tmp, y * rowLen, rowLen);
  }

  // Axis 1, on a reflected, padded copy of each row.
  const pad = G * channels;
  for (let x = -G; x < width + G; x++) si(src, x + G, reflect(x, width));
  for (let j = 0; j < G; j++) {
    const k = G - j;
    si(lo, j, pad - (k > r ? 0 : k * channels));
    si(hi, j, pad + (k > r ? 0 : k * channels));
  }
  for (let y = 0; y < height; y++) {
    const o = y * rowLen;
    for (let x = 0; x < width + 2 * G; x++) {
      const s = o + li(src, x) * channels;
      for (let c = 0; c < channels; c++) st(padded, x * channels + c, ld(tmp, s + c));
    }
    sumPairs(padded, pad, w0, padded, lo, hi, weights, groups, out, o, rowLen);
  }
}

/**
 * out[outAt + i] = centre[centreAt + i] · w0 + Σ_j (src[lo[j] + i] + src[hi[j] + i]) · weights[j],
 * four pairs per pass over the row, as the TypeScript `sumPairs`.
 */
function sumPairs(centre: usize, centreAt: i32, w0: f64, src: usize, lo: usize, hi: usize, weights: usize, groups: i32, out: usize, outAt: i32, n: i32): void {
  for (let g = 0; g < groups; g++) {
    const j = 4 * g;
    const a0 = li(lo, j), b0 = li(hi, j), a1 = li(lo, j + 1), b1 = li(hi, j + 1), a2 = li(lo, j + 2), b2 = li(hi, j + 2), a3 = li(lo, j + 3), b3 = li(hi, j + 3);
    const v0 = ld(weights, j), v1 = ld(weights, j + 1), v2 = ld(weights, j + 2), v3 = ld(weights, j + 3);
    for (let i = 0; i < n; i++) {
      let acc = g == 0 ? ld(centre, centreAt + i) * w0 : ld(out, outAt + i);
      acc += (ld(src, a0 + i) + ld(src, b0 + i)) * v0;
      acc += (ld(src, a1 + i) + ld(src, b1 + i)) * v1;
      acc += (ld(src, a2 + i) + ld(src, b2 + i)) * v2;
      acc += (ld(src, a3 + i) + ld(src, b3 + i)) * v3;
      st(out, outAt + i, acc);
    }
  }
}
