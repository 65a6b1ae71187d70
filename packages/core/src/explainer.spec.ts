import { MessageChannel } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { AbortedError, InvalidOptionError, ModelError, ShapeMismatchError } from './errors.js';
import { Explainer } from './explainer.js';
import { neighboursOf, type SegmentGeometry } from './geometry.js';
import type { Sampler } from './components.js';
import { bernoulli, blackFill, gridSegmenter, rectangleModel, redImage, ridge, uniformKernel } from './test-components.test-util.js';

// 16×16 image, 4×4-pixel cells → 16 segments; the evidence rectangle is cell (1, 1) exactly.
const W = 16, H = 16;
const evidence: [number, number, number, number] = [4, 4, 8, 8];
const parts = (model = rectangleModel(W, H, evidence)) => ({
  segmenter: gridSegmenter(4),
  sampler: bernoulli(),
  kernel: uniformKernel,
  surrogate: ridge,
  baseline: blackFill,
  model,
});

describe('Explainer', () => {
  it('warns once when the model output barely varies across the samples, and not otherwise', async () => {
    const flat = rectangleModel(W, H, evidence);
    const steady = { ...flat, predict: async (_b: Float32Array, count: number) => Float32Array.from({ length: 2 * count }, (_, i) => (i % 2 === 0 ? 0.7 + 1e-5 * ((i / 2) % 3) : 0.3)) };
    const warnings: string[] = [];
    await new Explainer(parts(steady)).explain(redImage(W, H), { numSamples: 50, seed: 1, warn: (m) => warnings.push(m) });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/barely varies across the 50 samples \(range < 0\.001\) for evidence \(0\) 0\.7000 to 0\.7000; other \(1\) 0\.3000 to 0\.3000, so their weights are near zero/);
    const none: string[] = [];
    await new Explainer(parts()).explain(redImage(W, H), { numSamples: 50, seed: 1, warn: (m) => none.push(m) });
    expect(none).toEqual([]);
  });

  it("passes the segmentation's geometry to the sampler, computed once from the segment map", async () => {
    const inner = bernoulli();
    const seen: (SegmentGeometry | undefined)[] = [];
    const spy: Sampler = { id: 'spy', start: (M, budget, ctx, geometry) => (seen.push(geometry), inner.start(M, budget, ctx)) };
    await new Explainer({ ...parts(), sampler: spy }).explain(redImage(W, H), { numSamples: 20, seed: 1 });
    expect(seen).toHaveLength(1);
    const g = seen[0]!;
    // 4×4 grid of 4×4-pixel cells: every segment has 16 pixels; segment 5 (row 1, col 1) touches 1, 4, 6, 9.
    expect(g.count).toBe(16);
    expect(Array.from(g.sizes)).toEqual(new Array(16).fill(16));
    expect(Array.from(neighboursOf(g.adjacency, 5))).toEqual([1, 4, 6, 9]);
    expect(Array.from(g.centroids.subarray(10, 12))).toEqual([5.5, 5.5]);
  });

  it('puts the weight on the segment that holds the evidence', async () => {
    const exp = await new Explainer(parts()).explain(redImage(W, H), { numSamples: 200, seed: 3 });
    const top = exp.ranked('evidence')[0];
    expect(top.segment).toBe(5); // row 1, col 1 of a 4×4 grid
    expect(top.weight).toBeGreaterThan(0.99);
    expect(exp.label(0).score).toBeGreaterThan(0.999);
    expect(Math.abs(exp.label(0).localPrediction - 1)).toBeLessThan(1e-6);
    expect(exp.labels.map((l) => l.index)).toEqual([0, 1]); // top labels, most probable first
    expect(exp.label(0).probability).toBe(1);
    expect(exp.numSamples).toBe(200);
  });

  it('is bit-for-bit reproducible from its seed, at any batch size', async () => {
    const run = (batchSize: number, seed = 11) =>
      new Explainer(parts()).explain(redImage(W, H), { numSamples: 150, seed, batchSize });
    const a = await run(64);
    const b = await run(64);
    const c = await run(1);
    const d = await run(7);
    const strip = (e: Awaited<ReturnType<typeof run>>) => JSON.stringify(e.labels.map((l) => [Array.from(l.weights), l.intercept, l.score]));
    expect(strip(b)).toBe(strip(a));
    expect(strip(c)).toBe(strip(a));
    expect(strip(d)).toBe(strip(a));
    expect(strip(await run(64, 12))).not.toBe(strip(a));
    expect(c.modelCalls).toBe(150);
    expect(a.modelCalls).toBe(3);
  });

  it('keeps one input buffer for a model that computes on this thread, two for one that computes off it; same explanation', async () => {
    const strip = (e: Awaited<ReturnType<Explainer['explain']>>) => JSON.stringify(e.labels.map((l) => [Array.from(l.weights), l.intercept, l.score]));
    const run = async (offThread: boolean | undefined) => {
      const inner = rectangleModel(W, H, evidence);
      const buffers = new Set<ArrayBufferLike>();
      let inFlight = 0, maxInFlight = 0;
      const model = {
        ...inner,
        ...(offThread === undefined ? {} : { offThread }),
        async predict(batch: Float32Array, count: number) {
          buffers.add(batch.buffer);
          maxInFlight = Math.max(maxInFlight, ++inFlight);
          await new Promise((r) => setTimeout(r, 1)); // scored "elsewhere": the caller runs meanwhile
          inFlight--;
          return inner.predict(batch, count);
        },
      };
      const exp = await new Explainer(parts(model)).explain(redImage(W, H), { numSamples: 120, seed: 5, batchSize: 16 });
      return { exp, buffers: buffers.size, maxInFlight };
    };
    const here = await run(undefined);
    expect(here.buffers).toBe(1);
    expect(here.maxInFlight).toBe(1);
    expect((await run(false)).buffers).toBe(1);
    const off = await run(true);
    expect(off.buffers).toBe(2);
    expect(off.maxInFlight).toBe(2); // the next batch was written and sent while one was being scored
    expect(strip(off.exp)).toBe(strip(here.exp));
  });

  it("uses predictMoving for its buffers when the model has it, and carries on with the arrays it gives back", async () => {
    const strip = (e: Awaited<ReturnType<Explainer['explain']>>) => JSON.stringify(e.labels.map((l) => [Array.from(l.weights), l.intercept, l.score]));
    const inner = rectangleModel(W, H, evidence);
    let moves = 0;
    const moving = {
      ...inner,
      offThread: true,
      async predictMoving(batch: Float32Array, count: number) {
        moves++;
        // What a worker-thread adapter does: the memory travels and comes back in a new array.
        const { port1, port2 } = new MessageChannel();
        const back = new Promise<ArrayBuffer>((resolve) => port2.once('message', (data: ArrayBuffer) => resolve(data)));
        const { byteOffset, length } = batch;
        port1.postMessage(batch.buffer, [batch.buffer as ArrayBuffer]);
        const buffer = await back;
        port1.close();
        port2.close();
        const again = new Float32Array(buffer, byteOffset, length);
        return { scores: await inner.predict(again, count), batch: again };
      },
    };
    const reference = await new Explainer(parts()).explain(redImage(W, H), { numSamples: 120, seed: 5, batchSize: 16 });
    const exp = await new Explainer(parts(moving)).explain(redImage(W, H), { numSamples: 120, seed: 5, batchSize: 16 });
    expect(moves).toBe(8);
    expect(strip(exp)).toBe(strip(reference));
    const broken = { ...moving, predictMoving: async (batch: Float32Array, count: number) => ({ scores: await inner.predict(batch, count), batch: new Float32Array(3) }) };
    await expect(new Explainer(parts(broken)).explain(redImage(W, H), { numSamples: 120, seed: 5, batchSize: 16 })).rejects.toThrow(/predictMoving must give the batch back as a Float32Array of 12288 floats, got 3/);
  });

  it('respects the model batch limit and NHWC layout', async () => {
    const model = rectangleModel(W, H, evidence, { layout: 'NHWC', maxBatchSize: 1 });
    const exp = await new Explainer(parts(model)).explain(redImage(W, H), { numSamples: 40, batchSize: 32 });
    expect(exp.batchSize).toBe(1);
    expect(model.calls).toBe(40);
    expect(exp.ranked(0)[0].segment).toBe(5);
  });

  it('explains explicit labels in the order given', async () => {
    const exp = await new Explainer(parts()).explain(redImage(W, H), { numSamples: 50, labels: [1] });
    expect(exp.labels.map((l) => l.index)).toEqual([1]);
    expect(exp.label('other').weights[5]).toBeLessThan(-0.99);
    await expect(new Explainer(parts()).explain(redImage(W, H), { labels: [2] })).rejects.toThrow(/label 2 is not a class index of this model \(0..1\)/);
  });

  it('predicts the instance separately when the sampler does not start with it', async () => {
    const model = rectangleModel(W, H, evidence);
    const exp = await new Explainer({ ...parts(model), sampler: bernoulli(false) }).explain(redImage(W, H), { numSamples: 64, batchSize: 64 });
    expect(model.calls).toBe(2);
    expect(exp.modelCalls).toBe(2);
    expect(exp.prediction[0]).toBe(1);
  });

  it('reports progress and keeps the neighbourhood on request', async () => {
    const seen: string[] = [];
    const exp = await new Explainer(parts()).explain(redImage(W, H), {
      numSamples: 100,
      batchSize: 40,
      keepNeighbourhood: true,
      onProgress: (p) => seen.push(`${p.phase}:${p.done}/${p.total}`),
    });
    expect(seen).toEqual(['segment:0/1', 'segment:1/1', 'sample:40/100', 'sample:80/100', 'sample:100/100', 'fit:1/2', 'fit:2/2']);
    const nb = exp.neighbourhood!;
    expect(nb.n).toBe(100);
    expect(nb.X.length).toBe(100 * 16);
    expect(nb.y).toHaveLength(2);
    expect(nb.labels).toEqual([0, 1]);
  });

  it('stops on abort', async () => {
    const ac = new AbortController();
    const run = new Explainer(parts()).explain(redImage(W, H), {
      numSamples: 1000,
      batchSize: 10,
      signal: ac.signal,
      onProgress: (p) => p.phase === 'sample' && p.done >= 30 && ac.abort(),
    });
    await expect(run).rejects.toBeInstanceOf(AbortedError);
  });

  it('names the batch when the model returns NaN', async () => {
    const model = rectangleModel(W, H, evidence, { poison: (call) => call === 2 });
    await expect(new Explainer(parts(model)).explain(redImage(W, H), { numSamples: 100, batchSize: 10 })).rejects.toThrow(
      /non-finite value \(NaN\) for batch 2 \(samples 20..29\), image 0 of the batch, class 1/,
    );
    await expect(new Explainer(parts(rectangleModel(W, H, evidence, { poison: () => true }))).explain(redImage(W, H))).rejects.toBeInstanceOf(ModelError);
  });

  it('rejects bad options and images of the wrong size', async () => {
    const e = new Explainer(parts());
    await expect(e.explain(redImage(W, H), { numSamples: 1 })).rejects.toThrow(/numSamples must be an integer >= 2, got 1/);
    await expect(e.explain(redImage(W, H), { batchSize: 0 })).rejects.toBeInstanceOf(InvalidOptionError);
    await expect(e.explain(redImage(W, H), { seed: -3 })).rejects.toBeInstanceOf(InvalidOptionError);
    await expect(e.explain(redImage(8, 8))).rejects.toBeInstanceOf(ShapeMismatchError);
  });

  it('serialises to JSON with weights per label in segment order', async () => {
    const exp = await new Explainer(parts()).explain(redImage(W, H), { numSamples: 60, seed: 1, config: { preset: 'test' } });
    const json = JSON.parse(JSON.stringify(exp));
    expect(json.numSegments).toBe(16);
    expect(json.labels[0].weights).toHaveLength(16);
    expect(json.labels[0].name).toBe('evidence');
    expect(json.config).toMatchObject({ segmenter: 'test-grid', sampler: 'test-bernoulli', preset: 'test' });
    expect(json.view).toEqual({ width: 16, height: 16 });
  });
});

describe('weightedR2', () => {
  it('is 1 for a perfect fit of a constant target and 0 otherwise, whatever the rounding of its mean', async () => {
    const { weightedR2 } = await import('./regression.js');
    const y = new Float64Array(7).fill(0.1); // 0.1 is not exact in binary: the weighted mean is off by an ulp
    const w = Float64Array.from([0.3, 0.7, 0.11, 0.9, 0.5, 0.13, 0.77]);
    const problem = { X: new Float64Array(7), n: 7, d: 1, y, sampleWeight: w };
    expect(weightedR2(problem, new Float64Array([0]), 0.1)).toBe(1);
    expect(weightedR2(problem, new Float64Array([0]), 0.2)).toBe(0);
  });
});
