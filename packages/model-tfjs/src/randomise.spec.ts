import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRng, ModelError } from '@limekit/core';
import { describe, expect, it } from 'vitest';
import { fixture } from '../test/fixtures.js';
import { readTfjsModel } from './model-files.js';
import { randomiseTfjsWeights, tfjsRandomisableLayers } from './randomise.js';
import { TfjsModelAdapter } from './tfjs-model-adapter.js';

// The demo model (demo/model/tfjs, a Keras Sequential: conv1 bn1 … conv4 bn4 logits).
const DEMO = resolve(fileURLToPath(new URL('../../../demo/model/tfjs', import.meta.url)));
const sha = async (p: string) => createHash('sha256').update(await readFile(p)).digest('hex');
const bytesSha = (b: ArrayBuffer) => createHash('sha256').update(new Uint8Array(b)).digest('hex');

describe('model parameter randomisation of a TensorFlow.js Layers model, in memory (Adebayo et al. 2018)', () => {
  it('groups the weights by layer, from the output layer down in the topology order, without the batch-norm statistics', async () => {
    const layers = tfjsRandomisableLayers(await readTfjsModel(DEMO));
    expect(layers.map((l) => l.layer)).toEqual(['logits', 'bn4', 'conv4', 'bn3', 'conv3', 'bn2', 'conv2', 'bn1', 'conv1']);
    expect(layers[0].weights).toEqual(['logits/kernel', 'logits/bias']);
    expect(layers[1].weights).toEqual(['bn4/gamma', 'bn4/beta']);
    expect(layers[2].weights).toEqual(['conv4/kernel']);
  });

  it('randomises a seeded copy (same outputs twice, different from the original) and never the files or the input', async () => {
    const shards = [join(DEMO, 'model.json'), join(DEMO, 'group1-shard1of1.bin')];
    const before = await Promise.all(shards.map(sha));
    const files = await readTfjsModel(DEMO);
    const originalWeights = bytesSha(files.artifacts.weightData as ArrayBuffer);
    const names = tfjsRandomisableLayers(files).slice(0, 3).flatMap((l) => l.weights);
    const draw = (seed: number) => {
      const rng = createRng(seed);
      return randomiseTfjsWeights(files, names, () => rng.nextGaussian());
    };
    const a = draw(5), b = draw(5), c = draw(6);
    expect(bytesSha(a.artifacts.weightData as ArrayBuffer)).toBe(bytesSha(b.artifacts.weightData as ArrayBuffer));
    expect(bytesSha(a.artifacts.weightData as ArrayBuffer)).not.toBe(bytesSha(c.artifacts.weightData as ArrayBuffer));
    expect(bytesSha(files.artifacts.weightData as ArrayBuffer)).toBe(originalWeights); // the input is not modified
    // Same scale: the randomised logits kernel keeps the original's mean and spread (within sampling error).
    const stats = (f: typeof files) => {
      const spec = f.artifacts.weightSpecs!;
      let offset = 0;
      for (const s of spec) {
        const n = s.shape.reduce((x, y) => x * y, 1);
        if (s.name === 'logits/kernel') {
          const v = new Float32Array((f.artifacts.weightData as ArrayBuffer).slice(offset, offset + 4 * n));
          const m = v.reduce((x, y) => x + y, 0) / n;
          return { m, sd: Math.sqrt(v.reduce((x, y) => x + (y - m) ** 2, 0) / n), n };
        }
        offset += 4 * n;
      }
      throw new Error('no logits/kernel');
    };
    const o = stats(files), r = stats(a);
    expect(Math.abs(r.sd / o.sd - 1)).toBeLessThan(0.2);
    expect(Math.abs(r.m - o.m)).toBeLessThan((4 * o.sd) / Math.sqrt(o.n));

    // One after the other: the backend starts with the first.
    const models = [await TfjsModelAdapter.load(DEMO, { backend: 'wasm' })];
    models.push(await TfjsModelAdapter.fromFiles(a, { backend: 'wasm' }), await TfjsModelAdapter.fromFiles(b, { backend: 'wasm' }));
    try {
      const [orig, ra, rb] = models;
      const input = Float32Array.from({ length: 3 * orig.input.width * orig.input.height }, (_, i) => 0.5 + 0.5 * Math.sin(i / 11));
      const [po, pa, pb] = await Promise.all([orig.predict(input, 1), ra.predict(input, 1), rb.predict(input, 1)]);
      let same = 0, diff = 0;
      for (let k = 0; k < po.length; k++) {
        same = Math.max(same, Math.abs(pa[k] - pb[k]));
        diff = Math.max(diff, Math.abs(pa[k] - po[k]));
      }
      expect(same).toBeLessThan(1e-6);
      expect(diff).toBeGreaterThan(1e-2);
    } finally {
      for (const m of models) await m.dispose();
    }
    expect(await Promise.all(shards.map(sha))).toEqual(before); // the files on disk are never changed
  }, 60_000);

  it('refuses a Graph model and an unknown weight name with messages naming the fix', async () => {
    expect(() => tfjsRandomisableLayers({ format: 'graph-model', path: 'g/model.json' } as never)).toThrow(/Graph model: parameter randomisation works on ONNX and TensorFlow\.js Layers models/);
    const files = await readTfjsModel(fixture('graph-softmax'));
    expect(() => tfjsRandomisableLayers(files)).toThrow(ModelError);
    const demo = await readTfjsModel(DEMO);
    expect(() => randomiseTfjsWeights(demo, ['nope/kernel'], () => 0)).toThrow(/has no weight named "nope\/kernel"/);
  });
});
