import { UnknownComponentError } from '@limekit/core';

/** What computing a metric needs beyond one explanation: the model, a ground-truth mask, or explanations under several seeds. */
export type MetricNeed = 'model' | 'mask' | 'seeds';

/** A metric an evaluation plan can name by id. */
export interface MetricInfo {
  /** Stable id used in evaluation plans and result files. */
  readonly id: string;
  /** One line for reports and `--help`. */
  readonly description: string;
  /** The paper that defines it (authors, venue, arXiv/DOI), or "—" for plain bookkeeping. */
  readonly paper: string;
  /** What must be available to compute it; an empty list means the explanation alone suffices. */
  readonly needs: readonly MetricNeed[];
  /** Direction: true when larger values mean a better explanation. */
  readonly higherIsBetter: boolean;
  /** The values the metric can take, [min, max] (±Infinity when unbounded); intervals are kept inside it. */
  readonly range: readonly [number, number];
  /** Costly metrics are computed only when a plan names them (not in the default list). */
  readonly optIn?: boolean;
}

const RISE = 'Petsiuk, Das & Saenko, "RISE", BMVC 2018, arXiv:1806.07421';
const LIME = 'Ribeiro, Singh & Guestrin, KDD 2016, arXiv:1602.04938';
const CLEVR_XAI = 'Arras, Osman & Samek, "CLEVR-XAI", Information Fusion 2022, arXiv:2003.07258';

/** Every metric of this package, by id, in the order reports list them. */
export const METRICS: readonly MetricInfo[] = [
  { id: 'deletion', description: 'AUC of the probability as segments are replaced by the fill, highest weight first (x: fraction of pixels)', paper: RISE, needs: ['model'], higherIsBetter: false, range: [0, 1] },
  { id: 'insertion', description: 'AUC of the probability as segments are put back into a blurred canvas, highest weight first (x: fraction of pixels)', paper: RISE, needs: ['model'], higherIsBetter: true, range: [0, 1] },
  { id: 'faithfulness', description: 'Pearson r between the summed weights of random segment subsets and the probability drop when they are removed', paper: 'Bhatt, Weller & Moura, IJCAI 2020, arXiv:2005.00631', needs: ['model'], higherIsBetter: true, range: [-1, 1] },
  { id: 'fidelity-r2', description: "The surrogate's weighted R² on its neighbourhood", paper: LIME, needs: [], higherIsBetter: true, range: [-Infinity, 1] },
  { id: 'fidelity-gap', description: '|f(x) − g(1)|: model probability vs surrogate prediction at the instance', paper: LIME, needs: [], higherIsBetter: false, range: [0, 1] },
  { id: 'stability-jaccard', description: 'Mean pairwise Jaccard index of the top-5 segments (by |weight|) across seeds', paper: 'Zhou, Hooker & Wang, "S-LIME", KDD 2021, arXiv:2106.07875', needs: ['seeds'], higherIsBetter: true, range: [0, 1] },
  { id: 'stability-kendall', description: 'Mean pairwise Kendall τ-b of the weight vectors across seeds', paper: 'Kendall, Biometrika 1945, doi:10.1093/biomet/33.3.239', needs: ['seeds'], higherIsBetter: true, range: [-1, 1] },
  { id: 'sparseness', description: 'Gini index of |weights| (0: all equal … 1 − 1/M: one segment)', paper: 'Chalasani et al., ICML 2020, arXiv:1810.06583 (Hurley & Rickard 2009)', needs: [], higherIsBetter: true, range: [0, 1] },
  { id: 'pointing-game', description: 'The top-weighted segment lies mostly inside the ground-truth mask', paper: 'Zhang et al., ECCV 2016, arXiv:1608.00507', needs: ['mask'], higherIsBetter: true, range: [0, 1] },
  { id: 'relevance-mass', description: 'Share of the positive pixel relevance inside the ground-truth mask', paper: CLEVR_XAI, needs: ['mask'], higherIsBetter: true, range: [0, 1] },
  { id: 'relevance-rank', description: 'Share of the K most relevant pixels inside the K-pixel ground-truth mask', paper: CLEVR_XAI, needs: ['mask'], higherIsBetter: true, range: [0, 1] },
  { id: 'wall-time', description: 'Wall time of the explanation (ms)', paper: '—', needs: [], higherIsBetter: false, range: [0, Infinity] },
  { id: 'model-calls', description: 'Model calls (batches) of the explanation', paper: '—', needs: [], higherIsBetter: false, range: [0, Infinity] },
  { id: 'samples', description: 'Perturbed samples the explanation scored', paper: '—', needs: [], higherIsBetter: false, range: [0, Infinity] },
];

/**
 * Metrics computed only when a plan names them: each costs several model calls per segment or
 * per draw. Not in {@link METRICS}, which is the default list of a plan.
 */
export const OPT_IN_METRICS: readonly MetricInfo[] = [
  { id: 'srg', description: "Symmetric relevance gain: AUC of the deletion curve least relevant first minus most relevant first, under the config's fill", paper: 'Blücher, Vielhaben & Strodthoff, TMLR 2024, arXiv:2401.06654', needs: ['model'], higherIsBetter: true, range: [-1, 1], optIn: true },
  { id: 'road', description: 'ROAD: AUC of the probability as the top segments are replaced by noisy linear imputation of the image (10 steps, x: fraction of pixels)', paper: 'Rong, Leemann, Borisov, Kasneci & Kasneci, ICML 2022, arXiv:2202.00449', needs: ['model'], higherIsBetter: false, range: [0, 1], optIn: true },
  { id: 'infidelity', description: "Mean squared error between the summed weights of randomly removed segments and the model's probability drop (50 draws, each segment removed with p = ½)", paper: 'Yeh, Hsieh, Suggala, Inouye & Ravikumar, NeurIPS 2019, arXiv:1901.09392', needs: ['model'], higherIsBetter: false, range: [0, Infinity], optIn: true },
  { id: 'max-sensitivity', description: 'Largest relative change ‖Φ(x+δ) − Φ(x)‖/‖Φ(x)‖ of the pixel map over 10 re-explanations under uniform noise δ of ±20 % (the same config and seed)', paper: 'Yeh, Hsieh, Suggala, Inouye & Ravikumar, NeurIPS 2019, arXiv:1901.09392', needs: ['model'], higherIsBetter: false, range: [0, Infinity], optIn: true },
  { id: 'random-logit', description: 'SSIM of the pixel maps of the explained class and of a random other class (same config and seed): close to 1 when the explanation ignores the class', paper: 'Sixt, Granz & Landgraf, ICML 2020, arXiv:1912.09818 (as Quantus RandomLogit)', needs: ['model'], higherIsBetter: false, range: [-1, 1], optIn: true },
  { id: 'mprt', description: 'Spearman correlation of the weights before and after randomising every layer of the model (ONNX, in memory, seeded), same config and seed: an explanation that passes the sanity check changes', paper: 'Adebayo, Gilmer, Muelly, Goodfellow, Hardt & Kim, NeurIPS 2018, arXiv:1810.03292', needs: ['model'], higherIsBetter: false, range: [-1, 1], optIn: true },
  { id: 'irof', description: 'IROF: area over the normalised probability curve as segments are replaced by their mean colour, most relevant first', paper: 'Rieger & Hansen, ICLR 2020 workshop, arXiv:2003.08747', needs: ['model'], higherIsBetter: true, range: [-Infinity, 1], optIn: true },
];

/** {@link METRICS} followed by {@link OPT_IN_METRICS}: every id a plan may name. */
export const ALL_METRICS: readonly MetricInfo[] = [...METRICS, ...OPT_IN_METRICS];

/**
 * Looks a metric up by id.
 * @throws UnknownComponentError naming the known ids.
 */
export function metricInfo(id: string): MetricInfo {
  const found = ALL_METRICS.find((m) => m.id === id);
  if (!found) throw new UnknownComponentError(`metrics: unknown metric "${id}". Known metrics: ${ALL_METRICS.map((m) => m.id).join(', ')}.`);
  return found;
}

/**
 * The metrics of a plan that can be computed with what is available (a model is always needed
 * for `model` metrics, a mask for `mask` metrics, two or more seeds for `seeds` metrics).
 * @param ids metric ids, as named in the plan (checked with {@link metricInfo}).
 * @param available what the run has.
 * @returns the applicable subset, in the given order.
 * @throws UnknownComponentError for an unknown id.
 */
export function applicableMetrics(ids: readonly string[], available: readonly MetricNeed[]): MetricInfo[] {
  return ids.map(metricInfo).filter((m) => m.needs.every((n) => available.includes(n)));
}
