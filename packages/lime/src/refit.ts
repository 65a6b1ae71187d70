import { createRng, fitLabels, type LabelFit, type Neighbourhood } from '@limekit/core';
import type { ResolvedConfig } from './compose.js';

/** One label's refitted surrogate (coefficients for all d segments, 0 for unselected ones). */
export type RefitResult = LabelFit;

/**
 * Refits a saved neighbourhood with another surrogate, similarity kernel or feature selection —
 * no model needed. Uses the resolved config's `surrogate`, `featureSelection` and `numFeatures`,
 * and its `kernel` when `recomputeWeights` is true or the neighbourhood has no weights. Runs
 * core's {@link fitLabels} with the config's seed, so the random streams are those of `explain`.
 */
export function refitNeighbourhood(nb: Neighbourhood, resolved: ResolvedConfig, options: { recomputeWeights?: boolean; numFeatures?: number } = {}): RefitResult[] {
  const { surrogate, kernel, featureSelection } = resolved.components;
  let sampleWeight = nb.sampleWeight;
  if (options.recomputeWeights || !sampleWeight) {
    sampleWeight = new Float64Array(nb.n);
    kernel.instance.weigh({ rows: Uint8Array.from(nb.X), count: nb.n }, nb.d, sampleWeight);
  }
  const featureSelector = featureSelection && featureSelection.definition.id !== 'none' ? featureSelection.instance : undefined;
  return fitLabels(
    { ...nb, sampleWeight },
    {
      surrogate: surrogate.instance,
      ...(featureSelector ? { featureSelector } : {}),
      numFeatures: options.numFeatures ?? resolved.numFeatures ?? nb.d,
      rng: createRng(resolved.seed),
    },
  ) as RefitResult[];
}
