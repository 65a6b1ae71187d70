import {
  InvalidOptionError,
  requireOption,
  resolveOptions,
  rowByRowSession,
  ShapeMismatchError,
  type RunContext,
  type Sampler,
  type SamplerSession,
  type SegmentGeometry,
} from '@limekit/core';
import { cliquesBySize, randomConnectedSet, shuffleInPlace } from './cliques.js';

/** What {@link MpsSampler} does once every clique has been drawn and budget remains. */
export type MpsWhenExhausted = 'stop' | 'connected';

/** Options of {@link MpsSampler}. */
export interface MpsOptions {
  /**
   * Largest clique switched off in one sample (≥ 1). Default 4: when every segment is connected
   * the adjacency graph is planar, so no clique is larger and 4 lists them all (disconnected
   * segments can form larger cliques).
   */
  maxCliqueSize: number;
  /**
   * When the budget exceeds the number of cliques: `'stop'` (default) ends sampling there, as the
   * paper's clique set is the whole sample set (the summary reports how many were drawn);
   * `'connected'` fills the rest of the budget with random connected sets of 1..`maxSetSize`
   * segments (a limekit extension, not in the paper).
   */
  whenExhausted: MpsWhenExhausted;
  /** Largest connected set drawn after the cliques, with `whenExhausted: 'connected'` (≥ 1). Default 8. */
  maxSetSize: number;
  /** Make the first row the instance itself (all ones), as lime does. Default true. */
  firstRowAllOnes: boolean;
}

/** Defaults of {@link MpsOptions}. */
export const DEFAULT_MPS_OPTIONS: Readonly<MpsOptions> = { maxCliqueSize: 4, whenExhausted: 'stop', maxSetSize: 8, firstRowAllOnes: true };

/**
 * MPS-LIME's sampler (Shi, Zhang & Fan, 2020): instead of switching segments off independently,
 * each sample switches off one clique of the superpixel adjacency graph — a single segment, two
 * adjacent segments, three mutually adjacent ones, … — so that a perturbation removes a
 * spatially coherent region, as correlated image features are. The clique set is listed by
 * increasing size (all single segments first, then adjacent pairs, then triangles, …); the order
 * within one size is shuffled with the run's `sampler` stream, so a budget smaller than the
 * clique set takes every smaller clique before any larger one.
 *
 * Needs the segmentation's geometry: the explainer passes it to {@link Sampler.start}.
 *
 * @remarks Row 0 is the instance (all ones) when `firstRowAllOnes`. With the default
 * `whenExhausted: 'stop'` a run draws at most 1 + (number of cliques) rows (≈ 1 + 5M on SLIC
 * segmentations: 476 for scikit-image's 90-segment SLIC of chelsea), whatever the budget; `summary()` says how many. All random draws happen in
 * `start` (the shuffle) or row by row in order (connected sets), so rows do not depend on the
 * batch size.
 * @see Shi, Zhang & Fan, "A Modified Perturbed Sampling Method for Local Interpretable
 *   Model-agnostic Explanation", arXiv:2002.07434 (2020): sampling formalised as "the clique set
 *   construction problem" on the superpixel graph (abstract, Sect. 1). The ordering by clique
 *   size and the budget handling are this package's reading; see its README.
 */
export class MpsSampler implements Sampler {
  readonly id = 'mps';
  readonly options: Readonly<MpsOptions>;

  /** @throws InvalidOptionError for a size below 1, an unknown `whenExhausted` or an unknown option. */
  constructor(options: Partial<MpsOptions> = {}) {
    this.options = resolveOptions('MpsSampler', DEFAULT_MPS_OPTIONS, options);
    const { maxCliqueSize, whenExhausted, maxSetSize } = this.options;
    requireOption(Number.isInteger(maxCliqueSize) && maxCliqueSize >= 1, 'MpsSampler', 'maxCliqueSize', 'an integer >= 1', maxCliqueSize, 'Use 4 to list every clique of a planar adjacency graph.');
    requireOption(whenExhausted === 'stop' || whenExhausted === 'connected', 'MpsSampler', 'whenExhausted', "'stop' or 'connected'", whenExhausted, "'stop' is the paper's behaviour.");
    requireOption(Number.isInteger(maxSetSize) && maxSetSize >= 1, 'MpsSampler', 'maxSetSize', 'an integer >= 1', maxSetSize, 'Use a small size such as 8.');
  }

  /**
   * @param geometry required: the segmentation's adjacency graph (`segmentGeometry(segments)`).
   * @throws InvalidOptionError without a geometry; ShapeMismatchError when it describes another number of segments.
   */
  start(numFeatures: number, budget: number, ctx: RunContext, geometry?: SegmentGeometry): SamplerSession {
    if (!geometry) {
      throw new InvalidOptionError(
        'MpsSampler: geometry must be given to start(), got none. It samples cliques of the segment adjacency graph: run it through the Explainer (which passes it), or pass segmentGeometry(segments) from @limekit/core as the 4th argument.',
      );
    }
    if (geometry.count !== numFeatures) {
      throw new ShapeMismatchError(`MpsSampler: geometry must describe numFeatures = ${numFeatures} segments, got ${geometry.count}. Compute it from the same segment map.`);
    }
    const { maxCliqueSize, whenExhausted, maxSetSize, firstRowAllOnes } = this.options;
    const M = numFeatures;
    const rng = ctx.rng;
    const levels = cliquesBySize(geometry.adjacency, M, maxCliqueSize);
    for (const level of levels) shuffleInPlace(level, rng);
    const cliques = levels.flat();
    const cliqueCounts = levels.map((l) => l.length);
    const total = whenExhausted === 'stop' ? Math.min(budget, cliques.length + (firstRowAllOnes ? 1 : 0)) : budget;
    const setScratch: number[] = [];
    return rowByRowSession({
      total,
      numFeatures: M,
      firstRowIsInstance: firstRowAllOnes,
      drawRow(row, i) {
        row.fill(1);
        const index = i - (firstRowAllOnes ? 1 : 0);
        let off: readonly number[];
        if (index < cliques.length) off = cliques[index];
        else off = randomConnectedSet(geometry.adjacency, M, 1 + rng.nextInt(Math.min(maxSetSize, M)), rng, setScratch);
        for (const j of off) row[j] = 0;
      },
      summary: (produced) => ({ cliques: cliques.length, cliquesBySize: cliqueCounts, exhausted: produced >= cliques.length + (firstRowAllOnes ? 1 : 0) }),
    });
  }
}
