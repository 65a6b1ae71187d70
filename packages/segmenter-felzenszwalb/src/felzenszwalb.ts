import { numpyArgsortInPlace } from './argsort.js';
import { gaussianFilterSpatial } from '@limekit/imgproc';
import { felzenszwalbWasm, felzenszwalbWasmAvailable } from './felzenszwalb-wasm.js';

/**
 * Where the loops run: `'wasm'` (WebAssembly kernels compiled from wasm/felzenszwalb.as.ts), `'js'`
 * (the JavaScript below and in argsort.ts), or `'auto'` — WebAssembly where available. Both give
 * identical labels; WebAssembly needs no JIT warm-up, so a fresh process is not slowed down by V8
 * interpreting the hot loops.
 */
export type FelzenszwalbEngine = 'auto' | 'wasm' | 'js';

/**
 * Options of Felzenszwalb–Huttenlocher segmentation: scikit-image's `felzenszwalb` parameters in
 * camelCase. Defaults in `DEFAULT_FELZENSZWALB_OPTIONS` (scikit-image 0.19's).
 */
export interface FelzenszwalbOptions {
  /** Observation scale `k` of the paper (`scale`): higher merges more, giving larger segments. */
  scale: number;
  /** Gaussian pre-smoothing σ in pixels (`sigma`); 0 smooths nothing. */
  sigma: number;
  /** Components smaller than this many pixels are merged afterwards (`min_size`). */
  minSize: number;
}

/** A partition: labels 0..count−1 in raster order of first appearance. */
export interface FelzenszwalbResult {
  readonly labels: Int32Array;
  readonly count: number;
}

/**
 * The 8-connected grid graph's edge weights in scikit-image's order — all right edges, then
 * down, down-right and up-right, each block in raster order — as Euclidean distances between the
 * smoothed colours (`img_as_float64`, then the Gaussian). Each edge's payload is `4·p + kind` with
 * p its first pixel (right: (y, x+1); down: (y+1, x); down-right: (y+1, x+1); up-right: (y, x+1))
 * and kind 0..3 in that order. The float image lives only in here, so it is freed before the
 * union–find arrays are allocated.
 */
function gridEdges(data: Uint8Array, height: number, width: number, sigma: number): { cost: Float64Array; edge: Int32Array } {
  const img = new Float64Array(data.length);
  for (let i = 0; i < data.length; i++) img[i] = data[i] * (1 / 255);
  if (sigma > 0) gaussianFilterSpatial(img, height, width, 3, sigma, 4, img);
  const nRight = height * (width - 1), nDown = (height - 1) * width, nDiag = (height - 1) * (width - 1);
  const E = nRight + nDown + 2 * nDiag;
  const cost = new Float64Array(E);
  const edge = new Int32Array(E);
  let e = 0;
  const put = (a: number, b: number, kind: number) => {
    const i = 3 * a, j = 3 * b;
    const t0 = img[i] - img[j], t1 = img[i + 1] - img[j + 1], t2 = img[i + 2] - img[j + 2];
    cost[e] = Math.sqrt(t0 * t0 + t1 * t1 + t2 * t2);
    edge[e++] = 4 * a + kind;
  };
  for (let y = 0; y < height; y++) for (let x = 0; x < width - 1; x++) put(y * width + x + 1, y * width + x, 0);
  for (let y = 0; y < height - 1; y++) for (let x = 0; x < width; x++) put((y + 1) * width + x, y * width + x, 1);
  for (let y = 0; y < height - 1; y++) for (let x = 0; x < width - 1; x++) put((y + 1) * width + x + 1, y * width + x, 2);
  for (let y = 0; y < height - 1; y++) for (let x = 0; x < width - 1; x++) put(y * width + x + 1, (y + 1) * width + x, 3);
  return { cost, edge };
}

/**
 * Felzenszwalb–Huttenlocher graph segmentation as scikit-image 0.19.3's `felzenszwalb(image,
 * scale, sigma, min_size)` computes it for an RGB image (`_felzenszwalb_cy.pyx`):
 *
 * 1. `img_as_float64` (× 1/255) and Gaussian smoothing of each channel with `sigma` (scipy
 *    `reflect` borders, truncated at 4σ);
 * 2. the 8-connected grid graph, weighted by the Euclidean distance of the three channels;
 * 3. edges in the order of numpy's default (unstable) `np.argsort` — reproduced exactly, so
 *    equal weights are taken in scikit-image's order;
 * 4. an edge joins two components when its weight is below both `Int(C) + (scale/255)/|C|`,
 *    those thresholds rounded to single precision as the Cython code stores them, `Int(C)` the
 *    weight of the edge that last grew C (the largest of its spanning tree);
 * 5. a second pass over the sorted edges joins every pair with a component under `minSize`.
 *
 * @param data H·W·3 bytes, interleaved RGB.
 * @param engine where the loops run (see {@link FelzenszwalbEngine}); the labels are the same either way.
 * @returns labels numbered as scikit-image's `np.unique(…, return_inverse=True)` numbers them:
 *   by smallest pixel index, which is raster order of first appearance.
 * @remarks O(E log E) for the sort of E ≈ 4·H·W edges, then near-linear union–find; under
 * 100 bytes per pixel of memory at the peak.
 */
export function felzenszwalb(data: Uint8Array, height: number, width: number, p: FelzenszwalbOptions, engine: FelzenszwalbEngine = 'auto'): FelzenszwalbResult {
  if (engine === 'wasm' || (engine === 'auto' && felzenszwalbWasmAvailable())) return felzenszwalbWasm(data, height, width, p.scale, p.sigma, p.minSize);
  const N = height * width;
  const { cost, edge } = gridEdges(data, height, width, p.sigma);
  numpyArgsortInPlace(cost, edge);
  const E = cost.length;
  // Pixel offset from an edge's first pixel to its second, by kind.
  const other = [-1, -width, -width - 1, width - 1];

  // Union–find whose root is always the smallest pixel index, as scikit-image's join_trees.
  const parent = new Int32Array(N);
  for (let i = 0; i < N; i++) parent[i] = i;
  const size = new Int32Array(N).fill(1);
  const inner = new Float64Array(N);
  const find = (n: number): number => {
    while (parent[n] !== n) {
      parent[n] = parent[parent[n]];
      n = parent[n];
    }
    return n;
  };
  const scale = p.scale / 255;
  for (let k = 0; k < E; k++) {
    const a = edge[k] >> 2;
    const s0 = find(a), s1 = find(a + other[edge[k] & 3]);
    if (s0 === s1) continue;
    const t0 = Math.fround(inner[s0] + scale / size[s0]);
    const t1 = Math.fround(inner[s1] + scale / size[s1]);
    if (cost[k] < Math.min(t0, t1)) {
      const root = s0 < s1 ? s0 : s1;
      parent[s0] = parent[s1] = root;
      size[root] = size[s0] + size[s1];
      inner[root] = cost[k];
    }
  }
  const minSize = p.minSize;
  if (minSize > 1) {
    for (let k = 0; k < E; k++) {
      const a = edge[k] >> 2;
      const s0 = find(a), s1 = find(a + other[edge[k] & 3]);
      if (s0 === s1 || (size[s0] >= minSize && size[s1] >= minSize)) continue;
      const root = s0 < s1 ? s0 : s1;
      parent[s0] = parent[s1] = root;
      size[root] = size[s0] + size[s1];
    }
  }
  // A root is its component's smallest pixel, so it is met before the rest of its component.
  const labels = new Int32Array(N);
  let count = 0;
  for (let i = 0; i < N; i++) {
    const r = find(i);
    labels[i] = r === i ? count++ : labels[r];
  }
  return { labels, count };
}
