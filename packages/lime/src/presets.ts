import { UnknownComponentError } from '@limekit/core';
import type { ExplainConfig } from './config.js';

/** A named, complete configuration. */
export interface Preset {
  readonly name: string;
  readonly description: string;
  /** Where its values come from. */
  readonly reference: string;
  readonly config: Readonly<ExplainConfig>;
}

/**
 * marcotcr/lime 0.2's `LimeImageExplainer().explain_instance` defaults: quickshift
 * (kernel_size=4, max_dist=200, ratio=0.2), Bernoulli 0.5 with the instance first, cosine
 * distance with kernel width 0.25, Ridge(alpha=1) on all segments, hide_color=None (segment
 * mean), 1000 samples, top 5 labels.
 */
export const LIME_PRESET: Preset = {
  name: 'lime',
  description: "marcotcr/lime's LimeImageExplainer defaults",
  reference: 'lime 0.2.0.1, lime_image.py (LimeImageExplainer.__init__, explain_instance) and lime_base.py',
  config: {
    segmenter: { use: 'quickshift', options: { kernelSize: 4, maxDist: 200, ratio: 0.2 } },
    baseline: { use: 'segment-mean' },
    sampler: { use: 'bernoulli', options: { p: 0.5 } },
    kernel: { use: 'exponential', options: { distance: 'cosine', kernelWidth: 0.25 } },
    surrogate: { use: 'ridge', options: { alpha: 1 } },
    numSamples: 1000,
    topLabels: 5,
    batchSize: 64,
    seed: 0,
  },
};

/** LIME with SLIC superpixels (a common variant in the literature). */
export const LIME_SLIC_PRESET: Preset = {
  name: 'lime-slic',
  description: 'lime, with SLIC superpixels (50 segments) instead of quickshift',
  reference: 'lime preset; scikit-image slic(n_segments=50, compactness=10, sigma=1)',
  config: { ...LIME_PRESET.config, segmenter: { use: 'slic', options: { nSegments: 50, compactness: 10, sigma: 1 } } },
};

/**
 * KernelSHAP (Lundberg & Lee, NeurIPS 2017, arXiv:1705.07874) as a composition of LIME's parts:
 * shap's coalition sampler (which carries the Shapley kernel's weights, so the similarity kernel
 * is uniform) and least squares constrained so that intercept = f(all off) and
 * intercept + Σ weights = f(x). Segments and fill as the `lime` preset.
 */
export const KERNELSHAP_PRESET: Preset = {
  name: 'kernelshap',
  description: "KernelSHAP: shap's coalition sampler and constrained least squares on lime's segments",
  reference: 'shap 0.4x KernelExplainer (Lundberg & Lee 2017); Covert & Lee, AISTATS 2021',
  config: {
    segmenter: LIME_PRESET.config.segmenter,
    baseline: { use: 'segment-mean' },
    sampler: { use: 'kernelshap' },
    kernel: { use: 'uniform' },
    surrogate: { use: 'kernelshap' },
    numSamples: 1000,
    topLabels: 5,
    batchSize: 64,
    seed: 0,
  },
};

/**
 * BayLIME (Zhao et al., UAI 2021, arXiv:2012.03058): lime's sampling and kernel with a Bayesian
 * ridge surrogate whose hyperparameters come from evidence maximisation (BayLIME's
 * non-informative prior); every weight comes with its posterior standard deviation.
 */
export const BAYLIME_PRESET: Preset = {
  name: 'baylime',
  description: 'BayLIME: lime with a Bayesian ridge surrogate (weights with uncertainty)',
  reference: 'Zhao et al., "BayLIME", UAI 2021, non-informative prior mode',
  config: { ...LIME_PRESET.config, surrogate: { use: 'bayesian-ridge', options: { mode: 'evidence' } } },
};

/**
 * GLIME (Tan et al., NeurIPS 2023, arXiv:2311.15722): samples drawn from the proximity
 * distribution itself (GLIME-Binomial, width 0.25 as lime's kernel) with unit weights, so the
 * similarity kernel is uniform; Ridge(α = 1) as lime.
 */
export const GLIME_PRESET: Preset = {
  name: 'glime',
  description: 'GLIME-Binomial: sampling from the proximity distribution with unit weights',
  reference: 'Tan et al., "GLIME", NeurIPS 2023',
  config: { ...LIME_PRESET.config, sampler: { use: 'glime', options: { kernelWidth: 0.25 } }, kernel: { use: 'uniform' } },
};

/**
 * MPS-LIME (Shi, Zhang & Fan, 2020, arXiv:2002.07434): lime with SLIC superpixels whose samples
 * each switch off one clique of adjacent segments (the `mps` sampler, which stops when every
 * clique has been drawn); kernel, fill and Ridge(α = 1) as lime.
 */
export const MPS_LIME_PRESET: Preset = {
  name: 'mps-lime',
  description: 'MPS-LIME: each sample switches off one clique of adjacent SLIC segments',
  reference: 'Shi, Zhang & Fan, "A Modified Perturbed Sampling Method for LIME", arXiv:2002.07434',
  config: { ...LIME_SLIC_PRESET.config, sampler: { use: 'mps', options: { maxCliqueSize: 4, whenExhausted: 'stop' } } },
};

/** The built-in presets by name. */
export const PRESETS: ReadonlyMap<string, Preset> = new Map([LIME_PRESET, LIME_SLIC_PRESET, KERNELSHAP_PRESET, BAYLIME_PRESET, GLIME_PRESET, MPS_LIME_PRESET].map((p) => [p.name, p]));

/**
 * @throws UnknownComponentError naming the known presets.
 */
export function getPreset(name: string): Preset {
  const p = PRESETS.get(name);
  if (!p) throw new UnknownComponentError(`preset: unknown preset "${name}". Known presets: ${[...PRESETS.keys()].join(', ')}.`);
  return p;
}
