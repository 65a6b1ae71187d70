import { createRng } from '@limekit/core';
import { bootstrapCI, DEFAULT_ALPHA, DEFAULT_BOOTSTRAP_RESAMPLES, DEFAULT_CONFIDENCE, pairedComparisons, type BootstrapInterval, type PairedComparison } from '@limekit/metrics';
import { unitKey, type GroupValue } from './metrics.js';
import type { MetricInfo } from './report.js';
import type { ResultRow } from './results.js';

/** Seed of the bootstrap streams (each cell forks its own, named by config and metric), so a report is reproducible. */
export const SUMMARY_BOOTSTRAP_SEED = 0;

/** How the intervals and tests of a summary are computed, as written into summary.json and the report. */
export const SUMMARY_METHODS = {
  unit: 'image (model · image); the seeds of a unit are averaged first',
  interval: `BCa bootstrap of the mean over units, ${DEFAULT_BOOTSTRAP_RESAMPLES} resamples, seed ${SUMMARY_BOOTSTRAP_SEED}, level ${DEFAULT_CONFIDENCE}, kept inside the metric's range (percentile bootstrap when the BCa bias correction is infinite)`,
  test: "two-sided Wilcoxon signed-rank test on paired unit values (as scipy.stats.wilcoxon with zero_method='wilcox', correction=False; exact null distribution when n <= 50 with no zero and no tied differences, otherwise the normal approximation with tie correction)",
  adjustment: 'Holm over all pairs of configurations of one metric',
  effectSize: 'matched-pairs rank-biserial correlation r = (R+ - R-)/(R+ + R-) of (a - b), in [-1, 1]',
  alpha: DEFAULT_ALPHA,
} as const;

/** A value per (config, metric): the per-unit values and the mean with its interval. */
export interface SummaryCell {
  config: string;
  metric: string;
  /** Unit (model · image) → the unit's value (mean over its seeds). */
  units: Map<string, number>;
  values: number[];
  ci: BootstrapInterval | null;
}

/** A summary: cells per configuration and metric, paired comparisons per metric. */
export interface EvaluationSummary {
  cells: SummaryCell[];
  comparisons: Map<string, PairedComparison[]>;
}

/**
 * Per configuration and metric: the unit values (per-row metrics averaged over seeds, plus the
 * per-unit values of across-seed metrics), their mean and bootstrap interval; per metric: the
 * paired comparisons of every two configurations.
 */
export function summarize(rows: readonly ResultRow[], configs: readonly string[], metrics: readonly MetricInfo[], extra: readonly GroupValue[] = []): EvaluationSummary {
  const cells: SummaryCell[] = [];
  const comparisons = new Map<string, PairedComparison[]>();
  for (const m of metrics) {
    const byConfig = new Map<string, Map<string, number>>();
    for (const config of configs) {
      const acc = new Map<string, { sum: number; n: number }>();
      for (const r of rows) {
        if (r.config !== config || r.error) continue;
        const v = r.metrics[m.id];
        if (typeof v !== 'number' || !Number.isFinite(v)) continue;
        const a = acc.get(unitKey(r)) ?? { sum: 0, n: 0 };
        a.sum += v;
        a.n++;
        acc.set(unitKey(r), a);
      }
      const units = new Map<string, number>([...acc].map(([k, a]) => [k, a.sum / a.n]));
      for (const e of extra) if (e.config === config && e.metric === m.id && Number.isFinite(e.value)) units.set(e.unit, e.value);
      const keys = [...units.keys()].sort();
      const values = keys.map((k) => units.get(k)!);
      const range = m.range ? ([m.range[0], m.range[1]] as const) : undefined;
      const ci = bootstrapCI(values, { rng: createRng(SUMMARY_BOOTSTRAP_SEED).fork(`bootstrap/${config}/${m.id}`), ...(range ? { range } : {}) });
      cells.push({ config, metric: m.id, units, values, ci });
      if (values.length) byConfig.set(config, units);
    }
    comparisons.set(m.id, pairedComparisons(configs, byConfig, m.higherIsBetter));
  }
  return { cells, comparisons };
}

const finite = (v: number) => (Number.isFinite(v) ? v : null);

/** DIR/summary.json: per configuration and metric the mean and interval, per metric the pairwise comparisons. */
export function summaryJson(summary: EvaluationSummary, input: { planHash: string; configs: readonly string[]; controls: readonly string[]; metrics: readonly MetricInfo[]; rows: number; errors: number }): unknown {
  return {
    planHash: input.planHash,
    rows: input.rows,
    errors: input.errors,
    configs: input.configs,
    controls: input.controls,
    methods: SUMMARY_METHODS,
    metrics: input.metrics.map((m) => ({
      id: m.id,
      higherIsBetter: m.higherIsBetter,
      range: m.range ? [finite(m.range[0]), finite(m.range[1])] : null,
      cells: summary.cells
        .filter((c) => c.metric === m.id && c.ci)
        .map((c) => ({ config: c.config, n: c.ci!.n, mean: c.ci!.mean, lo: c.ci!.lo, hi: c.ci!.hi, interval: c.ci!.method })),
      comparisons: (summary.comparisons.get(m.id) ?? []).map((p) => ({ ...p })),
    })),
  };
}
