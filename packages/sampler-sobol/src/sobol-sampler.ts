import {
  InputError,
  requireOption,
  resolveOptions,
  rowByRowSession,
  type RunContext,
  type Sampler,
  type SamplerSession,
} from '@limekit/core';
import { MAX_SOBOL_DIMENSIONS } from './joe-kuo-directions.js';
import { SobolSequence } from './sobol.js';

/** Options of {@link SobolSampler}. */
export interface SobolOptions {
  /** Probability that a segment is kept: coordinate u < p keeps it. lime's Bernoulli: 0.5. */
  p: number;
  /**
   * Randomise the sequence (random linear scrambling and a digital shift from the run's stream,
   * scipy's default). Without it every seed gives the same rows, and the first Sobol point (0)
   * repeats the instance.
   */
  scramble: boolean;
}

/** Defaults of {@link SobolOptions}. */
export const DEFAULT_SOBOL_OPTIONS: Readonly<SobolOptions> = { p: 0.5, scramble: true };

/**
 * Quasi-random masks: row i ≥ 1 keeps segment j when coordinate j of the (i − 1)-th point of a
 * scrambled M-dimensional Sobol sequence is below p; row 0 is the instance (all ones). The rows
 * have the Bernoulli(p) marginals of lime's sampler but fill {0,1}^M more evenly: each segment's
 * keep-frequency, and the joint frequencies of small groups of segments, are much closer to their
 * expectations than independent draws get (for p = 0.5 every segment is kept in exactly half of
 * the first 2^m rows after the instance).
 *
 * @remarks Direction numbers: Joe & Kuo's `new-joe-kuo-6.21201`, embedded for up to
 * {@link MAX_SOBOL_DIMENSIONS} segments. Scrambling: Matoušek's random linear scrambling plus a
 * random digital shift (scipy's `qmc.Sobol(scramble=True)` scheme). Balance properties hold for
 * the first 2^m points; choose numSamples = 2^m + 1 to get them exactly.
 * @see Sobol', "On the distribution of points in a cube…", USSR Comput. Math. Math. Phys. 7(4), 1967, doi:10.1016/0041-5553(67)90144-9
 * @see Joe & Kuo, SIAM J. Sci. Comput. 30(5), 2008, doi:10.1137/070709359
 */
export class SobolSampler implements Sampler {
  readonly id = 'sobol';
  readonly options: Readonly<SobolOptions>;

  /** @throws InvalidOptionError when p is outside [0, 1] or an option is unknown. */
  constructor(options: Partial<SobolOptions> = {}) {
    this.options = resolveOptions('SobolSampler', DEFAULT_SOBOL_OPTIONS, options);
    const { p } = this.options;
    requireOption(p >= 0 && p <= 1, 'SobolSampler', 'p', 'in [0, 1]', p, "It is the keep probability; lime's is 0.5.");
  }

  /** @throws InputError when M exceeds the embedded direction numbers ({@link MAX_SOBOL_DIMENSIONS}). */
  start(numFeatures: number, budget: number, ctx: RunContext): SamplerSession {
    const M = numFeatures;
    if (M > MAX_SOBOL_DIMENSIONS) {
      throw new InputError(
        `SobolSampler: the number of segments must be <= ${MAX_SOBOL_DIMENSIONS} (the Sobol direction numbers shipped), got ${M}. Use fewer segments or the bernoulli sampler.`,
      );
    }
    const { p, scramble } = this.options;
    const sequence = new SobolSequence(M, scramble ? ctx.rng : undefined);
    // u < p  ⇔  x < p · 2^32, exact for p = 0.5 (the first digit).
    const threshold = p * 4294967296;
    const point = new Uint32Array(M);
    return rowByRowSession({
      total: budget,
      numFeatures: M,
      firstRowIsInstance: true,
      drawRow(row) {
        sequence.next(point);
        for (let j = 0; j < M; j++) row[j] = point[j] < threshold ? 1 : 0;
      },
      summary: () => ({ sobolPoints: sequence.index }),
    });
  }
}
