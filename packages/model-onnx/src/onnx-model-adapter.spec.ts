import { existsSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { AbortedError, InputError, InvalidOptionError, ModelError } from '@limekit/core';
import { describeModelAdapterContract } from '@limekit/testing';
import { describe, expect, it } from 'vitest';
import { concat, fixture, reference, TORCH_VERSION } from '../test/reference.js';
import { logistic } from '@limekit/model-common';
import { DEFAULT_ONNX_OPTIONS, OnnxModelAdapter, onnxSessionOptions, type OnnxModelOptions } from './onnx-model-adapter.js';
import { onnxModelLoader } from './loader.js';

// Reference outputs: torch 1.13 (`model(torch.from_numpy(q / 32))` in tools/fixtures/onnx_models.py),
// the same networks exported with torch.onnx.export; see test/fixtures/PROVENANCE.md.
const TOL = 1e-5;

const softmax = (row: number[]) => {
  const m = Math.max(...row);
  const e = row.map((v) => Math.exp(v - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
};

const load = (name: string, options: Partial<OnnxModelOptions> = {}) => OnnxModelAdapter.load(fixture(`${name}.onnx`), options);

/** Scores every reference input of `name` in one predict call; returns the adapter's rows. */
async function scoreReference(model: OnnxModelAdapter, name: string): Promise<number[][]> {
  const { inputs } = reference(name);
  const out = await model.predict(concat(inputs), inputs.length);
  expect(out).toHaveLength(inputs.length * model.numClasses);
  return inputs.map((_, i) => [...out.subarray(i * model.numClasses, (i + 1) * model.numClasses)]);
}

function expectRowsClose(actual: number[][], expected: number[][], tol = TOL): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((row, i) => {
    expect(row.length).toBe(expected[i].length);
    row.forEach((v, c) => expect(Math.abs(v - expected[i][c])).toBeLessThan(tol));
  });
}

describeModelAdapterContract('OnnxModelAdapter, NCHW logits', () => load('nchw_logits'));
describeModelAdapterContract('OnnxModelAdapter, NHWC probabilities', () => load('nhwc_probs'));
describeModelAdapterContract('OnnxModelAdapter, fixed batch 1', () => load('fixed_batch1'));
describeModelAdapterContract('OnnxModelAdapter, fixed batch 4', () => load('fixed_batch4'));
describeModelAdapterContract('OnnxModelAdapter, single sigmoid unit', () => load('sigmoid_unit'));
describeModelAdapterContract('OnnxModelAdapter, grayscale', () => load('grayscale'));

describe(`OnnxModelAdapter matches torch ${TORCH_VERSION} after the documented output transform`, () => {
  it('NCHW logits (PyTorch convention): softmax of the logits, at opsets 7, 9, 13 and 17', async () => {
    for (const [name, opset] of [['nchw_logits_opset7', 7], ['nchw_logits_opset9', 9], ['nchw_logits', 13], ['nchw_logits_opset17', 17]] as const) {
      const model = await load(name);
      try {
        expect(model.input).toMatchObject({ layout: 'NCHW', channels: 3, width: 16, height: 16 });
        expect(model.info).toMatchObject({ outputKind: 'logits', outputActivation: 'softmax', opset, inputName: 'input', outputName: 'output' });
        expect(model.maxBatchSize).toBeUndefined();
        expectRowsClose(await scoreReference(model, name), reference(name).outputs.output.map(softmax));
      } finally {
        await model.dispose();
      }
    }
  });

  it('NHWC with the softmax in the graph (Keras convention): probabilities as they are', async () => {
    const model = await load('nhwc_probs');
    expect(model.input.layout).toBe('NHWC');
    expect(model.info).toMatchObject({ outputKind: 'probabilities', outputKindSource: 'graph', outputOp: 'Softmax' });
    expectRowsClose(await scoreReference(model, 'nhwc_probs'), reference('nhwc_probs').outputs.output);
    await model.dispose();
  });

  it('fixed batch 1: maxBatchSize 1, and a longer batch is run one image at a time', async () => {
    const model = await load('fixed_batch1');
    expect(model.maxBatchSize).toBe(1);
    expect(model.info.fixedBatch).toBe(1);
    const expected = reference('fixed_batch1').outputs.output.map(softmax);
    expectRowsClose(await scoreReference(model, 'fixed_batch1'), expected);
    const { inputs } = reference('fixed_batch1');
    const one = await model.predict(inputs[2], 1);
    expectRowsClose([[...one]], [expected[2]]);
    await model.dispose();
  });

  it('fixed batch 4: a short batch is padded, a long one split', async () => {
    const model = await load('fixed_batch4');
    expect(model.maxBatchSize).toBe(4);
    const { inputs, outputs } = reference('fixed_batch4');
    const expected = outputs.output.map(softmax);
    expectRowsClose(await scoreReference(model, 'fixed_batch4'), expected); // 6 = 4 + 2 padded
    const two = await model.predict(concat(inputs.slice(4)), 2);
    expectRowsClose([[...two.subarray(0, 5)], [...two.subarray(5)]], expected.slice(4));
    await model.dispose();
  });

  it('one sigmoid unit becomes two classes [1 − p, p]', async () => {
    const model = await load('sigmoid_unit');
    expect(model.numClasses).toBe(2);
    expect(model.info).toMatchObject({ outputKind: 'sigmoid', outputActivation: 'none', outputOp: 'Sigmoid' });
    expectRowsClose(await scoreReference(model, 'sigmoid_unit'), reference('sigmoid_unit').outputs.output.map(([p]) => [1 - p, p]));
    await model.dispose();
  });

  it('one unit without a Sigmoid is a logit: [1 − σ(x), σ(x)]', async () => {
    const model = await load('binary_logit');
    expect(model.info).toMatchObject({ outputKind: 'sigmoid', outputActivation: 'logistic' });
    expectRowsClose(await scoreReference(model, 'binary_logit'), reference('binary_logit').outputs.output.map(([x]) => [1 - logistic(x), logistic(x)]));
    await model.dispose();
    // Overrides: `probabilities` reads the unit as p.
    const asP = await load('binary_logit', { outputKind: 'probabilities' });
    expectRowsClose(await scoreReference(asP, 'binary_logit'), reference('binary_logit').outputs.output.map(([x]) => [1 - x, x]));
    await asP.dispose();
  });

  it('multi-label sigmoids are explained per label, without softmax', async () => {
    const model = await load('multilabel');
    expect(model.info).toMatchObject({ outputKind: 'multilabel', outputActivation: 'none' });
    expectRowsClose(await scoreReference(model, 'multilabel'), reference('multilabel').outputs.output);
    await model.dispose();
  });

  it('multi-label logits: auto takes them for softmax logits; outputKind "multilabel" applies σ per label', async () => {
    const expectedRaw = reference('multilabel_logits').outputs.output;
    const auto = await load('multilabel_logits');
    expect(auto.info.outputKind).toBe('logits');
    expectRowsClose(await scoreReference(auto, 'multilabel_logits'), expectedRaw.map(softmax));
    await auto.dispose();
    const ml = await load('multilabel_logits', { outputKind: 'multilabel' });
    expect(ml.info).toMatchObject({ outputKind: 'multilabel', outputActivation: 'logistic' });
    expectRowsClose(await scoreReference(ml, 'multilabel_logits'), expectedRaw.map((r) => r.map(logistic)));
    await ml.dispose();
  });

  it('LogSoftmax outputs are logits: softmax gives back the probabilities', async () => {
    const model = await load('log_softmax');
    expect(model.info).toMatchObject({ outputKind: 'logits', outputOp: 'LogSoftmax' });
    expectRowsClose(await scoreReference(model, 'log_softmax'), reference('log_softmax').outputs.output.map((r) => r.map(Math.exp)));
    await model.dispose();
  });

  it('a softmax spelt out with Exp/ReduceSum/Div is recognised from its values', async () => {
    const model = await load('softmax_decomposed');
    expect(model.info).toMatchObject({ outputKind: 'probabilities', outputKindSource: 'probe', outputOp: 'Div' });
    expectRowsClose(await scoreReference(model, 'softmax_decomposed'), reference('softmax_decomposed').outputs.output);
    await model.dispose();
  });

  it('several outputs: the first by default, another by outputName', async () => {
    const first = await load('two_outputs');
    expect(first.info).toMatchObject({ outputName: 'features', outputNames: ['features', 'scores'] });
    expect(first.numClasses).toBe(6);
    await first.dispose();
    const model = await load('two_outputs', { outputName: 'scores' });
    expect(model.numClasses).toBe(3);
    expectRowsClose(await scoreReference(model, 'two_outputs'), reference('two_outputs').outputs.scores);
    await model.dispose();
  });

  it('grayscale models take one channel with a one-channel normalisation', async () => {
    const model = await load('grayscale', { preprocess: 'imagenet' });
    expect(model.input.channels).toBe(1);
    expect(model.input.normalization.mean).toHaveLength(1);
    expect(Math.abs(model.input.normalization.mean[0] - (0.485 + 0.456 + 0.406) / 3)).toBeLessThan(1e-12);
    expectRowsClose(await scoreReference(model, 'grayscale'), reference('grayscale').outputs.output);
    await model.dispose();
  });

  it('symbolic spatial dims take width and height', async () => {
    const model = await load('dynamic_spatial', { width: 16, height: 16 });
    expect(model.input).toMatchObject({ width: 16, height: 16 });
    expectRowsClose(await scoreReference(model, 'dynamic_spatial'), reference('dynamic_spatial').outputs.output.map(softmax));
    await model.dispose();
  });

  it('an ambiguous shape is read as NCHW with a note; layout overrides it', async () => {
    const model = await load('ambiguous_layout');
    expect(model.input).toMatchObject({ layout: 'NCHW', width: 3, height: 16 });
    expect(String((model.info.notes as string[])[0])).toMatch(/layout is ambiguous: input shape \[batch, 3, 16, 3\].*NCHW assumed/);
    expectRowsClose(await scoreReference(model, 'ambiguous_layout'), reference('ambiguous_layout').outputs.output.map(softmax));
    await model.dispose();
    const nhwc = await load('ambiguous_layout', { layout: 'NHWC' });
    expect(nhwc.input).toMatchObject({ layout: 'NHWC', width: 16, height: 3 });
    expect(nhwc.info.layoutSource).toBe('option');
    await nhwc.dispose();
  });
});

describe('OnnxModelAdapter options and metadata', () => {
  it('takes class names from metadata_props, a labels file, or the option', async () => {
    const m = await load('metadata_names');
    expect(m.classNames).toEqual(['cat', 'dog', 'bird']);
    expect(m.info.classNamesFrom).toBe("The model's metadata_props");
    await m.dispose();
    const dir = await mkdtemp(join(tmpdir(), 'limekit-onnx-'));
    await writeFile(join(dir, 'labels.txt'), 'a\nb\nc\nd\ne\n');
    const f = await load('nchw_logits', { labels: join(dir, 'labels.txt') });
    expect(f.classNames).toEqual(['a', 'b', 'c', 'd', 'e']);
    await f.dispose();
    const s = await load('sigmoid_unit', { classNames: ['cat'] });
    expect(s.classNames).toEqual(['not cat', 'cat']);
    await s.dispose();
  });

  it('rejects class names whose count differs from the classes, naming both counts', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'limekit-onnx-'));
    await writeFile(join(dir, 'imagenet_class_index.json'), JSON.stringify({ 0: ['n01440764', 'tench'], 1: ['n01443537', 'goldfish'] }));
    const err = await load('nchw_logits', { labels: join(dir, 'imagenet_class_index.json') }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as Error).message).toMatch(/^Labels file .*imagenet_class_index\.json has 2 names but the model has 5 classes \(.*nchw_logits\.onnx: output "output" has 5 units\)/);
    await expect(load('nchw_logits', { classNames: ['a', 'b'] })).rejects.toThrow(/classNames has 2 names but the model has 5 classes/);
    await expect(load('sigmoid_unit', { classNames: ['a', 'b', 'c'] })).rejects.toThrow(/one sigmoid unit explains two classes/);
    // Names in the model's own metadata that do not fit are dropped, with a note: append a
    // metadata_props entry (ModelProto field 14) naming 2 classes to a 5-class model.
    const entry = new TextEncoder().encode('\x0a\x07classes\x12\x09["a","b"]');
    const bytes = await readFile(fixture('nchw_logits.onnx'));
    await writeFile(join(dir, 'two_names.onnx'), Buffer.concat([bytes, Uint8Array.from([0x72, entry.length]), entry]));
    const m = await OnnxModelAdapter.load(join(dir, 'two_names.onnx'));
    expect(m.classNames).toBeUndefined();
    expect((m.info.notes as string[])[0]).toMatch(/The model's metadata_props has 2 names but the model has 5 classes .*; the names are ignored/);
    await m.dispose();
  });

  it('takes an explicit normalisation, and checks options', async () => {
    const m = await load('nchw_logits', { preprocess: { scale: 1, mean: [0, 0, 0], std: [2, 2, 2], channelOrder: 'BGR' } });
    expect(m.input.normalization).toMatchObject({ std: [2, 2, 2], channelOrder: 'BGR' });
    expect(m.info.preprocess).toMatchObject({ std: [2, 2, 2] });
    await m.dispose();
    await expect(load('nchw_logits', { layout: 'CHW' as never })).rejects.toThrow(/layout must be "auto", "NCHW" or "NHWC", got "CHW"/);
    await expect(load('nchw_logits', { preprocess: 'torch' })).rejects.toThrow(/preprocess must be one of imagenet/);
    await expect(load('nchw_logits', { batch: 4 } as never)).rejects.toThrow(/unknown option "batch"/);
    await expect(load('nchw_logits', { width: 0 })).rejects.toBeInstanceOf(InvalidOptionError);
    await expect(load('nchw_logits', { outputKind: 'sigmoid' })).rejects.toThrow(/outputKind "sigmoid" needs a single output unit, but output "output" has 5/);
  });

  it('explicit outputKind overrides detection', async () => {
    const m = await load('nhwc_probs', { outputKind: 'logits' });
    expect(m.info).toMatchObject({ outputKind: 'logits', outputKindSource: 'option' });
    await m.dispose();
  });

  it('reports runtime, version, providers, names, layout and output kind', async () => {
    const m = await load('nchw_logits', { intraOpNumThreads: 1 });
    expect(m.info).toMatchObject({
      runtime: 'onnxruntime-node',
      version: expect.stringMatching(/^1\.\d+/),
      executionProviders: ['cpu'],
      inputName: 'input',
      outputName: 'output',
      inputShape: ['batch', 3, 16, 16],
      layout: 'NCHW',
      outputKind: 'logits',
    });
    await m.dispose();
  });

  it('has a loader', async () => {
    const m = await onnxModelLoader.load(fixture('nchw_logits.onnx'));
    expect(onnxModelLoader.id).toBe('onnx');
    expect(onnxModelLoader.defaults.executionProviders).toEqual(['cpu']);
    await m.dispose();
  });
});

describe('OnnxModelAdapter errors name the file and the fix', () => {
  it('missing, empty or a directory', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'limekit-onnx-'));
    await writeFile(join(dir, 'empty.onnx'), '');
    await expect(OnnxModelAdapter.load(join(dir, 'missing.onnx'))).rejects.toThrow(/Model file .*missing\.onnx does not exist\. Check the model path/);
    await expect(OnnxModelAdapter.load(join(dir, 'empty.onnx'))).rejects.toThrow(/empty\.onnx is empty \(0 bytes\)/);
    await expect(OnnxModelAdapter.load(dir)).rejects.toThrow(/is a directory/);
  });

  it('another format renamed .onnx', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'limekit-onnx-'));
    const cases: [string, Uint8Array | string, RegExp][] = [
      ['photo.onnx', Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]), /photo\.onnx is not an ONNX model: it looks like a PNG image/],
      ['notes.onnx', 'definitely not protobuf\n', /notes\.onnx is not an ONNX model: it looks like a text file/],
      ['lfs.onnx', 'version https://git-lfs.github.com/spec/v1\noid sha256:abc\nsize 123\n', /a Git LFS pointer.*git lfs pull/],
      ['keras.onnx', Uint8Array.from([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]), /an HDF5 file \(a Keras \.h5 model\?\).*tf2onnx/],
      ['torch.onnx', Uint8Array.from([0x50, 0x4b, 0x03, 0x04, 20, 0, 0, 0]), /a ZIP archive \(a PyTorch .*torch\.onnx\.export/],
      ['model.onnx', '{"format": "layers-model", "modelTopology": {}}', /a JSON file \(a TensorFlow\.js model\.json\?\)/],
    ];
    for (const [name, content, message] of cases) {
      await writeFile(join(dir, name), content);
      const err = await OnnxModelAdapter.load(join(dir, name)).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ModelError);
      expect((err as Error).message).toMatch(message);
    }
  });

  it('a truncated or corrupt model', async () => {
    const bytes = await readFile(fixture('nchw_logits.onnx'));
    const dir = await mkdtemp(join(tmpdir(), 'limekit-onnx-'));
    for (const cut of [20, 300, 600, 1000, bytes.length - 40]) {
      await writeFile(join(dir, `cut${cut}.onnx`), bytes.subarray(0, cut));
      await expect(OnnxModelAdapter.load(join(dir, `cut${cut}.onnx`))).rejects.toThrow(new RegExp(`cut${cut}\\.onnx is not a valid ONNX model \\(${cut} bytes; .*truncated or corrupt`));
    }
    const flipped = Uint8Array.from(bytes);
    flipped[1] ^= 0xff; // the ir_version varint now swallows the next bytes
    await writeFile(join(dir, 'flipped.onnx'), flipped);
    await expect(OnnxModelAdapter.load(join(dir, 'flipped.onnx'))).rejects.toBeInstanceOf(ModelError);
  });

  it('inputs limekit cannot feed', async () => {
    await expect(load('not_image')).rejects.toThrow(/not_image\.onnx: input "input" has shape \[batch, 10\] \(rank 2\), not an image tensor of rank 4/);
    await expect(load('rgba')).rejects.toThrow(/rgba\.onnx: .*the channel count must be 1 \(grayscale\) or 3 \(colour\), but dim 1 \(channels in NCHW\) is 4/);
    await expect(load('rgba', { layout: 'NCHW' })).rejects.toThrow(/has 4 channels in NCHW layout/);
    await expect(load('dynamic_spatial')).rejects.toThrow(/dynamic_spatial\.onnx: input "input" has a symbolic height .* give width and height options/);
    await expect(load('nchw_logits', { width: 32 })).rejects.toThrow(/width option 32 differs from the model's fixed input width 16/);
    await expect(load('uint8_input')).rejects.toThrow(/uint8_input\.onnx: input "input" has element type uint8, but limekit feeds float32/);
    await expect(load('nchw_logits', { inputName: 'image' })).rejects.toThrow(/has no input named "image"; its inputs are input/);
    await expect(load('two_outputs', { outputName: 'nope' })).rejects.toThrow(/no output named "nope"; its outputs are features, scores\. Choose one with outputName/);
  });

  it('outputs that are not one row per image', async () => {
    // Declared in the graph (output [1, 5] against input ["batch", 3, 16, 16]): refused at load, before any run.
    await expect(load('batch_collapsed')).rejects.toThrow(/batch_collapsed\.onnx: output "output" has 1 rows for a batch of "batch" images \(declared shape \[1, 5\]\); a classifier returns one row per image/);
  });

  it('non-finite outputs, naming the batch and the image', async () => {
    const m = await load('nan_when_dark');
    const size = 3 * 16 * 16;
    const batch = new Float32Array(3 * size);
    await m.predict(batch, 3);
    batch[2 * size] = -10; // image 2, first value: sqrt(-5) in the graph
    await expect(m.predict(batch, 3)).rejects.toThrow(/nan_when_dark\.onnx: output "output" is NaN for image 2 of batch #2 \(3 images\), unit 0. Check the preprocessing/);
    await m.dispose();
  });

  it('execution providers the installed onnxruntime-node lacks', async () => {
    await expect(load('nchw_logits', { executionProviders: ['tpu'] })).rejects.toThrow(/execution provider "tpu" is not available in the installed onnxruntime-node 1\.\d+\.\d+ \(it supports cpu/);
  });

  const ortDir = join(dirname(createRequire(import.meta.url).resolve('onnxruntime-node')), '..', 'bin', 'napi-v6', process.platform, process.arch);
  const cudaInstalled = existsSync(join(ortDir, 'libonnxruntime_providers_cuda.so'));
  if (cudaInstalled) console.log('skipped: "cuda not installed" error test — this machine has onnxruntime-node\'s CUDA provider');
  it.skipIf(cudaInstalled)('CUDA when its libraries were not installed', async () => {
    await expect(load('nchw_logits', { executionProviders: ['cuda', 'cpu'] })).rejects.toThrow(/execution provider "cuda" is known to onnxruntime-node but its libraries are not installed \(installed: cpu.*or use executionProviders: \["cpu"\]/);
  });

  it('predict checks its arguments, honours abort, and refuses after dispose', async () => {
    const m = await load('nchw_logits');
    await expect(m.predict(new Float32Array(10), 1)).rejects.toThrow(/batch holds 10 floats, fewer than 1 images × 768/);
    await expect(m.predict(new Float32Array(768), 0)).rejects.toThrow(/count must be an integer >= 1/);
    const ac = new AbortController();
    ac.abort();
    await expect(m.predict(new Float32Array(768), 1, { signal: ac.signal })).rejects.toBeInstanceOf(AbortedError);
    await m.dispose();
    await m.dispose();
    await expect(m.predict(new Float32Array(768), 1)).rejects.toThrow(/after dispose/);
  });
});

describe('OnnxModelAdapter.probeBatchSize', () => {
  it('measures the candidates and picks one of them', async () => {
    const m = await load('nchw_logits');
    const probe = await m.probeBatchSize([4, 1, 2], 2 ** 30, 1);
    expect(probe.trials.map((t) => t.batchSize)).toEqual([1, 2, 4]);
    expect([1, 2, 4]).toContain(probe.batchSize);
    for (const t of probe.trials) {
      expect(t.msPerImage).toBeGreaterThan(0);
      expect(t.memoryBytes).toBeGreaterThanOrEqual(t.batchSize * 4 * 768);
    }
    await m.dispose();
  });

  it('skips candidates above the budget and returns the smallest when none fits', async () => {
    const m = await load('nchw_logits');
    const probe = await m.probeBatchSize([1, 8], 100, 1);
    expect(probe.trials.map((t) => t.batchSize)).toEqual([1]);
    expect(probe.skipped).toEqual([8]);
    expect(probe.batchSize).toBe(1);
    await m.dispose();
    await expect(m.probeBatchSize([], 1)).rejects.toThrow(/candidates must be a non-empty array/);
  });

  it('a fixed-batch model keeps its batch size; maxBatchSize "auto" probes at load', async () => {
    const f = await load('fixed_batch4');
    expect(await f.probeBatchSize()).toEqual({ batchSize: 4, trials: [], skipped: [1, 8, 16, 32, 64] });
    await f.dispose();
    const auto = await load('nchw_logits', { maxBatchSize: 'auto' });
    expect([1, 8, 16, 32, 64]).toContain(auto.maxBatchSize);
    expect((auto.info.probedBatchSize as { batchSize: number }).batchSize).toBe(auto.maxBatchSize);
    await auto.dispose();
  });
});

describe('onnxSessionOptions (decision 0013)', () => {
  it('turns the memory pattern and intra-op spinning off by default, and on when asked', () => {
    const d = onnxSessionOptions(DEFAULT_ONNX_OPTIONS);
    expect(d.enableMemPattern).toBe(false);
    expect(d.extra).toEqual({ session: { intra_op: { allow_spinning: '0' } } });
    const on = onnxSessionOptions({ ...DEFAULT_ONNX_OPTIONS, enableMemPattern: true, intraOpSpinning: true });
    expect(on.enableMemPattern).toBe(true);
    expect(on.extra).toEqual({ session: { intra_op: { allow_spinning: '1' } } });
  });
});
