// AssemblyScript source of quick shift's density, linking and labelling steps, compiled to
// WebAssembly by `node tools/wasm/build.mjs` into src/quickshift-wasm.generated.ts (committed;
// `npm ci` compiles nothing).
//
// A line-for-line port of `accumulateDensity`, `expNeg`, `linkToDenser` and `labelTrees` in
// src/quickshift-js.ts: the same float operations in the same order (WebAssembly has IEEE-754
// doubles and never fuses a multiply-add), so the labels are identical. The exp table, the sorted
// window offsets and the tie-breaking noise come from TypeScript (Math.exp and the run's generator
// live there). Why: see docs/decisions/0014-webassembly-segmenter-kernels.md.

import { ld, st, li, si } from '../../imgproc/wasm/memory.as';
export { features } from '../../imgproc/wasm/lab.as';


const EXP_CUTOFF: f64 = 30;
const EXP_STEPS: f64 = 256;
const TILE_ROWS = 32;
const TILE_COLS = 256;

/** e^x for x in [−30, 0] from the table e^(−i/256) at `table` and a cubic in the remainder. */
@inline function expNeg(table: usize, x: f64): f64 {
  const u = -x * EXP_STEPS;
  const i = <i32>u;
  const d = (<f64>i - u) * (1 / EXP_STEPS);
  return ld(table, i) * (1 + d * (1 + d * (0.5 + d * (1.0 / 6.0))));
}

/** features[k] *= ratio for the n doubles at p. */
export function scale(p: usize, n: i32, factor: f64): void {
  for (let i = 0; i < n; i++) st(p, i, ld(p, i) * factor);
}

/**
 * Adds every pair term of the density (N doubles at `density`, holding 1 + noise), each unordered
 * pair once, tile by tile, in the TypeScript's order. f: N·3 features; table: exp table; planes:
 * room for 3·N doubles, where the features are copied channel by channel so that two neighbouring
 * pixels' values load as one SIMD vector.
 */
export function accumulateDensity(f: usize, density: usize, height: i32, width: i32, kernelWidth: i32, inv: f64, table: usize, planes: usize): void {
  const n = height * width;
  for (let i = 0; i < n; i++) {
    st(planes, i, ld(f, 3 * i));
    st(planes, n + i, ld(f, 3 * i + 1));
    st(planes, 2 * n + i, ld(f, 3 * i + 2));
  }
  const cut = -EXP_CUTOFF;
  for (let r0 = 0; r0 < height; r0 += TILE_ROWS) {
    const r1 = min(height, r0 + TILE_ROWS);
    for (let t0 = 0; t0 < width; t0 += TILE_COLS) {
      const t1 = min(width, t0 + TILE_COLS);
      for (let dr = 0; dr <= kernelWidth; dr++) {
        const rEnd = min(r1, height - dr);
        if (rEnd <= r0) break;
        for (let dc = dr == 0 ? 1 : -kernelWidth; dc <= kernelWidth; dc++) {
          const spatial = <f64>(dr * dr + dc * dc) * inv;
          if (spatial < cut) continue;
          const colourCut = (cut - spatial) / inv;
          const c0 = max(t0, -dc), c1 = min(t1, width - dc);
          const step = dr * width + dc;
          for (let r = r0; r < rEnd; r++) {
            if (step >= 2) pairRowSimd(f, planes, n, density, r * width + c0, r * width + c1, step, spatial, colourCut, inv, table);
            else pairRow(f, density, r * width + c0, r * width + c1, step, spatial, colourCut, inv, table);
          }
        }
      }
    }
  }
}

/**
 * The pairs (i, i + step) for i in [start, end): one offset over one row of a tile. A function of
 * its own, called many times, so that V8 can replace it with optimised code between calls.
 */
function pairRow(f: usize, density: usize, start: i32, end: i32, step: i32, spatial: f64, colourCut: f64, inv: f64, table: usize): void {
  for (let i = start; i < end; i++) {
    const j = i + step;
    const p = 3 * i, q = 3 * j;
    const a = ld(f, p) - ld(f, q), b = ld(f, p + 1) - ld(f, q + 1), c = ld(f, p + 2) - ld(f, q + 2);
    const d2 = a * a + b * b + c * c;
    if (d2 > colourCut) continue;
    const e = expNeg(table, spatial + d2 * inv);
    st(density, i, ld(density, i) + e);
    st(density, j, ld(density, j) + e);
  }
}

/**
 * {@link pairRow} two pixels at a time (i and i + 1 in the lanes of f64x2 vectors), for
 * `step` ≥ 2: each lane does the scalar loop's operations in its order, and a density entry still
 * receives its terms in the scalar order (its term as j, from i − step, comes from an earlier pair
 * of lanes than its term as i), so the sums are the same bit for bit. A lane past the colour
 * cut-off adds +0, which leaves the (positive) density unchanged. Channel planes at `planes`; the
 * odd pixel at the end of a row goes through the scalar loop (features at `f`).
 */
function pairRowSimd(f: usize, planes: usize, n: i32, density: usize, start: i32, end: i32, step: i32, spatial: f64, colourCut: f64, inv: f64, table: usize): void {
  const pl = planes, pa = planes + ((<usize>n) << 3), pb = planes + ((<usize>n) << 4);
  const vCut = f64x2.splat(colourCut), vSpatial = f64x2.splat(spatial), vInv = f64x2.splat(inv);
  const vSteps = f64x2.splat(-EXP_STEPS), vStep = f64x2.splat(1 / EXP_STEPS);
  const one = f64x2.splat(1), half = f64x2.splat(0.5), sixth = f64x2.splat(1.0 / 6.0);
  const zero = f64x2.splat(0);
  let i = start;
  for (; i + 1 < end; i += 2) {
    const oi = (<usize>i) << 3, oj = (<usize>(i + step)) << 3;
    const a = f64x2.sub(v128.load(pl + oi), v128.load(pl + oj));
    const b = f64x2.sub(v128.load(pa + oi), v128.load(pa + oj));
    const c = f64x2.sub(v128.load(pb + oi), v128.load(pb + oj));
    const d2 = f64x2.add(f64x2.add(f64x2.mul(a, a), f64x2.mul(b, b)), f64x2.mul(c, c));
    const keep = f64x2.le(d2, vCut);
    if (!v128.any_true(keep)) continue;
    // A lane past the cut-off looks its term up at u = 0 (inside the table) and drops it below.
    const u = v128.bitselect(f64x2.mul(f64x2.add(vSpatial, f64x2.mul(d2, vInv)), vSteps), zero, keep);
    const k = i32x4.trunc_sat_f64x2_s_zero(u);
    const d = f64x2.mul(f64x2.sub(f64x2.convert_low_i32x4_s(k), u), vStep);
    const k0 = i32x4.extract_lane(k, 0), k1 = i32x4.extract_lane(k, 1);
    const t = f64x2.replace_lane(f64x2.splat(ld(table, k0)), 1, ld(table, k1));
    const poly = f64x2.add(one, f64x2.mul(d, f64x2.add(one, f64x2.mul(d, f64x2.add(half, f64x2.mul(d, sixth))))));
    const e = v128.and(f64x2.mul(t, poly), keep);
    const di = density + oi, dj = density + oj;
    v128.store(di, f64x2.add(v128.load(di), e));
    v128.store(dj, f64x2.add(v128.load(dj), e));
  }
  if (i < end) pairRow(f, density, i, end, step, spatial, colourCut, inv, table);
}

/**
 * Parent of each pixel (N i32 at `parent`): its nearest denser neighbour within the window and
 * `maxDist`, else itself. Offsets (m of them) sorted by spatial distance², then raster order:
 * rows `odr`, columns `odc` (i32), spatial distance² `os` (f64).
 */
export function linkToDenser(f: usize, density: usize, height: i32, width: i32, odr: usize, odc: usize, os: usize, m: i32, maxDist: f64, parent: usize): void {
  for (let r = 0; r < height; r++) {
    for (let c = 0; c < width; c++) {
      const i = r * width + c;
      const di = ld(density, i);
      const g0 = ld(f, 3 * i), g1 = ld(f, 3 * i + 1), g2 = ld(f, 3 * i + 2);
      let best = Infinity;
      let bestIdx = i;
      for (let k = 0; k < m; k++) {
        // Colour adds a non-negative amount, so the spatial part alone bounds the joint distance.
        if (ld(os, k) > best) break;
        const dr = li(odr, k), dc = li(odc, k);
        const rr = r + dr, cc = c + dc;
        if (rr < 0 || rr >= height || cc < 0 || cc >= width) continue;
        const j = i + dr * width + dc;
        if (!(ld(density, j) > di)) continue;
        const q = 3 * j;
        const a = g0 - ld(f, q), b = g1 - ld(f, q + 1), e = g2 - ld(f, q + 2);
        // Summed in the Cython loop's order: channels, then rows, then columns.
        const d = a * a + b * b + e * e + <f64>(dr * dr) + <f64>(dc * dc);
        if (d < best || (d == best && j < bestIdx)) {
          best = d;
          bestIdx = j;
        }
      }
      si(parent, i, sqrt<f64>(best) > maxDist ? i : bestIdx);
    }
  }
}

/**
 * Replaces each parent link (n i32 at `parent`) by the label of its tree's root, roots numbered
 * 0..M−1 in raster order, in place. Returns M.
 */
export function labelTrees(parent: usize, n: i32): i32 {
  for (let i = 0; i < n; i++) {
    let k = i;
    while (li(parent, k) != k) {
      si(parent, k, li(parent, li(parent, k)));
      k = li(parent, k);
    }
    si(parent, i, k);
  }
  let count = 0;
  for (let i = 0; i < n; i++) if (li(parent, i) == i) si(parent, i, -++count);
  for (let i = 0; i < n; i++) if (li(parent, i) >= 0) si(parent, i, -li(parent, li(parent, i)) - 1);
  for (let i = 0; i < n; i++) if (li(parent, i) < 0) si(parent, i, -li(parent, i) - 1);
  return count;
}
