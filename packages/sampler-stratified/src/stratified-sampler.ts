import {
  requireOption,
  resolveOptions,
  rowByRowSession,
  uniformSubset,
  type RunContext,
  type Sampler,
  type SamplerSession,
} from '@limekit/core';
import { equalAllocation, logBinomials, roundRobin } from './stratified-design.js';

/** How the budget is split among coalition sizes. */
export type StratifiedAllocation = 'equal' | 'random';

/** Options of {@link StratifiedSampler}. */
export interface StratifiedOptions {
  /**
   * `equal` (default): the same number of rows for every size k = 1..M−1 (± 1), plus the instance
   * and the all-zeros row, so that no size is undersampled. `random`: Rashid et al.'s released
   * code, every row's size uniform on 0..M, equal allocation in expectation only.
   */
  allocation: StratifiedAllocation;
}

/** Defaults of {@link StratifiedOptions}. */
export const DEFAULT_STRATIFIED_OPTIONS: Readonly<StratifiedOptions> = { allocation: 'equal' };

/**
 * Stratified sampling for LIME Image (Rashid, Amparore, Ferrari & Verda, AAAI 2024): strata are
 * the coalition sizes k (number of kept segments). LIME's uniform masks put almost all rows at
 * k ≈ M/2 (the binomial law), so the sizes near 0 and M, where the model's output changes most,
 * are hardly seen. Here every size gets the same share of the budget, with uniform k-subsets
 * inside a stratum, and every row carries the adjustment factor
 * `(stratum's share of the binomial mass C(M,k)/2^M) / (stratum's share of the rows)`, so that
 * weighted sums estimate the same quantities as LIME's Bernoulli(0.5) design, unbiasedly. The
 * final sample weight is the similarity kernel's weight times this factor.
 *
 * @remarks Rows: the instance first (weight 1, as lime), with `equal` allocation the all-zeros row
 * second (stratum k = 0, which has one member, so one row estimates it exactly), then the strata
 * k = 1..M−1 round-robin. With fewer than M + 1 rows some strata get none and the design is no
 * longer unbiased; M = 1 has only 2 distinct rows and stops there.
 * @see Rashid, Amparore, Ferrari & Verda, "Using Stratified Sampling to Improve LIME Image Explanations", AAAI 2024, doi:10.1609/aaai.v38i13.29397, arXiv:2403.17742
 */
export class StratifiedSampler implements Sampler {
  readonly id = 'stratified';
  readonly options: Readonly<StratifiedOptions>;

  /** @throws InvalidOptionError when allocation is not `equal` or `random`, or an option is unknown. */
  constructor(options: Partial<StratifiedOptions> = {}) {
    this.options = resolveOptions('StratifiedSampler', DEFAULT_STRATIFIED_OPTIONS, options);
    const { allocation } = this.options;
    requireOption(
      allocation === 'equal' || allocation === 'random',
      'StratifiedSampler',
      'allocation',
      'one of equal, random',
      allocation,
      "Use 'equal' (the same rows for every size) or 'random' (Rashid et al.'s code: sizes drawn uniformly).",
    );
  }

  start(numFeatures: number, budget: number, ctx: RunContext): SamplerSession {
    const M = numFeatures;
    const rng = ctx.rng;
    const perm = new Int32Array(M);
    const logC = logBinomials(M);
    const ln2M = M * Math.LN2;
    const random = this.options.allocation === 'random';
    // Equal allocation: row 0 the instance, row 1 all zeros, then the strata in round-robin order.
    const total = random || M >= 2 ? budget : Math.min(budget, M === 1 ? 2 : 1);
    const designRows = Math.max(0, total - 1);
    const allocation = equalAllocation(M, total - 2);
    const schedule = random ? new Int32Array(0) : roundRobin(allocation);
    // Adjustment factor of a row of size k: P_B(k) / (n_k / N), N the design rows (all but the instance).
    const equalWeight = (k: number, nk: number) => Math.exp(logC[k] - ln2M + Math.log(designRows) - Math.log(nk));
    const randomWeight = (k: number) => Math.exp(logC[k] - ln2M + Math.log(M + 1));
    return rowByRowSession({
      total,
      numFeatures: M,
      firstRowIsInstance: total >= 1,
      weighted: true,
      drawRow(row, i) {
        if (random) {
          const k = rng.nextInt(M + 1);
          uniformSubset(row, k, rng, perm);
          return randomWeight(k);
        }
        if (i === 1) return equalWeight(0, 1);
        const k = schedule[i - 2];
        uniformSubset(row, k, rng, perm);
        return equalWeight(k, allocation[k]);
      },
      summary: () => ({
        allocation: this.options.allocation,
        ...(random ? {} : { rowsPerStratum: M >= 2 ? Math.floor(Math.max(0, total - 2) / (M - 1)) : 0 }),
      }),
    });
  }
}
