import { meanCI } from '@limekit/metrics';
import type { TopLevelSpec } from 'vega-lite';
import { esc, toSvg } from '../evaluate/report.js';
import type { BenchRow } from './run.js';

/** The error measures of a benchmark, in the order they are shown. */
export const BENCH_METRICS = [
  { id: 'relL2', title: 'relative L2 error ‖w − exact‖ / ‖exact‖', higherIsBetter: false, log: true, range: [0, Infinity] },
  { id: 'topK', title: 'top-k recovery (fraction of the exact top-k found)', higherIsBetter: true, log: false, range: [0, 1] },
  { id: 'spearman', title: 'Spearman rank correlation with the exact values', higherIsBetter: true, log: false, range: [-1, 1] },
] as const;
export type BenchMetric = (typeof BENCH_METRICS)[number]['id'];

/** Mean and 95 % interval of one metric over the seeds of one game × configuration × budget. */
export interface BenchStat {
  readonly n: number;
  readonly mean: number;
  readonly lo: number;
  readonly hi: number;
}

/** The 95 % coverage of the reported standard errors: pooled over segments × runs. */
export interface CoverageStat {
  /** Segments × runs with a standard error. */
  readonly n: number;
  /** Fraction with |estimate − exact| ≤ 1.96 · se + 1e-6 (`COVERAGE_ROUNDING`: float32 model outputs). */
  readonly coverage: number;
  /** Wilson 95 % interval of that fraction. */
  readonly lo: number;
  readonly hi: number;
}

/** One cell of the summary: a game (or `all`) × configuration × budget. */
export interface BenchCell {
  readonly game: string;
  readonly config: string;
  readonly budget: number;
  readonly runs: number;
  readonly errors: number;
  readonly modelCalls: number;
  readonly metrics: Partial<Record<BenchMetric, BenchStat>>;
  readonly coverage?: CoverageStat;
}

/** How the summary's intervals are computed (written into summary.json and the report). */
export const BENCH_SUMMARY_METHODS = {
  unit: 'one run (seed) of a game × configuration × budget',
  interval: 'mean over seeds with a Student-t 95 % interval (exact t quantile), cut to the measure\'s range (relative L2 >= 0, top-k in [0, 1], Spearman in [-1, 1]); "all" pools the runs of every game',
  coverage: 'pooled over segments × runs: fraction with |estimate − exact| <= 1.96 · reported standard error + 1e-6 (float32 rounding of model outputs); Wilson 95 % interval',
} as const;

/** Wilson score interval of k successes in n at 95 %. */
export function wilson(k: number, n: number): { lo: number; hi: number } {
  if (n === 0) return { lo: NaN, hi: NaN };
  const z = 1.959963984540054;
  const p = k / n;
  const d = 1 + (z * z) / n;
  const c = (p + (z * z) / (2 * n)) / d;
  const h = (z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / d;
  return { lo: Math.max(0, c - h), hi: Math.min(1, c + h) };
}

function cellOf(game: string, config: string, budget: number, rows: readonly BenchRow[]): BenchCell {
  const ok = rows.filter((r) => !r.error);
  const metrics: Partial<Record<BenchMetric, BenchStat>> = {};
  for (const m of BENCH_METRICS) {
    const ci = meanCI(ok.map((r) => r[m.id]).filter((v): v is number => typeof v === 'number' && Number.isFinite(v)));
    // The t interval is symmetric; it is cut to the measure's range (an error is never below 0).
    if (ci) metrics[m.id] = { n: ci.n, mean: ci.mean, lo: Math.max(m.range[0], ci.lo), hi: Math.min(m.range[1], ci.hi) };
  }
  const n = ok.reduce((s, r) => s + (r.withStd ?? 0), 0);
  const k = ok.reduce((s, r) => s + (r.covered ?? 0), 0);
  const calls = ok.map((r) => r.modelCalls ?? 0);
  return {
    game,
    config,
    budget,
    runs: ok.length,
    errors: rows.length - ok.length,
    modelCalls: calls.length ? calls.reduce((a, b) => a + b, 0) / calls.length : NaN,
    metrics,
    ...(n ? { coverage: { n, coverage: k / n, ...wilson(k, n) } } : {}),
  };
}

/** Summary cells per game × configuration × budget, then per configuration × budget over all games (`game: "all"`). */
export function summarizeBenchmark(rows: readonly BenchRow[], games: readonly string[], configs: readonly string[], budgets: readonly number[]): BenchCell[] {
  const cells: BenchCell[] = [];
  for (const game of [...games, 'all']) {
    for (const config of configs) {
      for (const budget of budgets) {
        const mine = rows.filter((r) => (game === 'all' || r.game === game) && r.config === config && r.budget === budget);
        if (mine.length) cells.push(cellOf(game, config, budget, mine));
      }
    }
  }
  return cells;
}

function csvCell(v: unknown): string {
  if (v === undefined || v === null) return '';
  const s = String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** DIR/results.csv: one row per run. `coverage` is the run's fraction of segments inside ±1.96 se. */
export function benchCsv(rows: readonly BenchRow[]): string {
  const header = ['game', 'config', 'target', 'M', 'budget', 'seed', 'model_calls', 'samples', 'rel_l2', 'l2', 'max_abs', 'topk', 'spearman', 'coverage', 'coverage_n', 'wall_ms', 'error'];
  const lines = [header.join(',')];
  for (const r of rows) {
    const cov = r.withStd ? (r.covered ?? 0) / r.withStd : undefined;
    lines.push([r.game, r.config, r.target, r.M, r.budget, r.seed, r.modelCalls, r.samples, r.relL2, r.l2, r.maxAbs, r.topK, r.spearman, cov, r.withStd, r.ms === undefined ? undefined : Math.round(r.ms), r.error].map(csvCell).join(','));
  }
  return lines.join('\n') + '\n';
}

const finite = (v: number | undefined) => (v !== undefined && Number.isFinite(v) ? v : null);

/** DIR/summary.json. */
export function benchSummaryJson(cells: readonly BenchCell[], input: { planHash: string; games: readonly { name: string; kind: string; M: number }[]; configs: readonly { name: string; target: Record<string, unknown> }[]; budgets: readonly number[]; topK: number; rows: number; errors: number }): unknown {
  return {
    planHash: input.planHash,
    rows: input.rows,
    errors: input.errors,
    topK: input.topK,
    games: input.games,
    configs: input.configs,
    budgets: input.budgets,
    methods: BENCH_SUMMARY_METHODS,
    cells: cells.map((c) => ({
      game: c.game,
      config: c.config,
      budget: c.budget,
      runs: c.runs,
      errors: c.errors,
      modelCalls: finite(c.modelCalls),
      ...Object.fromEntries(BENCH_METRICS.map((m) => [m.id, c.metrics[m.id] ? { mean: finite(c.metrics[m.id]!.mean), lo: finite(c.metrics[m.id]!.lo), hi: finite(c.metrics[m.id]!.hi), n: c.metrics[m.id]!.n } : null])),
      coverage: c.coverage ? { coverage: c.coverage.coverage, lo: finite(c.coverage.lo), hi: finite(c.coverage.hi), n: c.coverage.n } : null,
    })),
  };
}

function fmt(x: number | undefined): string {
  if (x === undefined || !Number.isFinite(x)) return '–';
  const a = Math.abs(x);
  return a !== 0 && a < 1e-3 ? x.toExponential(2) : x.toFixed(3);
}

/** The Vega-Lite curves: one chart per measure, a panel per game, error against samples (log x) with the 95 % band. */
export function benchChartSpecs(cells: readonly BenchCell[], configs: readonly string[], games: readonly string[]): { title: string; spec: TopLevelSpec }[] {
  const specs: { title: string; spec: TopLevelSpec }[] = [];
  const per = cells.filter((c) => c.game !== 'all');
  const curve = (title: string, values: Record<string, unknown>[], yTitle: string, logY: boolean, domain?: readonly [number, number], rule?: number): { title: string; spec: TopLevelSpec } => ({
    title,
    spec: {
      $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
      data: { values },
      facet: { field: 'game', type: 'nominal', title: null, sort: games as string[] },
      columns: 3,
      // Each game on its own y scale: an exact estimator's 1e-9 would flatten everyone else's curve.
      ...(logY ? { resolve: { scale: { y: 'independent' } } } : {}),
      spec: {
        width: 260,
        height: 180,
        layer: [
          { mark: { type: 'area', opacity: 0.18 }, encoding: { x: { field: 'budget', type: 'quantitative', scale: { type: 'log', base: 2 } }, y: { field: 'lo', type: 'quantitative', scale: logY ? { type: 'log' } : domain ? { domain: [...domain] } : { zero: false } }, y2: { field: 'hi' }, color: { field: 'config', type: 'nominal', sort: configs as string[] } } },
          {
            mark: { type: 'line', point: true, strokeWidth: 2 },
            encoding: {
              x: { field: 'budget', type: 'quantitative', title: 'samples (model calls, log scale)', scale: { type: 'log', base: 2 } },
              y: { field: 'mean', type: 'quantitative', title: yTitle, scale: logY ? { type: 'log' } : domain ? { domain: [...domain] } : { zero: false } },
              color: { field: 'config', type: 'nominal', sort: configs as string[] },
              tooltip: [{ field: 'config' }, { field: 'budget' }, { field: 'mean', format: '.4f' }, { field: 'lo', format: '.4f' }, { field: 'hi', format: '.4f' }],
            },
          },
          ...(rule !== undefined ? [{ mark: { type: 'rule' as const, strokeDash: [4, 4], color: '#555' }, encoding: { y: { datum: rule } } }] : []),
        ],
      },
    } as TopLevelSpec,
  });
  for (const m of BENCH_METRICS) {
    // A log axis cannot show 0: a band reaching 0 (a t interval wider than its mean) is drawn down to a tenth of its mean.
    const values = per
      .filter((c) => c.metrics[m.id])
      .map((c) => {
        const s = c.metrics[m.id]!;
        const floor = m.log ? (s.mean > 0 ? s.mean / 10 : 1e-12) : -Infinity;
        return { game: c.game, config: c.config, budget: c.budget, mean: Math.max(s.mean, m.log ? 1e-12 : -Infinity), lo: Math.max(s.lo, floor), hi: Math.max(s.hi, floor) };
      });
    if (values.length) specs.push(curve(m.title, values, m.id === 'relL2' ? 'relative L2 error (log scale)' : m.id === 'topK' ? 'top-k recovery' : 'Spearman ρ', m.log, m.log ? undefined : (m.range as readonly [number, number])));
  }
  const cov = per.filter((c) => c.coverage).map((c) => ({ game: c.game, config: c.config, budget: c.budget, mean: c.coverage!.coverage, lo: c.coverage!.lo, hi: c.coverage!.hi }));
  if (cov.length) specs.push(curve('Coverage of the reported 95 % intervals (dashed: 0.95)', cov, 'coverage', false, [0, 1], 0.95));
  return specs;
}

/** DIR/report.html: the targets, the curves (inline SVG, Vega-Lite spec embedded), tables of the numbers. Opens from disk. */
export async function renderBenchReport(input: {
  plan: unknown;
  cells: readonly BenchCell[];
  games: readonly { name: string; kind: string; M: number }[];
  configs: readonly { name: string; target: Record<string, unknown> }[];
  budgets: readonly number[];
  rows: readonly BenchRow[];
  topK: number;
  generatedAt: string;
}): Promise<string> {
  const configNames = input.configs.map((c) => c.name);
  const gameNames = input.games.map((g) => g.name);
  const charts: string[] = [];
  for (const { title, spec } of benchChartSpecs(input.cells, configNames, gameNames)) {
    charts.push(`<figure class="chart"><figcaption>${esc(title)}</figcaption>${await toSvg(spec)}<script type="application/json" class="vega-lite-spec">${JSON.stringify(spec).replace(/</g, '\\u003c')}</script></figure>`);
  }
  const targets = `<table class="targets"><thead><tr><th>configuration</th><th>target</th><th>why</th><th>kernel · α · mask law</th></tr></thead><tbody>${input.configs
    .map((c) => {
      const t = c.target;
      return `<tr><th>${esc(c.name)}</th><td>${esc(t.kind)}</td><td>${esc(t.because)}</td><td>${t.kernel !== undefined ? esc(`${String(t.kernel)} · α = ${String(t.alpha)} · ${String(t.maskLaw)} (${String(t.maskLawBecause)})`) : '–'}</td></tr>`;
    })
    .join('')}</tbody></table>`;
  const tables = [...gameNames, 'all']
    .map((game) => {
      const mine = input.cells.filter((c) => c.game === game);
      if (!mine.length) return '';
      const hasCov = mine.some((c) => c.coverage);
      const body = configNames
        .map((config) => {
          const tds = input.budgets.map((b) => {
            const c = mine.find((x) => x.config === config && x.budget === b);
            const s = c?.metrics.relL2;
            if (!c || !s) return '<td>–</td>';
            const cov = c.coverage ? `<br><small class="coverage">cov ${fmt(c.coverage.coverage)}</small>` : '';
            return `<td title="${esc(`n = ${s.n} runs, ${fmt(c.modelCalls)} model calls; top-${input.topK} ${fmt(c.metrics.topK?.mean)}, Spearman ${fmt(c.metrics.spearman?.mean)}`)}">${fmt(s.mean)}<br><small>[${fmt(s.lo)}, ${fmt(s.hi)}]</small>${cov}</td>`;
          });
          return `<tr><th>${esc(config)}</th>${tds.join('')}</tr>`;
        })
        .join('');
      const g = input.games.find((x) => x.name === game);
      return `<h3>${esc(game)}${g ? ` <small>(${esc(g.kind)}, M = ${g.M})</small>` : ' <small>(all games pooled)</small>'}</h3><table class="numbers" data-game="${esc(game)}"><thead><tr><th>relative L2 (95 % interval)${hasCov ? ' · coverage' : ''}</th>${input.budgets.map((b) => `<th>${b}</th>`).join('')}</tr></thead><tbody>${body}</tbody></table>`;
    })
    .join('\n');
  const errors = input.rows.filter((r) => r.error);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>limekit benchmark report</title>
<style>
body{font:14px/1.45 system-ui,sans-serif;margin:24px;color:#222;max-width:1400px}
h1{font-size:22px}h2{font-size:18px;margin-top:32px;border-bottom:1px solid #ddd}h3{font-size:15px}
table{border-collapse:collapse;margin:8px 0}th,td{border:1px solid #ddd;padding:4px 8px;text-align:center;vertical-align:middle}
thead th{background:#f4f4f4}small{color:#666}small.coverage{color:#1b5e20}
.chart{display:block;margin:8px 0 16px}figcaption{font-weight:600;margin-bottom:4px}pre{background:#f7f7f7;padding:8px;overflow:auto;max-height:320px}
</style></head><body>
<h1>limekit benchmark report</h1>
<p>${input.rows.length} runs (${errors.length} errors): ${input.games.length} games × ${input.configs.length} configurations × ${input.budgets.length} budgets × seeds, generated ${esc(input.generatedAt)}. Every run is the real pipeline (sampler, fill, perturbation, model, similarity kernel, surrogate) on a game model whose output is a known function of the visible segments, read back from the pixels; its weights are compared with the exact answer.</p>
<h2>Targets</h2>${targets}
<h2>Curves</h2><p>Means over seeds with Student-t 95 % intervals (bands). Top-k uses k = ${input.topK}.</p><div id="charts">${charts.join('\n')}</div>
<h2>Numbers</h2><p>Relative L2 error to the exact target, mean over seeds [95 % interval]; "cov": the fraction of segments × runs whose exact value lies within ±1.96 reported standard errors (only for estimators that report them). Hover a cell for top-k and Spearman.</p>${tables}
${errors.length ? `<h2>Errors</h2><ul>${errors.map((r) => `<li>${esc(`${r.game} · ${r.config} · ${r.budget} · seed ${r.seed}`)}: ${esc(r.error)}</li>`).join('')}</ul>` : ''}
<h2>Plan</h2><pre>${esc(JSON.stringify(input.plan, null, 2))}</pre>
</body></html>
`;
}
