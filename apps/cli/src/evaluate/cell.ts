import { InvalidOptionError, type ModelAdapter } from '@limekit/core';
import { loadImage, preprocessToView, renderOverlay, segmentsToOriginal, thumbnailPng } from '@limekit/image';
import { createExperimentContainer, explainerFrom, explainOptionsFrom, type LoadModelOptions, type ResolvedConfig } from '@limekit/lime';
import { computeRowMetrics, loadMaskForView } from './metrics.js';
import type { ResultRow } from './results.js';
import { parameterRandomisation, randomisable } from './sanity.js';

/** One cell of an evaluation: an image, a configuration and a seed, on a loaded model. */
export interface CellInput {
  readonly model: ModelAdapter;
  readonly imagePath: string;
  readonly maskPath?: string;
  readonly config: ResolvedConfig;
  readonly seed: number;
  readonly metrics: readonly string[];
  /** Render the overlay thumbnail of the report's image grid (the plan's first seed). */
  readonly thumbnail: boolean;
  readonly signal?: AbortSignal;
  /**
   * The model's file and load options, for the `mprt` metric (which randomises the ONNX or TensorFlow.js Layers model's
   * weights in memory); absent (a remote model, a worker without the file): `mprt` is not computed.
   */
  readonly modelSource?: { readonly path: string; readonly loadOptions: LoadModelOptions };
}

/**
 * Explains and scores one cell: what a result row holds besides its key (model, image, config,
 * seed). The local loop of `limekit evaluate` and `limekit worker` both call it, so a row is the
 * same wherever it was computed.
 * @throws whatever explaining or scoring throws; the caller turns it into an error row.
 */
export async function computeCell(c: CellInput): Promise<Omit<ResultRow, 'model' | 'image' | 'config' | 'seed'>> {
  const original = await loadImage(c.imagePath);
  const { view, transform } = await preprocessToView(original, c.model.input);
  const mask = c.maskPath ? await loadMaskForView(c.maskPath, transform, c.model.input) : undefined;
  const resolved = c.config;
  const container = createExperimentContainer({ ...resolved, seed: c.seed, topLabels: 1 }, c.model);
  const explainer = explainerFrom(container);
  const exp = await explainer.explain(view, { ...explainOptionsFrom({ ...resolved, seed: c.seed, topLabels: 1 }), ...(c.signal ? { signal: c.signal } : {}) });
  const label = exp.labels[0];
  const baseline = resolved.components.baseline.instance;
  const explainOptions = { ...explainOptionsFrom({ ...resolved, seed: c.seed, topLabels: 1 }), ...(c.signal ? { signal: c.signal } : {}) };
  const reexplain = async (img: typeof view, other?: number) => {
    const e = await explainer.explain(img, { ...explainOptions, labels: [other ?? label.index] });
    return { segments: e.segments, weights: e.labels[0].weights };
  };
  const source = c.modelSource;
  const mprt = source
    ? async () => {
        try {
          await randomisable(source.path);
        } catch (err) {
          // A model without randomisable layers here (a TensorFlow.js Graph model): mprt stays empty, as for a remote model.
          if (err instanceof InvalidOptionError) return NaN;
          throw err;
        }
        const steps = await parameterRandomisation({
          modelPath: source.path,
          loadOptions: source.loadOptions,
          mode: 'cascade',
          onlyLast: true,
          seed: c.seed,
          reference: { segments: exp.segments, weights: label.weights },
          explain: async (m) => {
            const e = await explainerFrom(createExperimentContainer({ ...resolved, seed: c.seed, topLabels: 1 }, m)).explain(view, { ...explainOptions, labels: [label.index] });
            return { segments: e.segments, weights: e.labels[0].weights };
          },
        });
        return steps.length ? steps[steps.length - 1].spearman : NaN;
      }
    : undefined;
  const { metrics, curves } = await computeRowMetrics({ exp, model: c.model, view, mask, wanted: c.metrics, seed: c.seed, batchSize: resolved.batchSize, baseline, reexplain, ...(mprt ? { mprt } : {}) });
  let thumbnail: string | undefined;
  if (c.thumbnail) {
    const seg = segmentsToOriginal(exp.segments, transform, original.width, original.height);
    thumbnail = (await thumbnailPng(renderOverlay(original, seg, label.weights, { numFeatures: 5 }))).toString('base64');
  }
  return {
    metrics,
    label: { index: label.index, ...(label.name !== undefined ? { name: label.name } : {}), probability: label.probability },
    weights: Array.from(label.weights),
    numSegments: exp.segments.count,
    ...(curves ? { curves } : {}),
    timings: exp.timings as unknown as Record<string, number>,
    modelCalls: exp.modelCalls,
    samples: exp.numSamples,
    ...(thumbnail ? { thumbnail } : {}),
  };
}
