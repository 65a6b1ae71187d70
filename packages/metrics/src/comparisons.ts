import { holmAdjust, wilcoxonSignedRank } from './statistics.js';

/** One paired comparison of two configurations on one metric. */
export interface PairedComparison {
  readonly a: string;
  readonly b: string;
  /** Units (images) where both have a value. */
  readonly n: number;
  /** Mean of (a − b) over those units. */
  readonly meanDifference: number;
  /** Wilcoxon signed-rank statistic min(R⁺, R⁻), and which p-value computation was used. */
  readonly statistic: number;
  readonly method: 'exact' | 'approx';
  readonly pvalue: number;
  /** Holm-adjusted over every pair of the metric. */
  readonly pHolm: number;
  /** Matched-pairs rank-biserial r of (a − b): +1 when a is larger on every unit. */
  readonly effectSize: number;
  /** The configuration that is significantly better (Holm-adjusted p < alpha, in the metric's direction), or null. */
  readonly better: string | null;
}

/** Significance level of {@link pairedComparisons}. */
export const DEFAULT_ALPHA = 0.05;

/**
 * Every pair of configurations compared on the same units (images): Wilcoxon signed-rank test of
 * the paired values, Holm's adjustment over the family of all pairs of this metric, and the
 * rank-biserial effect size.
 * @param values per configuration, a map from unit key (e.g. model · image) to the unit's value.
 * @param higherIsBetter the metric's direction, to name the better configuration.
 * @returns one entry per unordered pair (in the order of `configs`), skipping pairs with no common unit.
 */
export function pairedComparisons(
  configs: readonly string[],
  values: ReadonlyMap<string, ReadonlyMap<string, number>>,
  higherIsBetter: boolean,
  alpha = DEFAULT_ALPHA,
): PairedComparison[] {
  const raw: Omit<PairedComparison, 'pHolm' | 'better'>[] = [];
  for (let i = 0; i < configs.length; i++) {
    for (let j = i + 1; j < configs.length; j++) {
      const va = values.get(configs[i]);
      const vb = values.get(configs[j]);
      if (!va || !vb) continue;
      const keys = [...va.keys()].filter((k) => vb.has(k) && Number.isFinite(va.get(k)) && Number.isFinite(vb.get(k))).sort();
      if (!keys.length) continue;
      const x = keys.map((k) => va.get(k)!);
      const y = keys.map((k) => vb.get(k)!);
      const w = wilcoxonSignedRank(x, y);
      const meanDifference = x.reduce((s, v, k) => s + v - y[k], 0) / keys.length;
      raw.push({ a: configs[i], b: configs[j], n: keys.length, meanDifference, statistic: w.statistic, method: w.method, pvalue: w.pvalue, effectSize: w.effectSize });
    }
  }
  const adjusted = holmAdjust(raw.map((r) => r.pvalue));
  return raw.map((r, k) => {
    const pHolm = adjusted[k];
    const aAhead = higherIsBetter ? r.effectSize > 0 : r.effectSize < 0;
    const better = pHolm < alpha && r.effectSize !== 0 ? (aAhead ? r.a : r.b) : null;
    return { ...r, pHolm, better };
  });
}
