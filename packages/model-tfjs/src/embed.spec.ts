import { fileURLToPath } from 'node:url';
import { InvalidOptionError } from '@limekit/core';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { TfjsModelAdapter } from './tfjs-model-adapter.js';

// The bias lab's CNN as a Layers model (demo/bias-lab/tfjs/biased, NHWC 64×64): relu4 → pool4
// [n, 4, 4, 64] → gap (GlobalAveragePooling2D) [n, 64] → logits (Dense, 2 units).
const MODEL = fileURLToPath(new URL('../../../demo/bias-lab/tfjs/biased/model.json', import.meta.url));

function inputs(n: number): Float32Array {
  const b = new Float32Array(n * 64 * 64 * 3);
  for (let i = 0; i < b.length; i++) b[i] = Math.sin(i * 0.013 + Math.floor(i / (64 * 64 * 3))) * 0.9;
  return b;
}

describe('TfjsModelAdapter.embed', () => {
  it('returns a layer output through a sub-model, consistent with the next layer and with predict', async () => {
    const model = await TfjsModelAdapter.load(MODEL);
    try {
      const x = inputs(3);
      const tensorsBefore = tf.memory().numTensors;
      const pool = await model.embed(x, 3, 'pool4');
      expect(pool.shape).toEqual([3, 4, 4, 64]);
      const gap = await model.embed(x, 3, 'gap');
      expect(gap.shape).toEqual([3, 64]);
      let worst = 0;
      for (let i = 0; i < 3; i++) for (let c = 0; c < 64; c++) {
        let s = 0;
        for (let p = 0; p < 16; p++) s += pool.values[(i * 16 + p) * 64 + c];
        worst = Math.max(worst, Math.abs(s / 16 - gap.values[i * 64 + c]));
      }
      expect(worst).toBeLessThan(1e-5);
      const logits = await model.embed(x, 3, 'logits');
      const raw = await model.predictRaw(x, 3);
      for (let i = 0; i < 6; i++) expect(Math.abs(logits.values[i] - raw.values[i])).toBeLessThan(1e-5);
      // Every tensor a call makes is disposed (the sub-models share the model's weights).
      expect(tf.memory().numTensors).toBe(tensorsBefore);
    } finally {
      await model.dispose();
    }
  });

  it('names valid layers when the name is unknown', async () => {
    const model = await TfjsModelAdapter.load(MODEL);
    try {
      await expect(model.embed(inputs(1), 1, 'dense_7')).rejects.toThrow(InvalidOptionError);
      await expect(model.embed(inputs(1), 1, 'dense_7')).rejects.toThrow(/embedding must name a tensor of model .*model\.json, got "dense_7"\. Valid names include: .*"gap", "logits"/);
    } finally {
      await model.dispose();
    }
  });
});
