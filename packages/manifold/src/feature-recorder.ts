import { InvalidOptionError, readNormalized, ShapeMismatchError, type Embedding, type ModelAdapter, type ModelInputSpec } from '@limekit/core';
import { imageStatistics, IMAGE_STATISTIC_NAMES, OUTPUT_FEATURE_NAMES, outputFeatures, type ImageStatisticsOptions } from './features.js';

/**
 * One image's embedding as a vector: a feature map (rank 4) is averaged over its spatial
 * dimensions (global average pooling: `[n, C, H, W]` for NCHW models, `[n, H, W, C]` for NHWC),
 * any other tensor is flattened.
 *
 * @param e - the batch's tensor from `ModelAdapter.embed`. @param row - which image.
 * @param layout - the model's input layout, which its feature maps share.
 * @returns C values (pooled) or the row's values.
 */
export function embeddingVector(e: Embedding, row: number, layout: 'NCHW' | 'NHWC'): Float32Array {
  const per = e.values.length / e.shape[0];
  const start = row * per;
  if (e.shape.length !== 4) return e.values.slice(start, start + per);
  const [, a, b, c] = e.shape;
  const [channels, hw] = layout === 'NCHW' ? [a, b * c] : [c, a * b];
  const out = new Float32Array(channels);
  for (let ch = 0; ch < channels; ch++) {
    let s = 0;
    for (let p = 0; p < hw; p++) s += e.values[start + (layout === 'NCHW' ? ch * hw + p : p * channels + ch)];
    out[ch] = s / hw;
  }
  return out;
}

/** What {@link FeatureRecorder} keeps of one scored image: features, never the image. */
export interface RecordedSample {
  /** {@link IMAGE_STATISTIC_NAMES}, then {@link OUTPUT_FEATURE_NAMES} and the C probabilities, then the embedding vector (if any). */
  readonly features: Float32Array;
  /** The model's C class probabilities. */
  readonly probabilities: Float32Array;
  /** The embedding vector (pooled, see {@link embeddingVector}), when an embedding was asked for. */
  readonly embedding?: Float32Array;
  /** FNV-1a hash of the input's float bits: tells an image written twice (the unperturbed instance) apart from other inputs. */
  readonly inputHash: number;
}

/** Options of {@link FeatureRecorder}. */
export interface FeatureRecorderOptions {
  /** Name of the model tensor used as embedding (`ModelAdapter.embed`); none by default. */
  embedding?: string;
  /** Options of the image statistics. */
  imageStatistics?: ImageStatisticsOptions;
}

/** FNV-1a over the 32-bit patterns of a float range. */
export function hashFloats(values: Float32Array, start: number, end: number): number {
  const bits = new Uint32Array(values.buffer, values.byteOffset + start * 4, end - start);
  let h = 0x811c9dc5;
  for (let i = 0; i < bits.length; i++) {
    const v = bits[i];
    h = Math.imul(h ^ (v & 0xff), 0x01000193);
    h = Math.imul(h ^ ((v >>> 8) & 0xff), 0x01000193);
    h = Math.imul(h ^ ((v >>> 16) & 0xff), 0x01000193);
    h = Math.imul(h ^ (v >>> 24), 0x01000193);
  }
  return h >>> 0;
}

/**
 * A model adapter that passes every batch to the model it wraps and keeps, per scored image,
 * the features of the off-manifold detector: cheap image statistics of the image read back from
 * the input buffer, the model's output features and (optionally) an embedding. Give it to an
 * explainer in place of the model, and the explainer's own sampling and perturbation code draws
 * the samples (`limekit manifold` does so, so that the samples are exactly those of `explain`);
 * the images themselves are never kept, so memory grows with features, not with images.
 *
 * @remarks Features are computed while the batch is still being scored (the explainer does not
 * reuse a buffer until `predict` returns). One recorder serves one explanation at a time (the
 * record is in scoring order). The wrapped model is not disposed by {@link dispose}:
 * its owner disposes it.
 */
export class FeatureRecorder implements ModelAdapter {
  readonly id: string;
  readonly input: ModelInputSpec;
  readonly numClasses: number;
  readonly classNames?: readonly string[];
  readonly maxBatchSize?: number;
  readonly info?: Readonly<Record<string, unknown>>;
  private samples: RecordedSample[] = [];
  private readonly rgb: Uint8Array;

  /**
   * @throws InvalidOptionError when an embedding is asked for and the model cannot return one.
   */
  constructor(
    readonly model: ModelAdapter,
    readonly options: FeatureRecorderOptions = {},
  ) {
    this.id = model.id;
    this.input = model.input;
    this.numClasses = model.numClasses;
    if (model.classNames) this.classNames = model.classNames;
    if (model.maxBatchSize !== undefined) this.maxBatchSize = model.maxBatchSize;
    if (model.info) this.info = model.info;
    if (options.embedding !== undefined && typeof model.embed !== 'function') {
      throw new InvalidOptionError(`FeatureRecorder: embedding needs a model that can return intermediate tensors (ONNX or TensorFlow.js), got a "${model.id}" model. Leave out the embedding, or use an ONNX or TensorFlow.js model.`);
    }
    this.rgb = new Uint8Array(model.input.width * model.input.height * 3);
  }

  /** Names of the features, in the order of {@link RecordedSample.features}; the embedding's as `embedding[i]`. */
  featureNames(embeddingSize = 0): string[] {
    const classes = Array.from({ length: this.numClasses }, (_, c) => `p[${this.classNames?.[c] ?? c}]`);
    return [...IMAGE_STATISTIC_NAMES, ...OUTPUT_FEATURE_NAMES, ...classes, ...Array.from({ length: embeddingSize }, (_, i) => `embedding[${i}]`)];
  }

  /** Scores the batch with the wrapped model and records each image's features. */
  async predict(batch: Float32Array, count: number, ctx?: { signal?: AbortSignal }): Promise<Float32Array> {
    const probs = await this.model.predict(batch, count, ctx);
    const emb = this.options.embedding !== undefined ? await this.model.embed!(batch, count, this.options.embedding, ctx) : undefined;
    if (emb && emb.shape[0] !== count) throw new ShapeMismatchError(`FeatureRecorder: the embedding has ${emb.shape[0]} rows for ${count} images. The model adapter's embed must return one row per image.`);
    const { width, height, channels } = this.input;
    const size = width * height * channels;
    const C = this.numClasses;
    for (let r = 0; r < count; r++) {
      readNormalized(batch, r, this.input, this.rgb);
      const stats = imageStatistics(this.rgb, width, height, this.options.imageStatistics);
      const p = probs.slice(r * C, (r + 1) * C);
      const out = outputFeatures(p);
      const e = emb ? embeddingVector(emb, r, this.input.layout) : undefined;
      const features = new Float32Array(stats.length + out.length + (e?.length ?? 0));
      features.set(stats);
      features.set(out, stats.length);
      if (e) features.set(e, stats.length + out.length);
      this.samples.push({ features, probabilities: p, ...(e ? { embedding: e } : {}), inputHash: hashFloats(batch, r * size, (r + 1) * size) });
    }
    return probs;
  }

  /** The samples recorded since the last call, in the order the model scored them; clears the record. */
  take(): RecordedSample[] {
    const out = this.samples;
    this.samples = [];
    return out;
  }

  /** Does nothing: the wrapped model belongs to the caller. */
  async dispose(): Promise<void> {}
}
