// AssemblyScript port of the per-pixel part of `rgb2labBytes` (src/color.ts) and of SLIC's
// `slicFeatures`, which share it: bytes through a 256-entry table of gamma-expanded channel values
// (computed in TypeScript, where Math.pow is), then sRGB → XYZ → CIE Lab with the same constants and
// operation order, and the cube root as V8 computes it. Imported by the segmenters' wasm/*.as.ts.


import { ld, st } from './memory.as';
/**
 * V8's `Math.cbrt` (src/base/ieee754.cc, FreeBSD's s_cbrt.c) for positive normal doubles, the
 * only inputs {@link features} passes (t > 0.008856): the same bit manipulations and float
 * operations, hence the same result to the last bit.
 */
function cbrtPositiveNormal(x: f64): f64 {
  const B1: u32 = 715094163;
  const P0 = 1.87595182427177009643, P1 = -1.88497979543377169875, P2 = 1.621429720105354466140,
    P3 = -0.758397934778766047437, P4 = 0.145996192886612446982;
  const hx = <u32>(reinterpret<u64>(x) >> 32);
  let t = reinterpret<f64>((<u64>(hx / 3 + B1)) << 32);
  let r = (t * t) * (t / x);
  t = t * ((P0 + r * (P1 + r * P2)) + ((r * r) * r) * (P3 + r * P4));
  t = reinterpret<f64>((reinterpret<u64>(t) + 0x80000000) & 0xFFFFFFFFC0000000);
  const s = t * t;
  r = x / s;
  const w = t + t;
  r = (r - t) / (w + r);
  return t + t * r;
}

@inline function labF(t: f64): f64 {
  return t > 0.008856 ? cbrtPositiveNormal(t) : 7.787 * t + 16.0 / 116.0;
}

/**
 * `slicFeatures`' per-pixel part: bytes at `data` (n of them, interleaved RGB) through the 256-entry
 * table at `table` (rescaled, gamma-expanded channel values, computed by the caller), then CIE
 * Lab when `lab`, written as doubles to `out`.
 */
export function features(data: usize, n: i32, table: usize, lab: i32, out: usize): void {
  if (!lab) {
    for (let i = 0; i < n; i++) st(out, i, ld(table, <i32>load<u8>(data + <usize>i)));
    return;
  }
  for (let i = 0; i < n; i += 3) {
    const r = ld(table, <i32>load<u8>(data + <usize>i)), g = ld(table, <i32>load<u8>(data + <usize>i + 1)), b = ld(table, <i32>load<u8>(data + <usize>i + 2));
    const fx = labF((r * 0.412453 + g * 0.35758 + b * 0.180423) / 0.95047);
    const fy = labF((r * 0.212671 + g * 0.71516 + b * 0.072169) / 1.0);
    const fz = labF((r * 0.019334 + g * 0.119193 + b * 0.950227) / 1.08883);
    st(out, i, 116 * fy - 16);
    st(out, i + 1, 500 * (fx - fy));
    st(out, i + 2, 200 * (fy - fz));
  }
}

/** Math.cbrt of the n doubles at p, in place (for the tests that compare it with V8's). */
export function cbrtMany(p: usize, n: i32): void {
  for (let i = 0; i < n; i++) st(p, i, cbrtPositiveNormal(ld(p, i)));
}
