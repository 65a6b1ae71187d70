import { readFile, stat } from 'node:fs/promises';
import { extname } from 'node:path';
import { createRng, InvalidOptionError, ModelError, type ModelAdapter, type SegmentMap } from '@limekit/core';
import { loadModel, type LoadModelOptions } from '@limekit/lime';
import { jaccard, pixelRelevance, spearman, ssim, topK } from '@limekit/metrics';
import { randomisableLayers, randomiseInitializers } from '@limekit/model-onnx';
import type { TfjsModelFiles } from '@limekit/model-tfjs';

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
 * for an ONNX or TensorFlow.js Layers model, in memory: layers (ONNX: initializers grouped by the
 * node that reads them; TensorFlow.js: weights grouped by layer, in the topology's order) from the
 * output down; `cascade` randomises layers 1..k at step k (each layer keeps its random values from
 * step to step), `independent` randomises layer k alone. Random values are normal with each
 * tensor's own mean and spread, seeded per layer (`mprt/<k>`). The files are never changed.
 * @param explain explains the same image, for the same label and with the same seed, with a model.
 * @param maxLayers at most this many steps (from the output).
 * @throws InvalidOptionError for a model that is neither `.onnx` nor a TensorFlow.js Layers model.
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
  const source = await randomisable(input.modelPath);
  const layers = source.layers.slice(0, input.maxLayers ?? Infinity);
  const steps: RandomisationStep[] = [];
  let running = source.original;
  for (const [i, layer] of layers.entries()) {
    const rng = createRng(input.seed).fork(`mprt/${i + 1}`);
    const copy = source.randomise(input.mode === 'cascade' ? running : source.original, layer, () => rng.nextGaussian());
    if (input.mode === 'cascade') running = copy;
    if (input.mode === 'cascade' && input.onlyLast && i < layers.length - 1) continue;
    const name = input.mode === 'cascade' ? `layers 1–${i + 1} from the output randomised` : `layer ${i + 1} from the output randomised`;
    const model = await loadModel(input.modelPath, { ...input.loadOptions, ...source.transform(copy, name) });
    try {
      const exp = await input.explain(model);
      const step = { step: i + 1, layer: [...layer], ...compareExplanations(input.reference, exp) };
      steps.push(step);
      input.onStep?.(step, layers.length);
    } finally {
      await model.dispose();
    }
  }
  return steps;
}

/** A model read for randomisation: its layers (weight names, output first) and how to randomise and load a copy. */
interface Randomisable<M> {
  original: M;
  layers: string[][];
  randomise: (model: M, layer: readonly string[], nextGaussian: () => number) => M;
  transform: (model: M, name: string) => Pick<LoadModelOptions, 'transformOnnx' | 'transformTfjs'>;
}

/**
 * Reads an ONNX file or a TensorFlow.js model for {@link parameterRandomisation}.
 * @throws ModelError for a missing or unreadable model; InvalidOptionError naming the model and what
 *   to do when it cannot be randomised.
 */
export async function randomisable(modelPath: string): Promise<Randomisable<unknown>> {
  const ext = extname(modelPath).toLowerCase();
  let isDir: boolean;
  try {
    isDir = (await stat(modelPath)).isDirectory();
  } catch {
    throw new ModelError(`Model file ${modelPath} does not exist or cannot be read. Check the --model path.`);
  }
  if (ext === '.onnx') {
    const bytes = new Uint8Array(await readFile(modelPath));
    const onnxLayers = randomisableLayers(bytes);
    const byName = new Map(onnxLayers.flatMap((l) => l.initializers.map((t) => [t.name, t] as const)));
    const r: Randomisable<Uint8Array> = {
      original: bytes,
      layers: onnxLayers.map((l) => l.initializers.map((t) => t.name)),
      randomise: (m, layer, g) => randomiseInitializers(m, layer.map((n) => byName.get(n)!), g),
      transform: (m, name) => ({ transformOnnx: { apply: () => m, name } }),
    };
    return r as Randomisable<unknown>;
  }
  if (ext === '.json' || isDir) {
    const { readTfjsModel, tfjsRandomisableLayers, randomiseTfjsWeights } = await import('@limekit/model-tfjs');
    const files = await readTfjsModel(modelPath);
    let tfLayers: { weights: readonly string[] }[];
    try {
      tfLayers = tfjsRandomisableLayers(files);
    } catch (err) {
      throw new InvalidOptionError((err as Error).message, { cause: err });
    }
    const r: Randomisable<TfjsModelFiles> = {
      original: files,
      layers: tfLayers.map((l) => [...l.weights]),
      randomise: (m, layer, g) => randomiseTfjsWeights(m, layer, g),
      transform: (m, name) => ({ transformTfjs: { apply: () => m, name } }),
    };
    return r as Randomisable<unknown>;
  }
  throw new InvalidOptionError(`${modelPath}: parameter randomisation works on ONNX (.onnx) and TensorFlow.js Layers models (model.json or its folder) only; ${ext === '.ort' ? 'give the .onnx file the .ort file was made from' : 'convert the model to ONNX'}.`);
}
