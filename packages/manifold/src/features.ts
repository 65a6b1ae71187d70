import { InvalidOptionError, ShapeMismatchError } from '@limekit/core';

/** Names of the values {@link imageStatistics} returns, in order. */
export const IMAGE_STATISTIC_NAMES = [
  'meanR', 'meanG', 'meanB',
  'stdR', 'stdG', 'stdB',
  'gradientEnergy',
  'edgeDensity',
  'flatFraction',
  'laplacianVariance',
  'colourEntropy',
  'meanSaturation',
] as const;

/** Options of {@link imageStatistics}. */
export interface ImageStatisticsOptions {
  /** Gradient magnitude (grey levels in [0, 1] per pixel) above which a pixel counts as an edge. Default 0.1. */
  edgeThreshold?: number;
  /** Histogram bins per channel of the joint colour histogram (bins³ cells). Default 8. */
  histogramBins?: number;
}

/** Defaults of {@link ImageStatisticsOptions}. */
export const DEFAULT_IMAGE_STATISTICS_OPTIONS = { edgeThreshold: 0.1, histogramBins: 8 } as const;

/**
 * Cheap statistics of an RGB image that react to the usual fills of perturbed samples (flat
 * colours, blur, noise, pasted regions). Values are in units of [0, 1] intensities:
 *
 * - `meanR/G/B`, `stdR/G/B`: per-channel mean and population standard deviation;
 * - `gradientEnergy`: mean squared gradient of the grey image (forward differences, last
 *   row/column replicated), `edgeDensity`: share of pixels whose gradient magnitude exceeds
 *   `edgeThreshold`, `flatFraction`: share of pixels with both differences exactly zero (large
 *   for constant fills);
 * - `laplacianVariance`: variance of the 4-neighbour Laplacian of the grey image (small for
 *   blurred images; edges replicated);
 * - `colourEntropy`: Shannon entropy in bits of the joint RGB histogram with `histogramBins`
 *   bins per channel;
 * - `meanSaturation`: mean of (max − min)/max over the channels (HSV saturation; 0 for black).
 *
 * Grey is ITU-R BT.601 luma, 0.299 R + 0.587 G + 0.114 B.
 *
 * @param rgb - H×W×3 bytes, row-major.
 * @param width - W ≥ 1. @param height - H ≥ 1.
 * @returns {@link IMAGE_STATISTIC_NAMES}.length values in that order.
 * @throws ShapeMismatchError when `rgb` is not W·H·3 long; InvalidOptionError for bad options.
 */
export function imageStatistics(rgb: ArrayLike<number>, width: number, height: number, options: ImageStatisticsOptions = {}): Float64Array {
  const { edgeThreshold, histogramBins } = { ...DEFAULT_IMAGE_STATISTICS_OPTIONS, ...options };
  const n = width * height;
  if (!Number.isInteger(width) || !Number.isInteger(height) || n < 1 || rgb.length !== n * 3) {
    throw new ShapeMismatchError(`imageStatistics: rgb must have width·height·3 values for a ${width}×${height} image, got ${rgb.length}. Pass the image's own size.`);
  }
  if (!(edgeThreshold >= 0)) throw new InvalidOptionError(`imageStatistics: edgeThreshold must be >= 0, got ${edgeThreshold}. The default is 0.1.`);
  if (!Number.isInteger(histogramBins) || histogramBins < 1 || histogramBins > 64) {
    throw new InvalidOptionError(`imageStatistics: histogramBins must be an integer in [1, 64], got ${histogramBins}. The default is 8.`);
  }
  const sum = [0, 0, 0], sq = [0, 0, 0];
  const grey = new Float64Array(n);
  const hist = new Float64Array(histogramBins ** 3);
  let sat = 0;
  for (let p = 0; p < n; p++) {
    const r = rgb[3 * p] / 255, g = rgb[3 * p + 1] / 255, b = rgb[3 * p + 2] / 255;
    sum[0] += r; sum[1] += g; sum[2] += b;
    sq[0] += r * r; sq[1] += g * g; sq[2] += b * b;
    grey[p] = 0.299 * r + 0.587 * g + 0.114 * b;
    const mx = Math.max(r, g, b), mn = Math.min(r, g, b);
    sat += mx > 0 ? (mx - mn) / mx : 0;
    const bin = (v: number) => Math.min(histogramBins - 1, Math.floor((v * 255 * histogramBins) / 256));
    hist[(bin(r) * histogramBins + bin(g)) * histogramBins + bin(b)]++;
  }
  const mean = sum.map((s) => s / n);
  const std = sq.map((s, c) => Math.sqrt(Math.max(0, s / n - mean[c] ** 2)));
  let energy = 0, edges = 0, flat = 0, lapSum = 0, lapSq = 0;
  const at = (x: number, y: number) => grey[Math.min(height - 1, Math.max(0, y)) * width + Math.min(width - 1, Math.max(0, x))];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const v = grey[y * width + x];
      const gx = at(x + 1, y) - v, gy = at(x, y + 1) - v;
      const e = gx * gx + gy * gy;
      energy += e;
      if (Math.sqrt(e) > edgeThreshold) edges++;
      if (gx === 0 && gy === 0) flat++;
      const lap = at(x - 1, y) + at(x + 1, y) + at(x, y - 1) + at(x, y + 1) - 4 * v;
      lapSum += lap;
      lapSq += lap * lap;
    }
  }
  let entropy = 0;
  for (const c of hist) if (c > 0) entropy -= (c / n) * Math.log2(c / n);
  return Float64Array.from([
    ...mean, ...std,
    energy / n, edges / n, flat / n,
    Math.max(0, lapSq / n - (lapSum / n) ** 2),
    entropy,
    sat / n,
  ]);
}

/** Names of the values {@link outputFeatures} returns before the probabilities themselves. */
export const OUTPUT_FEATURE_NAMES = ['maxProbability', 'margin', 'entropy'] as const;

/**
 * Features of a model's output for one input: the top probability, the margin between the top
 * two, the Shannon entropy in nats (0·log 0 = 0), then (unless `includeProbabilities` is false)
 * the probabilities themselves.
 *
 * @param probabilities - C class probabilities of one input (C ≥ 1; not renormalised).
 * @param includeProbabilities - append the C probabilities. Default true.
 * @returns 3 (+ C) values: {@link OUTPUT_FEATURE_NAMES}, then the probabilities.
 * @throws InvalidOptionError when a probability is not finite or is negative.
 */
export function outputFeatures(probabilities: ArrayLike<number>, includeProbabilities = true): Float64Array {
  const c = probabilities.length;
  if (c < 1) throw new InvalidOptionError('outputFeatures: probabilities must have at least one class, got 0. Pass the model output of one input.');
  let top = -Infinity, second = -Infinity, h = 0;
  for (let i = 0; i < c; i++) {
    const p = probabilities[i];
    if (!Number.isFinite(p) || p < 0) throw new InvalidOptionError(`outputFeatures: probabilities must be finite and >= 0, got ${p} at class ${i}. Pass probabilities, not logits.`);
    if (p > top) { second = top; top = p; } else if (p > second) second = p;
    if (p > 0) h -= p * Math.log(p);
  }
  const head = [top, c > 1 ? top - second : top, h];
  return Float64Array.from(includeProbabilities ? [...head, ...Array.from(probabilities)] : head);
}
