import { fileURLToPath } from 'node:url';
import { writeFile, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Sampler, UnknownComponentError } from '@limekit/core';
import { testContext } from '@limekit/testing';
import { describe, expect, it } from 'vitest';
import { loadConfigFile, mergeConfig, validateConfig } from './config.js';
import { builtinRegistry } from './builtins.js';
import { createExperimentContainer, describeConfig, explainerFrom, resolveConfig } from './compose.js';
import { decodeNpyFloat32, decodeNpyInt32, encodeNpyFloat32, encodeNpyInt32 } from './npy.js';
import { MODEL_FIELDS, modelFieldsFromFlags, parseInputSize, validateModelFields } from './model-fields.js';
import { resolveLabels } from './labels.js';
import { getPreset, LIME_PRESET } from './presets.js';

const fixtures = fileURLToPath(new URL('../test/fixtures/', import.meta.url));

// Config resolution is tested against the real built-in components: @limekit/lime depends on
// every built-in package, so the registry always holds them.
const registry = builtinRegistry;

describe('validateConfig', () => {
  it('names unknown fields, wrong types and out-of-range values', () => {
    expect(() => validateConfig({ samples: 10 }, 'c.json')).toThrow(/c.json: unknown field "samples"/);
    expect(() => validateConfig({ numSamples: 1 })).toThrow(/config.numSamples: must be an integer >= 2/);
    expect(() => validateConfig({ seed: 'x' })).toThrow(/config.seed/);
    expect(() => validateConfig({ sampler: { use: 'bernoulli', opts: {} } })).toThrow(/config.sampler: unknown field "opts"/);
    expect(() => validateConfig({ sampler: { use: 3 } })).toThrow(/config.sampler.use/);
    expect(() => validateConfig({ preprocess: { std: [0, 1, 1] } })).toThrow(/preprocess.std: must be > 0/);
    expect(validateConfig({ sampler: 'bernoulli' }).sampler).toEqual({ use: 'bernoulli' });
    expect(() => validateConfig({ resize: 'pad' })).toThrow(/config.resize: must be "center-crop" or "stretch", got "pad"/);
    expect(() => validateConfig({ resizeTo: 0 })).toThrow(/config.resizeTo: must be an integer >= 1/);
    expect(() => validateConfig({ resize: 'stretch', resizeTo: 256 })).toThrow(/resizeTo: only applies to resize "center-crop"/);
    expect(() => validateConfig({ interpolation: 'nearest' })).toThrow(/interpolation: must be "bilinear", "bicubic" or "lanczos"/);
    expect(validateConfig({ resize: 'center-crop', resizeTo: 256, interpolation: 'bicubic' })).toMatchObject({ resizeTo: 256, interpolation: 'bicubic' });
  });

  it('reads config files and explains JSON errors', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'limekit-cfg-'));
    await writeFile(join(dir, 'bad.json'), '{ "numSamples": 10, }');
    await expect(loadConfigFile(join(dir, 'bad.json'))).rejects.toThrow(/is not valid JSON/);
    await expect(loadConfigFile(join(dir, 'missing.json'))).rejects.toThrow(/cannot be read: ENOENT/);
  });
});

describe('presets and merging', () => {
  it('lime reproduces LimeImageExplainer defaults', () => {
    const c = getPreset('lime').config;
    expect(c.segmenter).toEqual({ use: 'quickshift', options: { kernelSize: 4, maxDist: 200, ratio: 0.2 } });
    expect(c.kernel).toEqual({ use: 'exponential', options: { distance: 'cosine', kernelWidth: 0.25 } });
    expect(c.surrogate).toEqual({ use: 'ridge', options: { alpha: 1 } });
    expect(c.baseline).toEqual({ use: 'segment-mean' });
    expect([c.numSamples, c.topLabels]).toEqual([1000, 5]);
    expect(() => getPreset('shap')).toThrow(/unknown preset "shap". Known presets: lime/);
  });

  it('merges options of the same component, replaces a different one', () => {
    const m = mergeConfig(LIME_PRESET.config, { segmenter: { use: 'quickshift', options: { kernelSize: 6 } }, numSamples: 50 });
    expect(m.segmenter).toEqual({ use: 'quickshift', options: { kernelSize: 6, maxDist: 200, ratio: 0.2 } });
    expect(m.numSamples).toBe(50);
    expect(mergeConfig(LIME_PRESET.config, { segmenter: { use: 'slic' } }).segmenter).toEqual({ use: 'slic' });
  });
});

describe('resolveConfig', () => {
  it('resolves the lime preset and records every option', async () => {
    const r = await resolveConfig({}, { registry: registry() });
    const d = describeConfig(r) as Record<string, { id: string; options: Record<string, unknown> }>;
    expect(d.sampler).toEqual({ use: 'bernoulli', id: 'bernoulli', options: { p: 0.5, firstRowAllOnes: true } });
    expect(d.segmenter.options).toMatchObject({ kernelSize: 4, maxDist: 200, ratio: 0.2 });
  });

  it('rejects unknown components and options, and bad values, naming the field', async () => {
    await expect(resolveConfig({ sampler: { use: 'sobolev' } }, { registry: registry(), where: 'x.json' })).rejects.toThrow(
      /x.json.sampler.use: unknown sampler "sobolev". Known samplers: adaptive, bernoulli/,
    );
    await expect(resolveConfig({ sampler: { use: 'sobolev' } }, { registry: registry() })).rejects.toBeInstanceOf(UnknownComponentError);
    await expect(resolveConfig({ sampler: { use: 'bernoulli', options: { q: 1 } } }, { registry: registry() })).rejects.toThrow(
      /config.sampler \(bernoulli\): unknown option "q". Known options: p, firstRowAllOnes/,
    );
    await expect(resolveConfig({ sampler: { use: 'bernoulli', options: { p: '0.5' } } }, { registry: registry() })).rejects.toThrow(
      /option "p" must be a number, got string/,
    );
    await expect(resolveConfig({ sampler: { use: 'bernoulli', options: { p: 2 } } }, { registry: registry() })).rejects.toThrow(/p must be in \[0, 1\], got 2/);
    await expect(resolveConfig({ preset: 'nope' }, { registry: registry() })).rejects.toThrow(/unknown preset "nope"/);
  });

  it('loads a sampler plugin from a local TypeScript file and a kernel from a .mjs file', async () => {
    const r = await resolveConfig(
      { sampler: { use: './stripes-sampler.ts', options: { period: 3 } }, kernel: { use: './constant-kernel.mjs' } },
      { registry: registry(), baseDir: fixtures },
    );
    expect(r.components.sampler.definition.id).toBe('stripes');
    expect(r.components.kernel.definition.id).toBe('half');
    const sampler = r.components.sampler.definition.create(r.components.sampler.options ?? {}) as Sampler;
    const session = sampler.start(6, 3, testContext());
    expect(Array.from(session.next(1)!.rows)).toEqual([1, 1, 1, 1, 1, 1]);
    const second = Array.from(session.next(1)!.rows);
    expect(second.filter((v) => v === 0)).toHaveLength(2);
    await expect(resolveConfig({ sampler: { use: './stripes-sampler.ts', options: { period: 1 } } }, { registry: registry(), baseDir: fixtures })).rejects.toThrow(
      /period must be an integer >= 2, got 1/,
    );
    await expect(resolveConfig({ sampler: { use: './nope.ts' } }, { registry: registry(), baseDir: fixtures })).rejects.toThrow(/does not exist/);
    await expect(resolveConfig({ sampler: { use: './constant-kernel.mjs' } }, { registry: registry(), baseDir: fixtures })).rejects.toThrow(
      /exports no sampler; it exports kernel "half"/,
    );
  });

  it('lets a child container override one token', async () => {
    const r = await resolveConfig({}, { registry: registry() });
    const model = { id: 'm', input: { width: 1, height: 1, channels: 3 as const, layout: 'NCHW' as const, resize: 'stretch' as const, normalization: { scale: 1, mean: [0, 0, 0], std: [1, 1, 1], channelOrder: 'RGB' as const } }, numClasses: 1, predict: async () => new Float32Array(1), dispose: async () => {} };
    const c = createExperimentContainer(r, model);
    const mine = { id: 'mine', start: () => ({ next: () => null }) };
    c.register(Sampler, { useValue: mine });
    expect(explainerFrom(c).parts.sampler).toBe(mine);
    expect(explainerFrom(c).parts.kernel.id).toBe('exponential');
  });
});

describe('npy', () => {
  it('writes numpy 1.0 headers aligned to 64 bytes and round-trips', () => {
    const buf = encodeNpyInt32(new Int32Array([0, 1, 2, -3, 4, 5]), [2, 3]);
    expect(buf.subarray(0, 8).toString('latin1')).toBe('\x93NUMPY\x01\x00');
    const headerLen = buf.readUInt16LE(8);
    expect((10 + headerLen) % 64).toBe(0);
    expect(buf.subarray(10, 10 + headerLen).toString('latin1')).toMatch(/^\{'descr': '<i4', 'fortran_order': False, 'shape': \(2, 3\), \} *\n$/);
    const back = decodeNpyInt32(buf);
    expect(back.shape).toEqual([2, 3]);
    expect(Array.from(back.data)).toEqual([0, 1, 2, -3, 4, 5]);
  });

  it('writes each value as 4 little-endian bytes, from a view into a larger array too', () => {
    const whole = new Int32Array([99, 7, -2, 0x01020304, -0x7fffffff, 98]);
    const buf = encodeNpyInt32(whole.subarray(1, 5), [4]);
    const at = 10 + buf.readUInt16LE(8);
    expect(buf.length).toBe(at + 16);
    expect(Array.from(buf.subarray(at + 8, at + 12))).toEqual([4, 3, 2, 1]);
    expect([0, 1, 2, 3].map((i) => buf.readInt32LE(at + 4 * i))).toEqual([7, -2, 0x01020304, -0x7fffffff]);
  });
});

describe('npy float32', () => {
  it('writes <f4 with the same aligned header and round-trips bit for bit', () => {
    const values = new Float32Array([0, -1.5, 3.25e-7, Number.MAX_VALUE, -0, 1e-40]);
    const buf = encodeNpyFloat32(values, [2, 3]);
    const headerLen = buf.readUInt16LE(8);
    expect((10 + headerLen) % 64).toBe(0);
    expect(buf.subarray(10, 10 + headerLen).toString('latin1')).toMatch(/^\{'descr': '<f4', 'fortran_order': False, 'shape': \(2, 3\), \} *\n$/);
    // numpy reads little-endian IEEE 754 singles after the header
    expect(buf.readFloatLE(10 + headerLen + 4)).toBe(-1.5);
    const back = decodeNpyFloat32(buf);
    expect(back.shape).toEqual([2, 3]);
    expect(Array.from(back.data)).toEqual(Array.from(values));
    expect(() => decodeNpyFloat32(encodeNpyInt32(new Int32Array(1), [1]))).toThrow(/expected a C-order <f4 array/);
  });
});

describe('model fields (one table for flags, config files and plans)', () => {
  it('reads sizes as WxH or one number', () => {
    expect(parseInputSize('224x160', 'x')).toEqual({ width: 224, height: 160 });
    expect(parseInputSize('299', 'x')).toEqual({ width: 299, height: 299 });
    expect(parseInputSize(64, 'x')).toEqual({ width: 64, height: 64 });
    expect(() => parseInputSize('0x5', 'cfg.inputSize')).toThrow(/cfg\.inputSize: must be WxH with positive integers/);
    expect(() => parseInputSize([224, 224], 'cfg.inputSize')).toThrow(/got \[224,224\]/);
  });
  it('checks config fields and flags by the same rules, naming the field or flag', () => {
    expect(validateConfig({ inputSize: '32x32', layout: 'NHWC', outputName: 'logits', inputName: 'x', outputKind: 'sigmoid', labelOffset: 1 })).toMatchObject({ labelOffset: 1, layout: 'NHWC' });
    expect(() => validateConfig({ outputKind: 'softmax' }, 'c.json')).toThrow(/c\.json\.outputKind: must be one of auto, logits, probabilities, sigmoid, multilabel, got "softmax"/);
    expect(() => validateConfig({ labelOffset: 1.5 }, 'c.json')).toThrow(/c\.json\.labelOffset: must be an integer >= 0/);
    expect(modelFieldsFromFlags({ 'label-offset': '1', 'input-size': '10x20' }, 'predict')).toEqual({ labelOffset: 1, inputSize: '10x20' });
    expect(() => modelFieldsFromFlags({ 'label-offset': 'one' }, 'predict')).toThrow(/predict: --label-offset: must be an integer >= 0/);
    const cfg: Record<string, unknown> = { layout: 'NCHW' };
    validateModelFields(cfg, 'p');
    expect(cfg).toEqual({ layout: 'NCHW' });
    expect(MODEL_FIELDS.map((f) => f.flag)).toEqual(['input-size', 'layout', 'input-name', 'output-name', 'output-kind', 'label-offset']);
  });
});

describe('resolveLabels', () => {
  const model = { numClasses: 3, classNames: ['circle', 'square', '7'] };
  it('takes names and indices', () => {
    expect(resolveLabels(model, ['square', '0', '7'])).toEqual([1, 0, 2]);
  });
  it('names a missing label and suggests close names', () => {
    expect(() => resolveLabels(model, ['squares'])).toThrow(/label "squares" is not a class name of this model. Did you mean "square"\?/);
    expect(() => resolveLabels(model, ['5'])).toThrow(/label 5 is not a class index of this model \(it has 3 classes/);
    expect(() => resolveLabels({ numClasses: 2 }, ['cat'])).toThrow(/has no class names/);
  });
});
