import { resolveOptions, rowByRowSession, type RunContext, type Sampler, type SamplerSession } from '@limekit/core';

/** {@link OnesSampler} has no options. */
export type OnesOptions = Record<string, never>;

/** Defaults of {@link OnesOptions}: none. */
export const DEFAULT_ONES_OPTIONS: Readonly<OnesOptions> = {};

/**
 * `budget` rows of all ones: every segment may show, and a fill that draws its own continuous
 * masks (RISE's `rise` fill) decides what each sample hides. The session does not declare the
 * instance as row 0 (the pipeline scores the unperturbed image in one extra call), since a
 * continuous-mask fill perturbs every row.
 *
 * @remarks Draws no random numbers: the samples' randomness is the fill's, from each row's own
 * stream (`baseline` forked by `sample:i`).
 */
export class OnesSampler implements Sampler {
  readonly id = 'ones';

  /** @throws InvalidOptionError for any option (there are none). */
  constructor(options: Partial<OnesOptions> = {}) {
    resolveOptions('OnesSampler', DEFAULT_ONES_OPTIONS, options);
  }

  start(numFeatures: number, budget: number, _ctx: RunContext): SamplerSession {
    return rowByRowSession({ total: budget, numFeatures, firstRowIsInstance: false, drawRow: (row) => void row.fill(1) });
  }
}
