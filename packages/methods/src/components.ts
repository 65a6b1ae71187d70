import type { Baseline, ComponentDefinition, Sampler, Surrogate } from '@limekit/core';
import { OnesSampler, DEFAULT_ONES_OPTIONS, type OnesOptions } from './ones-sampler.js';
import { BanzhafEstimator, DEFAULT_BANZHAF_OPTIONS, type BanzhafOptions } from './banzhaf-estimator.js';
import { DEFAULT_LEVERAGE_SHAP_OPTIONS, LeverageShapEstimator, type LeverageShapOptions } from './leverage-estimator.js';
import { DEFAULT_LEVERAGE_OPTIONS, LeverageSampler, type LeverageOptions } from './leverage-sampler.js';
import { DEFAULT_OCCLUSION_ESTIMATOR_OPTIONS, OcclusionEstimator, type OcclusionEstimatorOptions } from './occlusion-estimator.js';
import { DEFAULT_OCCLUSION_OPTIONS, OcclusionSampler, type OcclusionOptions } from './occlusion-sampler.js';
import { DEFAULT_PERMUTATION_SHAP_OPTIONS, PermutationShapEstimator, type PermutationShapOptions } from './permutation-estimator.js';
import { DEFAULT_PERMUTATION_OPTIONS, PermutationSampler, type PermutationOptions } from './permutation-sampler.js';
import { DEFAULT_RISE_OPTIONS, RiseBaseline, type RiseOptions } from './rise-baseline.js';
import { DEFAULT_RISE_ESTIMATOR_OPTIONS, RiseEstimator, type RiseEstimatorOptions } from './rise-estimator.js';

/** `{ "use": "occlusion" }` sampler: the instance, then one row per segment (or window) switched off. */
export const occlusionSamplerComponent: ComponentDefinition<Sampler, OcclusionOptions> = {
  kind: 'sampler',
  id: 'occlusion',
  description: 'Occlusion: one segment (or one sliding window of grid cells) off at a time',
  defaults: DEFAULT_OCCLUSION_OPTIONS,
  create: (options) => new OcclusionSampler(options),
};

/** `{ "use": "occlusion" }` surrogate: mean drop f(x) − f(z) over the rows that switch a segment off. */
export const occlusionEstimatorComponent: ComponentDefinition<Surrogate, OcclusionEstimatorOptions> = {
  kind: 'surrogate',
  id: 'occlusion',
  description: "Occlusion's attribution: f(x) − f(x with the segment off), averaged over the windows covering it (captum's Occlusion)",
  defaults: DEFAULT_OCCLUSION_ESTIMATOR_OPTIONS,
  create: (options) => new OcclusionEstimator(options),
};

/** `{ "use": "ones" }` sampler: rows of all ones for fills that draw their own masks (RISE). */
export const onesSamplerComponent: ComponentDefinition<Sampler, OnesOptions> = {
  kind: 'sampler',
  id: 'ones',
  description: 'Rows of all ones: the fill draws the masks (RISE)',
  defaults: DEFAULT_ONES_OPTIONS,
  create: (options) => new OnesSampler(options),
};

/** `{ "use": "rise" }` baseline: RISE's random upsampled masks, a continuous-mask fill. */
export const riseBaselineComponent: ComponentDefinition<Baseline, RiseOptions> = {
  kind: 'baseline',
  id: 'rise',
  description: "RISE's masks: random s × s grids, bilinearly upsampled with a random shift, blended towards a colour (continuous masks)",
  defaults: DEFAULT_RISE_OPTIONS,
  create: (options) => new RiseBaseline(options),
};

/** `{ "use": "rise" }` surrogate: RISE's Monte-Carlo saliency per segment. */
export const riseEstimatorComponent: ComponentDefinition<Surrogate, RiseEstimatorOptions> = {
  kind: 'surrogate',
  id: 'rise',
  description: "RISE's saliency Σ f(x ⊙ M) M / (N·p), averaged over each segment, with its Monte-Carlo error",
  defaults: DEFAULT_RISE_ESTIMATOR_OPTIONS,
  create: (options) => new RiseEstimator(options),
};

/** `{ "use": "permutation" }` sampler: rows along antithetic permutations. */
export const permutationSamplerComponent: ComponentDefinition<Sampler, PermutationOptions> = {
  kind: 'sampler',
  id: 'permutation',
  description: "Rows along antithetic permutations, one segment flipped per row (shap's PermutationExplainer)",
  defaults: DEFAULT_PERMUTATION_OPTIONS,
  create: (options) => new PermutationSampler(options),
};

/** `{ "use": "permutation-shap" }` surrogate: mean marginal contributions along the permutations. */
export const permutationShapEstimatorComponent: ComponentDefinition<Surrogate, PermutationShapOptions> = {
  kind: 'surrogate',
  id: 'permutation-shap',
  description: 'Permutation Shapley values: marginal contributions averaged over antithetic pairs, with their standard error',
  defaults: DEFAULT_PERMUTATION_SHAP_OPTIONS,
  create: (options) => new PermutationShapEstimator(options),
};

/** `{ "use": "leverage" }` sampler: Leverage SHAP's paired sampling without replacement. */
export const leverageSamplerComponent: ComponentDefinition<Sampler, LeverageOptions> = {
  kind: 'sampler',
  id: 'leverage',
  description: "Leverage SHAP's coalitions: paired, without replacement, by leverage score (uniform over sizes)",
  defaults: DEFAULT_LEVERAGE_OPTIONS,
  create: (options) => new LeverageSampler(options),
};

/** `{ "use": "leverage-shap" }` surrogate: Leverage SHAP's projected constrained least squares. */
export const leverageShapEstimatorComponent: ComponentDefinition<Surrogate, LeverageShapOptions> = {
  kind: 'surrogate',
  id: 'leverage-shap',
  description: "Leverage SHAP's constrained least squares (projected form): Σφ = f(x) − f(∅)",
  defaults: DEFAULT_LEVERAGE_SHAP_OPTIONS,
  create: (options) => new LeverageShapEstimator(options),
};

/** `{ "use": "banzhaf" }` surrogate: Banzhaf values by maximum sample reuse. */
export const banzhafEstimatorComponent: ComponentDefinition<Surrogate, BanzhafOptions> = {
  kind: 'surrogate',
  id: 'banzhaf',
  description: 'Banzhaf values by maximum sample reuse (mean f with the segment on − off), with their standard error',
  defaults: DEFAULT_BANZHAF_OPTIONS,
  create: (options) => new BanzhafEstimator(options),
};

/** Every component of this package, for the composition root's registry. */
export const methodComponents = [
  occlusionSamplerComponent,
  occlusionEstimatorComponent,
  onesSamplerComponent,
  riseBaselineComponent,
  riseEstimatorComponent,
  permutationSamplerComponent,
  permutationShapEstimatorComponent,
  leverageSamplerComponent,
  leverageShapEstimatorComponent,
  banzhafEstimatorComponent,
] as const;
