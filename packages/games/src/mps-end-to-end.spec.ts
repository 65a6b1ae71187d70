// MPS-LIME through the whole pipeline on a real image: the explainer computes the segmentation's
// geometry, the sampler switches off cliques of its adjacency graph, the game model reads every
// perturbed image back, and on an additive game the weights are the game's own (a known answer).
import { fileURLToPath } from 'node:url';
import { SegmentMeanBaseline } from '@limekit/baselines';
import { areAdjacent, Explainer, segmentGeometry, type RgbImage, type Segmenter } from '@limekit/core';
import { loadImage } from '@limekit/image';
import { ExponentialKernel } from '@limekit/kernels';
import { MpsSampler } from '@limekit/sampler-mps';
import { SlicSegmenter } from '@limekit/segmenter-slic';
import { LinearSurrogate } from '@limekit/surrogate-linear';
import { testContext } from '@limekit/testing';
import { describe, expect, it } from 'vitest';
import { GameModel } from './game-model.js';
import { AdditiveGame } from './games.js';

const demo = fileURLToPath(new URL('../../../demo/images/star-1.png', import.meta.url));

/** Halves an image by averaging 2 × 2 blocks (160 × 120 from 320 × 240), to keep the test fast. */
function halve(img: RgbImage): RgbImage {
  const width = Math.floor(img.width / 2), height = Math.floor(img.height / 2);
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < 3; c++) {
        const at = (yy: number, xx: number) => img.data[(yy * img.width + xx) * 3 + c];
        data[(y * width + x) * 3 + c] = Math.round((at(2 * y, 2 * x) + at(2 * y, 2 * x + 1) + at(2 * y + 1, 2 * x) + at(2 * y + 1, 2 * x + 1)) / 4);
      }
    }
  }
  return { width, height, data };
}

describe('MPS-LIME end to end on a demo image', () => {
  it('switches off only cliques of the real segmentation, and recovers an additive game exactly', async () => {
    const image = halve(await loadImage(demo));
    const segments = await new SlicSegmenter({ nSegments: 16, compactness: 10, sigma: 1 }).segment(image, testContext());
    const segmenter: Segmenter = { id: 'fixed', segment: () => segments };
    const M = segments.count;
    const weights = Array.from({ length: M }, (_, j) => ((j * 7) % 5) / 10 - 0.2);
    const fill = await new SegmentMeanBaseline().fill(image, segments);
    const model = new GameModel(new AdditiveGame(weights, 0.1), { image, segments, fill });
    const explainer = new Explainer({ segmenter, baseline: new SegmentMeanBaseline(), sampler: new MpsSampler(), kernel: new ExponentialKernel(), surrogate: new LinearSurrogate(), model });
    const explanation = await explainer.explain(image, { numSamples: 1000, labels: [0], seed: 5, keepNeighbourhood: true, batchSize: 17 });

    const g = segmentGeometry(segments);
    const nb = explanation.neighbourhood!;
    const summary = explanation.samplerSummary as { samples: number; cliques: number; exhausted: boolean };
    // 'stop': one row per clique plus the instance, fewer than the 1000 asked for.
    expect(summary.exhausted).toBe(true);
    expect(nb.n).toBe(summary.cliques + 1);
    expect(nb.n).toBeLessThan(1000);
    for (let i = 1; i < nb.n; i++) {
      const off: number[] = [];
      for (let j = 0; j < M; j++) if (nb.X[i * M + j] === 0) off.push(j);
      expect(off.length).toBeGreaterThanOrEqual(1);
      for (let a = 0; a < off.length; a++) for (let b = a + 1; b < off.length; b++) expect(areAdjacent(g.adjacency, off[a], off[b])).toBe(true);
    }
    // Every sample is linear in the mask, and every single segment is switched off once: exact.
    const w = explanation.labels[0].weights;
    for (let j = 0; j < M; j++) expect(Math.abs(w[j] - weights[j])).toBeLessThan(1e-6);
    expect(Math.abs(explanation.labels[0].intercept - 0.1)).toBeLessThan(1e-6);
  });
});
