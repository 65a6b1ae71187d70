// AssemblyScript source of Felzenszwalb–Huttenlocher segmentation, compiled to WebAssembly by
// `node tools/wasm/build.mjs` into src/felzenszwalb-wasm.generated.ts (committed; `npm ci`
// compiles nothing).
//
// A line-for-line port of `gridEdges`, `numpyArgsortInPlace` (with `heapsort`) and the union–find
// passes of src/felzenszwalb.ts and src/argsort.ts: the same float operations and comparisons in the
// same order (WebAssembly has IEEE-754 doubles and single-precision rounding, never a fused
// multiply-add), so the labels are identical. The Gaussian weights come from TypeScript (Math.exp
// lives there). Why: see docs/decisions/0014-webassembly-segmenter-kernels.md.

import { ld, st, li, si } from '../../imgproc/wasm/memory.as';
export { gaussianScratchBytes, gaussianSpatial } from '../../imgproc/wasm/gaussian.as';


/** img[i] = data[i] · (1/255) for the n bytes at `data` (`img_as_float64`). */
export function toFloat(data: usize, n: i32, img: usize): void {
  for (let i = 0; i < n; i++) st(img, i, <f64>load<u8>(data + <usize>i) * (1.0 / 255.0));
}

/**
 * The 8-connected grid graph's edges in scikit-image's order (right, down, down-right, up-right),
 * each as (cost, 4·p + kind); returns the count E.
 */
export function gridEdges(img: usize, height: i32, width: i32, cost: usize, edge: usize): i32 {
  let e = 0;
  for (let y = 0; y < height; y++) for (let x = 0; x < width - 1; x++) e = put(img, cost, edge, e, y * width + x + 1, y * width + x, 0);
  for (let y = 0; y < height - 1; y++) for (let x = 0; x < width; x++) e = put(img, cost, edge, e, (y + 1) * width + x, y * width + x, 1);
  for (let y = 0; y < height - 1; y++) for (let x = 0; x < width - 1; x++) e = put(img, cost, edge, e, (y + 1) * width + x + 1, y * width + x, 2);
  for (let y = 0; y < height - 1; y++) for (let x = 0; x < width - 1; x++) e = put(img, cost, edge, e, y * width + x + 1, (y + 1) * width + x, 3);
  return e;
}

@inline function put(img: usize, cost: usize, edge: usize, e: i32, a: i32, b: i32, kind: i32): i32 {
  const i = 3 * a, j = 3 * b;
  const t0 = ld(img, i) - ld(img, j), t1 = ld(img, i + 1) - ld(img, j + 1), t2 = ld(img, i + 2) - ld(img, j + 2);
  st(cost, e, sqrt<f64>(t0 * t0 + t1 * t1 + t2 * t2));
  si(edge, e, 4 * a + kind);
  return e + 1;
}

const SMALL_QUICKSORT = 15;

@inline function swap(keys: usize, payload: usize, i: i32, j: i32): void {
  const k = ld(keys, i);
  st(keys, i, ld(keys, j));
  st(keys, j, k);
  const p = li(payload, i);
  si(payload, i, li(payload, j));
  si(payload, j, p);
}

/**
 * numpy 1.24's `np.argsort(kind='quicksort')` introsort on the n keys at `keys`, carrying the
 * payload along, as `numpyArgsortInPlace`. `stack`: 3·128 i32 of scratch.
 */
export function argsort(keys: usize, payload: usize, n: i32, stack: usize): void {
  if (n < 2) return;
  let sp = 0;
  let pl = 0, pr = n - 1;
  let depth = 0;
  for (let m = n; (m = m / 2) > 0; ) depth++;
  let cdepth = 2 * depth;
  for (;;) {
    if (cdepth < 0) {
      heapsort(keys, payload, pl, pr - pl + 1);
    } else {
      while (pr - pl > SMALL_QUICKSORT) {
        const pm = pl + ((pr - pl) >> 1);
        if (ld(keys, pm) < ld(keys, pl)) swap(keys, payload, pm, pl);
        if (ld(keys, pr) < ld(keys, pm)) swap(keys, payload, pr, pm);
        if (ld(keys, pm) < ld(keys, pl)) swap(keys, payload, pm, pl);
        const vp = ld(keys, pm);
        let pi = pl, pj = pr - 1;
        swap(keys, payload, pm, pj);
        for (;;) {
          do ++pi;
          while (ld(keys, pi) < vp);
          do --pj;
          while (vp < ld(keys, pj));
          if (pi >= pj) break;
          swap(keys, payload, pi, pj);
        }
        swap(keys, payload, pi, pr - 1);
        // Keep the larger partition for later, go on with the smaller one.
        if (pi - pl < pr - pi) {
          si(stack, 3 * sp, pi + 1);
          si(stack, 3 * sp + 1, pr);
          pr = pi - 1;
        } else {
          si(stack, 3 * sp, pl);
          si(stack, 3 * sp + 1, pi - 1);
          pl = pi + 1;
        }
        si(stack, 3 * sp + 2, --cdepth);
        sp++;
      }
      insertion(keys, payload, pl, pr);
    }
    if (sp == 0) break;
    sp--;
    pl = li(stack, 3 * sp);
    pr = li(stack, 3 * sp + 1);
    cdepth = li(stack, 3 * sp + 2);
  }
}

/** Insertion sort of keys[pl..pr], numpy's small-partition step (called for every partition). */
function insertion(keys: usize, payload: usize, pl: i32, pr: i32): void {
  for (let pi = pl + 1; pi <= pr; pi++) {
    const v = ld(keys, pi), id = li(payload, pi);
    let pj = pi;
    while (pj > pl && v < ld(keys, pj - 1)) {
      st(keys, pj, ld(keys, pj - 1));
      si(payload, pj, li(payload, pj - 1));
      pj--;
    }
    st(keys, pj, v);
    si(payload, pj, id);
  }
}

/** numpy's `aheapsort_` on keys[start .. start + n − 1], as `heapsort` in src/argsort.ts. */
function heapsort(keys: usize, payload: usize, start: i32, n: i32): void {
  const a = start - 1;
  for (let l = n >> 1; l > 0; --l) {
    const tk = ld(keys, a + l), tp = li(payload, a + l);
    let i = l, j = l << 1;
    while (j <= n) {
      if (j < n && ld(keys, a + j) < ld(keys, a + j + 1)) j += 1;
      if (tk < ld(keys, a + j)) {
        st(keys, a + i, ld(keys, a + j));
        si(payload, a + i, li(payload, a + j));
        i = j;
        j += j;
      } else break;
    }
    st(keys, a + i, tk);
    si(payload, a + i, tp);
  }
  for (; n > 1; ) {
    const tk = ld(keys, a + n), tp = li(payload, a + n);
    st(keys, a + n, ld(keys, a + 1));
    si(payload, a + n, li(payload, a + 1));
    n -= 1;
    let i = 1, j = 2;
    while (j <= n) {
      if (j < n && ld(keys, a + j) < ld(keys, a + j + 1)) j++;
      if (tk < ld(keys, a + j)) {
        st(keys, a + i, ld(keys, a + j));
        si(payload, a + i, li(payload, a + j));
        i = j;
        j += j;
      } else break;
    }
    st(keys, a + i, tk);
    si(payload, a + i, tp);
  }
}

@inline function find(parent: usize, n0: i32): i32 {
  let n = n0;
  while (li(parent, n) != n) {
    si(parent, n, li(parent, li(parent, n)));
    n = li(parent, n);
  }
  return n;
}

/**
 * The merge passes and the labelling of `felzenszwalb` on the E sorted edges: parent, size (N i32
 * each) and inner (N f64) are scratch; labels (N i32) receives the result. Returns the count.
 */
export function merge(cost: usize, edge: usize, E: i32, height: i32, width: i32, scale: f64, minSize: i32, parent: usize, size: usize, inner: usize, labels: usize): i32 {
  const N = height * width;
  for (let i = 0; i < N; i++) {
    si(parent, i, i);
    si(size, i, 1);
    st(inner, i, 0);
  }
  for (let k = 0; k < E; k++) {
    const ek = li(edge, k);
    const a = ek >> 2;
    const s0 = find(parent, a), s1 = find(parent, a + other(ek & 3, width));
    if (s0 == s1) continue;
    const t0 = <f64>(<f32>(ld(inner, s0) + scale / <f64>li(size, s0)));
    const t1 = <f64>(<f32>(ld(inner, s1) + scale / <f64>li(size, s1)));
    if (ld(cost, k) < min<f64>(t0, t1)) {
      const root = s0 < s1 ? s0 : s1;
      si(parent, s0, root);
      si(parent, s1, root);
      si(size, root, li(size, s0) + li(size, s1));
      st(inner, root, ld(cost, k));
    }
  }
  if (minSize > 1) {
    for (let k = 0; k < E; k++) {
      const ek = li(edge, k);
      const a = ek >> 2;
      const s0 = find(parent, a), s1 = find(parent, a + other(ek & 3, width));
      if (s0 == s1 || (li(size, s0) >= minSize && li(size, s1) >= minSize)) continue;
      const root = s0 < s1 ? s0 : s1;
      si(parent, s0, root);
      si(parent, s1, root);
      si(size, root, li(size, s0) + li(size, s1));
    }
  }
  let count = 0;
  for (let i = 0; i < N; i++) {
    const r = find(parent, i);
    si(labels, i, r == i ? count++ : li(labels, r));
  }
  return count;
}

/** Pixel offset from an edge's first pixel to its second, by kind. */
@inline function other(kind: i32, width: i32): i32 {
  return kind == 0 ? -1 : kind == 1 ? -width : kind == 2 ? -width - 1 : width - 1;
}
