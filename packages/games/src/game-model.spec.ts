import { fileURLToPath } from 'node:url';
import { ConstantBaseline, SegmentMeanBaseline } from '@limekit/baselines';
import { Explainer, NORMALIZATION_PRESETS, PerturbationWriter, type RgbImage, type SegmentMap, type Segmenter } from '@limekit/core';
import { loadImage } from '@limekit/image';
import { ExponentialKernel } from '@limekit/kernels';
import { BernoulliSampler } from '@limekit/sampler-bernoulli';
import { SlicSegmenter } from '@limekit/segmenter-slic';
import { RidgeSurrogate } from '@limekit/surrogate-ridge';
import { flatImage, syntheticImage, testContext } from '@limekit/testing';
import { describe, expect, it } from 'vitest';
import { exactLimeTarget, exactShapley } from './exact.js';
import { GameModel } from './game-model.js';
import { AdditiveGame, PairwiseGame, SaturatingGame, type Game } from './games.js';

/** 2 × 3 grid of blocks over a w × h image. */
function gridSegments(width: number, height: number): SegmentMap {
  const labels = new Int32Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) labels[y * width + x] = Math.floor((2 * y) / height) * 3 + Math.floor((3 * x) / width);
  }
  return { width, height, labels, count: 6 };
}

function fixedSegmenter(segments: SegmentMap): Segmenter {
  return { id: 'fixed', segment: () => segments };
}

describe('GameModel reads the visible segments from the pixels', () => {
  const image = syntheticImage(30, 20, 3);
  const segments = gridSegments(30, 20);
  const game = new AdditiveGame([1, 2, 4, 8, 16, 32]);

  for (const layout of ['NCHW', 'NHWC'] as const) {
    for (const [normName, normalization] of Object.entries(NORMALIZATION_PRESETS)) {
      it(`for every mask, ${layout}, ${normName} normalisation, mean and constant fills`, async () => {
        for (const fill of [await new SegmentMeanBaseline().fill(image, segments), await new ConstantBaseline().fill(image)]) {
          const model = new GameModel(game, { image, segments, fill }, { layout, normalization });
          const writer = new PerturbationWriter(image, fill, segments, model.input);
          const rows = new Uint8Array(64 * 6);
          for (let s = 0; s < 64; s++) for (let j = 0; j < 6; j++) rows[s * 6 + j] = (s >>> j) & 1;
          const batch = new Float32Array(64 * writer.imageSize);
          for (let s = 0; s < 64; s++) writer.write(rows, s * 6, batch, s * writer.imageSize);
          const out = await model.predict(batch, 64);
          // Weights are powers of two, so the value is the mask read as a binary number.
          for (let s = 0; s < 64; s++) {
            expect(out[2 * s]).toBe(s);
            expect(out[2 * s + 1]).toBe(1 - s);
          }
          expect(model.calls).toBe(64);
        }
      });
    }
  }

  it('uses the majority rule without a fill, and names a segment the fill cannot hide', async () => {
    const model = new GameModel(game, { image, segments });
    const fill = await new ConstantBaseline({ color: [255, 0, 255] }).fill(image);
    const writer = new PerturbationWriter(image, fill, segments, model.input);
    const batch = new Float32Array(writer.imageSize);
    writer.write(Uint8Array.from([1, 0, 1, 0, 0, 1]), 0, batch, 0);
    expect(Array.from(model.readVisible(batch, 0))).toEqual([1, 0, 1, 0, 0, 1]);
    const flat = flatImage(30, 20, [10, 20, 30]);
    const sameFill = await new SegmentMeanBaseline().fill(flat, segments);
    expect(() => new GameModel(game, { image: flat, segments, fill: sameFill })).toThrow(/fill equals the original on every pixel of segment 0/);
    expect(() => new GameModel(new AdditiveGame([1, 2]), { image, segments })).toThrow(/6 segments but game "additive" has 2 players/);
    expect(() => new GameModel(game, { image, segments }, { visibleFraction: 1 })).toThrow(/visibleFraction must be in \(0, 1\), got 1/);
  });
});

describe('end to end on a demo image', () => {
  const demo = fileURLToPath(new URL('../../../demo/images/star-1.png', import.meta.url));
  const numSamples = 2000;

  /** Halves an image by averaging 2 × 2 blocks, to keep the test fast (160 × 120 from 320 × 240). */
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

  /**
   * lime's pipeline (Bernoulli ½ masks with the instance first, segment-mean fill, exponential
   * cosine kernel of width 0.25, Ridge α = 1) on SLIC segments of a real image.
   */
  async function explainGame(makeGame: (M: number) => Game) {
    const image = halve(await loadImage(demo));
    const segments = await new SlicSegmenter({ nSegments: 16, compactness: 10, sigma: 1 }).segment(image, testContext());
    const fill = await new SegmentMeanBaseline().fill(image, segments);
    const game = makeGame(segments.count);
    const model = new GameModel(game, { image, segments, fill });
    const explainer = new Explainer({
      segmenter: fixedSegmenter(segments),
      baseline: new SegmentMeanBaseline(),
      sampler: new BernoulliSampler(),
      kernel: new ExponentialKernel(),
      surrogate: new RidgeSurrogate({ alpha: 1 }),
      model,
    });
    const explanation = await explainer.explain(image, { numSamples, labels: [0], seed: 3, keepNeighbourhood: true });
    return { segments, game, explanation };
  }

  function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
    let m = 0;
    for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
    return m;
  }

  it('an additive game: every sample is read right, and lime lands on the exact LIME target', async () => {
    const { segments, game, explanation } = await explainGame((M) => new AdditiveGame(Array.from({ length: M }, (_, j) => ((j * 7) % 5) / 10 - 0.2), 0.1));
    const M = segments.count;
    expect(M).toBeGreaterThanOrEqual(8);
    expect(M).toBeLessThanOrEqual(20);
    // The model read every perturbed image's mask back exactly.
    const nb = explanation.neighbourhood!;
    const visible = new Uint8Array(M);
    let worst = 0;
    for (let i = 0; i < nb.n; i++) {
      for (let j = 0; j < M; j++) visible[j] = nb.X[i * M + j];
      worst = Math.max(worst, Math.abs(nb.y[0][i] - game.value(visible)));
    }
    expect(nb.n).toBe(numSamples);
    expect(worst).toBeLessThan(1e-6);
    const target = exactLimeTarget(game, { numSamples });
    const got = explanation.label(0).weights;
    // Measured: max |lime − target| = 1.5e-4 (weights up to 0.2 in size). A linear game is fitted
    // exactly up to Ridge's shrinkage, which the target reproduces for n = 4000.
    // Measured (160 × 120 star-1, SLIC → 13 segments, n = 2000, seed 3): max |lime − target| = 8.9e-5,
    // max |lime − Shapley (= the weights)| = 8.8e-4: a linear game is fitted exactly up to Ridge's
    // shrinkage, which the target reproduces for n = 2000 (α weighs 2^M/n per mask).
    expect(maxAbsDiff(got, target.coef)).toBeLessThan(5e-4);
    expect(maxAbsDiff(got, exactShapley(game))).toBeLessThan(5e-3);
  }, 30_000);

  it('a saturating game: lime lands on the exact LIME target, which differs from Shapley', async () => {
    const { game, explanation } = await explainGame((M) => new SaturatingGame(Array.from({ length: M }, (_, j) => ((j * 5) % 7) / 20 + 0.05), 1));
    const got = explanation.label(0).weights;
    const target = exactLimeTarget(game, { numSamples });
    // Measured (n = 2000, seed 3): max |lime − target| = 8.4e-4; max |target − Shapley| = 0.034.
    expect(maxAbsDiff(got, target.coef)).toBeLessThan(5e-3);
    expect(maxAbsDiff(target.coef, exactShapley(game))).toBeGreaterThan(0.02);
  }, 30_000);

  it('a pairwise game: lime is within Monte-Carlo error of the exact LIME target', async () => {
    const { game, explanation } = await explainGame(
      (M) => new PairwiseGame(Array.from({ length: M }, (_, j) => ((j * 3) % 4) / 10), [{ i: 0, j: 1, weight: 0.6 }, { i: 2, j: 3, weight: -0.4 }]),
    );
    const target = exactLimeTarget(game, { numSamples });
    // Measured (n = 2000, seed 3): max |lime − target| = 0.018 (interactions are noise to a linear fit).
    expect(maxAbsDiff(explanation.label(0).weights, target.coef)).toBeLessThan(0.03);
  }, 30_000);
});
