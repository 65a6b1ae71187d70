import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import type { ResultRow } from './results.js';
import type { PairedComparison } from '@limekit/metrics';
import { SUMMARY_METHODS, type EvaluationSummary, type SummaryCell } from './summary.js';

/** What the report knows about each metric. */
export interface MetricInfo {
  id: string;
  description: string;
  higherIsBetter: boolean;
  paper?: string;
  /** [min, max] of the metric (±Infinity when unbounded): intervals and chart axes keep to it. */
  range?: readonly [number, number];
  /** What the metric needs (`mask`: ground-truth masks). */
  needs?: readonly string[];
  /** Computed only when a plan names it. */
  optIn?: boolean;
}

export type { SummaryCell };

/** HTML-escapes a value. */
export function esc(s: unknown): string {
  return String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function fmt(x: number | undefined | null): string {
  if (x === undefined || x === null || !Number.isFinite(x)) return '–';
  const a = Math.abs(x);
  return a !== 0 && (a < 1e-3 || a >= 1e5) ? x.toExponential(2) : x.toFixed(a >= 100 ? 1 : 3);
}

/** Renders a Vega-Lite spec to an SVG string (no browser, no network). */
export async function toSvg(spec: TopLevelSpec): Promise<string> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  const svg = await view.toSVG();
  view.finalize();
  return svg;
}

function meanCurve(rows: readonly ResultRow[], config: string, kind: 'deletion' | 'insertion'): { x: number; y: number }[] {
  const curves = rows.filter((r) => r.config === config && !r.error && r.curves?.[kind]).map((r) => r.curves![kind]!);
  if (curves.length === 0) return [];
  // Curves may have different x grids (different segment counts): resample on a common grid.
  const grid = Array.from({ length: 51 }, (_, i) => i / 50);
  return grid.map((x) => {
    let s = 0;
    for (const c of curves) s += interp(c.xs, c.ys, x);
    return { x, y: s / curves.length };
  });
}

function interp(xs: number[], ys: number[], x: number): number {
  if (x <= xs[0]) return ys[0];
  for (let i = 1; i < xs.length; i++) {
    if (x <= xs[i]) {
      const t = xs[i] === xs[i - 1] ? 0 : (x - xs[i - 1]) / (xs[i] - xs[i - 1]);
      return ys[i - 1] + t * (ys[i] - ys[i - 1]);
    }
  }
  return ys[ys.length - 1];
}

/** Vega-Lite specifications of the report's charts. */
export function chartSpecs(rows: readonly ResultRow[], configs: readonly string[], metrics: readonly MetricInfo[], cells: readonly SummaryCell[]): { title: string; spec: TopLevelSpec }[] {
  const ok = rows.filter((r) => !r.error);
  const specs: { title: string; spec: TopLevelSpec }[] = [];
  const perRowMetrics = metrics.filter((m) => ok.some((r) => typeof r.metrics[m.id] === 'number'));
  if (perRowMetrics.length) {
    const values = ok.flatMap((r) => perRowMetrics.filter((m) => typeof r.metrics[m.id] === 'number').map((m) => ({ config: r.config, metric: m.id, value: r.metrics[m.id] })));
    specs.push({
      title: 'Metric distributions per configuration',
      spec: {
        $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
        data: { values },
        facet: { field: 'metric', type: 'nominal', title: null },
        columns: 4,
        resolve: { scale: { x: 'independent' } },
        spec: {
          width: 180,
          height: { step: 16 },
          layer: [
            { mark: { type: 'boxplot', extent: 'min-max', size: 10, opacity: 0.5 }, encoding: { x: { field: 'value', type: 'quantitative', title: null, scale: { zero: false } }, y: { field: 'config', type: 'nominal', title: null, sort: configs as string[] }, color: { field: 'config', type: 'nominal', legend: null, sort: configs as string[] } } },
            { mark: { type: 'tick', opacity: 0.7, size: 8 }, encoding: { x: { field: 'value', type: 'quantitative' }, y: { field: 'config', type: 'nominal', sort: configs as string[] }, color: { field: 'config', type: 'nominal', legend: null, sort: configs as string[] } } },
          ],
        },
      } as TopLevelSpec,
    });
  }
  for (const kind of ['deletion', 'insertion'] as const) {
    const values = configs.flatMap((config) => meanCurve(ok, config, kind).map((p) => ({ config, fraction: p.x, probability: p.y })));
    if (!values.length) continue;
    specs.push({
      title: `Mean ${kind} curve`,
      spec: {
        $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
        width: 360,
        height: 220,
        data: { values },
        mark: { type: 'line', strokeWidth: 2 },
        encoding: {
          x: { field: 'fraction', type: 'quantitative', title: kind === 'deletion' ? 'fraction of pixels removed' : 'fraction of pixels inserted' },
          y: { field: 'probability', type: 'quantitative', title: 'model probability of the explained label', scale: { domain: [0, 1] } },
          color: { field: 'config', type: 'nominal', sort: configs as string[] },
        },
      },
    });
  }
  const timeCells = cells.filter((c) => c.metric === 'wall-time' && c.ci);
  const quality = metrics.find((m) => m.id === 'insertion') ?? metrics.find((m) => m.id === 'deletion') ?? metrics.find((m) => m.id === 'faithfulness');
  if (timeCells.length && quality) {
    const values = configs
      .map((config) => ({ config, time: cells.find((c) => c.config === config && c.metric === 'wall-time')?.ci, q: cells.find((c) => c.config === config && c.metric === quality.id)?.ci }))
      .filter((v) => v.time && v.q)
      .map((v) => ({ config: v.config, time: v.time!.mean, q: v.q!.mean, qlo: v.q!.lo, qhi: v.q!.hi }));
    // Axes that do not magnify noise: time from 0, quality over the metric's whole range when it is bounded.
    const r = quality.range;
    const qScale = r && Number.isFinite(r[0]) && Number.isFinite(r[1]) ? { domain: [r[0], r[1]] } : { zero: true };
    specs.push({
      title: `Quality (${quality.id}) vs time`,
      spec: {
        $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
        width: 360,
        height: 220,
        data: { values },
        layer: [
          { mark: { type: 'rule' }, encoding: { x: { field: 'time', type: 'quantitative' }, y: { field: 'qlo', type: 'quantitative' }, y2: { field: 'qhi' }, color: { field: 'config', type: 'nominal', sort: configs as string[] } } },
          { mark: { type: 'point', filled: true, size: 90 }, encoding: { x: { field: 'time', type: 'quantitative', title: 'mean wall time per explanation (ms)', scale: { zero: true } }, y: { field: 'q', type: 'quantitative', title: `mean ${quality.id} with 95 % interval${quality.higherIsBetter ? ' (higher is better)' : ' (lower is better)'}`, scale: qScale }, color: { field: 'config', type: 'nominal', sort: configs as string[] } } },
          { mark: { type: 'text', dy: -10 }, encoding: { x: { field: 'time', type: 'quantitative' }, y: { field: 'q', type: 'quantitative' }, text: { field: 'config' } } },
        ],
      } as TopLevelSpec,
    });
  }
  return specs;
}

function fmtP(p: number): string {
  if (!Number.isFinite(p)) return '–';
  return p < 1e-4 ? p.toExponential(1) : p.toFixed(4);
}

/**
 * The configuration with the best mean of a metric, and whether it is significantly better than
 * every other configuration (Holm-adjusted Wilcoxon p < α against each): only then does it get a ★.
 */
export function bestOf(metric: MetricInfo, cells: readonly SummaryCell[], comparisons: readonly PairedComparison[]): { config: string; significant: boolean } | null {
  const withCi = cells.filter((c) => c.metric === metric.id && c.ci);
  if (withCi.length < 2) return null;
  if (withCi.every((c) => c.ci!.mean === withCi[0].ci!.mean)) return null; // a tie has no best
  const top = withCi.reduce((a, b) => ((metric.higherIsBetter ? b.ci!.mean > a.ci!.mean : b.ci!.mean < a.ci!.mean) ? b : a));
  const others = withCi.filter((c) => c !== top);
  const significant = others.every((o) => comparisons.some((p) => ((p.a === top.config && p.b === o.config) || (p.b === top.config && p.a === o.config)) && p.better === top.config));
  return { config: top.config, significant };
}

/** The significance matrix of one metric: ▲ the row's configuration is significantly better than the column's, ▼ worse, · no significant difference. */
export function significanceMatrix(metric: MetricInfo, configs: readonly string[], comparisons: readonly PairedComparison[]): string {
  const head = `<tr><th>${esc(metric.id)} ${metric.higherIsBetter ? '↑' : '↓'}</th>${configs.map((c) => `<th>${esc(c)}</th>`).join('')}</tr>`;
  const body = configs
    .map((row) => {
      const tds = configs.map((col) => {
        if (row === col) return '<td class="diag"></td>';
        const p = comparisons.find((x) => (x.a === row && x.b === col) || (x.a === col && x.b === row));
        if (!p) return '<td class="na" title="no common images">–</td>';
        const r = p.a === row ? p.effectSize : -p.effectSize;
        const title = `${row} vs ${col}: n = ${p.n} images, mean difference ${fmt(p.a === row ? p.meanDifference : -p.meanDifference)}, Wilcoxon ${p.method} p = ${fmtP(p.pvalue)}, Holm p = ${fmtP(p.pHolm)}, rank-biserial r = ${r.toFixed(2)}`;
        const mark = p.better === row ? ['win', '▲'] : p.better === col ? ['loss', '▼'] : ['ns', '·'];
        return `<td class="${mark[0]}" title="${esc(title)}">${mark[1]}<br><small>r ${r >= 0 ? '+' : '−'}${Math.abs(r).toFixed(2)}<br>p<sub>H</sub> ${fmtP(p.pHolm)}</small></td>`;
      });
      return `<tr><th>${esc(row)}</th>${tds.join('')}</tr>`;
    })
    .join('');
  return `<table class="significance" data-metric="${esc(metric.id)}"><thead>${head}</thead><tbody>${body}</tbody></table>`;
}

/** The static report: plan, summary table, significance matrices, charts (inline SVG), image grid. Opens from disk. */
export async function renderReport(input: {
  plan: unknown;
  rows: readonly ResultRow[];
  /** The plan's configurations followed by the controls (`random`). */
  configs: readonly string[];
  /** Control configurations among `configs` (shown, tested, but without thumbnails). */
  controls?: readonly string[];
  metrics: readonly MetricInfo[];
  summary: EvaluationSummary;
  /** Whether any image had a ground-truth mask (mask metrics are described only then). */
  masksGiven?: boolean;
  generatedAt: string;
}): Promise<string> {
  const { rows, configs, metrics, summary } = input;
  const cells = summary.cells;
  const controls = input.controls ?? [];
  const specs = chartSpecs(rows, configs, metrics, cells);
  const charts: string[] = [];
  for (const { title, spec } of specs) {
    charts.push(`<figure class="chart"><figcaption>${esc(title)}</figcaption>${await toSvg(spec)}<script type="application/json" class="vega-lite-spec">${JSON.stringify(spec).replace(/</g, '\\u003c')}</script></figure>`);
  }
  const best = new Map<string, { config: string; significant: boolean }>();
  for (const m of metrics) {
    const b = bestOf(m, cells, summary.comparisons.get(m.id) ?? []);
    if (b) best.set(m.id, b);
  }
  const shownMetrics = metrics.filter((m) => cells.some((c) => c.metric === m.id && c.ci));
  const table = `<table class="summary"><thead><tr><th>configuration</th>${shownMetrics.map((m) => `<th title="${esc(m.description)}">${esc(m.id)} ${m.higherIsBetter ? '↑' : '↓'}</th>`).join('')}</tr></thead><tbody>${configs
    .map(
      (config) =>
        `<tr${controls.includes(config) ? ' class="control"' : ''}><th>${esc(config)}${controls.includes(config) ? ' <small>(control)</small>' : ''}</th>${shownMetrics
          .map((m) => {
            const c = cells.find((x) => x.config === config && x.metric === m.id);
            if (!c?.ci) return '<td>–</td>';
            const b = best.get(m.id);
            const isBest = b?.config === config;
            const star = isBest && b!.significant;
            const title = `n = ${c.ci.n} images${isBest ? (star ? '; significantly better than every other configuration' : '; highest mean, but not significantly better than every other configuration') : ''}`;
            return `<td class="${isBest ? 'best' : ''}${star ? ' significant' : ''}" title="${esc(title)}">${star ? '★ ' : ''}${fmt(c.ci.mean)}<br><small>[${fmt(c.ci.lo)}, ${fmt(c.ci.hi)}]</small></td>`;
          })
          .join('')}</tr>`,
    )
    .join('')}</tbody></table>`;
  const matrices = shownMetrics
    .filter((m) => (summary.comparisons.get(m.id) ?? []).length)
    .map((m) => significanceMatrix(m, configs.filter((c) => cells.some((x) => x.config === c && x.metric === m.id && x.ci)), summary.comparisons.get(m.id)!))
    .join('\n');
  const gridConfigs = configs.filter((c) => !controls.includes(c));
  const images = [...new Set(rows.filter((r) => !controls.includes(r.config)).map((r) => `${r.model} · ${r.image}`))];
  const grid = `<table class="grid"><thead><tr><th>model · image</th>${gridConfigs.map((c) => `<th>${esc(c)}</th>`).join('')}</tr></thead><tbody>${images
    .map((key) => {
      const cellsHtml = gridConfigs
        .map((config) => {
          const r = rows.find((x) => `${x.model} · ${x.image}` === key && x.config === config && x.thumbnail);
          const err = rows.find((x) => `${x.model} · ${x.image}` === key && x.config === config && x.error);
          if (r) return `<td><img class="thumb" alt="${esc(`${config} on ${key}`)}" src="data:image/png;base64,${r.thumbnail}"><br><small>${esc(r.label?.name ?? r.label?.index ?? '')}</small></td>`;
          if (err) return `<td class="error" title="${esc(err.error)}">error</td>`;
          return '<td>–</td>';
        })
        .join('');
      return `<tr><th>${esc(key)}</th>${cellsHtml}</tr>`;
    })
    .join('')}</tbody></table>`;
  const errors = rows.filter((r) => r.error);
  // Only metrics with values are described (no mask metrics without masks); the others are named with the reason.
  const notComputed = metrics.filter((m) => !shownMetrics.includes(m));
  const metricDocs = `<dl>${shownMetrics
    .map((m) => `<dt>${esc(m.id)} ${m.higherIsBetter ? '(higher is better)' : '(lower is better)'}</dt><dd>${esc(m.description)}${m.paper && m.paper !== '—' ? ` — ${esc(m.paper)}` : ''}</dd>`)
    .join('')}</dl>${notComputed.length ? `<p class="not-computed">Not computed: ${notComputed.map((m) => `${esc(m.id)} (${(m.needs ?? []).includes('mask') && !input.masksGiven ? 'no ground-truth masks were given' : (m.needs ?? []).includes('seeds') ? 'needs two or more seeds' : 'no values'})`).join(', ')}.</p>` : ''}`;
  const realRows = rows.filter((r) => !controls.includes(r.config));
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>limekit evaluation report</title>
<style>
body{font:14px/1.45 system-ui,sans-serif;margin:24px;color:#222;max-width:1400px}
h1{font-size:22px}h2{font-size:18px;margin-top:32px;border-bottom:1px solid #ddd}
table{border-collapse:collapse;margin:8px 0}th,td{border:1px solid #ddd;padding:4px 8px;text-align:center;vertical-align:middle}
thead th{background:#f4f4f4}td.best{background:#f1f8f1}td.best.significant{background:#e8f5e9;font-weight:600}td.error{background:#fdecea;color:#b71c1c}
tr.control th,tr.control td{color:#555;background:#fafafa;font-style:italic}
table.significance{display:inline-table;margin:8px 16px 8px 0;vertical-align:top;font-size:12px}table.significance td{min-width:48px}
td.win{background:#c8e6c9}td.loss{background:#ffcdd2}td.ns{color:#777}td.diag{background:#eee}
small{color:#666}.chart{display:inline-block;margin:8px 16px 8px 0;vertical-align:top}figcaption{font-weight:600;margin-bottom:4px}
img.thumb{width:128px;height:auto;image-rendering:auto}pre{background:#f7f7f7;padding:8px;overflow:auto;max-height:320px}
</style></head><body>
<h1>limekit evaluation report</h1>
<p>${realRows.length} result rows (${errors.length} errors), ${configs.length - controls.length} configurations${controls.length ? ` plus the control${controls.length > 1 ? 's' : ''} ${controls.map((c) => `<em>${esc(c)}</em>`).join(', ')} (random weights on the segments of the first configuration: each metric's chance level)` : ''}, generated ${esc(input.generatedAt)}.</p>
<h2>Summary</h2>
<p>Means over images (the seeds of an image are averaged first) with 95 % BCa bootstrap intervals, kept inside each metric's range. A shaded cell has the best mean; ★ only when that configuration is significantly better than every other one (Holm-adjusted Wilcoxon p &lt; ${SUMMARY_METHODS.alpha}, see the matrices below).</p>${table}
<h2>Significance</h2>
<p>Per metric, row against column on the same images: ▲ the row is significantly better, ▼ significantly worse, · no significant difference (two-sided Wilcoxon signed-rank test, Holm-adjusted over all pairs of the metric, α = ${SUMMARY_METHODS.alpha}). <small>r</small> is the matched-pairs rank-biserial effect size of row − column (+1: the row is higher on every image), <small>p<sub>H</sub></small> the Holm-adjusted p-value; hover a cell for n, the mean difference and the raw p-value. With fewer than 6 images no difference can be significant at 0.05.</p>
<div id="significance">${matrices || '<p>No pairs of configurations with common images.</p>'}</div>
<h2>Charts</h2><div id="charts">${charts.join('\n')}</div>
<h2>Explanations</h2><p>Overlay of the first seed (green: segments for the explained label, red: against).</p>${grid}
${errors.length ? `<h2>Errors</h2><ul>${errors.map((r) => `<li>${esc(`${r.model} · ${r.image} · ${r.config} · seed ${r.seed}`)}: ${esc(r.error)}</li>`).join('')}</ul>` : ''}
<h2>Metrics</h2>${metricDocs}
<h2>Plan</h2><pre>${esc(JSON.stringify(input.plan, null, 2))}</pre>
</body></html>
`;
}

/** results.csv: one row per result, one column per metric. */
export function toCsv(rows: readonly ResultRow[], metricIds: readonly string[]): string {
  const header = ['model', 'image', 'config', 'seed', 'label', 'label_name', 'probability', ...metricIds.map((m) => m.replace(/-/g, '_')), 'wall_ms', 'model_calls', 'samples', 'error'];
  const cell = (v: unknown) => {
    if (v === undefined || v === null) return '';
    const s = String(v);
    return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const lines = [header.join(',')];
  for (const r of rows) {
    lines.push(
      [r.model, r.image, r.config, r.seed, r.label?.index, r.label?.name, r.label?.probability, ...metricIds.map((m) => r.metrics[m]), r.timings?.total, r.modelCalls, r.samples, r.error].map(cell).join(','),
    );
  }
  return lines.join('\n') + '\n';
}
