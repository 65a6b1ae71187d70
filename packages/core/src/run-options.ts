/** Defaults of the run options, as lime's `LimeImageExplainer.explain_instance` has them. */
export const DEFAULT_EXPLAIN_OPTIONS = { numSamples: 1000, batchSize: 64, seed: 0, topLabels: 5 } as const;

/** The integer run options every entry point takes (config files, CLI flags, {@link Explainer.explain}). */
export type RunOptionName = 'numSamples' | 'batchSize' | 'seed' | 'topLabels' | 'numFeatures';

/**
 * The range of each integer run option and the advice an error gives. Config validation, CLI
 * flags and the explainer all check against this one table.
 */
export const RUN_OPTION_LIMITS: Readonly<Record<RunOptionName, { readonly min: number; readonly max?: number; readonly hint: string }>> = {
  numSamples: { min: 2, hint: "A surrogate needs at least 2 samples; lime's default is 1000." },
  batchSize: { min: 1, hint: 'Use a positive batch size such as 32.' },
  seed: { min: 0, max: 0xffffffff, hint: 'Use a 32-bit unsigned integer.' },
  topLabels: { min: 1, hint: 'Explain at least one label (lime explains 5).' },
  numFeatures: { min: 1, hint: 'Fit at least one segment.' },
};

/** Whether `value` is allowed for the run option `name` (see {@link RUN_OPTION_LIMITS}). */
export function isValidRunOption(name: RunOptionName, value: unknown): value is number {
  const { min, max } = RUN_OPTION_LIMITS[name];
  return typeof value === 'number' && Number.isInteger(value) && value >= min && (max === undefined || value <= max);
}

/** The constraint of a run option in words: `an integer >= 2`, `an integer in [0, 4294967295]`. */
export function runOptionConstraint(name: RunOptionName): string {
  const { min, max } = RUN_OPTION_LIMITS[name];
  return max === undefined ? `an integer >= ${min}` : `an integer in [${min}, ${max}]`;
}

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
  /** Bootstrap resampling inside a surrogate, forked from that surrogate's own stream (`ctx.rng.fork(STREAMS.bootstrap)`). */
  bootstrap: 'bootstrap',
} as const;
