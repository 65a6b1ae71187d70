// AssemblyScript source of SLIC's k-means and connectivity steps, compiled to WebAssembly by
// `node tools/wasm/build.mjs` into src/slic-wasm.generated.ts (committed; `npm ci` compiles nothing).
//
// A line-for-line port of `kmeans`, `sweepRow`, `sweepRowZero` and `enforceConnectivity` in
// src/slic-js.ts: the same float operations in the same order (WebAssembly has IEEE-754 doubles and
// never fuses a multiply-add), so the labels are identical. Why: a fresh process (how `limekit
// explain` runs) met the JavaScript versions in V8's interpreter and paid for their compilation;
// WebAssembly is compiled in a millisecond before the first call. See docs/decisions/0014-webassembly-segmenter-kernels.md.
//
import { ld, st, li, si, align8 } from '../../imgproc/wasm/memory.as';
export { gaussianScratchBytes, gaussianSpatial } from '../../imgproc/wasm/gaussian.as';
export { cbrtMany, features } from '../../imgproc/wasm/lab.as';

// Memory layout and accessors: ../../imgproc/wasm/memory.as.ts.

/** Bytes of scratch memory that {@link kmeans} needs. */
export function kmeansScratchBytes(height: i32, width: i32, K: i32): usize {
  return align8(8 * <usize>width) + 2 * align8(8 * <usize>K) + 4 * align8(4 * <usize>K) + align8(4 * (<usize>height + 1)) + align8(4 * <usize>height) + align8(4 * <usize>K * <usize>height);
}

/**
 * `_slic_cython` for depth 1, no mask, unit spacing: `maxNumIter` assignment/update rounds.
 * img: H·W·3 f64; centroids: K·5 f64 [y, x, c0, c1, c2], updated in place; nearest: H·W i32,
 * filled with −1 by the caller; scratch: kmeansScratchBytes(H, W, K) bytes.
 */
export function kmeans(
  img: usize, height: i32, width: i32, centroids: usize, K: i32, stepY: f64, stepX: f64,
  spatialWeight: f64, maxNumIter: i32, slicZero: i32, nearest: usize, scratch: usize,
): void {
  const N = height * width;
  const distance = scratch;
  const counts = distance + align8(8 * <usize>width);
  const maxDistColor = counts + align8(8 * <usize>K);
  const xMins = maxDistColor + align8(8 * <usize>K);
  const xMaxs = xMins + align8(4 * <usize>K);
  const yMins = xMaxs + align8(4 * <usize>K);
  const yMaxs = yMins + align8(4 * <usize>K);
  const rowStart = yMaxs + align8(4 * <usize>K);
  const fill = rowStart + align8(4 * (<usize>height + 1));
  const rowSeeds = fill + align8(4 * <usize>height);
  for (let k = 0; k < K; k++) st(maxDistColor, k, 1.0);
  const fh = <f64>height, fw = <f64>width;
  for (let iter = 0; iter < maxNumIter; iter++) {
    let change = false;
    for (let y = 0; y <= height; y++) si(rowStart, y, 0);
    for (let k = 0; k < K; k++) {
      const cy = ld(centroids, 5 * k), cx = ld(centroids, 5 * k + 1);
      // As JavaScript's Math.trunc(Math.max(…)): an empty cluster's NaN centroid gives NaN bounds,
      // which compare false, hence an empty window.
      const yMin = trunc<f64>(max<f64>(cy - 2 * stepY, 0)), yMax = trunc<f64>(min<f64>(cy + 2 * stepY + 1, fh));
      const xMin = trunc<f64>(max<f64>(cx - 2 * stepX, 0)), xMax = trunc<f64>(min<f64>(cx + 2 * stepX + 1, fw));
      if (!(yMax > yMin && xMax > xMin)) {
        si(yMins, k, 0);
        si(yMaxs, k, 0);
        si(xMins, k, 0);
        si(xMaxs, k, 0);
        continue;
      }
      const y0 = <i32>yMin, y1 = <i32>yMax;
      si(yMins, k, y0);
      si(yMaxs, k, y1);
      si(xMins, k, <i32>xMin);
      si(xMaxs, k, <i32>xMax);
      change = true;
      for (let y = y0; y < y1; y++) si(rowStart, y + 1, li(rowStart, y + 1) + 1);
    }
    for (let y = 0; y < height; y++) si(rowStart, y + 1, li(rowStart, y + 1) + li(rowStart, y));
    for (let y = 0; y < height; y++) si(fill, y, li(rowStart, y));
    for (let k = 0; k < K; k++) {
      const y1 = li(yMaxs, k);
      for (let y = li(yMins, k); y < y1; y++) {
        const f = li(fill, y);
        si(rowSeeds, f, k);
        si(fill, y, f + 1);
      }
    }

    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) st(distance, x, f64.MAX_VALUE);
      const row = y * width;
      const fy = <f64>y;
      const sEnd = li(rowStart, y + 1);
      for (let s = li(rowStart, y); s < sEnd; s++) {
        const k = li(rowSeeds, s), b = 5 * k;
        const cy = ld(centroids, b), cx = ld(centroids, b + 1);
        const c0 = ld(centroids, b + 2), c1 = ld(centroids, b + 3), c2 = ld(centroids, b + 4);
        const dy = (cy - fy) * (cy - fy);
        sweep(img, row, li(xMins, k), li(xMaxs, k), cx, dy, c0, c1, c2, spatialWeight, slicZero, ld(maxDistColor, k), k, distance, nearest);
      }
    }
    if (!change) break;
    for (let k = 0; k < K; k++) st(counts, k, 0);
    for (let i = 0; i < 5 * K; i++) st(centroids, i, 0);
    for (let y = 0, q = 0; y < height; y++) {
      const fy = <f64>y;
      for (let x = 0; x < width; x++, q++) {
        const k = li(nearest, q);
        // A pixel no window reached keeps −1; JavaScript's out-of-range typed-array writes were no-ops.
        if (k < 0) continue;
        const b = 5 * k, o = 3 * q;
        st(counts, k, ld(counts, k) + 1);
        st(centroids, b, ld(centroids, b) + fy);
        st(centroids, b + 1, ld(centroids, b + 1) + <f64>x);
        st(centroids, b + 2, ld(centroids, b + 2) + ld(img, o));
        st(centroids, b + 3, ld(centroids, b + 3) + ld(img, o + 1));
        st(centroids, b + 4, ld(centroids, b + 4) + ld(img, o + 2));
      }
    }
    for (let k = 0; k < K; k++) {
      const n = ld(counts, k);
      for (let c = 0; c < 5; c++) st(centroids, 5 * k + c, ld(centroids, 5 * k + c) / n);
    }
    if (slicZero) {
      for (let q = 0; q < N; q++) {
        const k = li(nearest, q);
        if (k < 0) continue;
        const b = 5 * k, o = 3 * q;
        const t0 = ld(img, o) - ld(centroids, b + 2), t1 = ld(img, o + 1) - ld(centroids, b + 3), t2 = ld(img, o + 2) - ld(centroids, b + 4);
        const dc = t0 * t0 + t1 * t1 + t2 * t2;
        if (ld(maxDistColor, k) < dc) st(maxDistColor, k, dc);
      }
    }
  }
}

/**
 * One seed over its window's part of one row (`sweepRow` / `sweepRowZero` of slic-js.ts). A
 * function of its own, called for every (row, seed) pair: V8 compiles WebAssembly with its
 * baseline compiler first and replaces a function by optimised code between calls, so the hot
 * loop must not live in a function that is called only once.
 */
function sweep(
  img: usize, row: i32, x0: i32, x1: i32, cx: f64, dy: f64, c0: f64, c1: f64, c2: f64,
  spatialWeight: f64, slicZero: i32, scale: f64, k: i32, distance: usize, nearest: usize,
): void {
  for (let x = x0; x < x1; x++) {
    const dx = cx - <f64>x;
    const spatial = (dy + dx * dx) * spatialWeight;
    const best = ld(distance, x);
    // Adding a colour distance >= 0 cannot bring the sum below `best`: skip the colour.
    if (spatial >= best) continue;
    const o = 3 * (row + x);
    const t0 = ld(img, o) - c0, t1 = ld(img, o + 1) - c1, t2 = ld(img, o + 2) - c2;
    const d = slicZero ? spatial + (t0 * t0 + t1 * t1 + t2 * t2) / scale : spatial + (t0 * t0 + t1 * t1 + t2 * t2);
    if (best > d) {
      si(nearest, row + x, k);
      st(distance, x, d);
    }
  }
}

/**
 * `_enforce_label_connectivity_cython` (2-D, start_label=0), as `enforceConnectivity` in
 * src/slic-js.ts. labels: N i32 (−1 = unlabelled); out: N i32; queue: N + 1 i32.
 */
export function enforceConnectivity(labels: usize, height: i32, width: i32, minSize: i32, maxSize: i32, out: usize, queue: usize): void {
  const N = height * width;
  for (let i = 0; i < N; i++) si(out, i, -1);
  let current = 0;
  for (let q0 = 0; q0 < N; q0++) {
    if (li(labels, q0) == -1 || li(out, q0) > -1) continue;
    let adjacent = current;
    const label = li(labels, q0);
    si(out, q0, current);
    let size = 1, visited = 0;
    si(queue, 0, q0);
    while (visited < size && size < maxSize) {
      const q = li(queue, visited);
      const qy = q / width, qx = q - qy * width;
      for (let i = 0; i < 4; i++) {
        // ddx = (1, -1, 0, 0), ddy = (0, 0, 1, -1)
        const xx = i == 0 ? qx + 1 : i == 1 ? qx - 1 : qx;
        const yy = i == 2 ? qy + 1 : i == 3 ? qy - 1 : qy;
        if (xx < 0 || xx >= width || yy < 0 || yy >= height) continue;
        const r = yy * width + xx;
        const or = li(out, r);
        if (li(labels, r) == label && or == -1) {
          si(out, r, current);
          si(queue, size++, r);
          if (size >= maxSize) break;
        } else if (or > -1 && or != current) {
          adjacent = or;
        }
      }
      visited++;
    }
    if (size < minSize) {
      for (let i = 0; i < size; i++) si(out, li(queue, i), adjacent);
    } else {
      current++;
    }
  }
}

/** p[i] *= factor for the n doubles at p (SLIC's colour scaling by 1/compactness). */
export function scale(p: usize, n: i32, factor: f64): void {
  for (let i = 0; i < n; i++) st(p, i, ld(p, i) * factor);
}

/** Smallest and largest of the n bytes at `data`, as `lo | hi << 8`. */
export function byteRange(data: usize, n: i32): i32 {
  let lo = 255, hi = 0;
  for (let i = 0; i < n; i++) {
    const v = <i32>load<u8>(data + <usize>i);
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return lo | (hi << 8);
}
