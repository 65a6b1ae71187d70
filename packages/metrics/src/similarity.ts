import { InvalidOptionError, ShapeMismatchError } from '@limekit/core';
import { pearson } from './faithfulness.js';
import { averageRanks } from './statistics.js';

// Similarity of two explanations (sanity checks, random-logit): SSIM of heat maps, Spearman of
// weights.

/** Options of {@link ssim}. */
export interface SsimOptions {
  /** Side of the square uniform window (odd, >= 3). Default 7 (scikit-image). */
  winSize: number;
  /** Range of the values; null = max − min over both maps (what Quantus passes). */
  dataRange: number | null;
}
export const DEFAULT_SSIM_OPTIONS: Readonly<SsimOptions> = { winSize: 7, dataRange: null };

/** scipy.ndimage.uniform_filter with mode 'reflect' (d c b a | a b c d | d c b a), separable. */
function uniformFilter(a: Float64Array, w: number, h: number, size: number): Float64Array {
  const half = Math.floor(size / 2);
  const refl = (i: number, n: number) => {
    let j = i;
    while (j < 0 || j >= n) j = j < 0 ? -j - 1 : 2 * n - j - 1;
    return j;
  };
  const tmp = new Float64Array(w * h);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      let s = 0;
      for (let k = -half; k <= half; k++) s += a[y * w + refl(x + k, w)];
      tmp[y * w + x] = s / size;
    }
  const out = new Float64Array(w * h);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      let s = 0;
      for (let k = -half; k <= half; k++) s += tmp[refl(y + k, h) * w + x];
      out[y * w + x] = s / size;
    }
  return out;
}

/**
 * Mean structural similarity of two maps (Wang, Bovik, Sheikh & Simoncelli, IEEE TIP 2004), as
 * scikit-image's `structural_similarity(a, b, win_size=7, data_range=R)` with its defaults
 * (uniform window, sample covariance, K₁ = 0.01, K₂ = 0.03, the mean over the image without a
 * border of (win − 1)/2). R defaults to max − min over both maps, as Quantus's `ssim`. 1 for
 * equal maps; two constant maps (R = 0) count as equal.
 */
export function ssim(a: ArrayLike<number>, b: ArrayLike<number>, width: number, height: number, options: Partial<SsimOptions> = {}): number {
  const o = { ...DEFAULT_SSIM_OPTIONS, ...options };
  const n = width * height;
  if (a.length !== n || b.length !== n) throw new ShapeMismatchError(`ssim: both maps must have ${width}×${height} = ${n} values, got ${a.length} and ${b.length}.`);
  if (!Number.isInteger(o.winSize) || o.winSize < 3 || o.winSize % 2 === 0 || o.winSize > Math.min(width, height)) {
    throw new InvalidOptionError(`ssim: winSize must be an odd integer from 3 to min(width, height) = ${Math.min(width, height)}, got ${o.winSize}. Use 7, or 3 for small maps.`);
  }
  let lo = Infinity, hi = -Infinity;
  for (let i = 0; i < n; i++) {
    lo = Math.min(lo, a[i], b[i]);
    hi = Math.max(hi, a[i], b[i]);
  }
  const R = o.dataRange ?? hi - lo;
  if (R === 0) return 1;
  const A = Float64Array.from(a), B = Float64Array.from(b);
  const np = o.winSize * o.winSize;
  const cov = np / (np - 1);
  const ux = uniformFilter(A, width, height, o.winSize), uy = uniformFilter(B, width, height, o.winSize);
  const uxx = uniformFilter(A.map((v) => v * v), width, height, o.winSize);
  const uyy = uniformFilter(B.map((v) => v * v), width, height, o.winSize);
  const uxy = uniformFilter(A.map((v, i) => v * B[i]), width, height, o.winSize);
  const C1 = (0.01 * R) ** 2, C2 = (0.03 * R) ** 2;
  const pad = (o.winSize - 1) / 2;
  let s = 0, count = 0;
  for (let y = pad; y < height - pad; y++)
    for (let x = pad; x < width - pad; x++) {
      const i = y * width + x;
      const vx = cov * (uxx[i] - ux[i] * ux[i]), vy = cov * (uyy[i] - uy[i] * uy[i]), vxy = cov * (uxy[i] - ux[i] * uy[i]);
      s += ((2 * ux[i] * uy[i] + C1) * (2 * vxy + C2)) / ((ux[i] ** 2 + uy[i] ** 2 + C1) * (vx + vy + C2));
      count++;
    }
  return s / count;
}

/** Spearman's rank correlation (Pearson r of average ranks, as scipy.stats.spearmanr); NaN for a constant input. */
export function spearman(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new ShapeMismatchError(`spearman: both inputs must have the same length, got ${a.length} and ${b.length}.`);
  return pearson(averageRanks(Array.from(a)), averageRanks(Array.from(b)));
}

/**
 * The random-logit sanity test (Sixt, Granz & Landgraf, ICML 2020; Quantus's `RandomLogit`): explain
 * a class drawn uniformly from the others and compare it with the explanation of the explained
 * class by SSIM of the pixel maps (Quantus's default similarity). An explanation that depends on
 * the class gives a low value; 1 means the explanation ignores which class it explains. Lower is
 * better, in [−1, 1].
 * @param explainLabel explains the same image for another class and returns its pixel map (width·height values).
 * @param reference the pixel map of the explanation under test.
 * @returns the SSIM and the class drawn.
 */
export async function randomLogit(
  explainLabel: (label: number) => Promise<ArrayLike<number>>,
  reference: ArrayLike<number>,
  label: number,
  numClasses: number,
  rng: { nextInt(n: number): number },
  width: number,
  height: number,
): Promise<{ ssim: number; other: number }> {
  if (!Number.isInteger(numClasses) || numClasses < 2) throw new InvalidOptionError(`randomLogit: the model must have at least 2 classes, got ${numClasses}. The test explains another class than the explained one.`);
  const draw = rng.nextInt(numClasses - 1);
  const other = draw >= label ? draw + 1 : draw;
  const map = await explainLabel(other);
  return { ssim: ssim(reference, map, width, height, { winSize: Math.min(7, Math.min(width, height) - ((Math.min(width, height) + 1) % 2)) }), other };
}
