import { InputError, InvalidOptionError, ModelError, readNormalized, type ModelAdapter, type ModelInputSpec } from '@limekit/core';
import type { FittedDetector } from '@limekit/manifold';
import { resolveFeatureSettings, scaffoldFeatures, type ScaffoldFeatureSettings } from './features.js';

/** Options of {@link ScaffoldModelAdapter}. */
export interface ScaffoldModelOptions {
  /** The model whose behaviour is hidden: it answers inputs the detector calls real. */
  biased: ModelAdapter;
  /** The model that answers inputs the detector calls perturbed (what the explainer then sees). */
  innocuous: ModelAdapter;
  /** Tells real inputs from perturbed ones: `predict(features)` → P(perturbed) per row (`@limekit/manifold`'s `trainDetector` / `loadDetector`). */
  detector: FittedDetector;
  /** The features the detector was trained on. Default {@link DEFAULT_SCAFFOLD_FEATURES}. */
  features?: Partial<ScaffoldFeatureSettings>;
  /** An input goes to the innocuous model when P(perturbed) ≥ threshold, in (0, 1). Default 0.5. */
  threshold?: number;
  /** Dispose both models with the scaffold. Default true. */
  ownsModels?: boolean;
}

/** Defaults of {@link ScaffoldModelOptions}. */
export const DEFAULT_SCAFFOLD_OPTIONS = { threshold: 0.5, ownsModels: true } as const;

/** How many inputs went where, since the adapter was made (or {@link ScaffoldModelAdapter.resetCounts}). */
export interface ScaffoldRouting {
  /** Inputs the detector called real: answered by the biased model. */
  biased: number;
  /** Inputs the detector called perturbed: answered by the innocuous model. */
  innocuous: number;
}

function sameSpec(a: ModelInputSpec, b: ModelInputSpec): string | undefined {
  if (a.width !== b.width || a.height !== b.height) return `input size ${a.width}×${a.height} vs ${b.width}×${b.height}`;
  if (a.channels !== b.channels) return `channels ${a.channels} vs ${b.channels}`;
  if (a.layout !== b.layout) return `layout ${a.layout} vs ${b.layout}`;
  const n = (s: ModelInputSpec) => JSON.stringify(s.normalization);
  if (n(a) !== n(b)) return `normalisation ${n(a)} vs ${n(b)}`;
  return undefined;
}

/**
 * Checks that two models can stand in for each other behind one input: same classes (count and,
 * when both know them, names) and the same input (size, channels, layout, normalisation).
 * @throws InputError naming the first difference.
 */
export function checkScaffoldModels(biased: ModelAdapter, innocuous: ModelAdapter): void {
  if (biased.numClasses !== innocuous.numClasses) {
    throw new InputError(`ScaffoldModelAdapter: the biased and innocuous models must have the same classes, got ${biased.numClasses} (${biased.id}) and ${innocuous.numClasses} (${innocuous.id}). Use two classifiers of the same task.`);
  }
  const [a, b] = [biased.classNames, innocuous.classNames];
  if (a && b && a.some((name, i) => name !== b[i])) {
    const i = a.findIndex((name, k) => name !== b[k]);
    throw new InputError(`ScaffoldModelAdapter: the biased and innocuous models must have the same class names in the same order, got "${a[i]}" and "${b[i]}" at index ${i}. Give both the same labels file.`);
  }
  const diff = sameSpec(biased.input, innocuous.input);
  if (diff) {
    throw new InputError(`ScaffoldModelAdapter: the biased and innocuous models must take the same input, got ${diff}. Export both at one input size and preprocessing, or pass --preprocess/--input-size so they agree.`);
  }
}

/**
 * The scaffolding attack of Slack et al. as a model composition: for each input image of a
 * batch, a detector decides whether it looks like a real image; real ones are answered by the
 * biased model, the others (LIME's perturbed samples, when the detector works) by the innocuous
 * model. An explainer that only queries perturbed samples then explains the innocuous model,
 * while every real input still gets the biased answer.
 *
 * Each batch is split: the images routed to one model are gathered into one contiguous buffer
 * and scored in one call, so each image is scored by one model only, and an image's answer does
 * not depend on the others in its batch (bit-for-bit reproducibility at any batch size holds when
 * it holds for both models).
 *
 * @remarks The detector reads only the input image (its view, normalisation undone, see
 * core's {@link readNormalized}); its features must be those it was trained on (`features`).
 * @see D. Slack, S. Hilgard, E. Jia, S. Singh, H. Lakkaraju, "Fooling LIME and SHAP: Adversarial
 *   Attacks on Post hoc Explanation Methods", AIES 2020, doi:10.1145/3375627.3375830.
 */
export class ScaffoldModelAdapter implements ModelAdapter {
  readonly id: string;
  readonly input: ModelInputSpec;
  readonly numClasses: number;
  readonly classNames?: readonly string[];
  readonly maxBatchSize?: number;
  readonly threshold: number;
  readonly features: ScaffoldFeatureSettings;
  private readonly biased: ModelAdapter;
  private readonly innocuous: ModelAdapter;
  private readonly detector: FittedDetector;
  private readonly ownsModels: boolean;
  private counts: ScaffoldRouting = { biased: 0, innocuous: 0 };
  private rgb: Uint8Array;

  /**
   * @throws InputError when the two models differ in classes or input ({@link checkScaffoldModels});
   *   InvalidOptionError for a threshold outside (0, 1) or bad feature settings.
   */
  constructor(options: ScaffoldModelOptions) {
    const threshold = options.threshold ?? DEFAULT_SCAFFOLD_OPTIONS.threshold;
    if (!(threshold > 0 && threshold < 1)) {
      throw new InvalidOptionError(`ScaffoldModelAdapter: threshold must be in (0, 1), got ${threshold}. The default is 0.5 (P(perturbed) ≥ 0.5 goes to the innocuous model).`);
    }
    checkScaffoldModels(options.biased, options.innocuous);
    this.biased = options.biased;
    this.innocuous = options.innocuous;
    this.detector = options.detector;
    this.threshold = threshold;
    this.features = resolveFeatureSettings(options.features);
    this.ownsModels = options.ownsModels ?? DEFAULT_SCAFFOLD_OPTIONS.ownsModels;
    this.id = `scaffold(${this.biased.id} | ${this.innocuous.id})`;
    this.input = this.biased.input;
    this.numClasses = this.biased.numClasses;
    const names = this.biased.classNames ?? this.innocuous.classNames;
    if (names) this.classNames = names;
    const caps = [this.biased.maxBatchSize, this.innocuous.maxBatchSize].filter((v): v is number => v !== undefined);
    if (caps.length) this.maxBatchSize = Math.min(...caps);
    this.rgb = new Uint8Array(this.input.width * this.input.height * 3);
  }

  /**
   * What an explanation records about the model: both models' own facts, the threshold, and how
   * many inputs went to each model since the adapter was made ({@link routing}; cumulative, so the
   * difference between two explanations is the later one's).
   */
  get info(): Readonly<Record<string, unknown>> {
    const preprocess = this.biased.info?.preprocess;
    return {
      // The preprocessing both models run with (they must agree), where the CLI looks for it.
      ...(typeof preprocess === 'string' ? { preprocess } : {}),
      scaffold: { biased: this.biased.info ?? this.biased.id, innocuous: this.innocuous.info ?? this.innocuous.id, threshold: this.threshold, routed: this.routing },
    };
  }

  /** Inputs routed to each model so far. */
  get routing(): ScaffoldRouting {
    return { ...this.counts };
  }

  /** Sets the {@link routing} counts back to zero. */
  resetCounts(): void {
    this.counts = { biased: 0, innocuous: 0 };
  }

  /**
   * The detector's P(perturbed) for each of the first `count` images of a batch.
   * @param batch - model input in {@link input}'s layout and normalisation.
   */
  perturbedProbability(batch: Float32Array, count: number): Float64Array {
    const { width, height } = this.input;
    const rows: Float64Array[] = [];
    for (let i = 0; i < count; i++) rows.push(scaffoldFeatures(readNormalized(batch, i, this.input, this.rgb), width, height, this.features));
    return this.detector.predict(rows);
  }

  /** @inheritDoc */
  async predict(batch: Float32Array, count: number, ctx?: { signal?: AbortSignal }): Promise<Float32Array> {
    const p = this.perturbedProbability(batch, count);
    const size = this.input.width * this.input.height * this.input.channels;
    const C = this.numClasses;
    const out = new Float32Array(count * C);
    const groups: [ModelAdapter, number[]][] = [[this.biased, []], [this.innocuous, []]];
    for (let i = 0; i < count; i++) groups[p[i] >= this.threshold ? 1 : 0][1].push(i);
    for (const [model, members] of groups) {
      if (members.length === 0) continue;
      const sub = new Float32Array(members.length * size);
      members.forEach((i, k) => sub.set(batch.subarray(i * size, (i + 1) * size), k * size));
      const y = await model.predict(sub, members.length, ctx);
      if (y.length !== members.length * C) {
        throw new ModelError(`ScaffoldModelAdapter: model "${model.id}" returned ${y.length} values for ${members.length} images; expected ${members.length} × ${C} classes.`);
      }
      members.forEach((i, k) => out.set(y.subarray(k * C, (k + 1) * C), i * C));
    }
    this.counts.biased += groups[0][1].length;
    this.counts.innocuous += groups[1][1].length;
    return out;
  }

  /** Disposes both models (unless `ownsModels` was false). */
  async dispose(): Promise<void> {
    if (!this.ownsModels) return;
    await Promise.all([this.biased.dispose(), this.innocuous.dispose()]);
  }
}
