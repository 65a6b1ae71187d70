// Stability per sampler × number of samples, from the rows `limekit evaluate` writes
// (results.jsonl). Pure functions: stability.ts reads and writes files, the spec tests these.
import { meanCI, stability, type MeanInterval } from '@limekit/metrics';

/** One line of `results.jsonl` as `limekit evaluate` writes it: the fields this study reads. */
export interface ResultRow {
  readonly model: string;
  readonly image: string;
  readonly config: string;
  readonly seed: number;
  /** One weight per segment, for the explained label; absent when the run failed. */
  readonly weights?: readonly number[];
  readonly numSegments?: number;
  /** Samples the explanation actually used (an adaptive sampler may stop early). */
  readonly samples?: number;
  /** Per-row metrics: `samples`, `wall-time` (ms), … */
  readonly metrics?: Readonly<Record<string, number>>;
  readonly error?: string;
}

/** A mean with its 95 % Student-t confidence interval: @limekit/metrics' {@link MeanInterval}, the same interval `limekit evaluate` used to report. */
export type MeanCI = MeanInterval;
export { meanCI };

/**
 * Splits a study config name `<sampler>-<numSamples>` (`bernoulli-100`, `kernelshap-2000`).
 * @throws Error when the name does not end in `-<positive integer>`.
 */
export function parseConfigName(config: string): { sampler: string; numSamples: number } {
  const m = /^(.+)-(\d+)$/.exec(config);
  if (!m || Number(m[2]) < 1) throw new Error(`sampler-study: config names must be "<sampler>-<numSamples>", got "${config}". Use the names of tools/studies/samplers/plan.json.`);
  return { sampler: m[1], numSamples: Number(m[2]) };
}

/** Stability of one image under one configuration, across its seeds. */
export interface ImageStability {
  readonly model: string;
  readonly image: string;
  readonly config: string;
  /** Segments of the image (the same for every seed compared). */
  readonly segments: number;
  /** Seeds compared. */
  readonly seeds: number;
  /** Mean pairwise Jaccard of the top-k segments by |weight| (`@limekit/metrics` `stability`). */
  readonly jaccard: number;
  /** Mean pairwise Kendall τ-b of the weight vectors (NaN when undefined for every pair). */
  readonly kendall: number;
  /** Mean samples actually used over the seeds. */
  readonly samplesUsed: number;
}

function samplesOf(r: ResultRow): number {
  const s = r.metrics?.samples ?? r.samples;
  return typeof s === 'number' ? s : NaN;
}

/**
 * Per model × image × config, the stability across seeds, as `limekit evaluate`'s `groupMetrics`
 * computes it: failed rows are left out, only the seeds whose segmentation has as many segments
 * as the group's first row are compared, and groups with fewer than two such seeds are skipped.
 * @param k top segments compared by Jaccard (5, lime's default number of features shown).
 * @returns one entry per group, in order of first appearance.
 */
export function imageStability(rows: readonly ResultRow[], k = 5): ImageStability[] {
  const groups = new Map<string, ResultRow[]>();
  for (const r of rows) {
    if (r.error || !r.weights) continue;
    const key = JSON.stringify([r.model, r.image, r.config]);
    const g = groups.get(key);
    if (g) g.push(r);
    else groups.set(key, [r]);
  }
  const out: ImageStability[] = [];
  for (const g of groups.values()) {
    const M = g[0].weights!.length;
    const same = g.filter((r) => r.weights!.length === M);
    if (same.length < 2) continue;
    const s = stability(
      same.map((r) => r.weights!),
      k,
    );
    out.push({
      model: g[0].model,
      image: g[0].image,
      config: g[0].config,
      segments: M,
      seeds: same.length,
      jaccard: s.jaccard,
      kendall: s.kendall,
      samplesUsed: same.reduce((a, r) => a + samplesOf(r), 0) / same.length,
    });
  }
  return out;
}

/** Stability of one sampler at one number of samples, over the images. */
export interface CellStability {
  readonly config: string;
  readonly sampler: string;
  /** Samples requested (the config's numSamples). */
  readonly numSamples: number;
  /** Mean over images of the per-image Jaccard, with a 95 % t-interval across images. */
  readonly jaccard: MeanCI | null;
  /** Mean over images of the per-image Kendall τ-b, with a 95 % t-interval across images. */
  readonly kendall: MeanCI | null;
  /** Samples actually used over all successful rows of the config. */
  readonly samplesUsed: { readonly mean: number; readonly min: number; readonly max: number };
  /** Mean wall time of one explanation (ms) over all successful rows of the config. */
  readonly wallTimeMs: number;
  /** Rows of this config that failed. */
  readonly failedRows: number;
  readonly images: readonly ImageStability[];
}

/**
 * Per config (sampler × numSamples): the mean over images of the per-image stability across
 * seeds ({@link imageStability}), each mean with a 95 % t-interval across images; the samples
 * actually used and the mean wall time.
 * @returns cells ordered by sampler (first appearance in `rows`), then by numSamples.
 */
export function aggregateStability(rows: readonly ResultRow[], k = 5): CellStability[] {
  const perImage = imageStability(rows, k);
  const configs = [...new Set(rows.map((r) => r.config))];
  const samplerOrder = [...new Set(configs.map((c) => parseConfigName(c).sampler))];
  const cells = configs.map((config): CellStability => {
    const { sampler, numSamples } = parseConfigName(config);
    const ok = rows.filter((r) => r.config === config && !r.error && r.weights);
    const used = ok.map(samplesOf).filter((v) => Number.isFinite(v));
    const times = ok.map((r) => r.metrics?.['wall-time']).filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
    const images = perImage.filter((s) => s.config === config);
    return {
      config,
      sampler,
      numSamples,
      jaccard: meanCI(images.map((s) => s.jaccard)),
      kendall: meanCI(images.map((s) => s.kendall)),
      samplesUsed: used.length ? { mean: used.reduce((a, b) => a + b, 0) / used.length, min: Math.min(...used), max: Math.max(...used) } : { mean: NaN, min: NaN, max: NaN },
      wallTimeMs: times.length ? times.reduce((a, b) => a + b, 0) / times.length : NaN,
      failedRows: rows.filter((r) => r.config === config && (r.error || !r.weights)).length,
      images,
    };
  });
  return cells.sort((a, b) => samplerOrder.indexOf(a.sampler) - samplerOrder.indexOf(b.sampler) || a.numSamples - b.numSamples);
}

/** The committed summary (`tools/studies/samplers/stability.json`): everything the doc's table and figure need. */
export interface StabilitySummary {
  readonly description: string;
  /** How the rows were made and how this file was written. */
  readonly commands: readonly string[];
  readonly k: number;
  readonly models: readonly string[];
  readonly images: readonly string[];
  readonly seeds: readonly number[];
  readonly cells: readonly CellStability[];
}

/** Rounds every number of a JSON-ready value to `digits` decimals (NaN becomes null, as JSON does). */
export function roundNumbers<T>(value: T, digits = 6): T {
  const f = 10 ** digits;
  return JSON.parse(JSON.stringify(value, (_key, v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? Math.round(v * f) / f : v))) as T;
}

function fmt(x: number | null | undefined, digits: number): string {
  return typeof x === 'number' && Number.isFinite(x) ? x.toFixed(digits) : '–';
}

/**
 * A Markdown table: one row per sampler, one column per numSamples, cells `mean ± half-width`
 * of `metric`. Cells whose mean samples used differ from the requested number by more than 0.5
 * add the mean used in parentheses (`0.80 ± 0.06 (305)`).
 */
export function markdownTable(cells: readonly CellStability[], metric: 'jaccard' | 'kendall' = 'jaccard', digits = 2): string {
  const samplers = [...new Set(cells.map((c) => c.sampler))];
  const ns = [...new Set(cells.map((c) => c.numSamples))].sort((a, b) => a - b);
  const lines = [`| sampler | ${ns.join(' | ')} |`, `| --- |${ns.map(() => ' --- |').join('')}`];
  for (const s of samplers) {
    const row = ns.map((n) => {
      const c = cells.find((x) => x.sampler === s && x.numSamples === n);
      if (!c || !c[metric]) return '–';
      const ci = c[metric]!;
      const used = Math.abs(c.samplesUsed.mean - n) > 0.5 ? ` (${fmt(c.samplesUsed.mean, 0)})` : '';
      return `${fmt(ci.mean, digits)} ± ${fmt(ci.half, digits)}${used}`;
    });
    lines.push(`| ${s} | ${row.join(' | ')} |`);
  }
  return lines.join('\n');
}

/**
 * Paired comparison with a reference sampler: per numSamples, the mean over images of
 * (`sampler`'s per-image value − `reference`'s per-image value), with a 95 % t-interval across
 * images. Pairing by image removes the between-image spread that dominates the unpaired intervals.
 * @returns one entry per numSamples at which both samplers have values for at least one common image.
 */
export function pairedDifference(
  cells: readonly CellStability[],
  sampler: string,
  reference: string,
  metric: 'jaccard' | 'kendall' = 'jaccard',
): { numSamples: number; diff: MeanCI }[] {
  const out: { numSamples: number; diff: MeanCI }[] = [];
  const ns = [...new Set(cells.map((c) => c.numSamples))].sort((a, b) => a - b);
  for (const n of ns) {
    const a = cells.find((c) => c.sampler === sampler && c.numSamples === n);
    const b = cells.find((c) => c.sampler === reference && c.numSamples === n);
    if (!a || !b) continue;
    const diffs = a.images.flatMap((ia) => {
      const ib = b.images.find((x) => x.model === ia.model && x.image === ia.image);
      return ib ? [ia[metric] - ib[metric]] : [];
    });
    const diff = meanCI(diffs);
    if (diff) out.push({ numSamples: n, diff });
  }
  return out;
}

/**
 * A Markdown table of {@link pairedDifference} for every sampler other than `reference`:
 * cells `+0.12 ± 0.08`, bold where the interval excludes 0.
 */
export function pairedTable(cells: readonly CellStability[], reference: string, metric: 'jaccard' | 'kendall' = 'jaccard', digits = 2): string {
  const samplers = [...new Set(cells.map((c) => c.sampler))].filter((s) => s !== reference);
  const ns = [...new Set(cells.map((c) => c.numSamples))].sort((a, b) => a - b);
  const lines = [`| sampler − ${reference} | ${ns.join(' | ')} |`, `| --- |${ns.map(() => ' --- |').join('')}`];
  for (const s of samplers) {
    const d = pairedDifference(cells, s, reference, metric);
    const row = ns.map((n) => {
      const e = d.find((x) => x.numSamples === n);
      if (!e) return '–';
      const sign = Number(fmt(Math.abs(e.diff.mean), digits)) === 0 ? '' : e.diff.mean > 0 ? '+' : '−';
      const text = `${sign}${fmt(Math.abs(e.diff.mean), digits)} ± ${fmt(e.diff.half, digits)}`;
      return e.diff.lo > 0 || e.diff.hi < 0 ? `**${text}**` : text;
    });
    lines.push(`| ${s} | ${row.join(' | ')} |`);
  }
  return lines.join('\n');
}

/**
 * The summary as JSON text, compact but diffable: the metadata indented, one line per cell
 * (without its images) and one line per image of that cell.
 */
export function formatSummary(summary: StabilitySummary): string {
  const { cells, ...meta } = summary;
  const lines = JSON.stringify(meta, null, 1).split('\n');
  lines.pop(); // the closing brace: the cells follow
  lines[lines.length - 1] += ',';
  lines.push(' "cells": [');
  cells.forEach((c, i) => {
    const { images, ...rest } = c;
    lines.push(`  ${JSON.stringify(rest).slice(0, -1)},"images":[`);
    images.forEach((im, j) => lines.push(`   ${JSON.stringify(im)}${j < images.length - 1 ? ',' : ''}`));
    lines.push(`  ]}${i < cells.length - 1 ? ',' : ''}`);
  });
  lines.push(' ]', '}');
  return lines.join('\n') + '\n';
}
