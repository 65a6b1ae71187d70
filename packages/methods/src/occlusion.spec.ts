import { createRng, Explainer, NORMALIZATION_PRESETS, writeNormalized, type ModelAdapter, type ModelInputSpec, type RgbImage } from '@limekit/core';
import { ConstantBaseline } from '@limekit/baselines';
import { AdditiveGame, PairwiseGame } from '@limekit/games';
import { UniformKernel } from '@limekit/kernels';
import { GridSegmenter } from '@limekit/segmenter-grid';
import { syntheticImage } from '@limekit/testing';
import { describe, expect, it } from 'vitest';
import { drainProblem, explainGame } from '../test/methods-helpers.js';
import { OcclusionEstimator } from './occlusion-estimator.js';
import { occlusionWindows, OcclusionSampler } from './occlusion-sampler.js';

describe('OcclusionSampler', () => {
  it('draws the instance, then one row per segment with that segment off, whatever the budget and batch size', () => {
    const a = drainProblem(new OcclusionSampler(), () => 0, 5, 1000, 0, 2);
    expect(a.n).toBe(6);
    expect(Array.from(a.X.subarray(0, 5))).toEqual([1, 1, 1, 1, 1]);
    for (let j = 0; j < 5; j++) expect(Array.from(a.X.subarray((j + 1) * 5, (j + 2) * 5))).toEqual([1, 1, 1, 1, 1].map((_, k) => (k === j ? 0 : 1)));
    expect(drainProblem(new OcclusionSampler(), () => 0, 5, 3, 0, 64).X).toEqual(a.X);
  });

  it('slides a window of cells over the grid, row-major, and refuses windows that do not tile it', () => {
    const w = occlusionWindows(12, { windowRows: 2, windowCols: 2, strideRows: 1, strideCols: 2, gridCols: 4 });
    // 3 × 4 grid, windows at rows 0..1, columns 0 and 2.
    expect(w).toEqual([[0, 1, 4, 5], [2, 3, 6, 7], [4, 5, 8, 9], [6, 7, 10, 11]]);
    expect(() => occlusionWindows(12, { windowRows: 2, windowCols: 2, strideRows: 2, strideCols: 1, gridCols: 4 })).toThrow(/OcclusionSampler: windows must tile the grid's rows: \(3 − window 2\) must be a non-negative multiple of the stride 2/);
    expect(() => occlusionWindows(10, { windowRows: 1, windowCols: 1, strideRows: 1, strideCols: 1, gridCols: 4 })).toThrow(/multiple of gridCols, got 10 segments for gridCols 4/);
    expect(() => new OcclusionSampler({ windowRows: 2 }).start(9, 10, { rng: createRng(0) })).toThrow(/gridCols must be set/);
    expect(() => new OcclusionSampler({ strideCols: 0 })).toThrow(/OcclusionSampler: strideCols must be an integer >= 1, got 0/);
  });
});

describe('occlusion: known answers', () => {
  it('is exact on an additive game through the whole pipeline: weights = w, M + 1 model calls', async () => {
    const w = [0.3, -0.2, 0.05, 0.4, -0.1, 0.25];
    const r = await explainGame(new AdditiveGame(w, 0.1), { sampler: new OcclusionSampler(), surrogate: new OcclusionEstimator(), grid: [2, 3] });
    for (let j = 0; j < 6; j++) expect(Math.abs(r.weights[j] - w[j])).toBeLessThan(1e-6); // float32 model outputs
    expect(r.calls).toBe(7);
    expect(Math.abs(r.intercept - 0.1)).toBeLessThan(1e-6);
  });

  it('on a pairwise game gives f(x) − f(x without j): w_j plus every interaction of j', () => {
    const game = new PairwiseGame([1, 2, 3, 4], [{ i: 0, j: 1, weight: 0.5 }, { i: 1, j: 3, weight: -2 }]);
    const fit = new OcclusionEstimator().fit(drainProblem(new OcclusionSampler(), (z) => game.value(z), 4, 10));
    expect(Array.from(fit.coef)).toEqual([1.5, 0.5, 3, 2]);
    expect(fit.coefStd).toBeUndefined();
  });

  it("sliding windows give captum's Occlusion per pixel (mean drop over the windows covering it), averaged per cell", async () => {
    // A non-additive pixel model on a 12 × 16 view: windows of 6 × 8 px moved by 3 × 4 px over a 4 × 4 grid of 3 × 4 px cells.
    const H = 12, W = 16, cellH = 3, cellW = 4, winH = 6, winW = 8;
    const spec: ModelInputSpec = { width: W, height: H, channels: 3, layout: 'NHWC', normalization: NORMALIZATION_PRESETS.unit, resize: 'stretch' };
    const a = Float64Array.from({ length: H * W * 3 }, (_, i) => Math.sin(i * 0.37) * 0.01);
    const score = (x: Float32Array, o: number) => {
      let s = 0;
      for (let i = 0; i < H * W * 3; i++) s += a[i] * x[o + i];
      return Math.tanh(s);
    };
    const model: ModelAdapter = {
      id: 'tanh-linear', input: spec, numClasses: 2,
      predict: async (batch, count) => Float32Array.from({ length: 2 * count }, (_, k) => (k % 2 ? 0 : score(batch, Math.floor(k / 2) * H * W * 3))),
      dispose: async () => undefined,
    };
    const image: RgbImage = syntheticImage(W, H, 5);
    const baseline = new ConstantBaseline({ color: [10, 200, 30] });
    const explainer = new Explainer({
      segmenter: new GridSegmenter({ nRows: H / cellH, nCols: W / cellW }),
      sampler: new OcclusionSampler({ windowRows: winH / cellH, windowCols: winW / cellW, strideRows: 1, strideCols: 1, gridCols: W / cellW }),
      kernel: new UniformKernel(), surrogate: new OcclusionEstimator(), baseline, model,
    });
    const exp = await explainer.explain(image, { labels: [0] });
    // Reference: captum's Occlusion semantics written out in pixels (float32 inputs as the model sees them).
    const x = new Float32Array(H * W * 3), fill = new Float32Array(H * W * 3);
    writeNormalized(image, spec, x);
    writeNormalized(await baseline.fill(image), spec, fill);
    const fx = score(x, 0);
    const total = new Float64Array(H * W), covered = new Float64Array(H * W);
    for (let y0 = 0; y0 + winH <= H; y0 += cellH) {
      for (let x0 = 0; x0 + winW <= W; x0 += cellW) {
        const z = Float32Array.from(x);
        for (let y = y0; y < y0 + winH; y++) for (let xx = x0; xx < x0 + winW; xx++) for (let c = 0; c < 3; c++) z[(y * W + xx) * 3 + c] = fill[(y * W + xx) * 3 + c];
        const drop = fx - Math.fround(score(z, 0));
        for (let y = y0; y < y0 + winH; y++) for (let xx = x0; xx < x0 + winW; xx++) {
          total[y * W + xx] += drop;
          covered[y * W + xx]++;
        }
      }
    }
    const weights = exp.labels[0].weights;
    for (let cell = 0; cell < 16; cell++) {
      const cy = Math.floor(cell / 4) * cellH, cx = (cell % 4) * cellW;
      let mean = 0;
      for (let y = cy; y < cy + cellH; y++) for (let xx = cx; xx < cx + cellW; xx++) mean += total[y * W + xx] / covered[y * W + xx];
      mean /= cellH * cellW;
      expect(Math.abs(weights[cell] - mean)).toBeLessThan(1e-6);
    }
    expect(exp.numSamples).toBe(1 + 9);
  });

  it('says when there is no instance row', () => {
    const problem = { X: Float64Array.from([0, 1, 1, 0]), n: 2, d: 2, y: Float64Array.from([1, 2]), sampleWeight: Float64Array.from([1, 1]) };
    expect(() => new OcclusionEstimator().fit(problem)).toThrow(/OcclusionEstimator: X must contain the all-ones row \(the instance, f\(x\)\), got none among 2 rows\. Use the occlusion sampler/);
  });
});
