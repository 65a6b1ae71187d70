import { gaussianFilterSpatial, gaussianKernel } from '@limekit/imgproc';
import { enforceConnectivity, kmeansJs } from './slic-js.js';
import { slicChannelTable } from './slic-table.js';
import { slicWasm, slicWasmAvailable } from './slic-wasm.js';

export { enforceConnectivity } from './slic-js.js';
export { slicChannelTable } from './slic-table.js';

/**
 * Where SLIC's k-means and connectivity steps run: `'wasm'` (WebAssembly kernels compiled from
 * wasm/slic.as.ts), `'js'` (the JavaScript loops), or `'auto'` — WebAssembly where available.
 * Both give identical labels; WebAssembly needs no JIT warm-up, so a fresh process is not slowed
 * down by V8 interpreting the hot loops.
 */
export type SlicEngine = 'auto' | 'wasm' | 'js';

/**
 * Options of SLIC: scikit-image's `slic` parameters in camelCase. Defaults in
 * `DEFAULT_SLIC_OPTIONS` (scikit-image 0.19's; lime itself does not use SLIC by default).
 */
export interface SlicOptions {
  /** Approximate number of segments (`n_segments`): seeds go on a regular grid of about this many points. */
  nSegments: number;
  /** Balance of colour and space (`compactness`): higher gives squarer segments, lower follows colour edges. */
  compactness: number;
  /** k-means rounds (`max_num_iter`); scikit-image always runs all of them. */
  maxNumIter: number;
  /** Gaussian pre-smoothing σ in pixels (`sigma`); 0 smooths nothing. */
  sigma: number;
  /** Cluster in CIE Lab (`convert2lab`) rather than in the min–max rescaled RGB cube. */
  convert2lab: boolean;
  /** Relabel connected components and absorb small ones (`enforce_connectivity`). */
  enforceConnectivity: boolean;
  /** Components below this × (pixels / seeds) join a neighbour (`min_size_factor`). */
  minSizeFactor: number;
  /** Largest connected component, × (pixels / seeds) (`max_size_factor`); larger ones are split. */
  maxSizeFactor: number;
  /** SLIC-zero (`slic_zero`): each cluster's colour distance is scaled by its own largest one. */
  slicZero: boolean;
}

/** Start and step of one axis of {@link regularGrid}, as in `slice(start, None, step)`. */
export interface GridAxis {
  readonly start: number;
  readonly step: number;
}

/**
 * scikit-image's `skimage.util.regular_grid(shape, n)`: per axis, the start and step of a grid
 * of about `n` points spread evenly over an array of that shape.
 *
 * @param shape array shape, e.g. `[1, height, width]` as SLIC calls it.
 * @param n desired number of points (≥ 1).
 * @returns one {@link GridAxis} per axis of `shape`.
 */
export function regularGrid(shape: readonly number[], n: number): GridAxis[] {
  const ndim = shape.length;
  const space = shape.reduce((a, b) => a * b, 1);
  if (space <= n) return shape.map(() => ({ start: 0, step: 1 }));
  // np.argsort of ≤ 16 items is an insertion sort, hence stable: ties keep axis order.
  const order = shape.map((_, i) => i).sort((a, b) => shape[a] - shape[b] || a - b);
  const sorted = order.map((i) => shape[i]);
  const steps = new Array<number>(ndim).fill(Math.pow(space / n, 1 / ndim));
  if (sorted.some((d, i) => d < steps[i])) {
    for (let dim = 0; dim < ndim; dim++) {
      steps[dim] = sorted[dim];
      const rest = sorted.slice(dim + 1).reduce((a, b) => a * b, 1);
      for (let j = dim + 1; j < ndim; j++) steps[j] = Math.pow(rest / n, 1 / (ndim - dim - 1));
      if (sorted.every((d, i) => d >= steps[i])) break;
    }
  }
  const out = new Array<GridAxis>(ndim);
  order.forEach((axis, k) => {
    // numpy: starts = (steps // 2).astype(int); steps = np.round(steps) (half to even).
    out[axis] = { start: Math.floor(steps[k] / 2), step: roundHalfEven(steps[k]) };
  });
  return out;
}

function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/**
 * SLIC's feature image: `img_as_float` (×1/255), min–max rescaling to [0, 1] over all channels,
 * then CIE Lab (`rgb2lab`, D65, 2° observer) when `convert2lab`, as an interleaved H×W×3 array.
 *
 * @remarks Same constants and operation order as scikit-image 0.19.3; values agree with it to
 * about 1e-13 (numpy's `power` and OpenBLAS's matrix product round differently from V8 in the
 * last bits). The 256 possible channel values are converted once through a table.
 */
export function slicFeatures(data: Uint8Array, convert2lab: boolean): Float64Array {
  let lo = 255, hi = 0;
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const table = slicChannelTable(lo, hi, convert2lab);
  const out = new Float64Array(data.length);
  if (!convert2lab) {
    for (let i = 0; i < data.length; i++) out[i] = table[data[i]];
    return out;
  }
  for (let i = 0; i < data.length; i += 3) {
    const r = table[data[i]], g = table[data[i + 1]], b = table[data[i + 2]];
    const fx = labF((r * 0.412453 + g * 0.35758 + b * 0.180423) / 0.95047);
    const fy = labF((r * 0.212671 + g * 0.71516 + b * 0.072169) / 1);
    const fz = labF((r * 0.019334 + g * 0.119193 + b * 0.950227) / 1.08883);
    out[i] = 116 * fy - 16;
    out[i + 1] = 500 * (fx - fy);
    out[i + 2] = 200 * (fy - fz);
  }
  return out;
}

function labF(t: number): number {
  return t > 0.008856 ? Math.cbrt(t) : 7.787 * t + 16 / 116;
}

/**
 * SLIC superpixels as scikit-image 0.19.3's `slic(image, …, start_label=0)` computes them for
 * an 8-bit RGB image (2-D, no mask, unit spacing).
 *
 * Steps, each as `skimage/segmentation/slic_superpixels.py` and `_slic.pyx` do them:
 * {@link slicFeatures}; Gaussian smoothing with `sigma` (scipy `reflect` borders, truncate 4);
 * seeds on `regular_grid((1, H, W), nSegments)` with zero colour; colour scaled by
 * `1/compactness` and distance to a seed `‖Δcolour‖² + ‖Δposition‖² / step²` (`step` the largest
 * grid step) over a window of ±2 grid steps of the final seed count; exactly `maxNumIter`
 * assignment/update rounds (scikit-image resets every distance each round, so it never stops
 * early); SLIC-zero divides each colour distance by the largest seen in that cluster in the
 * previous round; then {@link enforceConnectivity}.
 *
 * @param data H·W·3 bytes, interleaved RGB.
 * @param engine where the k-means and connectivity loops run (see {@link SlicEngine}); the labels
 *   are the same either way.
 * @returns one label per pixel: 0..M−1 in raster order of first appearance when connectivity is
 *   enforced, otherwise the cluster index (unused indices possible).
 */
export function slic(data: Uint8Array, height: number, width: number, p: SlicOptions, engine: SlicEngine = 'auto'): Int32Array {
  const N = height * width;
  const seeds = regularGrid([1, height, width], p.nSegments);
  const step = Math.max(seeds[0].step, seeds[1].step, seeds[2].step);
  const ys: number[] = [], xs: number[] = [];
  for (let y = seeds[1].start; y < height; y += seeds[1].step) {
    for (let x = seeds[2].start; x < width; x += seeds[2].step) {
      ys.push(y);
      xs.push(x);
    }
  }
  const K = ys.length;
  // The search window comes from a grid of K points, not of nSegments (as in _slic.pyx).
  const window = regularGrid([1, height, width], K);
  const segmentSize = N / K;
  const connectivity = p.enforceConnectivity ? { minSize: Math.trunc(p.minSizeFactor * segmentSize), maxSize: Math.trunc(p.maxSizeFactor * segmentSize) } : null;
  const ratio = 1 / p.compactness;
  // _slic.pyx declares step as a C float; grid steps are integers, so step² is exact either way.
  const spatialWeight = 1 / Math.fround(Math.fround(step) * Math.fround(step));

  if (engine === 'wasm' || (engine === 'auto' && slicWasmAvailable())) {
    // Gaussian weights as scipy's; radius 0 (σ < 0.125) leaves the image as it is.
    const weights = p.sigma > 0 ? gaussianKernel(p.sigma, 4) : new Float64Array(1);
    return slicWasm(data, height, width, {
      convert2lab: p.convert2lab, weights, ratio, ys, xs, stepY: window[1].step, stepX: window[2].step,
      spatialWeight, maxNumIter: p.maxNumIter, slicZero: p.slicZero, connectivity,
    });
  }

  const img = slicFeatures(data, p.convert2lab);
  if (p.sigma > 0) gaussianFilterSpatial(img, height, width, 3, p.sigma, 4, img);
  for (let i = 0; i < img.length; i++) img[i] *= ratio;
  // Centroids [y, x, c0, c1, c2]; colours start at 0, as in scikit-image.
  const centroids = new Float64Array(K * 5);
  for (let k = 0; k < K; k++) {
    centroids[5 * k] = ys[k];
    centroids[5 * k + 1] = xs[k];
  }
  const nearest = kmeansJs(img, height, width, centroids, K, window[1].step, window[2].step, spatialWeight, p.maxNumIter, p.slicZero);
  if (!connectivity) return nearest;
  return enforceConnectivity(nearest, height, width, connectivity.minSize, connectivity.maxSize);
}
