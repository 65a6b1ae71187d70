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

/**
 * Occlusion (Zeiler & Fergus, ECCV 2014): the instance, then one segment switched off at a time;
 * a segment's attribution is f(x) − f(x without it). Segments and fill as the `lime` preset; the
 * run's numSamples is ignored (M + 1 model calls). Decision 0025.
 */
export const OCCLUSION_PRESET: Preset = {
  name: 'occlusion',
  description: "Occlusion: one segment off at a time, attribution f(x) − f(x without it), on lime's segments",
  reference: "Zeiler & Fergus, ECCV 2014; captum's Occlusion semantics",
  config: {
    segmenter: LIME_PRESET.config.segmenter,
    baseline: { use: 'segment-mean' },
    sampler: { use: 'occlusion' },
    kernel: { use: 'uniform' },
    surrogate: { use: 'occlusion' },
    numSamples: 1000,
    topLabels: 5,
    batchSize: 64,
    seed: 0,
  },
};

/**
 * Sliding-window occlusion as captum's `Occlusion(sliding_window_shapes=(3, 32, 32),
 * strides=(3, 16, 16), baselines=0)` on a 224 × 224 view: a 14 × 14 grid of 16-pixel cells, a
 * window of 2 × 2 cells moved one cell at a time, the fill 0 after ImageNet normalisation (the
 * mean colour). A cell's attribution is the mean drop over the windows covering it.
 */
export const OCCLUSION_WINDOW_PRESET: Preset = {
  name: 'occlusion-window',
  description: "Sliding-window occlusion (captum's Occlusion, 32-px windows, 16-px strides on 224²) on a 14 × 14 grid",
  reference: 'captum 0.7 Occlusion (sliding_window_shapes, strides; attribution averaged over the windows covering a pixel)',
  config: {
    segmenter: { use: 'grid', options: { nRows: 14, nCols: 14 } },
    baseline: { use: 'constant', options: { color: [124, 116, 104] } },
    sampler: { use: 'occlusion', options: { windowRows: 2, windowCols: 2, strideRows: 1, strideCols: 1, gridCols: 14 } },
    kernel: { use: 'uniform' },
    surrogate: { use: 'occlusion' },
    numSamples: 1000,
    topLabels: 5,
    batchSize: 64,
    seed: 0,
  },
};

/**
 * RISE (Petsiuk, Das & Saenko, BMVC 2018, arXiv:1806.07421): N = 4000 random 7 × 7 masks with
 * keep probability 0.5, bilinearly upsampled with a random shift, blended towards the mean colour
 * (the `rise` fill, continuous masks); saliency Σ f(x ⊙ M) M / (N·p), reported per segment of lime's
 * segmentation (mean over its pixels) with its Monte-Carlo standard error. Decision 0025.
 */
export const RISE_PRESET: Preset = {
  name: 'rise',
  description: "RISE: 4000 random upsampled masks (s = 7, p = 0.5), Monte-Carlo saliency per lime segment",
  reference: 'Petsiuk et al., "RISE", BMVC 2018 (s = 7, p = 0.5, N = 4000 for ResNet-50)',
  config: {
    segmenter: LIME_PRESET.config.segmenter,
    baseline: { use: 'rise', options: { gridSize: 7, p: 0.5 } },
    sampler: { use: 'ones' },
    kernel: { use: 'uniform' },
    surrogate: { use: 'rise' },
    numSamples: 4000,
    topLabels: 5,
    batchSize: 64,
    seed: 0,
  },
};

/**
 * Permutation Shapley values with antithetic permutations (shap's `PermutationExplainer`):
 * K = ⌊(numSamples − 1) / 2M⌋ permutation pairs, marginal contributions averaged, with their
 * standard error over the pairs. Segments and fill as the `lime` preset. Decision 0025.
 */
export const PERMUTATION_SHAP_PRESET: Preset = {
  name: 'permutation-shap',
  description: "Permutation Shapley values with antithetic permutations (shap's PermutationExplainer) on lime's segments",
  reference: 'shap 0.4x PermutationExplainer; Štrumbelj & Kononenko, KAIS 2014',
  config: {
    segmenter: LIME_PRESET.config.segmenter,
    baseline: { use: 'segment-mean' },
    sampler: { use: 'permutation' },
    kernel: { use: 'uniform' },
    surrogate: { use: 'permutation-shap' },
    numSamples: 1000,
    topLabels: 5,
    batchSize: 64,
    seed: 0,
  },
};

/**
 * Leverage SHAP (Musco & Witter, ICLR 2025, arXiv:2410.01917): paired coalitions sampled without
 * replacement by leverage score, weighted by kernel / inclusion probability, and the projected
 * constrained least squares. Segments and fill as the `lime` preset. Decision 0025.
 */
export const LEVERAGE_SHAP_PRESET: Preset = {
  name: 'leverage-shap',
  description: "Leverage SHAP: paired leverage-score sampling without replacement, constrained least squares, on lime's segments",
  reference: 'Musco & Witter, "Provably Accurate Shapley Value Estimation via Leverage Score Sampling", ICLR 2025',
  config: {
    segmenter: LIME_PRESET.config.segmenter,
    baseline: { use: 'segment-mean' },
    sampler: { use: 'leverage' },
    kernel: { use: 'uniform' },
    surrogate: { use: 'leverage-shap' },
    numSamples: 1000,
    topLabels: 5,
    batchSize: 64,
    seed: 0,
  },
};

/**
 * Banzhaf values by maximum sample reuse (Wang & Jia, AISTATS 2023, arXiv:2205.15466): uniform
 * masks (Bernoulli ½, no instance row), β_j = mean f with j on − mean f with j off, with its
 * standard error. Segments and fill as the `lime` preset. Decision 0025.
 */
export const BANZHAF_PRESET: Preset = {
  name: 'banzhaf',
  description: "Banzhaf values by maximum sample reuse: uniform masks, mean f with a segment on − off, on lime's segments",
  reference: 'Wang & Jia, "Data Banzhaf", AISTATS 2023 (MSR estimator)',
  config: {
    segmenter: LIME_PRESET.config.segmenter,
    baseline: { use: 'segment-mean' },
    sampler: { use: 'bernoulli', options: { p: 0.5, firstRowAllOnes: false } },
    kernel: { use: 'uniform' },
    surrogate: { use: 'banzhaf' },
    numSamples: 1000,
    topLabels: 5,
    batchSize: 64,
    seed: 0,
  },
};

/** The built-in presets by name. */
export const PRESETS: ReadonlyMap<string, Preset> = new Map(
  [
    LIME_PRESET,
    LIME_SLIC_PRESET,
    KERNELSHAP_PRESET,
    BAYLIME_PRESET,
    GLIME_PRESET,
    MPS_LIME_PRESET,
    OCCLUSION_PRESET,
    OCCLUSION_WINDOW_PRESET,
    RISE_PRESET,
    PERMUTATION_SHAP_PRESET,
    LEVERAGE_SHAP_PRESET,
    BANZHAF_PRESET,
  ].map((p) => [p.name, p]),
);

/**
 * @throws UnknownComponentError naming the known presets.
 */
export function getPreset(name: string): Preset {
  const p = PRESETS.get(name);
  if (!p) throw new UnknownComponentError(`preset: unknown preset "${name}". Known presets: ${[...PRESETS.keys()].join(', ')}.`);
  return p;
}
