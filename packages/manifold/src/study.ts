import { InvalidOptionError, ModelError, writeNormalized, type RgbImage } from '@limekit/core';
import { crossValidateDetector, type DetectorOptions, type FoldResult } from './detector.js';
import type { FeatureRecorder, RecordedSample } from './feature-recorder.js';
import { pcaProjection } from './projection.js';

/** A real image and the perturbed samples an explainer drew around it, as features. */
export interface ImageSamples {
  /** Names the image in reports (its file name). */
  readonly name: string;
  readonly real: RecordedSample;
  readonly perturbed: readonly RecordedSample[];
}

/**
 * Records the features of a real image and of every sample an explanation of it scores: the
 * image is written into the model's layout (core's `writeNormalized`) and scored once through
 * `recorder`, then `explain` runs an explainer whose model is `recorder`, so its samples are
 * drawn, perturbed and scored by the explainer's own code.
 *
 * When the explainer scores the unperturbed image in an extra call (samplers whose first row is
 * not the instance), that input is recognised by its bytes and left out, so that the perturbed
 * samples are exactly the explanation's `numSamples` samples.
 *
 * @param explain - runs the explanation through `recorder`; returns its sample count.
 * @throws ModelError when the explainer scored another number of inputs than it reports.
 */
export async function recordImageSamples(name: string, recorder: FeatureRecorder, image: RgbImage, explain: () => Promise<{ numSamples: number }>): Promise<ImageSamples> {
  const { width, height, channels } = recorder.input;
  const buffer = new Float32Array(width * height * channels);
  writeNormalized(image, recorder.input, buffer);
  recorder.take();
  await recorder.predict(buffer, 1);
  const [real] = recorder.take();
  const { numSamples } = await explain();
  const perturbed = recorder.take();
  if (perturbed.length === numSamples + 1) {
    const instance = perturbed.findIndex((s) => s.inputHash === real.inputHash);
    if (instance >= 0) perturbed.splice(instance, 1);
  }
  if (perturbed.length !== numSamples) {
    throw new ModelError(`recordImageSamples: the explanation of ${name} reports ${numSamples} samples but scored ${perturbed.length} inputs besides the image; the features would not match the samples. Run the explainer with the recorder as its only model.`);
  }
  return { name, real, perturbed };
}

/** Options of {@link studyDetectability}. */
export interface StudyOptions extends Omit<DetectorOptions, 'groups'> {
  /** Project embeddings (true, when every sample has one) or all detector features (false). Default true. */
  projectEmbeddings?: boolean;
}

/** How the model's confidence moves from an image to its perturbed samples. */
export interface ConfidenceShift {
  /** Mean over images of the top class's probability on the real image. */
  readonly real: number;
  /** Mean over images of the mean probability of that same class over the image's perturbed samples. */
  readonly perturbed: number;
  /** `perturbed − real` (negative: the samples make the model less sure of its answer). */
  readonly shift: number;
  /** Share of perturbed samples whose top class differs from the real image's. */
  readonly flipRate: number;
  /** Per image: its top class, the probabilities and the flip rate. */
  readonly perImage: readonly { image: string; label: number; real: number; perturbed: number; flipRate: number }[];
}

/** What {@link studyDetectability} returns for one configuration. */
export interface DetectabilityResult {
  /** Mean held-out AUC of the detector over the folds (0.5: indistinguishable). */
  readonly auc: number;
  readonly aucStd: number;
  /** AUC of all out-of-fold scores together. */
  readonly pooledAuc: number;
  /** Mean held-out accuracy at P(perturbed) ≥ 0.5, and what always answering "perturbed" would score. */
  readonly accuracy: number;
  readonly chanceAccuracy: number;
  /** Mean held-out balanced accuracy (the two classes' recalls averaged; chance 0.5). */
  readonly balancedAccuracy: number;
  readonly folds: readonly FoldResult[];
  readonly images: number;
  readonly perturbedSamples: number;
  /** Share of perturbed samples whose model input is bit for bit their real image (all segments kept). */
  readonly identicalShare: number;
  readonly confidence: ConfidenceShift;
  /** The 2-D PCA picture: what was projected, the variance each axis explains, the points (perturbed points carry their image's index). */
  readonly projection: {
    readonly source: 'embedding' | 'features';
    readonly explainedVariance: readonly number[];
    readonly real: readonly (readonly [number, number])[];
    readonly perturbed: readonly (readonly [number, number, number])[];
  };
  /** The detector's settings (folds, seed, detector kind, …). */
  readonly detector: Record<string, unknown>;
}

function argmax(p: Float32Array): number {
  let best = 0;
  for (let c = 1; c < p.length; c++) if (p[c] > p[best]) best = c;
  return best;
}

const round = (v: number) => Math.round(v * 1e4) / 1e4;

/**
 * Measures how distinguishable one configuration's perturbed samples are from the real images:
 * a detector cross-validated with folds that hold whole images (an image and its samples are
 * never split between training and held-out data), the shift of the model's confidence, and the
 * 2-D PCA projection of real and perturbed embeddings (or of all features without an embedding).
 *
 * @param images - per real image, its features and its samples' (see {@link recordImageSamples}).
 * @param options - the detector's options (folds, seed, detector, …; `balance` defaults to true
 *   here: one real image faces many samples) and `projectEmbeddings`.
 * @throws InvalidOptionError when there are fewer than 2 images per fold (the message says how
 *   many folds would do) or an image has no perturbed samples.
 */
export function studyDetectability(images: readonly ImageSamples[], options: StudyOptions = {}): DetectabilityResult {
  const { projectEmbeddings = true, ...detectorOptions } = options;
  const folds = detectorOptions.folds ?? 5;
  if (!Number.isInteger(folds) || folds < 2) throw new InvalidOptionError(`studyDetectability: folds must be an integer >= 2, got ${folds}. The default is 5.`);
  if (images.length < 2 * folds) {
    const most = Math.floor(images.length / 2);
    throw new InvalidOptionError(
      `studyDetectability: every fold must hold at least 2 images, so ${folds} folds need at least ${2 * folds} images, got ${images.length}. ${most >= 2 ? `Use at most ${most} folds, or more images.` : 'Use at least 4 images (2 folds of 2).'}`,
    );
  }
  const empty = images.find((im) => im.perturbed.length === 0);
  if (empty) throw new InvalidOptionError(`studyDetectability: image ${empty.name} has no perturbed samples; every image needs at least one. Check the configuration's numSamples.`);
  const real = images.map((im) => im.real.features);
  const perturbed = images.flatMap((im) => im.perturbed.map((s) => s.features));
  const groups = Int32Array.from([...images.map((_, i) => i), ...images.flatMap((im, i) => im.perturbed.map(() => i))]);
  const result = crossValidateDetector(real, perturbed, { balance: true, ...detectorOptions, groups });

  let identical = 0, flips = 0;
  const perImage = images.map((im) => {
    const label = argmax(im.real.probabilities);
    let s = 0, f = 0;
    for (const p of im.perturbed) {
      s += p.probabilities[label];
      if (argmax(p.probabilities) !== label) f++;
      if (p.inputHash === im.real.inputHash) identical++;
    }
    flips += f;
    return { image: im.name, label, real: im.real.probabilities[label], perturbed: s / im.perturbed.length, flipRate: f / im.perturbed.length };
  });
  const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
  const confReal = mean(perImage.map((p) => p.real));
  const confPerturbed = mean(perImage.map((p) => p.perturbed));

  const useEmbedding = projectEmbeddings && images.every((im) => im.real.embedding && im.perturbed.every((p) => p.embedding));
  const pick = (s: RecordedSample) => (useEmbedding ? s.embedding! : s.features);
  const projection = pcaProjection(images.map((im) => pick(im.real)), images.flatMap((im) => im.perturbed.map(pick)), { nComponents: 2 });
  const owner = images.flatMap((im, i) => im.perturbed.map(() => i));

  return {
    auc: result.auc,
    aucStd: result.aucStd,
    pooledAuc: result.pooledAuc,
    accuracy: result.accuracy,
    chanceAccuracy: result.chanceAccuracy,
    balancedAccuracy: result.balancedAccuracy,
    folds: result.folds,
    images: images.length,
    perturbedSamples: perturbed.length,
    identicalShare: identical / perturbed.length,
    confidence: { real: confReal, perturbed: confPerturbed, shift: confPerturbed - confReal, flipRate: flips / perturbed.length, perImage },
    projection: {
      source: useEmbedding ? 'embedding' : 'features',
      explainedVariance: projection.explainedVariance,
      real: projection.real.map((p) => [round(p[0]), round(p[1])] as const),
      perturbed: projection.perturbed.map((p, i) => [round(p[0]), round(p[1]), owner[i]] as const),
    },
    detector: { ...result.options, groupedBy: 'image' },
  };
}
