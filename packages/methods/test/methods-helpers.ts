import { SegmentMeanBaseline } from '@limekit/baselines';
import { createRng, Explainer, type Baseline, type ExplainOptions, type RegressionProblem, type RgbImage, type Sampler, type SampleBlock, type SegmentMap, type Surrogate } from '@limekit/core';
import { GameModel, type Game } from '@limekit/games';
import { UniformKernel } from '@limekit/kernels';
import { syntheticImage } from '@limekit/testing';

/** The rows a sampler draws (seeded as the pipeline seeds it) scored by `f` directly, as a regression problem. */
export function drainProblem(sampler: Sampler, f: (z: Uint8Array) => number, M: number, budget: number, seed = 0, maxRows = 64): RegressionProblem {
  const session = sampler.start(M, budget, { rng: createRng(seed).fork('sampler') });
  const rows: number[] = [], y: number[] = [], w: number[] = [];
  let block: SampleBlock | null;
  while ((block = session.next(maxRows)) !== null) {
    for (let r = 0; r < block.count; r++) {
      const z = block.rows.subarray(r * M, (r + 1) * M);
      rows.push(...z);
      y.push(f(z));
      w.push(block.weights ? block.weights[r] : 1);
    }
  }
  return { X: Float64Array.from(rows), n: y.length, d: M, y: Float64Array.from(y), sampleWeight: Float64Array.from(w) };
}

/** An nRows × nCols grid of equal blocks over a w × h image (w, h multiples of the grid). */
export function blockSegments(width: number, height: number, nRows: number, nCols: number): SegmentMap {
  const labels = new Int32Array(width * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) labels[y * width + x] = Math.floor((y * nRows) / height) * nCols + Math.floor((x * nCols) / width);
  return { width, height, labels, count: nRows * nCols };
}

/**
 * Explains `game` (read back from the pixels by `GameModel`) on a synthetic image cut into a
 * grid of `game.numPlayers` blocks, with the given sampler and estimator, the uniform kernel and
 * the segment-mean fill (or `baseline`). Returns label 0's fit and the model's call count.
 */
export async function explainGame(
  game: Game,
  parts: { sampler: Sampler; surrogate: Surrogate; baseline?: Baseline; grid: [number, number] },
  options: ExplainOptions = {},
): Promise<{ weights: Float64Array; weightStd?: Float64Array; intercept: number; calls: number; numSamples: number; image: RgbImage; segments: SegmentMap }> {
  const [nRows, nCols] = parts.grid;
  const image = syntheticImage(nCols * 6, nRows * 6, 3);
  const segments = blockSegments(image.width, image.height, nRows, nCols);
  const baseline = parts.baseline ?? new SegmentMeanBaseline();
  const fill = await baseline.fill(image, segments, { rng: createRng(0) });
  const model = new GameModel(game, { image, segments, fill });
  const explainer = new Explainer({ segmenter: { id: 'fixed', segment: () => segments }, sampler: parts.sampler, kernel: new UniformKernel(), surrogate: parts.surrogate, baseline, model });
  const exp = await explainer.explain(image, { labels: [0], ...options });
  const l = exp.labels[0];
  return { weights: l.weights, ...(l.weightStd ? { weightStd: l.weightStd } : {}), intercept: l.intercept, calls: model.calls, numSamples: exp.numSamples, image, segments };
}
