import type { RgbImage, Rng, SegmentMap } from '@limekit/core';
import { gaussianFilter2d, rgb2labBytes } from '@limekit/imgproc';
import { accumulateDensity, labelTrees, linkToDenser } from './quickshift-js.js';
import { quickshiftWasm, quickshiftWasmAvailable } from './quickshift-wasm.js';

/**
 * Where quick shift's density, linking and labelling loops run: `'wasm'` (WebAssembly kernels
 * compiled from wasm/quickshift.as.ts), `'js'` (the JavaScript loops), or `'auto'` — WebAssembly
 * where available. Both give identical labels; WebAssembly needs no JIT warm-up, so a fresh
 * process is not slowed down by V8 interpreting the hot loops.
 */
export type QuickshiftEngine = 'auto' | 'wasm' | 'js';

/** Options of quick shift, scikit-image 0.19's `quickshift` parameters in camelCase. */
export interface QuickshiftOptions {
  /** `ratio`: weight of colour against position, in [0, 1] (0: position only). */
  ratio: number;
  /** `kernel_size`: width (standard deviation) of the Gaussian Parzen kernel, ≥ 1. */
  kernelSize: number;
  /** `max_dist`: links longer than this (in the joint colour–position space) are cut, ≥ 0. */
  maxDist: number;
  /** `sigma`: standard deviation of the Gaussian pre-smoothing, per channel; 0 for none. */
  sigma: number;
  /** `convert2lab`: measure colour in CIE Lab (D65, 2°) rather than in RGB scaled to [0, 1]. */
  convert2lab: boolean;
}

/** Pixels per chunk of the Lab conversion: bounds the interleaved temporary on large images. */
const LAB_CHUNK = 1 << 16;

/**
 * The feature space of scikit-image's `quickshift`, interleaved (L, a, b or R, G, B per pixel):
 * `img_as_float` (÷255), `rgb2lab` when `convert2lab`, `gaussian(sigma=[σ, σ, 0], mode='reflect')`
 * (each channel on its own, truncated at 4σ), then × `ratio`.
 */
export function quickshiftFeatures(image: RgbImage, options: QuickshiftOptions): Float64Array {
  const n = image.width * image.height;
  const data = image.data;
  let features: Float64Array = new Float64Array(3 * n);
  if (options.convert2lab) {
    for (let start = 0; start < n; start += LAB_CHUNK) {
      const end = Math.min(n, start + LAB_CHUNK);
      features.set(rgb2labBytes(data.subarray(3 * start, 3 * end)), 3 * start);
    }
  } else {
    for (let k = 0; k < 3 * n; k++) features[k] = data[k] / 255;
  }
  // scipy skips axes whose sigma is ≤ 1e−15, so sigma 0 leaves the image untouched.
  if (options.sigma > 1e-15) features = gaussianFilter2d(features, image.height, image.width, 3, options.sigma, 'reflect');
  if (options.ratio !== 1) for (let k = 0; k < 3 * n; k++) features[k] *= options.ratio;
  return features;
}

/**
 * Quick shift mode seeking (Vedaldi & Soatto, 2008) as scikit-image 0.19.3's `quickshift`
 * computes it on an 8-bit RGB image.
 *
 * 1. Features: see {@link quickshiftFeatures}.
 * 2. Parzen density of each pixel: Σ exp(−‖fᵢ − fⱼ‖² / (2·kernelSize²)) over the pixels j of the
 *    square window of ±⌈3·kernelSize⌉ rows and columns (clipped at the image border), where f is
 *    (colour, row, column); plus N(0, 10⁻⁵) noise drawn from `rng`, one deviate per pixel in
 *    raster order, which breaks ties (scikit-image draws it from `default_rng(random_seed)`).
 * 3. Each pixel links to the pixel of strictly higher density nearest to it (same joint distance)
 *    within its window, the first in raster order on equal distance; a link longer than `maxDist`
 *    is cut, as is the link of a pixel without a denser neighbour.
 * 4. Each tree of the forest is a segment. Segments are numbered 0..M−1 in raster order of their
 *    root pixel, as scikit-image's `np.unique(…, return_inverse=True)` numbers them, so that
 *    where the partitions agree the labels agree too.
 *
 * Differences from the Cython loops are confined to floating-point rounding of the density
 * (about 10⁻¹¹ relative, far below the 10⁻⁵ noise): each symmetric pair is evaluated once,
 * exponentials come from a table refined by a cubic, terms below e^−30 are dropped, and the
 * image is visited in cache-sized tiles. The parent search computes the joint distance exactly as
 * the Cython loop does, but visits neighbours by increasing spatial distance and stops once that
 * lower bound exceeds the best distance found.
 *
 * Cost: O(H·W·(2⌈3·kernelSize⌉ + 1)²) time; memory 4 doubles and 1 int32 per pixel (twice
 * the features while `sigma` smoothing runs).
 *
 * @param image 8-bit RGB; grayscale images are passed with R = G = B.
 * @param options validated options (see `QuickshiftSegmenter`).
 * @param rng source of the tie-breaking noise.
 * @param engine where the density, linking and labelling loops run (see {@link QuickshiftEngine});
 *   the labels are the same either way.
 * @returns labels 0..M−1, contiguous.
 * @see Vedaldi & Soatto, "Quick Shift and Kernel Methods for Mode Seeking", ECCV 2008, doi:10.1007/978-3-540-88693-8_52
 */
export function quickshift(image: RgbImage, options: QuickshiftOptions, rng: Rng, engine: QuickshiftEngine = 'auto'): SegmentMap {
  const { width, height } = image;
  const n = width * height;
  const kernelWidth = Math.ceil(3 * options.kernelSize);
  const inv = -0.5 / (options.kernelSize * options.kernelSize);
  if (engine === 'wasm' || (engine === 'auto' && quickshiftWasmAvailable())) {
    return quickshiftWasm(image, options, kernelWidth, inv, rng);
  }
  const f = quickshiftFeatures(image, options);

  // Noise first, as scikit-image adds it before summing, then the pixel's own term e^0 = 1.
  const density = new Float64Array(n);
  for (let i = 0; i < n; i++) density[i] = rng.nextGaussian() * 1e-5 + 1;
  accumulateDensity(f, density, height, width, kernelWidth, inv);

  const parent = linkToDenser(f, density, height, width, kernelWidth, options.maxDist);
  const count = labelTrees(parent);
  return { width, height, labels: parent, count };
}
