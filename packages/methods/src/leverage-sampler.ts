import { requireOption, resolveOptions, type Rng, type RunContext, type SampleBlock, type Sampler, type SamplerSession } from '@limekit/core';

/** Options of {@link LeverageSampler}. */
export interface LeverageOptions {
  /** Draw every coalition together with its complement (the paper's paired sampling). Default true. */
  paired: boolean;
}

/** Defaults of {@link LeverageOptions}: the paper's. */
export const DEFAULT_LEVERAGE_OPTIONS: Readonly<LeverageOptions> = { paired: true };

/** Binomial coefficient C(n, k) as a double (exact below 2^53). */
export function binomial(n: number, k: number): number {
  if (k < 0 || k > n) return 0;
  const m = Math.min(k, n - k);
  let c = 1;
  for (let i = 1; i <= m; i++) c = (c * (n - m + i)) / i;
  return c < 2 ** 53 ? Math.round(c) : c;
}

/** The Shapley kernel weight of a coalition of size s among M: (M − 1) / (C(M, s) · s · (M − s)). */
export function shapleyKernelWeight(M: number, s: number): number {
  return (M - 1) / (binomial(M, s) * s * (M - s));
}

/** A Leverage SHAP design: rows (all ones, all zeros, then the sampled coalitions) and their weights. */
export interface LeverageDesign {
  readonly rows: Uint8Array;
  readonly weights: Float64Array;
  readonly count: number;
  /** The scale c of the inclusion probabilities min(1, c / C(M, s)) (Infinity: everything enumerated). */
  readonly scale: number;
  /** Coalitions drawn besides the two endpoints. */
  readonly sampled: number;
}

/** Number of successes among `units` independent trials of probability q, by geometric skips (exact, O(successes)). */
function bernoulliCount(units: number, q: number, rng: Rng): number {
  if (q >= 1) return units;
  if (q <= 0) return 0;
  const logq = Math.log1p(-q);
  let k = 0, pos = -1;
  for (;;) {
    const u = rng.nextFloat();
    pos += Math.floor(Math.log1p(-u) / logq) + 1;
    if (pos >= units) return k;
    k++;
  }
}

/** All k-subsets of `items`, lexicographic. */
function allSubsets(items: readonly number[], k: number): number[][] {
  const out: number[][] = [];
  const idx = Array.from({ length: k }, (_, i) => i);
  if (k > items.length) return out;
  for (;;) {
    out.push(idx.map((i) => items[i]));
    let t = k - 1;
    while (t >= 0 && idx[t] === items.length - k + t) t--;
    if (t < 0) return out;
    idx[t]++;
    for (let u = t + 1; u < k; u++) idx[u] = idx[u - 1] + 1;
  }
}

/** k distinct uniformly random `size`-subsets of `items` (rejection on a key set; used when they are a small share of all). */
function randomSubsets(items: readonly number[], size: number, k: number, rng: Rng): number[][] {
  const seen = new Set<string>();
  const out: number[][] = [];
  const pool = [...items];
  while (out.length < k) {
    for (let i = 0; i < size; i++) {
      const j = i + rng.nextInt(pool.length - i);
      const t = pool[i];
      pool[i] = pool[j];
      pool[j] = t;
    }
    const subset = pool.slice(0, size).sort((a, b) => a - b);
    const key = subset.join(',');
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(subset);
  }
  return out;
}

/**
 * Leverage SHAP's sample (Musco & Witter, ICLR 2025, Algorithm 1): the leverage score of a
 * coalition of size s in the Shapley regression is 1 / C(M, s), so every size gets the same
 * share. Coalitions are drawn *without replacement* by Bernoulli sampling: each is kept
 * independently with probability q_s = min(1, c / C(M, s)), c chosen so that the expected number
 * of rows Σ_s min(C(M, s), c) is `budget − 2`; paired, a coalition and its complement are kept
 * together (sizes s and M − s have the same q). A kept row weighs w(s) / q_s, the Shapley kernel
 * weight over its inclusion probability, so the weighted regression estimates the exact one.
 *
 * @remarks The all-ones and all-zeros rows come first (weight 1; the estimator enforces them as
 * constraints). The number of rows is random around the budget. When the budget reaches 2^M,
 * every coalition is enumerated (q = 1) and the estimate is exact.
 */
export function leverageDesign(M: number, budget: number, rng: Rng, options: Readonly<LeverageOptions> = DEFAULT_LEVERAGE_OPTIONS): LeverageDesign {
  const target = Math.max(0, budget - 2);
  const sizes = Array.from({ length: Math.max(0, M - 1) }, (_, i) => i + 1);
  const sizeCount = sizes.map((s) => binomial(M, s));
  const expected = (c: number) => sizeCount.reduce((a, C) => a + Math.min(C, c), 0);
  let scale = Infinity;
  if (sizes.length && target < expected(Infinity)) {
    let lo = 0, hi = Math.max(...sizeCount);
    for (let it = 0; it < 200; it++) {
      const mid = (lo + hi) / 2;
      if (expected(mid) < target) lo = mid;
      else hi = mid;
    }
    scale = (lo + hi) / 2;
  }
  const rows: number[][] = [new Array<number>(M).fill(1), new Array<number>(M).fill(0)];
  const weights: number[] = [1, 1];
  const players = Array.from({ length: M }, (_, j) => j);
  const add = (subset: readonly number[], weight: number) => {
    const z = new Array<number>(M).fill(0);
    for (const j of subset) z[j] = 1;
    rows.push(z);
    weights.push(weight);
  };
  for (const s of sizes) {
    const C = binomial(M, s);
    const q = Math.min(1, scale / C);
    const w = shapleyKernelWeight(M, s) / q;
    if (options.paired) {
      if (2 * s > M) continue; // drawn with its complement
      const selfPaired = 2 * s === M;
      // A pair {S, complement} is represented by the member holding player 0 when both have size M/2.
      const items = selfPaired ? players.slice(1) : players;
      const size = selfPaired ? s - 1 : s;
      const units = selfPaired ? C / 2 : C;
      const k = bernoulliCount(units, q, rng);
      const chosen = pick(items, size, k, units, rng).map((sub) => (selfPaired ? [0, ...sub] : sub));
      for (const sub of chosen) {
        add(sub, w);
        add(players.filter((j) => !sub.includes(j)), w);
      }
    } else {
      const k = bernoulliCount(C, q, rng);
      for (const sub of pick(players, s, k, C, rng)) add(sub, w);
    }
  }
  return { rows: Uint8Array.from(rows.flat()), weights: Float64Array.from(weights), count: rows.length, scale, sampled: rows.length - 2 };
}

/** k distinct uniform `size`-subsets of `items` out of `units` = C(items, size). */
function pick(items: readonly number[], size: number, k: number, units: number, rng: Rng): number[][] {
  if (k === 0) return [];
  if (k >= units) return allSubsets(items, size);
  if (units <= 1e6 && k > units / 4) {
    // Dense: a partial Fisher–Yates over the enumerated subsets.
    const all = allSubsets(items, size);
    for (let i = 0; i < k; i++) {
      const j = i + rng.nextInt(all.length - i);
      const t = all[i];
      all[i] = all[j];
      all[j] = t;
    }
    return all.slice(0, k);
  }
  return randomSubsets(items, size, k, rng);
}

/**
 * Leverage SHAP's sampler (Musco & Witter, ICLR 2025): paired coalitions drawn without
 * replacement with probabilities proportional to their leverage scores, each carrying its
 * Shapley-kernel weight over its inclusion probability (see {@link leverageDesign}). Use with
 * the `uniform` kernel and the `leverage-shap` estimator.
 *
 * @remarks The design is built when the session starts and streamed in the same order at any
 * batch size. `budget` counts the two endpoint rows; the number of rows drawn is random around
 * it (the summary reports it).
 * @see Musco & Witter, "Provably Accurate Shapley Value Estimation via Leverage Score Sampling", ICLR 2025, arXiv:2410.01917
 */
export class LeverageSampler implements Sampler {
  readonly id = 'leverage';
  readonly options: Readonly<LeverageOptions>;

  /** @throws InvalidOptionError for an unknown option or a wrong type. */
  constructor(options: Partial<LeverageOptions> = {}) {
    this.options = resolveOptions('LeverageSampler', DEFAULT_LEVERAGE_OPTIONS, options);
    requireOption(typeof this.options.paired === 'boolean', 'LeverageSampler', 'paired', 'true or false', this.options.paired);
  }

  start(numFeatures: number, budget: number, ctx: RunContext): SamplerSession {
    const M = numFeatures;
    const design = leverageDesign(M, budget, ctx.rng, this.options);
    let produced = 0;
    return {
      firstRowIsInstance: true,
      needsObservations: false,
      next(maxRows: number): SampleBlock | null {
        if (produced >= design.count) return null;
        const count = Math.min(maxRows, design.count - produced);
        const block = { rows: design.rows.slice(produced * M, (produced + count) * M), count, weights: design.weights.slice(produced, produced + count) };
        produced += count;
        return block;
      },
      summary: () => ({ samples: produced, sampled: design.sampled, scale: Number.isFinite(design.scale) ? design.scale : 'all', requested: budget }),
    };
  }
}
