import { fileURLToPath } from 'node:url';
import { InvalidOptionError, ModelError } from '@limekit/core';
import { describe, expect, it } from 'vitest';
import { OnnxModelAdapter } from './onnx-model-adapter.js';
import { readModelProto, withGraphOutputs } from './onnx-proto.js';
import { readFile } from 'node:fs/promises';

// The bias lab's CNN (demo/bias-lab/README.md): features.15 is the last MaxPool, [n, 64, 4, 4] at
// a 64×64 input; ReduceMean over H and W gives /ReduceMean_output_0, [n, 64]; Gemm gives logits.
const MODEL = fileURLToPath(new URL('../../../demo/bias-lab/biased.onnx', import.meta.url));
const POOL = '/features/features.15/MaxPool_output_0';
const GAP = '/ReduceMean_output_0';

/** Three different inputs (smooth patterns), 3×64×64 each, NCHW. */
function inputs(): Float32Array {
  const n = 3, hw = 64 * 64;
  const b = new Float32Array(n * 3 * hw);
  for (let i = 0; i < n; i++) for (let c = 0; c < 3; c++) for (let p = 0; p < hw; p++) b[(i * 3 + c) * hw + p] = Math.sin((p % 64) * (0.05 + 0.03 * i) + c) * (1 + i) * 0.8;
  return b;
}

describe('OnnxModelAdapter.embed', () => {
  it('returns graph outputs and intermediate node outputs, consistent with each other and with predict', async () => {
    const model = await OnnxModelAdapter.load(MODEL);
    try {
      const x = inputs();
      const pool = await model.embed(x, 3, POOL);
      expect(pool.shape).toEqual([3, 64, 4, 4]);
      const gap = await model.embed(x, 3, GAP);
      expect(gap.shape).toEqual([3, 64]);
      // GAP is the spatial mean of the pooled map: the two tensors come from one graph.
      let worst = 0;
      for (let i = 0; i < 3; i++) for (let c = 0; c < 64; c++) {
        let s = 0;
        for (let p = 0; p < 16; p++) s += pool.values[(i * 64 + c) * 16 + p];
        worst = Math.max(worst, Math.abs(s / 16 - gap.values[i * 64 + c]));
      }
      expect(worst).toBeLessThan(1e-5);
      // The graph output through embed equals the raw output predictRaw returns.
      const logits = await model.embed(x, 3, 'logits');
      const raw = await model.predictRaw(x, 3);
      expect(logits.shape).toEqual([3, 2]);
      for (let i = 0; i < 6; i++) expect(Math.abs(logits.values[i] - raw.values[i])).toBeLessThan(1e-6);
      // Images are independent: embedding one image alone gives its row of the batch.
      const alone = await model.embed(x.subarray(3 * 64 * 64 * 2), 1, GAP);
      for (let c = 0; c < 64; c++) expect(Math.abs(alone.values[c] - gap.values[2 * 64 + c])).toBeLessThan(1e-5);
    } finally {
      await model.dispose();
    }
  });

  it('names valid tensors when the name is unknown, and refuses after dispose', async () => {
    const model = await OnnxModelAdapter.load(MODEL);
    const x = inputs();
    await expect(model.embed(x, 1, 'features')).rejects.toThrow(InvalidOptionError);
    await expect(model.embed(x, 1, 'features')).rejects.toThrow(/embedding must name a tensor of model .*biased\.onnx, got "features"\. Valid names include: .*"\/ReduceMean_output_0", "logits"/);
    await model.dispose();
    await expect(model.embed(x, 1, GAP)).rejects.toThrow(ModelError);
  });

  it('withGraphOutputs adds outputs and keeps the rest of the model', async () => {
    const bytes = new Uint8Array(await readFile(MODEL));
    const before = readModelProto(bytes);
    const after = readModelProto(withGraphOutputs(bytes, [GAP, POOL]));
    expect(after.outputs.map((o) => o.name)).toEqual(['logits', GAP, POOL]);
    expect(after.nodes).toEqual(before.nodes);
    expect(after.metadata).toEqual(before.metadata);
    expect(after.opset).toBe(before.opset);
  });
});
