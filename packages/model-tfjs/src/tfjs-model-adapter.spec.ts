import { readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { InputError, InvalidOptionError, ModelError } from '@limekit/core';
import * as tf from '@tensorflow/tfjs';
import { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { afterEach, describe, expect, it } from 'vitest';
import { copyFixture, fixture, fixtures, reference, referenceInputs, reshapeGraph, softmax, writeModel } from '../test/fixtures.js';
import { selectBackend } from './backend.js';
import { TfjsModelAdapter } from './tfjs-model-adapter.js';

// Reference numbers: packages/model-tfjs/test/fixtures/reference.json, written by
// tools/fixtures/tfjs_models.ts with @tensorflow/tfjs 4.22.0 on its cpu backend (model.predict).

const TOL = 1e-5;
const open: TfjsModelAdapter[] = [];
async function load(name: string, options: Parameters<typeof TfjsModelAdapter.load>[1] = {}): Promise<TfjsModelAdapter> {
  const m = await TfjsModelAdapter.load(fixture(name), { backend: 'wasm', ...options });
  open.push(m);
  return m;
}
afterEach(async () => {
  while (open.length) await open.pop()!.dispose();
});

/** Predicts the reference inputs and returns rows of probabilities. */
async function predictReference(m: TfjsModelAdapter, rows: number): Promise<number[][]> {
  const per = m.input.width * m.input.height * m.input.channels;
  const out = await m.predict(referenceInputs(rows, per), rows);
  return Array.from({ length: rows }, (_, r) => Array.from(out.subarray(r * m.numClasses, (r + 1) * m.numClasses)));
}

function expectRowsClose(actual: number[][], expected: number[][], tol = TOL): void {
  expect(actual.length).toBe(expected.length);
  for (let r = 0; r < expected.length; r++) {
    expect(actual[r].length).toBe(expected[r].length);
    for (let c = 0; c < expected[r].length; c++) expect(Math.abs(actual[r][c] - expected[r][c])).toBeLessThan(tol);
  }
}

describe('TfjsModelAdapter: the conventions of the test models (parity with TensorFlow.js model.predict)', () => {
  it('NHWC logits: softmax applied, layout and class names read from the model', async () => {
    const ref = await reference('nhwc-logits');
    const m = await load('nhwc-logits');
    expect(m.input).toMatchObject({ width: 16, height: 16, channels: 3, layout: 'NHWC' });
    expect(m.info).toMatchObject({ format: 'layers-model', layoutSource: 'graph', outputKind: 'logits', outputActivation: 'softmax', classNamesFrom: "model.json's userDefinedMetadata" });
    expect(m.classNames).toEqual(['a', 'b', 'c', 'd', 'e']);
    expectRowsClose(await predictReference(m, ref.rows), ref.raw[0].map(softmax));
  });

  it('NCHW (channelsFirst) softmax: probabilities used as they are', async () => {
    const ref = await reference('nchw-softmax');
    const m = await load('nchw-softmax');
    expect(m.input.layout).toBe('NCHW');
    expect(m.info).toMatchObject({ outputKind: 'probabilities', outputKindSource: 'graph', outputOp: 'Softmax' });
    expectRowsClose(await predictReference(m, ref.rows), ref.raw[0]);
  });

  it('a fixed batch of 1 is read from the model and longer batches run one image at a time', async () => {
    const ref = await reference('fixed-batch-1');
    const m = await load('fixed-batch-1');
    expect(m.maxBatchSize).toBe(1);
    expect(m.info.fixedBatch).toBe(1);
    const one = await predictReference(m, 1);
    expectRowsClose(one, ref.raw[0]);
    // Three images through a batch-1 model: each row equals that image scored alone.
    const per = 16 * 16 * 3;
    const x = referenceInputs(3, per);
    const three = await m.predict(x, 3);
    for (let r = 0; r < 3; r++) {
      const alone = await m.predict(x.slice(r * per, (r + 1) * per), 1);
      expect(Array.from(three.subarray(r * 3, r * 3 + 3))).toEqual(Array.from(alone));
    }
  });

  it('one sigmoid unit becomes two classes [1 − p, p]', async () => {
    const ref = await reference('sigmoid');
    const m = await load('sigmoid', { classNames: ['cat'] });
    expect(m.numClasses).toBe(2);
    expect(m.classNames).toEqual(['not cat', 'cat']);
    expect(m.info).toMatchObject({ outputKind: 'sigmoid', outputActivation: 'none', outputOp: 'Sigmoid' });
    expectRowsClose(await predictReference(m, ref.rows), ref.raw[0].map(([p]) => [1 - p, p]));
  });

  it('multi-label sigmoids are explained per label, without softmax', async () => {
    const ref = await reference('multilabel');
    const m = await load('multilabel');
    expect(m.info).toMatchObject({ outputKind: 'multilabel', outputActivation: 'none' });
    const rows = await predictReference(m, ref.rows);
    expectRowsClose(rows, ref.raw[0]);
    expect(Math.abs(rows[0].reduce((a, b) => a + b, 0) - 1)).toBeGreaterThan(1e-3); // not renormalised
  });

  it('several outputs: the first by default, another chosen by name, an unknown name listed against the real ones', async () => {
    const ref = await reference('multi-output');
    expect(ref.outputs).toEqual(['features', 'scores']);
    const first = await load('multi-output');
    expect(first.info).toMatchObject({ outputName: 'features', outputNames: ['features', 'scores'] });
    expect(first.numClasses).toBe(8);
    const scores = await load('multi-output', { outputName: 'scores' });
    expect(scores.numClasses).toBe(4);
    expectRowsClose(await predictReference(scores, ref.rows), ref.raw[1]);
    await expect(load('multi-output', { outputName: 'logits' })).rejects.toThrow(/no output named "logits"; its outputs are features, scores/);
  });

  it('grayscale models take one channel and the preprocessing is reduced to it', async () => {
    const ref = await reference('grayscale');
    const m = await load('grayscale', { preprocess: 'imagenet' });
    expect(m.input.channels).toBe(1);
    expect(m.input.normalization.mean).toHaveLength(1);
    expectRowsClose(await predictReference(m, ref.rows), ref.raw[0].map(softmax));
  });

  it('a Graph model (GraphDef) runs and agrees with its Layers twin; its last op and metadata are read', async () => {
    const ref = await reference('graph-softmax');
    const m = await load('graph-softmax');
    expect(m.info).toMatchObject({ format: 'graph-model', inputName: 'image', outputName: 'probabilities', outputOp: 'Softmax', outputKind: 'probabilities' });
    expect(m.classNames).toEqual(['north', 'east', 'south', 'west']);
    expectRowsClose(await predictReference(m, ref.rows), ref.raw[0]);
  });

  it('the cpu backend gives the same outputs as wasm', async () => {
    const ref = await reference('nhwc-logits');
    const cpu = await load('nhwc-logits', { backend: 'cpu' });
    expect(cpu.info.backend).toBe('cpu');
    expectRowsClose(await predictReference(cpu, ref.rows), ref.raw[0].map(softmax));
  });

  it('a folder holding model.json loads as the file does', async () => {
    const m = await TfjsModelAdapter.load(join(fixtures, 'nhwc-logits'), { backend: 'wasm' });
    open.push(m);
    expect(m.info.model).toBe(fixture('nhwc-logits'));
  });
});

describe('TfjsModelAdapter: tensors, batches, lifetime', () => {
  it('every tensor a batch creates is disposed (numTensors unchanged over 50 batches), and dispose frees the weights', async () => {
    const before = tf.memory().numTensors;
    const m = await TfjsModelAdapter.load(fixture('graph-softmax'), { backend: 'wasm' });
    const loaded = tf.memory().numTensors;
    expect(loaded).toBeGreaterThan(before); // the weights
    const x = referenceInputs(8, 16 * 16 * 3);
    for (let i = 0; i < 50; i++) await m.predict(x, 1 + (i % 8));
    expect(tf.memory().numTensors).toBe(loaded);
    await m.dispose();
    await m.dispose(); // twice is safe
    expect(tf.memory().numTensors).toBe(before);
    await expect(m.predict(x, 1)).rejects.toThrow(/predict called after dispose/);
  });

  it('a batch with non-finite outputs fails naming the image and the batch, and leaves no tensors behind', async () => {
    // An identity "classifier" (Reshape to one row of 192 scores per image) passes a NaN pixel through.
    const g = reshapeGraph([-1, 8, 8, 3], [-1, 192]);
    const m = await TfjsModelAdapter.load(await writeModel(g.json, g.weights), { backend: 'wasm' });
    open.push(m);
    const n0 = tf.memory().numTensors;
    const x = referenceInputs(3, 192);
    x[192 + 5] = Number.NaN;
    await expect(m.predict(x, 3)).rejects.toThrow(/output "out" is NaN for image 1 of batch #1 \(3 images\), unit 5\. Check the preprocessing/);
    expect(tf.memory().numTensors).toBe(n0);
    expect((await m.predict(x, 1)).length).toBe(192); // the model still works
  });

  it('rejects a short buffer and a bad count, naming the sizes', async () => {
    const m = await load('nhwc-logits');
    await expect(m.predict(new Float32Array(10), 1)).rejects.toThrow(/holds 10 floats, fewer than 1 images × 768 \(16×16×3\)/);
    await expect(m.predict(new Float32Array(768), 0)).rejects.toThrow(/count must be an integer >= 1, got 0/);
  });

  it('maxBatchSize: a number caps batches; "auto" probes sizes and keeps one it measured', async () => {
    expect((await load('nhwc-logits', { maxBatchSize: 16 })).maxBatchSize).toBe(16);
    const auto = await load('nhwc-logits', { maxBatchSize: 'auto' });
    const probe = auto.info.probedBatchSize as { batchSize: number; trials: { batchSize: number; msPerImage: number }[] };
    expect(probe.trials.map((t) => t.batchSize)).toEqual([1, 8, 16, 32, 64]);
    expect(probe.trials.every((t) => t.msPerImage > 0)).toBe(true);
    expect(probe.trials.map((t) => t.batchSize)).toContain(auto.maxBatchSize);
    const fixed = await load('fixed-batch-1', { maxBatchSize: 'auto' });
    expect(fixed.maxBatchSize).toBe(1);
  });
});

describe('backend selection', () => {
  const notFound = (spec: string) => Object.assign(new Error(`Cannot find package '${spec}' imported from x`), { code: 'ERR_MODULE_NOT_FOUND' });

  afterEach(async () => {
    if (tf.engine().registryFactory.tensorflow) tf.removeBackend('tensorflow');
    await tf.setBackend('wasm');
  });

  it('auto with no native package installed (this machine) runs on WebAssembly and says why', async () => {
    const r = await selectBackend('auto');
    expect(r).toEqual({
      backend: 'wasm',
      backendPackage: '@tensorflow/tfjs-backend-wasm',
      tried: ['@tensorflow/tfjs-node-gpu: not installed', '@tensorflow/tfjs-node: not installed'],
    });
    expect(tf.getBackend()).toBe('wasm');
  });

  it('auto prefers tfjs-node-gpu, then tfjs-node: whichever loads and registers the "tensorflow" backend', async () => {
    // Stand-ins for the native packages: importing one registers a backend named "tensorflow", as they do.
    const registerTensorflow = async () => {
      if (!tf.engine().registryFactory.tensorflow) tf.registerBackend('tensorflow', () => new MathBackendCPU());
    };
    const gpu = await selectBackend('auto', async (spec) => (spec === '@tensorflow/tfjs-node-gpu' ? registerTensorflow() : Promise.reject(notFound(spec))));
    expect(gpu).toEqual({ backend: 'tensorflow', backendPackage: '@tensorflow/tfjs-node-gpu', tried: [] });
    expect(tf.getBackend()).toBe('tensorflow');
    tf.removeBackend('tensorflow');
    await tf.setBackend('wasm');
    const node = await selectBackend('auto', async (spec) => (spec === '@tensorflow/tfjs-node' ? registerTensorflow() : spec === '@tensorflow/tfjs-backend-wasm' ? undefined : Promise.reject(notFound(spec))));
    expect(node).toEqual({ backend: 'tensorflow', backendPackage: '@tensorflow/tfjs-node', tried: ['@tensorflow/tfjs-node-gpu: not installed'] });
  });

  it('a native package that is installed but broken is passed over with its error', async () => {
    const r = await selectBackend('auto', async (spec) => {
      if (spec === '@tensorflow/tfjs-node-gpu') throw new Error('libcudart.so.11.0: cannot open shared object file');
      if (spec === '@tensorflow/tfjs-node') return undefined; // loads, registers nothing (another tfjs-core copy)
      return undefined;
    });
    expect(r.backend).toBe('wasm');
    expect(r.tried[0]).toBe('@tensorflow/tfjs-node-gpu: failed to load (libcudart.so.11.0: cannot open shared object file)');
    expect(r.tried[1]).toMatch(/^@tensorflow\/tfjs-node: the package loaded but registered no "tensorflow" backend with this copy of @tensorflow\/tfjs-core 4\.22\.0/);
  });

  it('backend "tensorflow" asked for but not installed: an error that says how to get it and the alternative', async () => {
    await expect(selectBackend('tensorflow')).rejects.toThrow(ModelError);
    await expect(selectBackend('tensorflow')).rejects.toThrow(/"tensorflow" is not available \(@tensorflow\/tfjs-node-gpu: not installed; @tensorflow\/tfjs-node: not installed\)\. Install @tensorflow\/tfjs-node .* Or use backend "wasm"/);
  });

  it('the backend is reported in the model info and restored when another model switched it', async () => {
    const m = await load('nhwc-logits', { backend: 'wasm' });
    expect(m.info).toMatchObject({ runtime: 'tensorflow.js', version: tf.version.tfjs, backend: 'wasm', backendPackage: '@tensorflow/tfjs-backend-wasm' });
    await tf.setBackend('cpu');
    await predictReference(m, 1);
    expect(tf.getBackend()).toBe('wasm');
  });
});

describe('TfjsModelAdapter: bad input gets a clear error', () => {
  it('a missing model file', async () => {
    await expect(TfjsModelAdapter.load('/nonexistent/model.json')).rejects.toThrow(/TensorFlow.js model file \/nonexistent\/model.json does not exist\. Give the path of the model.json file/);
  });

  it('model.json whose weight files are missing names every missing file', async () => {
    const path = await copyFixture('nhwc-logits');
    await rm(join(dirname(path), 'weights.bin'));
    await expect(TfjsModelAdapter.load(path)).rejects.toThrow(new RegExp(`1 of its 1 weight file is missing: ${join(dirname(path), 'weights.bin').replace(/[.]/g, '\\.')}\\. Copy the \\.bin files listed in model.json's weightsManifest`));
  });

  it('a truncated weight file', async () => {
    const path = await copyFixture('nhwc-logits');
    await truncate(join(dirname(path), 'weights.bin'), 100);
    await expect(TfjsModelAdapter.load(path)).rejects.toThrow(/its weight files hold 100 bytes but weightsManifest describes 812 bytes \(4 tensors\)\. A shard is truncated/);
  });

  it('a corrupt model.json, a JSON file that is no model, and a model without weightsManifest', async () => {
    const path = await copyFixture('nhwc-logits');
    const text = await readFile(path, 'utf8');
    await writeFile(path, text.slice(0, text.length / 2));
    await expect(TfjsModelAdapter.load(path)).rejects.toThrow(/is not valid JSON .* It is truncated or corrupt/);
    await expect(TfjsModelAdapter.load(await writeModel({ labels: ['a'] }))).rejects.toThrow(/neither a TensorFlow.js Layers model nor a Graph model: it has no "format" field and its modelTopology is missing/);
    const noManifest = JSON.parse(text);
    delete noManifest.weightsManifest;
    await expect(TfjsModelAdapter.load(await writeModel(noManifest))).rejects.toThrow(/has no "weightsManifest"/);
  });

  it('an input that is not rank 4, and a channel count that is not 1 or 3', async () => {
    const flat = reshapeGraph([-1, 10], [-1, 10]);
    await expect(TfjsModelAdapter.load(await writeModel(flat.json, flat.weights), { backend: 'wasm' })).rejects.toThrow(/input "image" has shape \[\?, 10\] \(rank 2\), not an image tensor of rank 4/);
    const rgba = reshapeGraph([-1, 8, 8, 4], [-1, 256]);
    await expect(TfjsModelAdapter.load(await writeModel(rgba.json, rgba.weights), { backend: 'wasm' })).rejects.toThrow(/the channel count must be 1 \(grayscale\) or 3 \(colour\), but dim 1 .* is 8 and dim 3 .* is 4/);
  });

  it('model output rows ≠ batch rows', async () => {
    const g = reshapeGraph([-1, 8, 8, 3], [-1, 4]);
    await expect(TfjsModelAdapter.load(await writeModel(g.json, g.weights), { backend: 'wasm' })).rejects.toThrow(/output "out" has 96 rows for a batch of 2 images \(shape \[96, 4\]\); a classifier returns one row per image/);
  });

  it('non-finite outputs on the test inputs', async () => {
    const path = await copyFixture('nhwc-logits');
    await writeFile(join(dirname(path), 'weights.bin'), new Uint8Array(new Float32Array(812 / 4).fill(Number.NaN).buffer));
    await expect(TfjsModelAdapter.load(path, { backend: 'wasm' })).rejects.toThrow(/output "logits" is NaN on a test input \(image 0, class 0\)/);
  });

  it('labels whose count differs from the classes, and a labels file that works', async () => {
    const dir = dirname(await copyFixture('nhwc-logits'));
    await writeFile(join(dir, 'labels.txt'), 'one\ntwo\nthree\n');
    await expect(load('nhwc-logits', { labels: join(dir, 'labels.txt') })).rejects.toThrow(InputError);
    await expect(load('nhwc-logits', { labels: join(dir, 'labels.txt') })).rejects.toThrow(/Labels file .*labels\.txt has 3 names but the model has 5 classes/);
    await writeFile(join(dir, 'labels.txt'), 'v\nw\nx\ny\nz\n');
    expect((await load('nhwc-logits', { labels: join(dir, 'labels.txt') })).classNames).toEqual(['v', 'w', 'x', 'y', 'z']);
  });

  it('unknown options and bad values name the option', async () => {
    await expect(load('nhwc-logits', { backend: 'webgpu' as never })).rejects.toThrow(InvalidOptionError);
    await expect(load('nhwc-logits', { backend: 'webgpu' as never })).rejects.toThrow(/backend/);
    await expect(load('nhwc-logits', { batch: 3 } as never)).rejects.toThrow(/batch/);
    await expect(load('nhwc-logits', { width: 32 })).rejects.toThrow(/width option 32 differs from the model's fixed input width 16/);
  });

  it('resizing options reach the input spec the explainer crops by', async () => {
    expect((await load('nhwc-logits', { resizeTo: 20, interpolation: 'bicubic' })).input).toMatchObject({ width: 16, resize: 'center-crop', resizeTo: 20, interpolation: 'bicubic' });
    expect((await load('nhwc-logits', { resize: 'stretch' })).input).not.toHaveProperty('resizeTo');
    await expect(load('nhwc-logits', { resizeTo: 12 })).rejects.toThrow(/resizeTo must be null or at least the model's larger input side \(16\), got 12/);
    await expect(load('nhwc-logits', { resize: 'stretch', resizeTo: 20 })).rejects.toThrow(/resizeTo must be null when resize is "stretch"/);
  });
});
