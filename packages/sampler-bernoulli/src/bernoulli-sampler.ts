import {
  requireOption,
  resolveOptions,
  rowByRowSession,
  type RunContext,
  type Sampler,
  type SamplerSession,
} from '@limekit/core';

/** Options of {@link BernoulliSampler}. */
export interface BernoulliOptions {
  /** Probability that a segment is kept (on) in a sample. lime: 0.5 (`randint(0, 2)`). */
  p: number;
  /** Make the first row the instance itself (all ones), as lime does. Default true. */
  firstRowAllOnes: boolean;
}

/** Defaults of {@link BernoulliOptions}: lime's. */
export const DEFAULT_BERNOULLI_OPTIONS: Readonly<BernoulliOptions> = { p: 0.5, firstRowAllOnes: true };

/**
 * LIME's sampler: every segment is independently kept with probability p; the first row is the
 * instance itself (all ones), so `budget` rows include it, as in lime's `data_labels`.
 *
 * @remarks Each row draws exactly M numbers from the sampler's stream, in row order, so the rows
 * do not depend on the batch size.
 * @see Ribeiro, Singh & Guestrin, "Why Should I Trust You?", KDD 2016, doi:10.1145/2939672.2939778
 */
export class BernoulliSampler implements Sampler {
  readonly id = 'bernoulli';
  readonly options: Readonly<BernoulliOptions>;

  /** @throws InvalidOptionError when p is outside [0, 1] or an option is unknown. */
  constructor(options: Partial<BernoulliOptions> = {}) {
    this.options = resolveOptions('BernoulliSampler', DEFAULT_BERNOULLI_OPTIONS, options);
    const { p } = this.options;
    requireOption(p >= 0 && p <= 1, 'BernoulliSampler', 'p', 'in [0, 1]', p, "It is the keep probability; lime's is 0.5.");
  }

  start(numFeatures: number, budget: number, ctx: RunContext): SamplerSession {
    const { p, firstRowAllOnes } = this.options;
    const rng = ctx.rng;
    // A uint32 threshold keeps the draw exact for p = 0.5 (one bit) and cheap for any p.
    const threshold = p * 4294967296;
    return rowByRowSession({
      total: budget,
      numFeatures,
      firstRowIsInstance: firstRowAllOnes,
      drawRow(row) {
        for (let j = 0; j < numFeatures; j++) row[j] = rng.nextUint32() < threshold ? 1 : 0;
      },
    });
  }
}
