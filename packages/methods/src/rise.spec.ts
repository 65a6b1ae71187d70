import { readFileSync } from 'node:fs';
import { createRng, Explainer, NORMALIZATION_PRESETS, sampleStreamName, STREAMS, writeNormalized, type ModelAdapter, type ModelInputSpec, type Sampler } from '@limekit/core';
import { UniformKernel } from '@limekit/kernels';
import { BernoulliSampler } from '@limekit/sampler-bernoulli';
import { syntheticImage } from '@limekit/testing';
import { describe, expect, it } from 'vitest';
import { OnesSampler } from './ones-sampler.js';
import { blockSegments } from '../test/methods-helpers.js';
import { RiseBaseline } from './rise-baseline.js';
import { RiseEstimator, riseSaliency } from './rise-estimator.js';
import { riseGeometry, riseMask, upsampleWindow } from './rise-mask.js';

interface ResizeCase { s: number; H: number; W: number; dy: number; dx: number; grid: number[]; window: number[] }
// scikit-image 0.19.3 resize(order=1, mode='reflect', anti_aliasing=False), as RISE's generate_masks; see test/fixtures/PROVENANCE.md.
const skimage: { cases: ResizeCase[] } = JSON.parse(readFileSync(new URL('../test/fixtures/rise_resize.json', import.meta.url), 'utf8'));

describe('RISE masks', () => {
  for (const c of skimage.cases) {
    it(`upsample and shifted crop equal scikit-image's resize (s = ${c.s}, ${c.H} × ${c.W}, shift ${c.dy}, ${c.dx}) to 1e-7`, () => {
      const out = new Float32Array(c.H * c.W);
      upsampleWindow(Float64Array.from(c.grid), riseGeometry(c.H, c.W, c.s), c.dy, c.dx, out);
      for (let i = 0; i < out.length; i++) expect(Math.abs(out[i] - c.window[i])).toBeLessThan(1e-7);
    });
  }

  it('are in [0, 1] with mean p over pixels and masks (3000 masks, within 0.01)', () => {
    const g = riseGeometry(20, 24, 5);
    const rng = createRng(2);
    const out = new Float32Array(20 * 24);
    let sum = 0;
    for (let k = 0; k < 3000; k++) {
      riseMask(g, 0.3, rng, out);
      for (const v of out) {
        expect(v >= 0 && v <= 1).toBe(true);
        sum += v;
      }
    }
    expect(Math.abs(sum / (3000 * 20 * 24) - 0.3)).toBeLessThan(0.01);
  });
});

describe('RiseEstimator', () => {
  it('has the known expectation on a linear model of independent segment masks: b + a_k + p Σ_{j≠k} a_j, within 4 standard errors', () => {
    // X_ij ~ Bernoulli(p) independently, y = b + Σ a_j X_ij: E[y X_k] / p = b + a_k + p Σ_{j≠k} a_j.
    const p = 0.3, b = 0.2, a = [0.5, -0.3, 0.1, 0.8], d = 4, n = 20000;
    const rng = createRng(11);
    const X = new Float64Array(n * d), y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      y[i] = b;
      for (let j = 0; j < d; j++) {
        X[i * d + j] = rng.nextFloat() < p ? 1 : 0;
        y[i] += a[j] * X[i * d + j];
      }
    }
    const fit = new RiseEstimator({ p }).fit({ X, n, d, y, sampleWeight: new Float64Array(n).fill(1) });
    const total = a.reduce((s, v) => s + v, 0);
    for (let k = 0; k < d; k++) {
      const expected = b + a[k] + p * (total - a[k]);
      expect(Math.abs(fit.coef[k] - expected)).toBeLessThan(4 * fit.coefStd![k]);
      expect(fit.coefStd![k]).toBeGreaterThan(0);
    }
  });

  it('needs p: from its option or from the fill’s design', () => {
    const problem = { X: Float64Array.from([0.5, 1]), n: 2, d: 1, y: Float64Array.from([1, 2]), sampleWeight: Float64Array.from([1, 1]) };
    expect(() => new RiseEstimator().fit(problem)).toThrow(/RiseEstimator: the masks' keep probability p must be known, got neither option p nor a fill that declares keepProbability/);
    const viaDesign = new RiseEstimator().fit({ ...problem, design: { fill: { keepProbability: 0.5 } } });
    expect(Array.from(viaDesign.coef)).toEqual([(0.5 * 1 + 1 * 2) / 2 / 0.5]);
    expect(Array.from(riseSaliency(problem, 0.25).saliency)).toEqual([(0.5 + 2) / 2 / 0.25]);
  });
});

describe('rise through the pipeline (continuous masks as a sample-dependent fill)', () => {
  const H = 12, W = 18;
  const spec: ModelInputSpec = { width: W, height: H, channels: 3, layout: 'NHWC', normalization: NORMALIZATION_PRESETS.unit, resize: 'stretch' };
  const a = Float64Array.from({ length: H * W * 3 }, (_, i) => (Math.cos(i * 0.21) + 1.2) / (H * W * 3));
  const score = (x: Float32Array, o: number) => {
    let s = 0;
    for (let i = 0; i < H * W * 3; i++) s += a[i] * x[o + i];
    return s;
  };
  const model: ModelAdapter = {
    id: 'linear', input: spec, numClasses: 2,
    predict: async (batch, count) => Float32Array.from({ length: 2 * count }, (_, k) => (k % 2 ? 0 : score(batch, Math.floor(k / 2) * H * W * 3))),
    dispose: async () => undefined,
  };
  const image = syntheticImage(W, H, 4);
  const segments = blockSegments(W, H, 2, 3);
  const explain = (sampler: Sampler, batchSize: number) =>
    new Explainer({ segmenter: { id: 'fixed', segment: () => segments }, sampler, kernel: new UniformKernel(), surrogate: new RiseEstimator(), baseline: new RiseBaseline({ gridSize: 3 }), model }).explain(image, {
      numSamples: 50, labels: [0], batchSize, seed: 3,
    });

  it("equals RISE recomputed by hand from each sample's own stream, and the instance is the unmasked image", async () => {
    const exp = await explain(new OnesSampler(), 8);
    const label = exp.labels[0];
    const x = new Float32Array(H * W * 3);
    writeNormalized(image, spec, x);
    expect(label.probability).toBe(Math.fround(score(x, 0)));
    // By hand: sample i's fill draws from baseline.fork(sample:i); its mask values per segment weight f.
    const fill = new RiseBaseline({ gridSize: 3 }).startSamples(image, segments, { rng: createRng(0) });
    const base = createRng(3).fork(STREAMS.baseline);
    const out = new Uint8Array(H * W * 3), vis = new Float64Array(6), input = new Float32Array(H * W * 3);
    const expected = new Float64Array(6);
    for (let i = 0; i < 50; i++) {
      fill.fillSample(new Uint8Array(6).fill(1), 0, { rng: base.fork(sampleStreamName(i)) }, out, vis);
      writeNormalized({ width: W, height: H, data: out }, spec, input);
      const f = Math.fround(score(input, 0));
      for (let j = 0; j < 6; j++) expected[j] += (f * vis[j]) / (50 * 0.5);
    }
    for (let j = 0; j < 6; j++) expect(Math.abs(label.weights[j] - expected[j])).toBeLessThan(1e-12);
    expect(label.weightStd).toHaveLength(6);
    expect(exp.numSamples).toBe(50);
  });

  it('gives the same explanation at any batch size', async () => {
    const [a1, a2] = [await explain(new OnesSampler(), 1), await explain(new OnesSampler(), 64)];
    expect(Array.from(a2.labels[0].weights)).toEqual(Array.from(a1.labels[0].weights));
  });

  it('refuses a sampler whose row 0 is the instance: the fill masks every row', async () => {
    await expect(explain(new BernoulliSampler(), 8)).rejects.toThrow(/Sampler "bernoulli": its session declares firstRowIsInstance, but the fill applies continuous masks of its own.*Use a sampler that does not draw the instance \(e\.g\. "ones" for RISE\)/);
  });

  it('a switched-off segment is fully masked: visibility 0 and the fill colour', () => {
    const fill = new RiseBaseline({ gridSize: 3, color: [1, 2, 3] }).startSamples(image, segments, { rng: createRng(0) });
    const out = new Uint8Array(H * W * 3), vis = new Float64Array(6);
    fill.fillSample(Uint8Array.from([1, 0, 1, 1, 1, 1]), 0, { rng: createRng(5) }, out, vis);
    expect(vis[1]).toBe(0);
    for (let q = 0; q < H * W; q++) if (segments.labels[q] === 1) expect(Array.from(out.subarray(3 * q, 3 * q + 3))).toEqual([1, 2, 3]);
    expect(vis.every((v) => v >= 0 && v <= 1)).toBe(true);
  });

  it('validates its options', () => {
    expect(() => new RiseBaseline({ p: 1 })).toThrow(/RiseBaseline: p must be in \(0, 1\), got 1\./);
    expect(() => new RiseBaseline({ gridSize: 1 })).toThrow(/RiseBaseline: gridSize must be an integer >= 2, got 1\./);
    expect(() => new RiseBaseline({ color: [0, 0] })).toThrow(/RiseBaseline: color must be three numbers in 0\.\.255/);
  });
});
