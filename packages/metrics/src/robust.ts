import { createRng, PerturbationWriter, requireOption, resolveOptions, rgbImage, type ModelAdapter, type RgbImage, type Rng, type SegmentMap } from '@limekit/core';
import { checkLabel, checkView, checkWeights } from './checks.js';
import { deletionCurve, rankSegments, trapezoid, type Curve, type CurveOptions } from './curves.js';
import { scoreMasks } from './score-masks.js';

// Metrics that do not hinge on one fill: SRG (both orders under one fill), ROAD (a fill computed
// from the image itself), IROF (segment-mean fill, normalised curve) and infidelity.

/** Result of {@link symmetricRelevanceGain}. */
export interface SrgResult {
  /** AUC(least relevant first) − AUC(most relevant first), in [−1, 1]; higher is better. */
  readonly srg: number;
  /** Most relevant first: the deletion curve. */
  readonly morf: Curve;
  /** Least relevant first: the exact reverse order. */
  readonly lerf: Curve;
}

/**
 * Symmetric Relevance Gain (Blücher, Vielhaben & Strodthoff, TMLR 2024): delete segments most
 * relevant first (MoRF) and, separately, in the exact reverse order (LeRF) under the same fill,
 * and take SRG = AUC(LeRF) − AUC(MoRF). The AUC of a random order cancels, which is why the
 * ranking of explainers barely depends on the fill. As Quantus's `SymmetricRelevanceGain`, the
 * LeRF order is the exact reverse of the MoRF order (ties are not re-sorted) and x is the
 * fraction of the input occluded (here pixels, through segments), on [0, 1].
 * @param fill what a removed segment shows (the explanation's baseline).
 * @param options curve options (steps, x axis, batch size), as for {@link deletionCurve}.
 */
export async function symmetricRelevanceGain(model: ModelAdapter, image: RgbImage, fill: RgbImage, segments: SegmentMap, weights: ArrayLike<number>, label: number, options: Partial<CurveOptions> = {}): Promise<SrgResult> {
  const morf = await deletionCurve(model, image, fill, segments, weights, label, options);
  // Weights whose ranking is the reverse of morf.order (position k gets weight k).
  const reversed = new Float64Array(segments.count);
  morf.order.forEach((seg, k) => (reversed[seg] = k));
  const lerf = await deletionCurve(model, image, fill, segments, reversed, label, options);
  return { srg: lerf.auc - morf.auc, morf, lerf };
}

/** Per-channel mean colour of every segment, painted over the segment (lime's `hide_color=None` fill). */
export function segmentMeanFill(image: RgbImage, segments: SegmentMap): RgbImage {
  const M = segments.count;
  const sum = new Float64Array(M * 3);
  const n = new Float64Array(M);
  const { labels } = segments;
  for (let p = 0; p < labels.length; p++) {
    const s = labels[p];
    n[s]++;
    for (let c = 0; c < 3; c++) sum[s * 3 + c] += image.data[p * 3 + c];
  }
  const out = rgbImage(image.width, image.height);
  for (let p = 0; p < labels.length; p++) {
    const s = labels[p];
    for (let c = 0; c < 3; c++) out.data[p * 3 + c] = Math.round(sum[s * 3 + c] / n[s]);
  }
  return out;
}

/** Options of {@link irof}. */
export interface IrofOptions {
  /** Images per model call. Default 64. */
  batchSize: number;
  signal: AbortSignal | null;
}
export const DEFAULT_IROF_OPTIONS: Readonly<IrofOptions> = { batchSize: 64, signal: null };

/**
 * IROF, Iterative Removal Of Features (Rieger & Hansen, arXiv:2003.08747, 2020): remove segments
 * cumulatively by decreasing mean relevance, each replaced by its mean colour, follow the class
 * probability normalised by its value on the image, and report the area over that curve:
 * IROF = 1 − ∫₀¹ f(x̃ₖ)/f(x) dk, with x = k/M (one step per segment). Higher is better: the
 * relevant segments, removed first, make the score drop fast. Following Quantus's `IROF`: the
 * segment-mean fill ("mean" baseline), the normalisation by f(x), the order by mean relevance
 * (for a segment-level explanation, its weight) and uniform spacing per segment. Unlike Quantus,
 * the curve starts at the unperturbed image (y = 1) and is divided by M, so that IROF lies in
 * (−∞, 1] whatever the segment count (Quantus reports M − trapz over the M removals).
 */
export async function irof(model: ModelAdapter, image: RgbImage, segments: SegmentMap, weights: ArrayLike<number>, label: number, options: Partial<IrofOptions> = {}): Promise<{ irof: number; curve: Curve }> {
  const o = resolveOptions('irof', DEFAULT_IROF_OPTIONS, options);
  const fill = segmentMeanFill(image, segments);
  const c = await deletionCurve(model, image, fill, segments, weights, label, { xAxis: 'segments', batchSize: o.batchSize, signal: o.signal });
  const y0 = c.ys[0];
  const ys = c.ys.map((y) => (y0 > 0 ? y / y0 : 0));
  return { irof: 1 - trapezoid(c.xs, ys), curve: { ...c, ys, auc: trapezoid(c.xs, ys) } };
}

/** Options of {@link noisyLinearImputation} and {@link roadCurve}. */
export interface RoadOptions {
  /** Standard deviation of the Gaussian noise added to imputed values, in 8-bit units. Default 2.55 (Quantus's 0.01 on [0, 1] inputs). */
  noise: number;
  /** Removal steps: after step s the ⌊s·M/steps⌋ most relevant segments are imputed. Default 10. */
  steps: number;
  /** Conjugate-gradient iterations per channel, at most. Default 300. */
  maxIterations: number;
  batchSize: number;
  signal: AbortSignal | null;
}
export const DEFAULT_ROAD_OPTIONS: Readonly<RoadOptions> = { noise: 2.55, steps: 10, maxIterations: 300, batchSize: 64, signal: null };

// 8-neighbourhood weights of ROAD's imputation: 1/6 for the 4 direct neighbours, 1/12 diagonally.
const NEIGHBOURS: readonly [number, number, number][] = [
  [0, 1, 1 / 6], [0, -1, 1 / 6], [1, 0, 1 / 6], [-1, 0, 1 / 6],
  [1, 1, 1 / 12], [1, -1, 1 / 12], [-1, 1, 1 / 12], [-1, -1, 1 / 12],
];

/**
 * ROAD's noisy linear imputation (Rong, Leemann, Borisov, Kasneci & Kasneci, ICML 2022): every
 * removed pixel takes the weighted mean of its 8 neighbours (1/6 direct, 1/12 diagonal), which is
 * a sparse linear system over the removed pixels with the kept ones as boundary; its solution
 * (here by conjugate gradients, per channel) plus Gaussian noise replaces them, so that the
 * removed region does not show its own shape. Weights, neighbourhood and noise level follow
 * Quantus's `noisy_linear_imputation` (noise 0.01 on [0, 1] inputs = 2.55 here). When no pixel
 * is kept, every pixel takes the image's mean colour (plus noise).
 * @param removed one byte per pixel, 1 = impute.
 */
export function noisyLinearImputation(image: RgbImage, removed: Uint8Array, rng: Rng, options: Partial<RoadOptions> = {}): RgbImage {
  const o = resolveOptions('noisyLinearImputation', DEFAULT_ROAD_OPTIONS, options);
  const { width: W, height: H } = image;
  const ids = new Int32Array(W * H).fill(-1);
  const unknown: number[] = [];
  for (let p = 0; p < W * H; p++) if (removed[p]) ids[p] = unknown.push(p) - 1;
  const out = rgbImage(W, H, Uint8Array.from(image.data));
  const n = unknown.length;
  if (n === 0) return out;
  const noise = () => o.noise * rng.nextGaussian();
  const clamp = (v: number) => Math.max(0, Math.min(255, Math.round(v)));
  if (n === W * H) {
    for (let c = 0; c < 3; c++) {
      let s = 0;
      for (let p = 0; p < n; p++) s += image.data[p * 3 + c];
      for (let p = 0; p < n; p++) out.data[p * 3 + c] = clamp(s / n + noise());
    }
    return out;
  }
  // A x = b: A_ii = Σ w over in-image neighbours, A_ij = −w for removed neighbours j, b_i = Σ w·known.
  const diag = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const p = unknown[i], y = Math.floor(p / W), x = p % W;
    for (const [dy, dx, w] of NEIGHBOURS) if (y + dy >= 0 && y + dy < H && x + dx >= 0 && x + dx < W) diag[i] += w;
  }
  const apply = (v: Float64Array, r: Float64Array) => {
    for (let i = 0; i < n; i++) {
      const p = unknown[i], y = Math.floor(p / W), x = p % W;
      let s = diag[i] * v[i];
      for (const [dy, dx, w] of NEIGHBOURS) {
        if (y + dy < 0 || y + dy >= H || x + dx < 0 || x + dx >= W) continue;
        const j = ids[p + dy * W + dx];
        if (j >= 0) s -= w * v[j];
      }
      r[i] = s;
    }
  };
  for (let c = 0; c < 3; c++) {
    const b = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const p = unknown[i], y = Math.floor(p / W), x = p % W;
      for (const [dy, dx, w] of NEIGHBOURS) {
        if (y + dy < 0 || y + dy >= H || x + dx < 0 || x + dx >= W) continue;
        const q = p + dy * W + dx;
        if (ids[q] < 0) b[i] += w * image.data[q * 3 + c];
      }
    }
    // Start from the mean of the kept pixels, then conjugate gradients (A is symmetric positive
    // definite: every removed region touches a kept pixel when at least one is kept).
    const x0 = new Float64Array(n).fill(meanKnown(image, removed, c));
    const r = new Float64Array(n), Ap = new Float64Array(n);
    apply(x0, Ap);
    for (let i = 0; i < n; i++) r[i] = b[i] - Ap[i];
    const pdir = Float64Array.from(r);
    let rr = r.reduce((s, v) => s + v * v, 0);
    const bb = b.reduce((s, v) => s + v * v, 0);
    for (let it = 0; it < o.maxIterations && rr > 1e-10 * Math.max(1, bb); it++) {
      apply(pdir, Ap);
      const alpha = rr / pdir.reduce((s, v, i) => s + v * Ap[i], 0);
      for (let i = 0; i < n; i++) {
        x0[i] += alpha * pdir[i];
        r[i] -= alpha * Ap[i];
      }
      const rr2 = r.reduce((s, v) => s + v * v, 0);
      const beta = rr2 / rr;
      rr = rr2;
      for (let i = 0; i < n; i++) pdir[i] = r[i] + beta * pdir[i];
    }
    for (let i = 0; i < n; i++) out.data[unknown[i] * 3 + c] = clamp(x0[i] + noise());
  }
  return out;
}

function meanKnown(image: RgbImage, removed: Uint8Array, c: number): number {
  let s = 0, k = 0;
  for (let p = 0; p < removed.length; p++) if (!removed[p]) {
    s += image.data[p * 3 + c];
    k++;
  }
  return k ? s / k : 0;
}

/**
 * ROAD, RemOve And Debias (Rong et al., ICML 2022), most relevant first: after step s the
 * ⌊s·M/steps⌋ top-weighted segments are replaced by {@link noisyLinearImputation} of the image
 * (recomputed for each step, seeded), and the area under the probability curve over the fraction
 * of pixels removed is reported. Lower is better, as for deletion, but the fill is computed from
 * the image itself, so the removed region carries no shape or colour of its own (the paper's
 * "class information leakage"). ROAD scores top-1 accuracy over a data set; per image limekit
 * follows the label's probability instead, as its deletion metric does.
 */
export async function roadCurve(model: ModelAdapter, image: RgbImage, segments: SegmentMap, weights: ArrayLike<number>, label: number, rng: Rng | number, options: Partial<RoadOptions> = {}): Promise<Curve> {
  const who = 'roadCurve';
  const o = resolveOptions(who, DEFAULT_ROAD_OPTIONS, options);
  const M = segments.count;
  checkView(who, model, image, image, 'image', segments);
  checkWeights(who, weights, M);
  checkLabel(who, model, label);
  requireOption(Number.isInteger(o.steps) && o.steps >= 1, who, 'steps', 'an integer >= 1', o.steps, 'ROAD uses about 10 removal fractions.');
  requireOption(o.noise >= 0, who, 'noise', '>= 0', o.noise, 'Use 2.55 (1 % of the 8-bit range).');
  const stream = typeof rng === 'number' ? createRng(rng) : rng;
  const order = rankSegments(weights);
  const steps = Math.min(o.steps, M);
  const size = new Float64Array(M);
  for (const l of segments.labels) size[l]++;
  const xs: number[] = [], ys: number[] = [];
  const one: SegmentMap = { width: image.width, height: image.height, labels: new Int32Array(segments.labels.length), count: 1 };
  const removedSeg = new Uint8Array(M);
  const removed = new Uint8Array(segments.labels.length);
  for (let s = 0; s <= steps; s++) {
    const k = Math.floor((s * M) / steps);
    let pix = 0;
    removedSeg.fill(0);
    for (let t = 0; t < k; t++) removedSeg[order[t]] = 1;
    for (let p = 0; p < removed.length; p++) removed[p] = removedSeg[segments.labels[p]];
    for (let t = 0; t < k; t++) pix += size[order[t]];
    const imputed = noisyLinearImputation(image, removed, stream.fork(`step-${s}`), o);
    const writer = new PerturbationWriter(imputed, imputed, one, model.input);
    const [p] = await scoreMasks(model, writer, 1, 1, (_, row) => (row[0] = 1), label, { batchSize: 1, signal: o.signal });
    xs.push(pix / removed.length);
    ys.push(p);
  }
  return { auc: trapezoid(xs, ys), xs, ys, order };
}

/** Options of {@link infidelity}. */
export interface InfidelityOptions {
  /** Random perturbations drawn. Default 50. */
  nPerturbations: number;
  /** Probability that a segment is removed in a perturbation. Default 0.5 (LIME's own neighbourhood). */
  removeProbability: number;
  batchSize: number;
  signal: AbortSignal | null;
}
export const DEFAULT_INFIDELITY_OPTIONS: Readonly<InfidelityOptions> = { nPerturbations: 50, removeProbability: 0.5, batchSize: 64, signal: null };

/**
 * Infidelity (Yeh, Hsieh, Suggala, Inouye & Ravikumar, NeurIPS 2019): the expected squared error
 * between the explanation's predicted effect of a perturbation and the model's actual change,
 * INFD = E_I[(Iᵀφ − (f(x) − f(x − I)))²]. Here a perturbation I removes a random set of segments
 * (each with probability {@link InfidelityOptions.removeProbability}, replaced by the fill), Iᵀφ
 * is the sum of their weights and f the label's probability. Lower is better, ≥ 0. As Quantus's
 * `Infidelity` (loss = squared error, averaged over perturbations), φ is not rescaled; the paper
 * also discusses the optimally scaled variant, which is not what this computes. Perturbations are
 * segment removals rather than Quantus's square patches, since the explanation is per segment.
 */
export async function infidelity(model: ModelAdapter, image: RgbImage, fill: RgbImage, segments: SegmentMap, weights: ArrayLike<number>, label: number, rng: Rng | number, options: Partial<InfidelityOptions> = {}): Promise<number> {
  const who = 'infidelity';
  const o = resolveOptions(who, DEFAULT_INFIDELITY_OPTIONS, options);
  const M = segments.count;
  checkView(who, model, image, fill, 'fill', segments);
  checkWeights(who, weights, M);
  checkLabel(who, model, label);
  requireOption(Number.isInteger(o.nPerturbations) && o.nPerturbations >= 1, who, 'nPerturbations', 'an integer >= 1', o.nPerturbations, 'Try 50.');
  requireOption(o.removeProbability > 0 && o.removeProbability < 1, who, 'removeProbability', 'in (0, 1)', o.removeProbability, 'Use 0.5.');
  const stream = typeof rng === 'number' ? createRng(rng) : rng;
  const N = o.nPerturbations;
  const masks = new Uint8Array((N + 1) * M);
  masks.fill(1, 0, M); // row 0: the image itself
  const predicted = new Float64Array(N);
  for (let r = 0; r < N; r++) {
    for (let j = 0; j < M; j++) {
      const keep = stream.nextFloat() >= o.removeProbability ? 1 : 0;
      masks[(r + 1) * M + j] = keep;
      if (!keep) predicted[r] += weights[j];
    }
  }
  const writer = new PerturbationWriter(image, fill, segments, model.input);
  const probs = await scoreMasks(model, writer, M, N + 1, (i, row) => row.set(masks.subarray(i * M, (i + 1) * M)), label, { batchSize: o.batchSize, signal: o.signal });
  let s = 0;
  for (let r = 0; r < N; r++) s += (predicted[r] - (probs[0] - probs[r + 1])) ** 2;
  return s / N;
}

/** Options of {@link maxSensitivity}. */
export interface MaxSensitivityOptions {
  /** Perturbed inputs explained. Default 10 (Quantus: 200, but each one is a whole LIME explanation here). */
  nSamples: number;
  /** Half-width of the uniform noise added to every pixel and channel, as a fraction of the 8-bit range. Default 0.2 (Quantus's `lower_bound`). */
  radius: number;
}
export const DEFAULT_MAX_SENSITIVITY_OPTIONS: Readonly<MaxSensitivityOptions> = { nSamples: 10, radius: 0.2 };

/**
 * Max-sensitivity (Yeh, Hsieh, Suggala, Inouye & Ravikumar, NeurIPS 2019): the largest change of
 * the explanation under small input perturbations, SENS_max = max_{‖δ‖ ≤ r} ‖Φ(x + δ) − Φ(x)‖ /
 * ‖Φ(x)‖, estimated with {@link MaxSensitivityOptions.nSamples} draws. As Quantus's
 * `MaxSensitivity`: δ uniform in [−r, r] per pixel and channel (r = 0.2 of the input range),
 * Frobenius norms in numerator and denominator, the maximum over draws. Explanations are compared
 * as pixel maps (each pixel carries its segment's weight), since a perturbed image may be cut into
 * other segments. Lower is better, ≥ 0.
 * @param explain explains an image for the same label and returns its pixel map (H·W values).
 * @param reference the pixel map of the explanation under test.
 */
export async function maxSensitivity(explain: (image: RgbImage) => Promise<ArrayLike<number>>, image: RgbImage, reference: ArrayLike<number>, rng: Rng | number, options: Partial<MaxSensitivityOptions> = {}): Promise<number> {
  const who = 'maxSensitivity';
  const o = resolveOptions(who, DEFAULT_MAX_SENSITIVITY_OPTIONS, options);
  requireOption(Number.isInteger(o.nSamples) && o.nSamples >= 1, who, 'nSamples', 'an integer >= 1', o.nSamples, 'Try 10.');
  requireOption(o.radius >= 0 && o.radius <= 1, who, 'radius', 'in [0, 1]', o.radius, 'Quantus uses 0.2.');
  const stream = typeof rng === 'number' ? createRng(rng) : rng;
  let den = 0;
  for (let p = 0; p < reference.length; p++) den += reference[p] ** 2;
  den = Math.sqrt(den);
  let worst = 0;
  for (let s = 0; s < o.nSamples; s++) {
    const data = new Uint8Array(image.data.length);
    for (let i = 0; i < data.length; i++) data[i] = Math.max(0, Math.min(255, Math.round(image.data[i] + (2 * stream.nextFloat() - 1) * o.radius * 255)));
    const map = await explain(rgbImage(image.width, image.height, data));
    let num = 0;
    for (let p = 0; p < reference.length; p++) num += (map[p] - reference[p]) ** 2;
    worst = Math.max(worst, den > 0 ? Math.sqrt(num) / den : num > 0 ? Infinity : 0);
  }
  return worst;
}
