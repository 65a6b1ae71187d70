import type { DetectabilityResult } from '@limekit/manifold';
import type { TopLevelSpec } from 'vega-lite';
import { esc, toSvg } from './evaluate/report.js';

/** One configuration's entry of manifold.json (see `limekit manifold --help`): its name and what the study measured. */
export type ManifoldEntry = { readonly config: string } & Pick<
  DetectabilityResult,
  'auc' | 'aucStd' | 'pooledAuc' | 'accuracy' | 'chanceAccuracy' | 'balancedAccuracy' | 'images' | 'perturbedSamples' | 'identicalShare' | 'projection'
> & { readonly confidence: Pick<DetectabilityResult['confidence'], 'real' | 'perturbed' | 'shift' | 'flipRate'> };

const fix = (v: number, d = 3) => (Number.isFinite(v) ? v.toFixed(d) : '–');
const pct = (v: number) => `${(100 * v).toFixed(1)} %`;

/** The report's Vega-Lite charts: AUC per configuration, the PCA pictures, the confidence shift. */
export function manifoldChartSpecs(entries: readonly ManifoldEntry[]): { title: string; spec: TopLevelSpec }[] {
  const configs = entries.map((e) => e.config);
  const aucValues = entries.map((e) => ({ config: e.config, auc: e.auc, lo: Math.max(0, e.auc - e.aucStd), hi: Math.min(1, e.auc + e.aucStd) }));
  const specs: { title: string; spec: TopLevelSpec }[] = [
    {
      title: 'Detector AUC per configuration (0.5: the samples cannot be told from real images)',
      spec: {
        $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
        width: 420,
        height: { step: 22 },
        data: { values: aucValues },
        layer: [
          { mark: { type: 'bar', opacity: 0.8 }, encoding: { y: { field: 'config', type: 'nominal', sort: configs, title: null }, x: { field: 'auc', type: 'quantitative', scale: { domain: [0, 1] }, title: 'mean held-out AUC (± std over folds)' }, color: { field: 'config', type: 'nominal', sort: configs, legend: null } } },
          { mark: { type: 'rule' }, encoding: { y: { field: 'config', type: 'nominal', sort: configs }, x: { field: 'lo', type: 'quantitative' }, x2: { field: 'hi' } } },
          { data: { values: [{ chance: 0.5 }] }, mark: { type: 'rule', strokeDash: [4, 3], color: '#555' }, encoding: { x: { field: 'chance', type: 'quantitative' } } },
        ],
      } as TopLevelSpec,
    },
  ];
  const points = entries.flatMap((e) => [
    ...e.projection.perturbed.map(([x, y]) => ({ config: e.config, kind: 'perturbed', x, y })),
    ...e.projection.real.map(([x, y]) => ({ config: e.config, kind: 'real', x, y })),
  ]);
  const source = entries.every((e) => e.projection.source === 'embedding') ? 'embedding' : 'features';
  specs.push({
    title: `PCA of real images and perturbed samples (${source === 'embedding' ? 'the embedding' : 'the detector features'}; axes per configuration)`,
    spec: {
      $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
      data: { values: points },
      facet: { field: 'config', type: 'nominal', sort: configs, title: null },
      columns: 3,
      resolve: { scale: { x: 'independent', y: 'independent' } },
      spec: {
        width: 220,
        height: 180,
        layer: [
          { transform: [{ filter: "datum.kind === 'perturbed'" }], mark: { type: 'point', filled: true, size: 12, opacity: 0.45 }, encoding: { x: { field: 'x', type: 'quantitative', title: 'PC 1', scale: { zero: false } }, y: { field: 'y', type: 'quantitative', title: 'PC 2', scale: { zero: false } }, color: { field: 'kind', type: 'nominal', scale: { domain: ['perturbed', 'real'], range: ['#6baed6', '#d62728'] }, title: null } } },
          { transform: [{ filter: "datum.kind === 'real'" }], mark: { type: 'point', filled: true, size: 60, opacity: 1 }, encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'y', type: 'quantitative' }, color: { field: 'kind', type: 'nominal', scale: { domain: ['perturbed', 'real'], range: ['#6baed6', '#d62728'] }, title: null } } },
        ],
      },
    } as TopLevelSpec,
  });
  const conf = entries.flatMap((e) => [
    { config: e.config, kind: 'real images', p: e.confidence.real },
    { config: e.config, kind: 'perturbed samples', p: e.confidence.perturbed },
  ]);
  specs.push({
    title: "The model's confidence in its answer on the real image, on the image and on its samples",
    spec: {
      $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
      width: 420,
      height: { step: 14 },
      data: { values: conf },
      mark: { type: 'bar' },
      encoding: {
        y: { field: 'config', type: 'nominal', sort: configs, title: null },
        yOffset: { field: 'kind', type: 'nominal' },
        x: { field: 'p', type: 'quantitative', scale: { domain: [0, 1] }, title: "mean probability of the real image's top class" },
        color: { field: 'kind', type: 'nominal', title: null },
      },
    } as TopLevelSpec,
  });
  return specs;
}

/** report.html of `limekit manifold`: summary table and charts (inline SVG, no network); opens from disk. */
export async function renderManifoldReport(input: { entries: readonly ManifoldEntry[]; settings: Record<string, unknown>; generatedAt: string }): Promise<string> {
  const { entries } = input;
  const charts: string[] = [];
  for (const { title, spec } of manifoldChartSpecs(entries)) {
    charts.push(`<figure class="chart"><figcaption>${esc(title)}</figcaption>${await toSvg(spec)}<script type="application/json" class="vega-lite-spec">${JSON.stringify(spec).replace(/</g, '\\u003c')}</script></figure>`);
  }
  const rows = entries
    .map(
      (e) =>
        `<tr data-config="${esc(e.config)}"><th>${esc(e.config)}</th><td class="auc">${fix(e.auc)}<br><small>± ${fix(e.aucStd)}</small></td><td>${fix(e.pooledAuc)}</td><td>${fix(e.balancedAccuracy)}</td><td>${fix(e.accuracy)}<br><small>chance ${fix(e.chanceAccuracy)}</small></td><td>${fix(e.confidence.real)} → ${fix(e.confidence.perturbed)}<br><small>shift ${e.confidence.shift >= 0 ? '+' : '−'}${fix(Math.abs(e.confidence.shift))}</small></td><td>${pct(e.confidence.flipRate)}</td><td>${pct(e.identicalShare)}</td><td>${e.images} / ${e.perturbedSamples}</td></tr>`,
    )
    .join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>limekit manifold report</title>
<style>
body{font:14px/1.45 system-ui,sans-serif;margin:24px;color:#222;max-width:1400px}
h1{font-size:22px}h2{font-size:18px;margin-top:32px;border-bottom:1px solid #ddd}
table{border-collapse:collapse;margin:8px 0}th,td{border:1px solid #ddd;padding:4px 8px;text-align:center;vertical-align:middle}
thead th{background:#f4f4f4}small{color:#666}.chart{display:inline-block;margin:8px 16px 8px 0;vertical-align:top}figcaption{font-weight:600;margin-bottom:4px}
pre{background:#f7f7f7;padding:8px;overflow:auto;max-height:320px}
</style></head><body>
<h1>limekit manifold report</h1>
<p>How far each configuration's perturbed samples lie from the real images: a detector (${esc(String(input.settings.detector ?? 'random-forest'))}) is trained to tell them apart, cross-validated over ${esc(String(input.settings.folds))} folds that hold whole images (an image and its samples are never split). AUC 0.5: the samples cannot be told from real images by these features; near 1: they are off the data manifold, and a model could behave differently on them (Slack et al., "Fooling LIME and SHAP", AIES 2020). Generated ${esc(input.generatedAt)}.</p>
<h2>Summary</h2>
<table class="summary"><thead><tr><th>configuration</th><th title="mean of the held-out folds' AUCs">AUC</th><th title="AUC of all out-of-fold scores together">pooled AUC</th><th title="mean of the two classes' held-out recalls at P(perturbed) ≥ 0.5; chance 0.5">balanced accuracy</th><th title="held-out accuracy at P(perturbed) ≥ 0.5; chance: always answering the larger class">accuracy</th><th title="mean probability of the real image's top class: on the image → on its samples">confidence</th><th title="share of samples whose top class differs from the real image's">label flips</th><th title="share of samples whose model input is the real image itself">identical</th><th>images / samples</th></tr></thead><tbody>${rows}</tbody></table>
<h2>Charts</h2><div id="charts">${charts.join('\n')}</div>
<h2>Settings</h2><pre>${esc(JSON.stringify(input.settings, null, 2))}</pre>
</body></html>
`;
}
