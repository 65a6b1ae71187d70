import { AbortedError, ModelError, PerturbationWriter, type ModelAdapter } from '@limekit/core';
import { describe, expect, it } from 'vitest';
import { scoreMasks } from './score-masks.js';
import { linearRedModel, solid, strips } from './synthetic.test-util.js';

const W = 6, H = 1;
const segments = strips(W, H, 2); // 3 segments of 2 px
const white = solid(W, H, 255), black = solid(W, H, 0);
// p0 = share of white pixels: each present segment adds 1/3.
const c = new Float64Array(W * H).fill(1 / 6);

describe('scoreMasks', () => {
  it('scores every mask, in order, for any batch size, reusing batch slots', async () => {
    // Masks cycle through all 8 subsets; p0 = (#segments on)/3.
    const masks = Array.from({ length: 8 }, (_, i) => [i & 1, (i >> 1) & 1, (i >> 2) & 1]);
    const expected = masks.map((m) => (m[0] + m[1] + m[2]) / 3);
    for (const batchSize of [1, 3, 8, 100]) {
      const model = linearRedModel(W, H, c);
      const writer = new PerturbationWriter(white, black, segments, model.input);
      const got = await scoreMasks(model, writer, 3, 8, (i, row) => row.set(masks[i]), 0, { batchSize });
      expect(model.calls.reduce((a, b) => a + b, 0)).toBe(8);
      expect(Math.max(...model.calls)).toBe(Math.min(batchSize, 8));
      for (let i = 0; i < 8; i++) expect(Math.abs(got[i] - expected[i])).toBeLessThan(1e-6);
    }
  });

  it('keeps one input buffer for a model on this thread and two for one off it, with the same scores', async () => {
    const masks = Array.from({ length: 8 }, (_, i) => [i & 1, (i >> 1) & 1, (i >> 2) & 1]);
    const results: { buffers: number; maxInFlight: number; got: number[] }[] = [];
    for (const offThread of [false, true]) {
      const inner = linearRedModel(W, H, c);
      const buffers = new Set<ArrayBufferLike>();
      let inFlight = 0, maxInFlight = 0;
      const model: ModelAdapter = {
        ...inner,
        offThread,
        predict: async (batch, n) => {
          buffers.add(batch.buffer);
          maxInFlight = Math.max(maxInFlight, ++inFlight);
          await new Promise((r) => setTimeout(r, 1));
          inFlight--;
          return inner.predict(batch, n);
        },
      };
      const writer = new PerturbationWriter(white, black, segments, model.input);
      const got = await scoreMasks(model, writer, 3, 8, (i, row) => row.set(masks[i]), 0, { batchSize: 2 });
      results.push({ buffers: buffers.size, maxInFlight, got: [...got] });
    }
    expect(results[0]).toMatchObject({ buffers: 1, maxInFlight: 1 });
    expect(results[1]).toMatchObject({ buffers: 2, maxInFlight: 2 });
    expect(results[1].got).toEqual(results[0].got);
  });

  it('reports model failures and wrong output as ModelError, and honours an abort signal', async () => {
    const base = linearRedModel(W, H, c);
    const writer = new PerturbationWriter(white, black, segments, base.input);
    const throwing: ModelAdapter = { ...base, predict: async () => { throw new Error('session closed'); } };
    await expect(scoreMasks(throwing, writer, 3, 4, () => undefined, 0, { batchSize: 2 })).rejects.toThrow(ModelError);
    await expect(scoreMasks(throwing, writer, 3, 4, () => undefined, 0, { batchSize: 2 })).rejects.toThrow(/session closed/);
    const short: ModelAdapter = { ...base, predict: async () => new Float32Array(1) };
    await expect(scoreMasks(short, writer, 3, 2, () => undefined, 0, { batchSize: 2 })).rejects.toThrow(/returned 1 values for a batch of 2 images; expected 2 × 2/);
    const nan: ModelAdapter = { ...base, predict: async (_b, n) => new Float32Array(2 * n).fill(NaN) };
    await expect(scoreMasks(nan, writer, 3, 2, () => undefined, 0, { batchSize: 2 })).rejects.toThrow(/non-finite probability/);
    const controller = new AbortController();
    controller.abort();
    await expect(scoreMasks(base, writer, 3, 2, () => undefined, 0, { batchSize: 2, signal: controller.signal })).rejects.toThrow(AbortedError);
  });
});
