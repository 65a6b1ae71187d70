import { createRng, InvalidOptionError, normalCdf, normalQuantile, studentTQuantile, type Rng } from '@limekit/core';

// The distributions live in @limekit/core (components need them too); re-exported here so that
// statistics users find them in one place.
export { incompleteBeta, logGamma, normalCdf, normalQuantile, studentTCdf, studentTQuantile } from '@limekit/core';

// Statistics for evaluation reports: the one home of intervals and tests in limekit (the CLI's
// evaluate and tools/sampler-study import from here).

/** A mean with a confidence interval. */
export interface MeanInterval {
  /** Number of finite values averaged. */
  readonly n: number;
  readonly mean: number;
  readonly lo: number;
  readonly hi: number;
  /** Half-width for the symmetric Student-t interval (`t(1 − α/2; n − 1) · sd / √n`); 0 for a single value. */
  readonly half: number;
}

/** Default confidence level of {@link meanCI} and {@link bootstrapCI}. */
export const DEFAULT_CONFIDENCE = 0.95;

/**
 * Mean with a Student-t confidence interval (exact t quantile) of the finite values. Unbounded:
 * for metrics with a range, use {@link bootstrapCI}.
 * @returns null when no value is finite; a zero-width interval for a single value.
 */
export function meanCI(values: readonly number[], level = DEFAULT_CONFIDENCE): MeanInterval | null {
  const xs = values.filter((v) => Number.isFinite(v));
  const n = xs.length;
  if (n === 0) return null;
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  if (n === 1) return { n, mean, lo: mean, hi: mean, half: 0 };
  const sd = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1));
  const half = (studentTQuantile((1 + level) / 2, n - 1) * sd) / Math.sqrt(n);
  return { n, mean, lo: mean - half, hi: mean + half, half };
}

/** Options of {@link bootstrapCI}. */
export interface BootstrapOptions {
  /** `bca` (bias-corrected and accelerated, Efron 1987) or `percentile`. Default {@link DEFAULT_BOOTSTRAP_METHOD}. */
  readonly method?: 'bca' | 'percentile';
  /** Number of resamples. Default {@link DEFAULT_BOOTSTRAP_RESAMPLES}. */
  readonly resamples?: number;
  /** Confidence level. Default {@link DEFAULT_CONFIDENCE}. */
  readonly level?: number;
  /** Seed of the resampling stream (or pass `rng`). Default 0. */
  readonly seed?: number;
  readonly rng?: Rng;
  /** The metric's range [lo, hi]: the interval is clipped to it (a bootstrap interval of the mean already lies within the data's range). */
  readonly range?: readonly [number, number];
}

export const DEFAULT_BOOTSTRAP_METHOD = 'bca' as const;
export const DEFAULT_BOOTSTRAP_RESAMPLES = 2000;

/** A bootstrap interval of the mean. */
export interface BootstrapInterval {
  readonly n: number;
  readonly mean: number;
  readonly lo: number;
  readonly hi: number;
  /** The method actually used: BCa falls back to percentile when its bias correction is infinite (every resample on one side). */
  readonly method: 'bca' | 'percentile' | 'none';
}

/** Linear-interpolation quantile of sorted values (numpy's default, "linear"). */
function quantileSorted(sorted: Float64Array, q: number): number {
  const pos = Math.min(1, Math.max(0, q)) * (sorted.length - 1);
  const i = Math.floor(pos);
  const f = pos - i;
  return i + 1 < sorted.length ? sorted[i] + f * (sorted[i + 1] - sorted[i]) : sorted[i];
}

/**
 * Bootstrap confidence interval of the mean over units (images), seeded. The BCa variant follows
 * Efron & Tibshirani (1993, ch. 14) as scipy.stats.bootstrap does: z₀ = Φ⁻¹(share of resampled
 * means below the mean, ties counted half), acceleration from the jackknife,
 * α₁,₂ = Φ(z₀ + (z₀ + z_α)/(1 − a(z₀ + z_α))). Both variants give quantiles of resampled means, so
 * the interval lies within [min, max] of the values and hence within the metric's range.
 * @returns null when no value is finite; a zero-width interval for one value or constant values.
 */
export function bootstrapCI(values: readonly number[], options: BootstrapOptions = {}): BootstrapInterval | null {
  const xs = values.filter((v) => Number.isFinite(v));
  const n = xs.length;
  if (n === 0) return null;
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  const clip = (v: number) => (options.range ? Math.min(options.range[1], Math.max(options.range[0], v)) : v);
  if (n === 1 || xs.every((v) => v === xs[0])) return { n, mean, lo: clip(mean), hi: clip(mean), method: 'none' };
  const B = options.resamples ?? DEFAULT_BOOTSTRAP_RESAMPLES;
  if (!Number.isInteger(B) || B < 100) throw new InvalidOptionError(`statistics: resamples must be an integer >= 100, got ${B}. Use 2000 or more for a 95 % interval.`);
  const level = options.level ?? DEFAULT_CONFIDENCE;
  const rng = options.rng ?? createRng(options.seed ?? 0).fork('bootstrap');
  const means = new Float64Array(B);
  for (let b = 0; b < B; b++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += xs[rng.nextInt(n)];
    means[b] = s / n;
  }
  const sorted = means.slice().sort();
  const alpha = (1 - level) / 2;
  let qlo = alpha;
  let qhi = 1 - alpha;
  let method: BootstrapInterval['method'] = 'percentile';
  if ((options.method ?? DEFAULT_BOOTSTRAP_METHOD) === 'bca') {
    let below = 0;
    let atOrBelow = 0;
    for (const m of means) {
      if (m < mean) below++;
      if (m <= mean) atOrBelow++;
    }
    const z0 = normalQuantile((below + atOrBelow) / (2 * B));
    // Jackknife means: leave one out.
    const total = mean * n;
    const jack = xs.map((v) => (total - v) / (n - 1));
    const jm = jack.reduce((a, b) => a + b, 0) / n;
    let num = 0;
    let den = 0;
    for (const j of jack) {
      num += (jm - j) ** 3;
      den += (jm - j) ** 2;
    }
    const a = den > 0 ? num / (6 * den ** 1.5) : 0;
    if (Number.isFinite(z0)) {
      const za = normalQuantile(alpha);
      const adj = (z: number) => normalCdf(z0 + (z0 + z) / (1 - a * (z0 + z)));
      qlo = adj(za);
      qhi = adj(-za);
      method = 'bca';
    }
  }
  return { n, mean, lo: clip(quantileSorted(sorted, qlo)), hi: clip(quantileSorted(sorted, qhi)), method };
}

/** Average ranks (1-based) of the values, ties sharing their mean rank (scipy.stats.rankdata 'average'). */
export function averageRanks(values: readonly number[]): number[] {
  const order = values.map((v, i) => i).sort((i, j) => values[i] - values[j]);
  const ranks = new Array<number>(values.length);
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && values[order[j + 1]] === values[order[i]]) j++;
    const r = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) ranks[order[k]] = r;
    i = j + 1;
  }
  return ranks;
}

/** Result of {@link wilcoxonSignedRank}. */
export interface WilcoxonResult {
  /** Non-zero differences used (zeros are dropped: zero_method 'wilcox'). */
  readonly n: number;
  /** Rank sums of the positive and the negative differences. */
  readonly rPlus: number;
  readonly rMinus: number;
  /** min(R⁺, R⁻), scipy's two-sided statistic. */
  readonly statistic: number;
  /** Two-sided p-value. */
  readonly pvalue: number;
  /** `exact` (null distribution by enumeration) or `approx` (normal, tie-corrected variance, no continuity correction). */
  readonly method: 'exact' | 'approx';
  /** Matched-pairs rank-biserial correlation (R⁺ − R⁻)/(R⁺ + R⁻) (Kerby 2014), in [−1, 1]; positive when x tends to exceed y. */
  readonly effectSize: number;
}

/** Largest number of non-zero differences for which the exact null distribution is used (as scipy's method='auto'). */
export const WILCOXON_EXACT_MAX_N = 50;

/** Distribution of R⁺ under H₀ for n untied ranks 1..n: counts[k] = #subsets with rank sum k. */
function signedRankCounts(n: number): Float64Array {
  const max = (n * (n + 1)) / 2;
  const c = new Float64Array(max + 1);
  c[0] = 1;
  for (let k = 1; k <= n; k++) for (let s = max; s >= k; s--) c[s] += c[s - k];
  return c;
}

/**
 * Two-sided Wilcoxon signed-rank test of paired samples x, y (differences d = x − y), with the
 * defaults of scipy.stats.wilcoxon (scipy 1.10): zero_method='wilcox' (zero differences dropped),
 * correction=False (no continuity correction). The p-value is exact (enumerated null
 * distribution, p = min(1, 2·min(P(R⁺ ≤ r), P(R⁺ ≥ r)))) when there are at most
 * {@link WILCOXON_EXACT_MAX_N} differences, none zero and no tied |d|; otherwise the normal
 * approximation with the tie-corrected variance. (scipy's method='auto' also picks "exact" with
 * ties, truncating R⁺ to an integer; limekit uses the approximation there, which is scipy's
 * method='approx'.) All differences zero: p = 1 (scipy raises).
 */
export function wilcoxonSignedRank(x: readonly number[], y: readonly number[]): WilcoxonResult {
  if (x.length !== y.length) throw new InvalidOptionError(`statistics: paired samples must have the same length, got ${x.length} and ${y.length}. Pair the values by image before testing.`);
  const all = x.map((v, i) => v - y[i]);
  if (all.some((v) => !Number.isFinite(v))) throw new InvalidOptionError('statistics: paired samples must be finite. Drop the pairs with a missing value first.');
  const nZero = all.filter((v) => v === 0).length;
  const d = all.filter((v) => v !== 0);
  const n = d.length;
  if (n === 0) return { n: 0, rPlus: 0, rMinus: 0, statistic: 0, pvalue: 1, method: 'exact', effectSize: 0 };
  const abs = d.map(Math.abs);
  const r = averageRanks(abs);
  let rPlus = 0;
  let rMinus = 0;
  for (let i = 0; i < n; i++) {
    if (d[i] > 0) rPlus += r[i];
    else rMinus += r[i];
  }
  const statistic = Math.min(rPlus, rMinus);
  const tied = new Set(abs).size < n;
  const effectSize = (rPlus - rMinus) / (rPlus + rMinus);
  if (n <= WILCOXON_EXACT_MAX_N && nZero === 0 && !tied) {
    const counts = signedRankCounts(n);
    const total = 2 ** n;
    const rp = Math.round(rPlus);
    let pvalue: number;
    if (rp * 2 === n * (n + 1) / 2) pvalue = 1;
    else {
      let less = 0;
      for (let s = 0; s <= rp; s++) less += counts[s];
      let greater = 0;
      for (let s = rp; s < counts.length; s++) greater += counts[s];
      pvalue = Math.min(1, (2 * Math.min(less, greater)) / total);
    }
    return { n, rPlus, rMinus, statistic, pvalue, method: 'exact', effectSize };
  }
  const mn = (n * (n + 1)) / 4;
  let v = n * (n + 1) * (2 * n + 1);
  const reps = new Map<number, number>();
  for (const a of r) reps.set(a, (reps.get(a) ?? 0) + 1);
  for (const t of reps.values()) if (t > 1) v -= 0.5 * t * (t * t - 1);
  const se = Math.sqrt(v / 24);
  const z = se > 0 ? (statistic - mn) / se : 0;
  const pvalue = Math.min(1, 2 * normalCdf(-Math.abs(z)));
  return { n, rPlus, rMinus, statistic, pvalue, method: 'approx', effectSize };
}

/**
 * Holm's step-down adjustment (Holm 1979) of a family of p-values: sort ascending, multiply the
 * k-th smallest by (m − k + 1), make the sequence non-decreasing, cap at 1. Controls the
 * family-wise error rate under any dependence. Non-finite p-values are returned as NaN and are not
 * counted in m.
 */
export function holmAdjust(pvalues: readonly number[]): number[] {
  const idx = pvalues.map((p, i) => i).filter((i) => Number.isFinite(pvalues[i]));
  idx.sort((i, j) => pvalues[i] - pvalues[j]);
  const m = idx.length;
  const out = pvalues.map(() => NaN);
  let running = 0;
  idx.forEach((i, k) => {
    running = Math.max(running, Math.min(1, (m - k) * pvalues[i]));
    out[i] = running;
  });
  return out;
}
