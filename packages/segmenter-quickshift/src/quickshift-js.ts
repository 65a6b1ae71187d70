// The JavaScript density, linking and labelling steps of quick shift: the implementation before
// the WebAssembly kernels (wasm/quickshift.as.ts), kept as the fallback where WebAssembly is
// unavailable (`node --jitless`) and as the reference the tests compare the kernels with, label for
// label. The exp table and the sorted window offsets are shared with the WebAssembly path.

/** Terms of the density below e^−30 ≈ 1e−13 are dropped: eight orders below the tie-breaking noise. */
const EXP_CUTOFF = 30;
/** e^−x on [0, 30]: e^(−i/256) from a table times a cubic in the remainder (relative error < 2e−11). */
const EXP_STEPS = 256;
export const EXP_TABLE = Float64Array.from({ length: EXP_CUTOFF * EXP_STEPS + 2 }, (_, i) => Math.exp(-i / EXP_STEPS));
/** Tile of the density pass: its pixels and their window stay in cache on large images. */
const TILE_ROWS = 32;
const TILE_COLS = 256;

/** e^x for x in [−30, 0]. */
function expNeg(x: number): number {
  const u = -x * EXP_STEPS;
  const i = u | 0;
  const d = (i - u) * (1 / EXP_STEPS); // in (−1/256, 0]
  return EXP_TABLE[i] * (1 + d * (1 + d * (0.5 + d * (1 / 6))));
}

/** Adds every pair term of the density, each unordered pair once, tile by tile. */
export function accumulateDensity(
  f: Float64Array, density: Float64Array,
  height: number, width: number, kernelWidth: number, inv: number,
): void {
  const cut = -EXP_CUTOFF;
  for (let r0 = 0; r0 < height; r0 += TILE_ROWS) {
    const r1 = Math.min(height, r0 + TILE_ROWS);
    for (let t0 = 0; t0 < width; t0 += TILE_COLS) {
      const t1 = Math.min(width, t0 + TILE_COLS);
      // Offsets (dr, dc) after (0, 0) in raster order: pixel i pairs with i + (dr, dc).
      for (let dr = 0; dr <= kernelWidth; dr++) {
        const rEnd = Math.min(r1, height - dr);
        if (rEnd <= r0) break;
        for (let dc = dr === 0 ? 1 : -kernelWidth; dc <= kernelWidth; dc++) {
          const spatial = (dr * dr + dc * dc) * inv;
          if (spatial < cut) continue;
          // Colour distance² beyond which the term is below e^−30.
          const colourCut = (cut - spatial) / inv;
          const c0 = Math.max(t0, -dc), c1 = Math.min(t1, width - dc);
          const step = dr * width + dc;
          for (let r = r0; r < rEnd; r++) {
            const row = r * width;
            for (let i = row + c0, end = row + c1; i < end; i++) {
              const j = i + step;
              const p = 3 * i, q = 3 * j;
              const a = f[p] - f[q], b = f[p + 1] - f[q + 1], c = f[p + 2] - f[q + 2];
              const d2 = a * a + b * b + c * c;
              if (d2 > colourCut) continue;
              const e = expNeg(spatial + d2 * inv);
              density[i] += e;
              density[j] += e;
            }
          }
        }
      }
    }
  }
}

/** Window offsets other than (0, 0) sorted by spatial distance², then raster order. */
export function sortedOffsets(kernelWidth: number): { dr: Int32Array; dc: Int32Array; s: Float64Array } {
  const side = 2 * kernelWidth + 1;
  const order: number[] = [];
  for (let k = 0; k < side * side; k++) if (k !== kernelWidth * side + kernelWidth) order.push(k);
  const drOf = (k: number) => Math.floor(k / side) - kernelWidth, dcOf = (k: number) => (k % side) - kernelWidth;
  const s2 = (k: number) => drOf(k) ** 2 + dcOf(k) ** 2;
  order.sort((a, b) => s2(a) - s2(b) || a - b);
  return { dr: Int32Array.from(order, drOf), dc: Int32Array.from(order, dcOf), s: Float64Array.from(order, s2) };
}

/** Parent of each pixel: its nearest denser neighbour within the window and `maxDist`, else itself. */
export function linkToDenser(
  f: Float64Array, density: Float64Array,
  height: number, width: number, kernelWidth: number, maxDist: number,
): Int32Array {
  const { dr: odr, dc: odc, s: os } = sortedOffsets(kernelWidth);
  const m = odr.length;
  const parent = new Int32Array(height * width);
  for (let r = 0; r < height; r++) {
    for (let c = 0; c < width; c++) {
      const i = r * width + c;
      const di = density[i];
      const g0 = f[3 * i], g1 = f[3 * i + 1], g2 = f[3 * i + 2];
      let best = Infinity, bestIdx = i;
      for (let k = 0; k < m; k++) {
        // Colour adds a non-negative amount, so the spatial part alone bounds the joint distance.
        if (os[k] > best) break;
        const dr = odr[k], dc = odc[k];
        const rr = r + dr, cc = c + dc;
        if (rr < 0 || rr >= height || cc < 0 || cc >= width) continue;
        const j = i + dr * width + dc;
        if (!(density[j] > di)) continue;
        const q = 3 * j;
        const a = g0 - f[q], b = g1 - f[q + 1], e = g2 - f[q + 2];
        // Summed in the Cython loop's order: channels, then rows, then columns.
        const d = a * a + b * b + e * e + dr * dr + dc * dc;
        if (d < best || (d === best && j < bestIdx)) {
          best = d;
          bestIdx = j;
        }
      }
      parent[i] = Math.sqrt(best) > maxDist ? i : bestIdx;
    }
  }
  return parent;
}

/**
 * Replaces each parent link by the label of its tree's root, roots numbered 0..M−1 in raster
 * order, in place. @returns M.
 */
export function labelTrees(parent: Int32Array): number {
  const n = parent.length;
  // Point every pixel at its root (path halving keeps the chains short).
  for (let i = 0; i < n; i++) {
    let k = i;
    while (parent[k] !== k) {
      parent[k] = parent[parent[k]];
      k = parent[k];
    }
    parent[i] = k;
  }
  // Roots get −(label + 1), then every other pixel copies its root's label, then roots are decoded.
  let count = 0;
  for (let i = 0; i < n; i++) if (parent[i] === i) parent[i] = -++count;
  for (let i = 0; i < n; i++) if (parent[i] >= 0) parent[i] = -parent[parent[i]] - 1;
  for (let i = 0; i < n; i++) if (parent[i] < 0) parent[i] = -parent[i] - 1;
  return count;
}
