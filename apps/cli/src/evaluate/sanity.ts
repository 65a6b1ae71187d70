import { readFile } from 'node:fs/promises';
import { createRng, type ModelAdapter, type SegmentMap } from '@limekit/core';
import { loadModel, type LoadModelOptions } from '@limekit/lime';
import { jaccard, pixelRelevance, spearman, ssim, topK } from '@limekit/metrics';
import { randomisableLayers, randomiseInitializers } from '@limekit/model-onnx';

/** An explanation as the sanity checks compare it: segments and one weight per segment. */
export interface SegmentWeights {
  segments: SegmentMap;
  weights: ArrayLike<number>;
}

/** Similarity of an explanation after randomisation to the original one. */
export interface RandomisationStep {
  /** 1-based: how many layers from the output are randomised (cascade), or which one (independent). */
  step: number;
  /** Initializer names randomised at this step (the layer's weights and bias). */
  layer: string[];
  /** Spearman rank correlation of the segment weights (the segments are the model's input's, hence equal). */
  spearman: number;
  /** SSIM of the pixel maps, each divided by its largest |value| first (Quantus's MPRT default `normalise_by_max`; scikit-image's SSIM, data range of both maps). */
  ssim: number;
  /** Jaccard index of the top-5 segments by |weight|. */
  topK: number;
}

/** The top-k used by {@link compareExplanations}. */
export const SANITY_TOP_K = 5;

/** Spearman of weights, SSIM of pixel maps, top-k overlap of two explanations on the same segments. */
export function compareExplanations(a: SegmentWeights, b: SegmentWeights): Omit<RandomisationStep, 'step' | 'layer'> {
  // Each map divided by its largest |value| (as Quantus's MPRT normalises): a randomised model's
  // weights can be orders of magnitude smaller, and SSIM would only see that.
  const byMax = (m: Float64Array) => {
    const top = m.reduce((x, v) => Math.max(x, Math.abs(v)), 0);
    return top > 0 ? m.map((v) => v / top) : m;
  };
  const pa = byMax(pixelRelevance(a.segments, a.weights)), pb = byMax(pixelRelevance(b.segments, b.weights));
  const k = Math.min(SANITY_TOP_K, a.segments.count, b.segments.count);
  return {
    spearman: a.weights.length === b.weights.length ? spearman(a.weights, b.weights) : NaN,
    ssim: ssim(pa, pb, a.segments.width, a.segments.height, { winSize: Math.min(7, Math.min(a.segments.width, a.segments.height) - ((Math.min(a.segments.width, a.segments.height) + 1) % 2)) }),
    topK: jaccard(topK(a.weights, k), topK(b.weights, k)),
  };
}

/**
 * Model parameter randomisation (Adebayo, Gilmer, Muelly, Goodfellow, Hardt & Kim, NeurIPS 2018)
 * for an ONNX model, in memory: layers (initializers grouped by the node that reads them) from the
 * output down; `cascade` randomises layers 1..k at step k (each layer keeps its random values from
 * step to step), `independent` randomises layer k alone. Random values are normal with each
 * tensor's own mean and spread, seeded per layer (`mprt/<k>`). The file is never changed.
 * @param explain explains the same image, for the same label and with the same seed, with a model.
 * @param maxLayers at most this many steps (from the output).
 */
export async function parameterRandomisation(input: {
  modelPath: string;
  loadOptions: LoadModelOptions;
  mode: 'cascade' | 'independent';
  seed: number;
  reference: SegmentWeights;
  explain: (model: ModelAdapter) => Promise<SegmentWeights>;
  maxLayers?: number;
  /** Cascade only: explain only with every layer randomised (the `mprt` metric), not at each step. */
  onlyLast?: boolean;
  onStep?: (step: RandomisationStep, total: number) => void;
}): Promise<RandomisationStep[]> {
  const bytes = await readFile(input.modelPath);
  const layers = randomisableLayers(bytes).slice(0, input.maxLayers ?? Infinity);
  const steps: RandomisationStep[] = [];
  let running = bytes as Uint8Array;
  for (const [i, layer] of layers.entries()) {
    const rng = createRng(input.seed).fork(`mprt/${i + 1}`);
    const copy = randomiseInitializers(input.mode === 'cascade' ? running : bytes, layer.initializers, () => rng.nextGaussian());
    if (input.mode === 'cascade') running = copy;
    if (input.mode === 'cascade' && input.onlyLast && i < layers.length - 1) continue;
    const name = input.mode === 'cascade' ? `layers 1–${i + 1} from the output randomised` : `layer ${i + 1} from the output randomised`;
    const model = await loadModel(input.modelPath, { ...input.loadOptions, transformOnnx: { apply: () => copy, name } });
    try {
      const exp = await input.explain(model);
      const step = { step: i + 1, layer: layer.initializers.map((t) => t.name), ...compareExplanations(input.reference, exp) };
      steps.push(step);
      input.onStep?.(step, layers.length);
    } finally {
      await model.dispose();
    }
  }
  return steps;
}
