import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createRng } from '@limekit/core';
import { describe, expect, it } from 'vitest';
import { fixture } from '../test/reference.js';
import { OnnxModelAdapter } from './onnx-model-adapter.js';
import { randomisableLayers, randomiseInitializers, readInitializers } from './onnx-proto.js';

// nchw_logits.onnx: Conv(conv.weight [6,3,3,3], conv.bias [6]) → … → Gemm(fc.weight [5,6], fc.bias [5]).
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

describe('model parameter randomisation in memory (Adebayo et al. 2018)', () => {
  it('finds every float initializer, its byte range and its layer, output layer first', async () => {
    const bytes = await readFile(fixture('nchw_logits.onnx'));
    const inits = readInitializers(bytes);
    expect(inits.map((t) => [t.name, t.dims, t.byteLength])).toEqual([
      ['conv.weight', [6, 3, 3, 3], 6 * 27 * 4],
      ['conv.bias', [6], 24],
      ['fc.weight', [5, 6], 120],
      ['fc.bias', [5], 20],
    ]);
    const layers = randomisableLayers(bytes);
    expect(layers.map((l) => l.initializers.map((t) => t.name))).toEqual([['fc.weight', 'fc.bias'], ['conv.weight', 'conv.bias']]);
  });

  it('randomises a copy (seeded, same size and scale), never the input bytes or the file; the copy loads and predicts differently', async () => {
    const path = fixture('nchw_logits.onnx');
    const bytes = await readFile(path);
    const before = sha(bytes);
    const [top] = randomisableLayers(bytes);
    const rng = createRng(7);
    const copy = randomiseInitializers(bytes, top.initializers, () => rng.nextGaussian());
    expect(sha(bytes)).toBe(before);
    expect(sha(await readFile(path))).toBe(before);
    expect(copy.length).toBe(bytes.length);
    const rng2 = createRng(7);
    expect(sha(randomiseInitializers(bytes, top.initializers, () => rng2.nextGaussian()))).toBe(sha(copy)); // seeded
    // Only the fc bytes changed.
    const fc = top.initializers.map((t) => [t.offset, t.offset + t.byteLength]);
    let outside = 0;
    for (let i = 0; i < bytes.length; i++) if (bytes[i] !== copy[i] && !fc.some(([a, b]) => i >= a && i < b)) outside++;
    expect(outside).toBe(0);

    const original = await OnnxModelAdapter.load(path);
    const randomised = await OnnxModelAdapter.fromBytes(copy, `${path} (fc randomised)`);
    try {
      const input = Float32Array.from({ length: 3 * original.input.height * original.input.width }, (_, i) => Math.sin(i / 7));
      const a = await original.predict(input, 1);
      const b = await randomised.predict(input, 1);
      expect(b.length).toBe(a.length);
      expect(Math.max(...a.map((v, i) => Math.abs(v - b[i])))).toBeGreaterThan(1e-3);
      const same = await OnnxModelAdapter.fromBytes(bytes, path);
      const c = await same.predict(input, 1);
      expect(Math.max(...a.map((v, i) => Math.abs(v - c[i])))).toBeLessThan(1e-6); // fromBytes = load
      await same.dispose();
    } finally {
      await original.dispose();
      await randomised.dispose();
    }
  });
});
