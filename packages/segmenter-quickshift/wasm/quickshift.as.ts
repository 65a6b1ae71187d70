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
 * pair once, tile by tile, in the TypeScript's order. f: N·3 features; table: exp table.
 */
export function accumulateDensity(f: usize, density: usize, height: i32, width: i32, kernelWidth: i32, inv: f64, table: usize): void {
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
          for (let r = r0; r < rEnd; r++) pairRow(f, density, r * width + c0, r * width + c1, step, spatial, colourCut, inv, table);
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
