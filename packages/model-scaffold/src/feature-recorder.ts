import { readNormalized, type ModelAdapter, type ModelInputSpec } from '@limekit/core';
import { DEFAULT_SCAFFOLD_FEATURES, scaffoldFeatures, type ScaffoldFeatureSettings } from './features.js';

/**
 * A model adapter that records the detector's features of every input it is asked to score and
 * passes the batch on to another model. Put it where an explainer expects the model and the
 * explainer's own sampling and perturbation code produces the scaffold's training samples: they
 * are then drawn exactly as `explain` draws them (same segmenter, fill, sampler, seed streams).
 *
 * Inputs identical to the current real image ({@link FeatureRecorder.setInstance}; an all-ones
 * mask row, e.g. LIME's first row) are not perturbed samples: they are counted in
 * {@link FeatureRecorder.skipped} and not recorded.
 */
export class FeatureRecorder implements ModelAdapter {
  readonly id: string;
  readonly input: ModelInputSpec;
  readonly numClasses: number;
  readonly classNames?: readonly string[];
  readonly maxBatchSize?: number;
  /** One feature vector per recorded (perturbed) input, in the order they were scored. */
  readonly recorded: Float64Array[] = [];
  /** Inputs equal to the instance, not recorded. */
  skipped = 0;
  private instance: Uint8Array | undefined;
  private readonly rgb: Uint8Array;

  /**
   * @param model - scores the batches (its answers feed adaptive samplers, so pass the model the
   *   scaffold shows on perturbed inputs: the innocuous one).
   * @param features - the detector's features; default {@link DEFAULT_SCAFFOLD_FEATURES}.
   */
  constructor(
    private readonly model: ModelAdapter,
    private readonly features: ScaffoldFeatureSettings = DEFAULT_SCAFFOLD_FEATURES,
  ) {
    this.id = `recorder(${model.id})`;
    this.input = model.input;
    this.numClasses = model.numClasses;
    if (model.classNames) this.classNames = model.classNames;
    if (model.maxBatchSize !== undefined) this.maxBatchSize = model.maxBatchSize;
    this.rgb = new Uint8Array(model.input.width * model.input.height * 3);
  }

  /** The real image being explained (H×W×3 bytes at the model's view): inputs equal to it are skipped. */
  setInstance(rgb: Uint8Array | undefined): void {
    this.instance = rgb;
  }

  /** @inheritDoc */
  async predict(batch: Float32Array, count: number, ctx?: { signal?: AbortSignal }): Promise<Float32Array> {
    const { width, height } = this.input;
    for (let i = 0; i < count; i++) {
      const rgb = readNormalized(batch, i, this.input, this.rgb);
      if (this.instance && equalBytes(rgb, this.instance)) {
        this.skipped++;
        continue;
      }
      this.recorded.push(scaffoldFeatures(rgb, width, height, this.features));
    }
    return this.model.predict(batch, count, ctx);
  }

  /** Does not dispose the wrapped model (its owner does). */
  async dispose(): Promise<void> {}
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
