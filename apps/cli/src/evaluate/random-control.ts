import { createRng, PerturbationWriter, type Baseline, type ModelAdapter, type RgbImage, type Segmenter, type SegmentMap } from '@limekit/core';
import type { ResolvedConfig } from '@limekit/lime';
import { computeRowMetrics, type RowExplanation } from './metrics.js';
import type { ResultRow } from './results.js';

/**
 * Name of the random-explanation control configuration that every evaluation adds (Quantus's
 * guidelines: report each metric's chance level). Plans may not use it for their own configs.
 */
export const RANDOM_CONFIG = 'random';

/** The model's probabilities on the unperturbed view (one model call). */
async function predictView(model: ModelAdapter, view: RgbImage, signal?: AbortSignal): Promise<Float32Array> {
  const one: SegmentMap = { width: view.width, height: view.height, labels: new Int32Array(view.width * view.height), count: 1 };
  const writer = new PerturbationWriter(view, view, one, model.input);
  const buf = new Float32Array(writer.imageSize);
  writer.write(Uint8Array.of(1), 0, buf, 0);
  return model.predict(buf, 1, signal ? { signal } : undefined);
}

/**
 * The `random` control row of one (model, image, seed): the segments of the plan's first
 * configuration (its segmenter with the explainer's own stream, so the very same segments), the
 * model's top-1 label, and weights drawn i.i.d. standard normal from the seed's `random-control`
 * stream; then every metric that does not need a surrogate (fidelity and cost metrics are left
 * out: a random explanation has no surrogate and costs nothing).
 */
export async function randomControlRow(input: {
  model: ModelAdapter;
  modelName: string;
  image: string;
  view: RgbImage;
  mask: Uint8Array | undefined;
  reference: ResolvedConfig;
  seed: number;
  wanted: readonly string[];
  signal?: AbortSignal;
}): Promise<ResultRow> {
  const { model, view, reference, seed } = input;
  const s = reference.components.segmenter;
  const segmenter = s.definition.create(s.options ?? {}) as Segmenter;
  const segments = await segmenter.segment(view, { rng: createRng(seed).fork('segmenter'), ...(input.signal ? { signal: input.signal } : {}) });
  const probs = await predictView(model, view, input.signal);
  let index = 0;
  for (let c = 1; c < model.numClasses; c++) if (probs[c] > probs[index]) index = c;
  const rng = createRng(seed).fork('random-control');
  const weights = Float64Array.from({ length: segments.count }, () => rng.nextGaussian());
  const b = reference.components.baseline;
  const baseline = b.definition.create(b.options ?? {}) as Baseline;
  const exp: RowExplanation = { segments, labels: [{ index, weights }] };
  const wanted = input.wanted.filter((m) => !['fidelity-r2', 'fidelity-gap', 'wall-time', 'model-calls', 'samples'].includes(m));
  // Max-sensitivity of the control: every perturbed image gets its own segments and fresh random weights.
  let draw = 0;
  const reexplain = async (img: RgbImage, _label?: number) => {
    const seg = await segmenter.segment(img, { rng: createRng(seed).fork('segmenter') });
    const r = createRng(seed).fork(`random-control-${++draw}`);
    return { segments: seg, weights: Float64Array.from({ length: seg.count }, () => r.nextGaussian()) };
  };
  const { metrics, curves } = await computeRowMetrics({ exp, model, view, mask: input.mask, wanted, seed, batchSize: reference.batchSize, baseline, reexplain });
  const name = model.classNames?.[index];
  return {
    model: input.modelName,
    image: input.image,
    config: RANDOM_CONFIG,
    seed,
    metrics,
    label: { index, ...(name !== undefined ? { name } : {}), probability: probs[index] },
    weights: Array.from(weights),
    numSegments: segments.count,
    ...(curves ? { curves } : {}),
  };
}
