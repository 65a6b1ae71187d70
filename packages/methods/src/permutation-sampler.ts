import { resolveOptions, rowByRowSession, type RunContext, type Sampler, type SamplerSession } from '@limekit/core';

/** {@link PermutationSampler} has no options: its permutations are always antithetic, as shap's. */
export type PermutationOptions = Record<string, never>;

/** Defaults of {@link PermutationOptions}: none. */
export const DEFAULT_PERMUTATION_OPTIONS: Readonly<PermutationOptions> = {};

/** Rows a permutation sampler draws for K antithetic pairs on M segments: 1 + 2·M·K. */
export function permutationRows(numFeatures: number, pairs: number): number {
  return 1 + 2 * numFeatures * pairs;
}

/**
 * Permutation sampling with antithetic permutations (shap's `PermutationExplainer`): the rows walk
 * along permutations, one segment flipped per row. From the instance (all ones), a random
 * permutation π switches the segments off one by one in π's order down to all zeros, then on
 * again in the same order back to all ones; the next pair starts from there. Switching off in π's
 * order gives the marginal contributions of the reversed permutation, switching on those of π:
 * each pair is π with its antithetic partner, as shap's forward and backward passes, and
 * consecutive pairs share their all-ones row. K pairs cost 1 + 2·M·K rows.
 *
 * @remarks K = ⌊(budget − 1) / 2M⌋, at least 1 (so a budget below 2M + 1 is exceeded; the
 * summary says so). Each pair draws one Fisher–Yates permutation (M − 1 numbers) from the
 * sampler's stream, in order: rows do not depend on the batch size. Use with the
 * `permutation-shap` estimator, which reads the rows in this order.
 * @see Štrumbelj & Kononenko, "Explaining prediction models and individual predictions with
 * feature contributions", KAIS 2014; Mitchell et al., "Sampling permutations for Shapley value
 * estimation", JMLR 2022 (antithetic permutations)
 */
export class PermutationSampler implements Sampler {
  readonly id = 'permutation';

  /** @throws InvalidOptionError for any option (there are none). */
  constructor(options: Partial<PermutationOptions> = {}) {
    resolveOptions('PermutationSampler', DEFAULT_PERMUTATION_OPTIONS, options);
  }

  start(numFeatures: number, budget: number, ctx: RunContext): SamplerSession {
    const M = numFeatures;
    const pairs = Math.max(1, Math.floor((budget - 1) / (2 * Math.max(M, 1))));
    const total = M === 0 ? 1 : permutationRows(M, pairs);
    const state = new Uint8Array(M).fill(1);
    const perm = new Int32Array(M);
    const rng = ctx.rng;
    const drawPermutation = () => {
      for (let j = 0; j < M; j++) perm[j] = j;
      for (let j = M - 1; j > 0; j--) {
        const k = rng.nextInt(j + 1);
        const t = perm[j];
        perm[j] = perm[k];
        perm[k] = t;
      }
    };
    return rowByRowSession({
      total,
      numFeatures: M,
      firstRowIsInstance: true,
      drawRow(row, i) {
        const step = (i - 1) % (2 * M);
        if (step === 0) drawPermutation();
        const j = perm[step % M];
        state[j] = step < M ? 0 : 1;
        row.set(state);
      },
      summary: () => ({ pairs, requested: budget }),
    });
  }
}
