import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeNpyInt32 } from '@limekit/lime';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { cli, demo, tempDir } from '../test/helpers.js';

const fixture = (n: string) => fileURLToPath(new URL(`../test/fixtures/${n}`, import.meta.url));

describe('limekit segment', () => {
  it('writes segments.npy at the image size and prints count and time as JSON', async () => {
    const out = join(await tempDir(), 'seg');
    const r = await cli(['segment', '--image', demo('images/star-1.png'), '--out', out, '--segmenter', 'slic', '--json']);
    expect(r.code).toBe(0);
    const { count, seconds } = JSON.parse(r.stdout);
    expect(Number.isInteger(count) && count > 1).toBe(true);
    expect(seconds).toBeGreaterThan(0);
    const npy = decodeNpyInt32(await readFile(join(out, 'segments.npy')));
    const meta = await sharp(demo('images/star-1.png')).metadata();
    expect(npy.shape).toEqual([meta.height, meta.width]);
    expect(Math.max(...npy.data)).toBe(count - 1);
    const png = await sharp(join(out, 'segments.png')).metadata();
    expect([png.width, png.height]).toEqual([meta.width, meta.height]);
  });

  it('segments at --size and rejects bad options naming them', async () => {
    const out = join(await tempDir(), 'seg');
    const r = await cli(['segment', '--image', demo('images/star-1.png'), '--out', out, '--size', '64x48', '--json']);
    expect(r.code).toBe(0);
    expect(decodeNpyInt32(await readFile(join(out, 'segments.npy'))).shape).toEqual([48, 64]);
    const bad = await cli(['segment', '--image', demo('images/star-1.png'), '--out', out, '--size', '64by48']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--size must be WxH/);
    const dir = await tempDir();
    const cfg = join(dir, 'c.json');
    await (await import('node:fs/promises')).writeFile(cfg, JSON.stringify({ segmenter: { use: 'quickshift', options: { kernelSize: 0 } } }));
    const badOpt = await cli(['segment', '--image', demo('images/star-1.png'), '--out', out, '--config', cfg]);
    expect(badOpt.code).toBe(3);
    expect(badOpt.stderr).toMatch(/kernelSize must be >= 1, got 0/);
  });
});

describe('limekit predict', () => {
  it('prints the top classes as JSON with all probabilities', async () => {
    const r = await cli(['predict', '--model', demo('model/shapes.onnx'), '--labels', demo('model/labels.json'), '--image', demo('images/star-1.png'), '--top', '2', '--json']);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.top).toHaveLength(2);
    expect(json.top[0].name).toBe('star');
    expect(json.probabilities).toHaveLength(4);
    expect(Math.abs(json.probabilities.reduce((a: number, b: number) => a + b, 0) - 1)).toBeLessThan(1e-5);
  });

  it('reads the TensorFlow.js demo model (model.json) and agrees with the ONNX one; a bad --backend is named', async () => {
    const args = ['--image', demo('images/triangle-2.png'), '--json'];
    const onnx = JSON.parse((await cli(['predict', '--model', demo('model/shapes.onnx'), ...args])).stdout);
    const r = await cli(['predict', '--model', demo('model/tfjs/model.json'), '--backend', 'wasm', ...args]);
    expect(r.code).toBe(0);
    const tfjs = JSON.parse(r.stdout);
    expect(tfjs.top[0].name).toBe('triangle'); // class names from model.json's userDefinedMetadata
    expect(tfjs.top[0].index).toBe(onnx.top[0].index);
    tfjs.probabilities.forEach((p: number, i: number) => expect(Math.abs(p - onnx.probabilities[i])).toBeLessThan(1e-4));
    const bad = await cli(['predict', '--model', demo('model/tfjs'), '--backend', 'webgl', ...args]);
    expect(bad.code).toBe(3);
    expect(bad.stderr).toMatch(/backend must be one of auto, tensorflow, wasm, cpu, got "webgl"/);
  });

  it('--resize and --resize-to change what the model sees; a margin smaller than the view is refused', async () => {
    const run = async (...extra: string[]) => cli(['predict', '--model', demo('model/shapes.onnx'), '--image', demo('images/star-1.png'), '--json', ...extra]);
    const base = JSON.parse((await run()).stdout).probabilities as number[];
    const margin = JSON.parse((await run('--resize-to', '160')).stdout).probabilities as number[];
    const stretch = JSON.parse((await run('--resize', 'stretch')).stdout).probabilities as number[];
    const diff = (a: number[], b: number[]) => Math.max(...a.map((v, i) => Math.abs(v - b[i])));
    expect(diff(base, margin)).toBeGreaterThan(1e-6);
    expect(diff(base, stretch)).toBeGreaterThan(1e-6);
    const small = await run('--resize-to', '100');
    expect(small.code).toBe(3);
    expect(small.stderr).toMatch(/resizeTo must be null or at least the model's larger input side \(128\), got 100/);
    const both = await run('--resize', 'stretch', '--resize-to', '160');
    expect(both.code).toBe(3);
    expect(both.stderr).toMatch(/resizeTo: only applies to resize "center-crop"/);
  });
});

describe('limekit refit', () => {
  it("loads a neighbourhood in scikit-learn's names as it is and refits it like scikit-learn", async () => {
    // scikit-learn 1.2.1: Ridge(alpha=1.0).fit(X, y, sample_weight) and Lasso(alpha=0.001) on this file.
    const path = fixture('neighbourhood-p1.json');
    const ref = JSON.parse(await readFile(path, 'utf8')).fits;
    const ridge = JSON.parse((await cli(['refit', '--neighbourhood', path, '--json'])).stdout);
    ref['Ridge(alpha=1.0)'].coef.forEach((c: number, j: number) => expect(Math.abs(ridge.coef[j] - c)).toBeLessThan(1e-8));
    expect(Math.abs(ridge.intercept - ref['Ridge(alpha=1.0)'].intercept)).toBeLessThan(1e-8);
    const dir = await tempDir();
    const cfg = join(dir, 'lasso.json');
    await (await import('node:fs/promises')).writeFile(cfg, JSON.stringify({ surrogate: { use: 'lasso', options: { alpha: 0.001 } } }));
    const lasso = JSON.parse((await cli(['refit', '--neighbourhood', path, '--config', cfg, '--json'])).stdout);
    ref['Lasso(alpha=0.001)'].coef.forEach((c: number, j: number) => expect(Math.abs(lasso.coef[j] - c)).toBeLessThan(1e-6 * Math.max(1, Math.abs(c))));
    const fs = join(dir, 'fs.json');
    await (await import('node:fs/promises')).writeFile(fs, JSON.stringify({ featureSelection: { use: 'highest_weights' }, numFeatures: 5 }));
    const sel = JSON.parse((await cli(['refit', '--neighbourhood', path, '--config', fs, '--json'])).stdout);
    const lime = JSON.parse(await readFile(path, 'utf8')).lime.feature_selection.highest_weights.features;
    expect([...sel.features].sort((a: number, b: number) => a - b)).toEqual([...lime].sort((a: number, b: number) => a - b));
    expect(sel.coef.filter((c: number) => c !== 0)).toHaveLength(5);
  });

  it('names a malformed neighbourhood file', async () => {
    const dir = await tempDir();
    const bad = join(dir, 'bad.json');
    await (await import('node:fs/promises')).writeFile(bad, JSON.stringify({ X: [[1, 0], [0, 1]], y: [1] }));
    const r = await cli(['refit', '--neighbourhood', bad]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/"y" must have one entry per row of X \(2\), got 1/);
  });
});
