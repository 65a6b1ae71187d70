import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, demo, tempDir } from '../test/helpers.js';

// `limekit manifold` end to end on the bias lab (demo/bias-lab: 12 images, 64×64 CNN, ONNX and
// TensorFlow.js copies of the same weights). Configurations from demo/bias-lab/manifold/:
// `identical` is lime-slic with Bernoulli p = 1, so every mask row keeps every segment and each
// sample IS its real image (same explainer code path, nothing switched off); `constant` switches
// segments off to black. Thresholds:
// - identical: every held-out fold scores each image and its copies alike, so the AUC is 0.5 by
//   symmetry (ties count ½); asserted within 0.01;
// - constant: measured 0.99 with 50 samples per image (the remaining 0.01 is lime's first row, the
//   image itself, 1 sample in 50); asserted > 0.9 at 20 samples per image (row 0 is 1 in 20 there:
//   at most 0.975 + ties).
const BIASED = demo('bias-lab/biased.onnx');
const cfg = (name: string) => demo(`bias-lab/manifold/${name}.json`);
const EMBEDDING = '/ReduceMean_output_0';

interface Entry {
  auc: number;
  aucStd: number;
  accuracy: number;
  balancedAccuracy: number;
  chanceAccuracy: number;
  folds: { auc: number; nTest: number }[];
  images: number;
  perturbedSamples: number;
  identicalShare: number;
  confidence: { real: number; perturbed: number; shift: number; flipRate: number; perImage: unknown[] };
  projection: { source: string; real: number[][]; perturbed: number[][]; explainedVariance: number[] };
  featureNames: string[];
  config: { sampler: { id: string; options: { p: number } }; baseline: { id: string }; numSamples: number; seed: number };
}

async function readJson(out: string): Promise<{ settings: Record<string, unknown>; configs: Record<string, Entry> }> {
  return JSON.parse(await readFile(join(out, 'manifold.json'), 'utf8'));
}

describe('limekit manifold', () => {
  it('scores samples equal to the real images at AUC 0.5 and a black fill far above it (ONNX, with an embedding)', async () => {
    const out = join(await tempDir('limekit-manifold-'), 'out');
    const r = await cli(['manifold', '--model', BIASED, '--images', demo('bias-lab/images'), '--config', cfg('identical'), '--config', `black=${cfg('constant')}`, '--embedding', EMBEDDING, '--samples-per-image', '20', '--folds', '3', '--out', out, '--quiet']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/identical\s+AUC 0\.500/);
    const json = await readJson(out);
    expect(Object.keys(json.configs)).toEqual(['identical', 'black']);
    expect(json.settings).toMatchObject({ samplesPerImage: 20, folds: 3, seed: 0, embedding: EMBEDDING });
    const same = json.configs.identical, black = json.configs.black;
    // Each entry records the resolved configuration it measured.
    expect(same.config.sampler).toMatchObject({ id: 'bernoulli', options: { p: 1 } });
    expect(black.config.baseline.id).toBe('constant');
    expect(black.config.numSamples).toBe(20);
    expect(Math.abs(same.auc - 0.5)).toBeLessThan(0.01);
    expect(same.identicalShare).toBe(1);
    expect(Math.abs(same.confidence.shift)).toBeLessThan(1e-6);
    expect(black.auc).toBeGreaterThan(0.9);
    expect(black.auc - same.auc).toBeGreaterThan(0.35);
    // Lime's first row is the image itself: 1 sample in 20 per image.
    expect(Math.abs(black.identicalShare - 1 / 20)).toBeLessThan(1e-9);
    for (const e of [same, black]) {
      expect(e.images).toBe(12);
      expect(e.perturbedSamples).toBe(12 * 20);
      expect(e.folds.length).toBe(3);
      expect(e.folds.reduce((s, f) => s + f.nTest, 0)).toBe(12 * 21); // every sample held out once
      expect(e.projection.source).toBe('embedding');
      expect(e.projection.real.length).toBe(12);
      expect(e.projection.perturbed.length).toBe(240);
      // 12 image statistics, 3 output features, 2 probabilities, 64 embedding channels.
      expect(e.featureNames.length).toBe(12 + 3 + 2 + 64);
      expect(e.confidence.perImage.length).toBe(12);
    }
    const html = await readFile(join(out, 'report.html'), 'utf8');
    expect(html).toContain('<svg');
    expect(html).toContain('data-config="black"');
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href="http/); // opens from disk, nothing fetched
  }, 600_000);

  it('works with the TensorFlow.js copy of the model and a layer name as embedding', async () => {
    const out = join(await tempDir('limekit-manifold-tfjs-'), 'out');
    const r = await cli(['manifold', '--model', demo('bias-lab/tfjs/biased'), '--images', demo('bias-lab/images'), '--config', cfg('constant'), '--embedding', 'gap', '--samples-per-image', '8', '--folds', '2', '--out', out, '--quiet']);
    expect(r.code).toBe(0);
    const { configs } = await readJson(out);
    expect(configs.constant.featureNames.length).toBe(12 + 3 + 2 + 64);
    expect(configs.constant.auc).toBeGreaterThan(0.8);
    // The same weights as biased.onnx: the real images' confidence agrees with the ONNX model's.
    const onnxOut = join(await tempDir('limekit-manifold-onnx-'), 'out');
    expect((await cli(['manifold', '--model', BIASED, '--images', demo('bias-lab/images'), '--config', cfg('constant'), '--samples-per-image', '8', '--folds', '2', '--out', onnxOut, '--quiet'])).code).toBe(0);
    const onnx = (await readJson(onnxOut)).configs.constant;
    expect(Math.abs(onnx.confidence.real - configs.constant.confidence.real)).toBeLessThan(1e-3);
    // Without --embedding the picture projects the detector's features.
    expect(onnx.projection.source).toBe('features');
  }, 600_000);

  it('refuses an unknown embedding name, listing valid ones (exit 3, nothing written)', async () => {
    const out = join(await tempDir('limekit-manifold-bad-'), 'out');
    const r = await cli(['manifold', '--model', demo('model/shapes.onnx'), '--images', demo('images'), '--config', cfg('constant'), '--embedding', 'penultimate', '--folds', '4', '--samples-per-image', '4', '--out', out]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/embedding must name a tensor of model .*shapes\.onnx, got "penultimate"\. Valid names include: .*"\/ReduceMean_output_0", "logits"/);
    expect(existsSync(out)).toBe(false);
  }, 120_000);

  it('refuses a folder without images and too few images for the folds (exit 3, nothing written)', async () => {
    const dir = await tempDir('limekit-manifold-empty-');
    await mkdir(join(dir, 'empty'));
    await writeFile(join(dir, 'empty', 'notes.txt'), 'no images here');
    const out = join(dir, 'out');
    let r = await cli(['manifold', '--model', demo('model/shapes.onnx'), '--images', join(dir, 'empty'), '--config', cfg('constant'), '--out', out]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/--images folder .*empty must hold images \(files ending in .*\), got none/);
    // demo/images holds 8 images: 5 folds of at least 2 need 10.
    r = await cli(['manifold', '--model', demo('model/shapes.onnx'), '--images', demo('images'), '--config', cfg('constant'), '--folds', '5', '--out', out]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/--folds 5 needs at least 10 images, got 8 in .*images\. Use --folds 4 or fewer, or more images\./);
    r = await cli(['manifold', '--model', demo('model/shapes.onnx'), '--images', demo('images'), '--config', cfg('constant'), '--config', cfg('constant'), '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/two configurations are named "constant"/);
    expect(existsSync(out)).toBe(false);
  }, 120_000);
});
