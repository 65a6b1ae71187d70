// The coalition-size figure of docs/algorithms/samplers.md: what each built-in sampler draws.
//   node --conditions=@limekit/source --import tsx tools/studies/samplers/coalition-sizes.ts
// For every sampler of tools/studies/samplers/plan.json (its configuration as the study runs it,
// sampler and similarity kernel included), one session over M = 50 segments with a budget of 2000
// rows and the stream an explanation with seed 0 gives its sampler. Plots, per sampler, the share
// of rows of each coalition size (segments kept), the share of the sampler's row weights, and the
// share of the final sample weight (row weight × similarity kernel) the surrogate sees; prints a
// Markdown table of the same facts. Options: --segments M, --rows N, --seed S, --png FILE
// (`--png none` prints the table only).
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createRng, type Kernel, type Sampler } from '@limekit/core';
import { resolveConfig, type ExplainConfig } from '@limekit/lime';
import type { TopLevelSpec } from 'vega-lite';
import { parseConfigName } from './aggregate.js';
import { binomialPmf, coalitionSizes, distinctRows, drawDesign, kishEffectiveSize, sizeHistogram, sizeMoments, toShares } from './coalitions.js';
import { writePng } from './render.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../../..');
const { values: args } = parseArgs({
  options: {
    segments: { type: 'string', default: '50' },
    rows: { type: 'string', default: '2000' },
    seed: { type: 'string', default: '0' },
    png: { type: 'string', default: join(root, 'docs/algorithms/img/sampler-coalition-sizes.png') },
  },
});
const M = Number(args.segments);
const budget = Number(args.rows);
const seed = Number(args.seed);
if (!Number.isInteger(M) || M < 2) throw new Error(`coalition-sizes: --segments must be an integer >= 2, got ${args.segments}.`);
if (!Number.isInteger(budget) || budget < 2) throw new Error(`coalition-sizes: --rows must be an integer >= 2, got ${args.rows}.`);

/** One-line description of what each built-in sampler draws, for the panel titles. */
const DRAWS: Record<string, string> = {
  bernoulli: 'Bernoulli(½) masks',
  kernelshap: 'Shapley-kernel coalitions, paired',
  glime: 'GLIME-Binomial, σ = 0.25',
  stratified: 'equal rows per size, reweighted',
  sobol: 'scrambled Sobol, threshold ½',
  adaptive: 'Bernoulli(½) until converged',
};

const planFile = join(here, 'plan.json');
const plan = JSON.parse(await readFile(planFile, 'utf8')) as { configs: ({ name: string } & ExplainConfig)[] };
// One configuration per sampler (the largest budget; the sampler and kernel do not depend on it).
const bySampler = new Map<string, { name: string } & ExplainConfig>();
for (const c of plan.configs) {
  const { sampler, numSamples } = parseConfigName(c.name);
  const prev = bySampler.get(sampler);
  if (!prev || parseConfigName(prev.name).numSamples < numSamples) bySampler.set(sampler, c);
}

type Point = { sampler: string; panel: string; k: number; share: number; series: string };
const SERIES = {
  rows: 'rows drawn',
  weighted: "weight: sampler's row weights",
  effective: 'weight: row weights × similarity kernel (final sample weight)',
  binomial: "Binomial(M, ½): lime's rows, for reference",
};
const points: Point[] = [];
const table: string[] = [
  `| sampler | kernel in the study | rows | distinct rows | mean size ± sd (rows) | rows with k ≤ M/10 or k ≥ 9M/10 | mean size ± sd (final weight) | effective sample size (final weight) |`,
  '| --- | --- | --- | --- | --- | --- | --- | --- |',
];
const binomial = binomialPmf(M, 0.5);
const summaries: string[] = [];

for (const [sampler, planConfig] of bySampler) {
  const { name: _name, ...config } = planConfig;
  const resolved = await resolveConfig(config, { baseDir: here, where: `plan.json ${planConfig.name}` });
  const s = resolved.components.sampler;
  const kc = resolved.components.kernel;
  // The adaptive sampler would stop once its (here meaningless) credible intervals are narrow:
  // ask it for the whole budget. Its rows are lime's Bernoulli(½) masks whatever it decides.
  const samplerOptions = sampler === 'adaptive' ? { ...s.options, minSamples: budget } : (s.options ?? {});
  const samplerImpl = s.definition.create(samplerOptions) as Sampler;
  const kernelOptions = kc.options ?? {};
  const kernel = kc.definition.create(kernelOptions) as Kernel;
  // The explainer gives the sampler the stream `createRng(seed).fork('sampler')`.
  const design = drawDesign(samplerImpl, M, budget, { rng: createRng(seed).fork('sampler') });
  const sizes = coalitionSizes(design.rows, design.count, M);
  const kernelWeights = new Float64Array(design.count);
  kernel.weigh({ rows: design.rows, count: design.count }, M, kernelWeights);
  // The instance (all on) and the all-off row are left out of the weighted series: KernelSHAP
  // gives them weight 1e6 to stand for its two exact constraints; elsewhere they weigh ~1 row.
  const interior = Float64Array.from(sizes, (k) => (k === 0 || k === M ? 0 : 1));
  const rowWeight = Float64Array.from(sizes, (_k, r) => interior[r] * (design.weights ? design.weights[r] : 1));
  const finalWeight = Float64Array.from(rowWeight, (w, r) => w * kernelWeights[r]);
  const rowsHist = sizeHistogram(sizes, M);
  const weightedHist = sizeHistogram(sizes, M, rowWeight);
  const finalHist = sizeHistogram(sizes, M, finalWeight);
  const uniformKernel = kc.definition.id === 'uniform';

  const panel = `${sampler}: ${DRAWS[sampler] ?? s.definition.description}`;
  const add = (h: Float64Array, series: string, from: number, to: number) =>
    toShares(h).forEach((share, k) => {
      if (k >= from && k <= to) points.push({ sampler, panel, k, share, series });
    });
  add(rowsHist, SERIES.rows, 0, M);
  // The weighted series leave out sizes 0 and M (see above): no point there rather than a 0.
  if (design.weights) add(weightedHist, SERIES.weighted, 1, M - 1);
  if (!uniformKernel) add(finalHist, SERIES.effective, 1, M - 1);
  binomial.forEach((share, k) => points.push({ sampler, panel, k, share, series: SERIES.binomial }));

  if (design.summary) summaries.push(`- ${sampler}: ${JSON.stringify(design.summary)}`);
  const m = sizeMoments(rowsHist);
  const f = sizeMoments(finalHist);
  let edge = 0;
  for (let r = 0; r < sizes.length; r++) if (sizes[r] * 10 <= M || sizes[r] * 10 >= 9 * M) edge++;
  const kernelName = uniformKernel ? 'uniform' : `${kc.definition.id}, ${Object.values(kernelOptions).map(String).join(', ')}`;
  table.push(
    `| ${sampler} | ${kernelName} | ${design.count} | ${distinctRows(design.rows, design.count, M)} | ${m.mean.toFixed(1)} ± ${m.sd.toFixed(1)} | ${((100 * edge) / design.count).toFixed(1)} % | ${f.mean.toFixed(1)} ± ${f.sd.toFixed(1)} | ${kishEffectiveSize(finalWeight).toFixed(0)} |`,
  );
}

console.log(`M = ${M} segments, ${budget} rows requested, seed ${seed}\n`);
console.log(table.join('\n'));
if (summaries.length) console.log(`\nSampler summaries:\n${summaries.join('\n')}`);

if (args.png !== 'none') {
  const order = [...bySampler.keys()].map((sampler) => points.find((p) => p.sampler === sampler)!.panel);
  const colour = { domain: [SERIES.rows, SERIES.weighted, SERIES.effective, SERIES.binomial], range: ['#9ecae1', '#e6550d', '#31a354', '#636363'] };
  const spec: TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: `Coalition sizes drawn by each sampler: M = ${M} segments, ${budget} rows, seed ${seed}`, fontSize: 15, anchor: 'start' },
    data: { values: points },
    facet: { field: 'panel', type: 'nominal', sort: order, title: null, header: { labelFontSize: 13, labelFontWeight: 'bold', labelAnchor: 'start', labelLimit: 0, labelExpr: "split(datum.label, ': ')" } },
    columns: 3,
    spacing: { column: 30, row: 10 },
    resolve: { scale: { y: 'independent' }, axis: { x: 'independent' } },
    spec: {
      width: 300,
      height: 170,
      layer: [
        {
          transform: [{ filter: { field: 'series', equal: SERIES.rows } }],
          mark: { type: 'bar', size: 4 },
          encoding: {
            x: { field: 'k', type: 'quantitative', title: 'coalition size k (segments kept on)', scale: { domain: [-0.5, M + 0.5], nice: false }, axis: { values: Array.from({ length: Math.floor(M / 10) + 1 }, (_, i) => i * 10) } },
            y: { field: 'share', type: 'quantitative', title: 'share of rows or of weight' },
            color: { field: 'series', type: 'nominal', scale: colour, title: null, legend: { labelLimit: 0 } },
          },
        },
        {
          transform: [{ filter: { field: 'series', oneOf: [SERIES.weighted, SERIES.effective] } }],
          mark: { type: 'line', strokeWidth: 2, interpolate: 'linear', point: { size: 12 } },
          encoding: {
            x: { field: 'k', type: 'quantitative' },
            y: { field: 'share', type: 'quantitative' },
            color: { field: 'series', type: 'nominal', scale: colour, title: null },
          },
        },
        {
          transform: [{ filter: { field: 'series', equal: SERIES.binomial } }],
          mark: { type: 'line', strokeWidth: 1, strokeDash: [4, 3] },
          encoding: {
            x: { field: 'k', type: 'quantitative' },
            y: { field: 'share', type: 'quantitative' },
            color: { field: 'series', type: 'nominal', scale: colour, title: null },
          },
        },
      ],
    },
    config: {
      legend: { orient: 'bottom', direction: 'vertical', labelFontSize: 12, labelLimit: 600, symbolType: 'square' },
      axis: { labelFontSize: 11, titleFontSize: 12 },
    },
  };
  await writePng(spec, args.png);
  console.log(`\nwrote ${args.png}`);
}
