// What a sampler draws, by coalition size: the number of segments a mask row keeps switched on.
// Pure helpers for coalition-sizes.ts (and its spec), plus the loop that drives a sampler session
// the way the explainer does.
import type { RunContext, SampleBlock, Sampler } from '@limekit/core';

/**
 * The coalition size of every row: how many of its M entries are 1 (segment kept).
 * @param rows `count × M` mask values, row-major, as in {@link SampleBlock}.
 * @returns one size in 0..M per row.
 * @throws RangeError when `rows` holds fewer than `count × M` values.
 */
export function coalitionSizes(rows: Uint8Array, count: number, M: number): Int32Array {
  if (rows.length < count * M) throw new RangeError(`coalitionSizes: rows must hold count × M = ${count * M} values, got ${rows.length}.`);
  const sizes = new Int32Array(count);
  for (let r = 0; r < count; r++) {
    let k = 0;
    for (let j = r * M; j < (r + 1) * M; j++) k += rows[j];
    sizes[r] = k;
  }
  return sizes;
}

/**
 * Histogram of coalition sizes 0..M: the number of rows of each size, or, with `weights`, the sum
 * of the rows' weights per size.
 * @param sizes one size per row, each an integer in 0..M.
 * @param weights optional, one non-negative weight per row.
 * @returns M + 1 totals.
 * @throws RangeError for a size outside 0..M or weights of the wrong length.
 */
export function sizeHistogram(sizes: ArrayLike<number>, M: number, weights?: ArrayLike<number>): Float64Array {
  if (weights && weights.length !== sizes.length) throw new RangeError(`sizeHistogram: weights must have one entry per row (${sizes.length}), got ${weights.length}.`);
  const h = new Float64Array(M + 1);
  for (let r = 0; r < sizes.length; r++) {
    const k = sizes[r];
    if (!Number.isInteger(k) || k < 0 || k > M) throw new RangeError(`sizeHistogram: sizes must be integers in 0..${M}, got ${k} in row ${r}.`);
    h[k] += weights ? weights[r] : 1;
  }
  return h;
}

/** The histogram divided by its total, so that it sums to 1 (all zeros stays all zeros). */
export function toShares(h: ArrayLike<number>): Float64Array {
  let total = 0;
  for (let i = 0; i < h.length; i++) total += h[i];
  const out = new Float64Array(h.length);
  if (total > 0) for (let i = 0; i < h.length; i++) out[i] = h[i] / total;
  return out;
}

/** Mean and standard deviation of the size under a histogram (counts or weights). */
export function sizeMoments(h: ArrayLike<number>): { mean: number; sd: number } {
  const p = toShares(h);
  let mean = 0;
  for (let k = 0; k < p.length; k++) mean += k * p[k];
  let v = 0;
  for (let k = 0; k < p.length; k++) v += p[k] * (k - mean) ** 2;
  return { mean, sd: Math.sqrt(v) };
}

/** Binomial(M, p) probabilities of 0..M, computed in log space. */
export function binomialPmf(M: number, p: number): Float64Array {
  const out = new Float64Array(M + 1);
  let logC = 0; // log C(M, k), updated incrementally
  for (let k = 0; k <= M; k++) {
    if (k > 0) logC += Math.log(M - k + 1) - Math.log(k);
    const lp = k === 0 ? 0 : k * Math.log(p);
    const lq = k === M ? 0 : (M - k) * Math.log(1 - p);
    out[k] = Math.exp(logC + lp + lq);
  }
  return out;
}

/** Every row a sampler session produced, concatenated. */
export interface DrawnDesign {
  /** `count × M` mask values. */
  readonly rows: Uint8Array;
  readonly count: number;
  /** The sampler's per-row weights (1 for rows of blocks that had none); null when no block had any. */
  readonly weights: Float64Array | null;
  /** The session's own summary, when it has one. */
  readonly summary?: Record<string, unknown>;
}

/**
 * Runs one sampler session to its end as the explainer does: `next(batchSize)` until it returns
 * null, and after every block `observe()` (for samplers that have it) with a constant model
 * output, since no model is involved here.
 * @param predictionValue the probability every row is "scored" with (one class, label 0).
 * @throws RangeError when the session produces more than `maxRows` rows (a runaway sampler).
 */
export function drawDesign(sampler: Sampler, M: number, budget: number, ctx: RunContext, batchSize = 64, predictionValue = 0.5, maxRows = 1_000_000): DrawnDesign {
  const session = sampler.start(M, budget, ctx);
  const blocks: SampleBlock[] = [];
  let count = 0;
  for (let block = session.next(batchSize); block; block = session.next(batchSize)) {
    blocks.push(block);
    count += block.count;
    if (count > maxRows) throw new RangeError(`drawDesign: sampler "${sampler.id}" produced more than ${maxRows} rows.`);
    session.observe?.({ block, predictions: new Float32Array(block.count).fill(predictionValue), numClasses: 1, labels: [0] });
  }
  const rows = new Uint8Array(count * M);
  const anyWeights = blocks.some((b) => b.weights);
  const weights = anyWeights ? new Float64Array(count).fill(1) : null;
  let r = 0;
  for (const b of blocks) {
    rows.set(b.rows.subarray(0, b.count * M), r * M);
    if (weights && b.weights) weights.set(b.weights.subarray(0, b.count), r);
    r += b.count;
  }
  const summary = session.summary?.();
  return { rows, count, weights, ...(summary ? { summary } : {}) };
}

/**
 * Kish's effective sample size (Σw)² / Σw² of a set of non-negative weights: how many equally
 * weighted rows would carry the same information about a weighted mean.
 * @returns 0 when every weight is 0.
 */
export function kishEffectiveSize(weights: ArrayLike<number>): number {
  let s = 0, s2 = 0;
  for (let i = 0; i < weights.length; i++) {
    s += weights[i];
    s2 += weights[i] * weights[i];
  }
  return s2 > 0 ? (s * s) / s2 : 0;
}

/** Number of distinct rows of a design. */
export function distinctRows(rows: Uint8Array, count: number, M: number): number {
  const seen = new Set<string>();
  for (let r = 0; r < count; r++) seen.add(rows.subarray(r * M, (r + 1) * M).join(''));
  return seen.size;
}
