// The stability table and figure of docs/algorithms/samplers.md.
//   npx limekit evaluate --plan tools/studies/samplers/plan.json --out out/sampler-study
//   node --conditions=@limekit/source --import tsx tools/studies/samplers/stability.ts
// Reads the evaluation's results.jsonl (--results, default out/sampler-study/results.jsonl), and
// per sampler × numSamples averages over the images the per-image stability across seeds
// (@limekit/metrics `stability`: mean pairwise Jaccard of the top-5 segments by |weight|, and
// Kendall τ-b), with 95 % t-intervals across images. Writes the compact summary
// tools/studies/samplers/stability.json (--summary), prints the Markdown tables and renders
// docs/algorithms/img/sampler-stability.png (--png; `none` to skip). With --from-summary the
// tables and figure are made from stability.json alone, without the evaluation's rows.
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { writeFileAtomic } from '@limekit/image';
import type { TopLevelSpec } from 'vega-lite';
import { aggregateStability, formatSummary, markdownTable, pairedTable, roundNumbers, type CellStability, type ResultRow, type StabilitySummary } from './aggregate.js';
import { writePng } from './render.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../../..');
const { values: args } = parseArgs({
  options: {
    results: { type: 'string', default: join(root, 'out/sampler-study/results.jsonl') },
    summary: { type: 'string', default: join(here, 'stability.json') },
    png: { type: 'string', default: join(root, 'docs/algorithms/img/sampler-stability.png') },
    'from-summary': { type: 'boolean', default: false },
  },
});
const K = 5;

let summary: StabilitySummary;
if (args['from-summary']) {
  summary = JSON.parse(await readFile(args.summary, 'utf8')) as StabilitySummary;
} else {
  const text = await readFile(args.results, 'utf8');
  const rows = text
    .split('\n')
    .filter((line) => line.trim())
    .map((line, i) => {
      try {
        return JSON.parse(line) as ResultRow;
      } catch (err) {
        throw new Error(`stability: line ${i + 1} of ${args.results} is not JSON. Was the evaluation interrupted? Run it again.`, { cause: err });
      }
    });
  const failed = rows.filter((r) => r.error);
  if (failed.length) console.warn(`stability: ${failed.length} of ${rows.length} rows failed and are left out (first: ${failed[0].config} ${failed[0].image} seed ${failed[0].seed}: ${failed[0].error}).`);
  summary = roundNumbers({
    description:
      'Sampler stability study of docs/algorithms/samplers.md: per sampler × numSamples, the mean over the demo images of the per-image stability across seeds (mean pairwise Jaccard of the top-5 segments by |weight|, Kendall τ-b of the weights), with 95 % t-intervals across images; samples actually used and mean wall time per explanation (ms).',
    commands: [
      'npx limekit evaluate --plan tools/studies/samplers/plan.json --out out/sampler-study',
      'node --conditions=@limekit/source --import tsx tools/studies/samplers/stability.ts',
    ],
    k: K,
    models: [...new Set(rows.map((r) => r.model))],
    images: [...new Set(rows.map((r) => r.image))],
    seeds: [...new Set(rows.map((r) => r.seed))].sort((a, b) => a - b),
    cells: aggregateStability(rows, K),
  });
  await writeFileAtomic(args.summary, formatSummary(summary));
  console.log(`wrote ${args.summary}\n`);
}

const cells: readonly CellStability[] = summary.cells;
console.log(`${summary.models.join(', ')}: ${summary.images.length} images, seeds ${summary.seeds.join(', ')}, top-${summary.k}\n`);
console.log('Jaccard of the top-5 segments (mean over images ± 95 % CI half-width; mean samples used in parentheses where they differ)\n');
console.log(markdownTable(cells, 'jaccard'));
console.log('\nKendall τ-b of the weights\n');
console.log(markdownTable(cells, 'kendall'));
console.log('\nJaccard, paired by image: sampler − bernoulli at the same numSamples (bold: the 95 % interval excludes 0)\n');
console.log(pairedTable(cells, 'bernoulli', 'jaccard'));
console.log('\nKendall τ-b, paired by image: sampler − bernoulli\n');
console.log(pairedTable(cells, 'bernoulli', 'kendall'));
const ns = [...new Set(cells.map((c) => c.numSamples))].sort((a, b) => a - b);
console.log('\nSamples used (mean, min–max) and mean wall time per explanation\n');
console.log(`| sampler | ${ns.join(' | ')} |\n| --- |${ns.map(() => ' --- |').join('')}`);
for (const s of [...new Set(cells.map((c) => c.sampler))]) {
  const row = ns.map((n) => {
    const c = cells.find((x) => x.sampler === s && x.numSamples === n);
    if (!c) return '–';
    const { mean, min, max } = c.samplesUsed;
    const used = min === max ? `${min}` : `${mean.toFixed(0)} (${min}–${max})`;
    return `${used}, ${(c.wallTimeMs / 1000).toFixed(2)} s`;
  });
  console.log(`| ${s} | ${row.join(' | ')} |`);
}

if (args.png !== 'none') {
  const samplers = [...new Set(cells.map((c) => c.sampler))];
  // Spread the samplers a little along the (log) x axis so that the error bars do not hide each other.
  const spread = (sampler: string) => 1.045 ** (samplers.indexOf(sampler) - (samplers.length - 1) / 2);
  const values = cells.flatMap((c) =>
    (['jaccard', 'kendall'] as const)
      .filter((m) => c[m])
      .map((m) => ({
        metric: m === 'jaccard' ? `Jaccard of the top-${summary.k} segments` : 'Kendall τ-b of all weights',
        sampler: c.sampler,
        n: c.numSamples,
        x: c.numSamples * spread(c.sampler),
        mean: c[m]!.mean,
        lo: c[m]!.lo,
        hi: c[m]!.hi,
      })),
  );
  const fewerUsed = samplers
    .map((sampler) => {
      const short = cells.filter((c) => c.sampler === sampler && c.samplesUsed.mean < c.numSamples - 0.5);
      return short.length ? `${sampler} used fewer samples than requested (mean): ${short.map((c) => `${c.numSamples} → ${c.samplesUsed.mean.toFixed(0)}`).join(', ')}` : '';
    })
    .filter(Boolean);
  const x = { field: 'x', type: 'quantitative' as const, title: 'numSamples requested (log scale)', scale: { type: 'log' as const, domain: [80, 2500], nice: false }, axis: { values: ns, format: 'd' } };
  const color = { field: 'sampler', type: 'nominal', sort: samplers, title: 'sampler', scale: { scheme: 'category10' } } as const;
  const spec: TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: {
      text: `Stability across ${summary.seeds.length} seeds on the demo model, ${summary.images.length} images: mean over images, 95 % t-interval`,
      // One line per sampler that used fewer samples than requested (vega estimates text widths
      // generously without a canvas, so long single lines widen the picture).
      subtitle: fewerUsed,
      fontSize: 15,
      anchor: 'start',
    },
    data: { values },
    facet: { field: 'metric', type: 'nominal', title: null, header: { labelFontSize: 13, labelFontWeight: 'bold' } },
    resolve: { scale: { y: 'independent' } },
    spec: {
      width: 380,
      height: 260,
      layer: [
        { mark: { type: 'line', strokeWidth: 2 }, encoding: { x, y: { field: 'mean', type: 'quantitative', title: 'mean over images', scale: { zero: false } }, color } },
        { mark: { type: 'point', filled: true, size: 50 }, encoding: { x, y: { field: 'mean', type: 'quantitative' }, color } },
        { mark: { type: 'rule', strokeWidth: 1.5 }, encoding: { x, y: { field: 'lo', type: 'quantitative' }, y2: { field: 'hi' }, color } },
      ],
    },
    config: { legend: { labelFontSize: 12, titleFontSize: 12 }, axis: { labelFontSize: 11, titleFontSize: 12 } },
  };
  await writePng(spec, args.png);
  console.log(`\nwrote ${args.png}`);
}
