/**
 * Names of the random streams a run forks from its seed (`createRng(seed).fork(name)`). Every
 * stage draws from its own stream, so a result does not depend on the batch size or on how many
 * numbers another stage drew; refitting a saved neighbourhood uses the same names and so gets the
 * same draws as the run that saved it.
 */
export const STREAMS = {
  segmenter: 'segmenter',
  baseline: 'baseline',
  sampler: 'sampler',
  /** The surrogate fitted for one explained label. */
  surrogate: (label: number | string): string => `surrogate:${label}`,
  /** The feature selection run for one explained label. */
  featureSelector: (label: number | string): string => `featureSelector:${label}`,
} as const;
