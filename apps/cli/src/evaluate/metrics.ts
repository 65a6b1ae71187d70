import { createRng, STREAMS, type Baseline, type LabelExplanation, type ModelAdapter, type ModelInputSpec, type RgbImage, type SegmentMap } from '@limekit/core';
import { gaussianBlur } from '@limekit/baselines';
import { loadMask, maskToView, type ViewTransform } from '@limekit/image';
import {
  deletionCurve,
  faithfulnessCorrelation,
  gini,
  infidelity,
  insertionCurve,
  irof,
  maxSensitivity,
  pixelRelevance,
  randomLogit,
  ALL_METRICS,
  pointingGame,
  relevanceMass,
  relevanceRank,
  roadCurve,
  stability,
  symmetricRelevanceGain,
  type Curve,
} from '@limekit/metrics';
import type { MetricInfo } from './report.js';
import type { ResultRow } from './results.js';

/** The metrics `limekit evaluate` knows, with their direction and paper. */
export const METRIC_INFO: readonly MetricInfo[] = ALL_METRICS.map((m) => ({ id: m.id, description: m.description, higherIsBetter: m.higherIsBetter, paper: m.paper, range: m.range, needs: m.needs, ...(m.optIn ? { optIn: true } : {}) }));

/**
 * What {@link computeRowMetrics} reads of an explanation: segments, the first label's index and
 * weights, and, when there is a surrogate, its fit and the cost (absent for the random control).
 */
export interface RowExplanation {
  segments: SegmentMap;
  labels: readonly (Pick<LabelExplanation, 'index' | 'weights'> & Partial<Pick<LabelExplanation, 'score' | 'probability' | 'localPrediction'>>)[];
  timings?: { total: number };
  modelCalls?: number;
  numSamples?: number;
}

/** Reads a ground-truth mask and brings it to the model's view with the image's own transform. */
export async function loadMaskForView(path: string, transform: ViewTransform, _spec: ModelInputSpec): Promise<Uint8Array> {
  const mask = await loadMask(path);
  if (mask.width !== transform.originalWidth || mask.height !== transform.originalHeight) {
    throw new Error(`mask ${path} is ${mask.width}×${mask.height} but its image is ${transform.originalWidth}×${transform.originalHeight}`);
  }
  return maskToView(mask.data, transform);
}

/** Per-row metrics of one explanation (those that need no other seeds). */
export async function computeRowMetrics(input: {
  exp: RowExplanation;
  model: ModelAdapter;
  view: RgbImage;
  mask: Uint8Array | undefined;
  wanted: readonly string[];
  seed: number;
  batchSize: number;
  baseline: Baseline;
  /** Explains another image for the same label (for max-sensitivity); absent: max-sensitivity is not computed. */
  reexplain?: (image: RgbImage, label?: number) => Promise<{ segments: SegmentMap; weights: ArrayLike<number> }>;
  /** Model parameter randomisation: the similarity with every layer randomised (absent: mprt is not computed). */
  mprt?: () => Promise<number>;
}): Promise<{ metrics: Record<string, number | null>; curves?: { deletion?: { xs: number[]; ys: number[] }; insertion?: { xs: number[]; ys: number[] } } }> {
  const { exp, model, view, mask, wanted, seed, batchSize } = input;
  const label = exp.labels[0];
  const w = label.weights;
  const m: Record<string, number | null> = {};
  const curves: { deletion?: Curve; insertion?: Curve } = {};
  const want = (id: string) => wanted.includes(id);
  let fill: RgbImage | undefined;
  const getFill = async () => (fill ??= await input.baseline.fill(view, exp.segments, { rng: createRng(seed).fork(STREAMS.baseline) }));
  if (want('deletion')) {
    curves.deletion = await deletionCurve(model, view, await getFill(), exp.segments, w, label.index, { batchSize });
    m.deletion = curves.deletion.auc;
  }
  if (want('insertion')) {
    const canvas = gaussianBlur(view, Math.max(2, view.width / 16));
    curves.insertion = await insertionCurve(model, view, canvas, exp.segments, w, label.index, { batchSize });
    m.insertion = curves.insertion.auc;
  }
  if (want('faithfulness')) m.faithfulness = await faithfulnessCorrelation(model, view, await getFill(), exp.segments, w, label.index, createRng(seed).fork('faithfulness'), { batchSize });
  if (want('srg')) m.srg = (await symmetricRelevanceGain(model, view, await getFill(), exp.segments, w, label.index, { batchSize })).srg;
  if (want('road')) m.road = (await roadCurve(model, view, exp.segments, w, label.index, createRng(seed).fork('road'), { batchSize })).auc;
  if (want('infidelity')) m.infidelity = await infidelity(model, view, await getFill(), exp.segments, w, label.index, createRng(seed).fork('infidelity'), { batchSize });
  if (want('max-sensitivity') && input.reexplain) {
    const reexplain = input.reexplain;
    m['max-sensitivity'] = await maxSensitivity(async (img) => { const e = await reexplain(img); return pixelRelevance(e.segments, e.weights); }, view, pixelRelevance(exp.segments, w), createRng(seed).fork('max-sensitivity'));
  }
  if (want('random-logit') && input.reexplain && model.numClasses >= 2) {
    const reexplain = input.reexplain;
    const r = await randomLogit(async (other) => { const e = await reexplain(view, other); return pixelRelevance(e.segments, e.weights); }, pixelRelevance(exp.segments, w), label.index, model.numClasses, createRng(seed).fork('random-logit'), view.width, view.height);
    m['random-logit'] = r.ssim;
  }
  if (want('mprt') && input.mprt) m.mprt = await input.mprt();
  if (want('irof')) m.irof = (await irof(model, view, exp.segments, w, label.index, { batchSize })).irof;
  if (want('fidelity-r2') && label.score !== undefined) m['fidelity-r2'] = label.score;
  if (want('fidelity-gap') && label.probability !== undefined && label.localPrediction !== undefined) m['fidelity-gap'] = Math.abs(label.probability - label.localPrediction);
  if (want('sparseness')) m.sparseness = gini(w);
  if (mask && mask.some((v) => v)) {
    if (want('pointing-game')) m['pointing-game'] = pointingGame(exp.segments, w, mask);
    if (want('relevance-mass')) m['relevance-mass'] = relevanceMass(exp.segments, w, mask);
    if (want('relevance-rank')) m['relevance-rank'] = relevanceRank(exp.segments, w, mask);
  }
  if (want('wall-time') && exp.timings) m['wall-time'] = exp.timings.total;
  if (want('model-calls') && exp.modelCalls !== undefined) m['model-calls'] = exp.modelCalls;
  if (want('samples') && exp.numSamples !== undefined) m.samples = exp.numSamples;
  for (const k of Object.keys(m)) if (typeof m[k] === 'number' && !Number.isFinite(m[k] as number)) m[k] = null;
  const plain = (c?: Curve) => (c ? { xs: c.xs, ys: c.ys } : undefined);
  const hasCurves = curves.deletion || curves.insertion;
  return { metrics: m, ...(hasCurves ? { curves: { ...(curves.deletion ? { deletion: plain(curves.deletion) } : {}), ...(curves.insertion ? { insertion: plain(curves.insertion) } : {}) } } : {}) };
}

/** A metric value of one unit (model · image) of a configuration, computed across its seeds. */
export interface GroupValue {
  config: string;
  unit: string;
  metric: string;
  value: number;
}

/** The unit that intervals and paired tests are over: one image under one model (seeds are averaged within it). */
export function unitKey(r: Pick<ResultRow, 'model' | 'image'>): string {
  return `${r.model} · ${r.image}`;
}

/**
 * Metrics across seeds (stability), one value per (model, image, config) group with at least two
 * successful seeds and the same segmentation.
 */
export function groupMetrics(rows: readonly ResultRow[], wanted: readonly string[]): GroupValue[] {
  if (!wanted.includes('stability-jaccard') && !wanted.includes('stability-kendall')) return [];
  const groups = new Map<string, ResultRow[]>();
  for (const r of rows) {
    if (r.error || !r.weights) continue;
    const key = JSON.stringify([r.model, r.image, r.config]);
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  const out: GroupValue[] = [];
  for (const g of groups.values()) {
    const sameSegments = g.filter((r) => r.weights!.length === g[0].weights!.length);
    if (sameSegments.length < 2) continue;
    const s = stability(sameSegments.map((r) => r.weights!), 5);
    if (wanted.includes('stability-jaccard') && Number.isFinite(s.jaccard)) out.push({ config: g[0].config, unit: unitKey(g[0]), metric: 'stability-jaccard', value: s.jaccard });
    if (wanted.includes('stability-kendall') && Number.isFinite(s.kendall)) out.push({ config: g[0].config, unit: unitKey(g[0]), metric: 'stability-kendall', value: s.kendall });
  }
  return out;
}
