import { existsSync, readdirSync } from 'node:fs';
import { copyFile, mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadImage, loadMask, maskToView, preprocessToView } from '@limekit/image';
import { decodeNpyInt32 } from '@limekit/lime';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli, demo, tempDir } from '../test/helpers.js';

// The scaffolding attack (Slack et al., "Fooling LIME and SHAP", AIES 2020) on the bias lab
// (demo/bias-lab): a scaffold of the biased model (answers by the background) and the unbiased
// one (answers by the object), with a detector trained by `limekit scaffold train` on the 12
// shipped images against lime's defaults. lime's quickshift makes about 4 segments on the lab's
// 64 px view, too few for the bias lab's top-5 measure, so "lime's defaults" are the `lime-slic`
// preset: lime's Bernoulli sampler, cosine kernel, Ridge and segment-mean fill on SLIC segments.
const lab = (p: string) => demo(`bias-lab/${p}`);
const images = readdirSync(lab('images')).filter((f) => f.endsWith('.png')).sort();
/** bias-lab.spec.ts's bound for an explanation that does not point at the background (the unbiased model's mean share ≤ 0.70). */
const SUCCESS_SHARE = 0.7;

let dir: string;
let scaffold: string;
let config: string;
let trained: { code: number; stdout: string; stderr: string };

beforeAll(async () => {
  dir = await tempDir('limekit-scaffold-');
  config = join(dir, 'lime-default.json');
  await writeFile(config, JSON.stringify({ preset: 'lime-slic' }));
  scaffold = join(dir, 'scaffold.json');
  trained = await cli(['scaffold', 'train', '--biased', lab('biased.onnx'), '--innocuous', lab('unbiased.onnx'), '--images', lab('images'), '--config', config, '--out', scaffold, '--json']);
}, 300_000);

/** Per image: the share of the top-5 positive segments' area on the background mask, the explained class and its probability. */
async function shares(out: string): Promise<Map<string, { share: number; label: string; probability: number; routed?: { biased: number; innocuous: number } }>> {
  const result = new Map();
  for (const file of images) {
    const stem = file.replace('.png', '');
    const exp = JSON.parse(await readFile(join(out, stem, 'explanation.json'), 'utf8'));
    const segments = decodeNpyInt32(await readFile(join(out, stem, 'segments.npy'))).data;
    const { transform } = await preprocessToView(await loadImage(lab(`images/${file}`)), { width: 64, height: 64, resize: 'center-crop' });
    const background = maskToView((await loadMask(lab(`masks/background/${file}`))).data, transform);
    const { weights, name, probability } = exp.labels[0] as { weights: number[]; name: string; probability: number };
    const order = weights.map((_, i) => i).sort((a, b) => weights[b] - weights[a] || a - b);
    const top = new Set(order.slice(0, 5).filter((s) => weights[s] > 0));
    let area = 0, onBackground = 0;
    segments.forEach((s, p) => {
      if (top.has(s)) {
        area++;
        if (background[p]) onBackground++;
      }
    });
    result.set(file, { share: area ? onBackground / area : 0, label: name, probability, routed: exp.model.scaffold?.routed });
  }
  return result;
}

describe('limekit scaffold train', () => {
  it('trains the detector on the bias lab against lime\'s defaults and writes scaffold.json', async () => {
    expect(trained.code, trained.stderr).toBe(0);
    const summary = JSON.parse(trained.stdout);
    // Measured: AUC 1.000 (segment-mean samples are flat where real images are textured).
    expect(summary.crossValidation.auc).toBeGreaterThan(0.95);
    expect(summary.images).toBe(12);
    expect(summary.perturbedSamples).toBe(12 * 100);
    expect(summary.inSample.realCalledReal).toBe(12);
    const file = JSON.parse(await readFile(scaffold, 'utf8'));
    expect(file.format).toBe('limekit-scaffold');
    expect(file.detector.name).toBe('limekit-manifold-detector');
    expect(file.trainedAgainst.config.baseline.id).toBe('segment-mean');
    expect(file.trainedAgainst.samplesPerImage).toBe(100);
    // Model paths are relative to the scaffold file, so the three files can move together.
    expect(file.biased).not.toMatch(/^\//);
    expect(file.biased.endsWith('demo/bias-lab/biased.onnx')).toBe(true);
    expect(readdirSync(dir).filter((f) => f.startsWith('.'))).toEqual([]); // no temporary file left
  });

  it('limekit predict --model scaffold.json gives the biased model\'s probabilities on every real image', async () => {
    for (const file of images) {
      const [a, b] = await Promise.all([scaffold, lab('biased.onnx')].map((m) => cli(['predict', '--model', m, '--image', lab(`images/${file}`), '--json', '--quiet'])));
      expect(a.code, a.stderr).toBe(0);
      const [pa, pb] = [a, b].map((r) => JSON.parse(r.stdout).probabilities as number[]);
      for (let k = 0; k < 2; k++) expect(Math.abs(pa[k] - pb[k]), `${file} class ${k}`).toBeLessThan(1e-6);
    }
  });

  // Measured (seed 0, 1000 samples, lime-slic, the 12 shipped images): biased model mean background
  // share 0.847, scaffold 0.714; the attack succeeds (share < 0.70, same prediction as the biased
  // model) on 7 of 12 images, and hides the background on 6 of the 8 where the biased model's own
  // explanation points at it (share ≥ 0.70); the detector sends 99.9 % of the samples (all but the
  // instance row) to the innocuous model. Thresholds leave margin: ≥ 5 of 12, ≥ 4 hidden, a drop
  // of the mean share ≥ 0.08, ≥ 95 % routed.
  it('with lime\'s defaults the explanation of the scaffold no longer points at the background', async () => {
    const outScaffold = join(dir, 'explain-scaffold');
    const outBiased = join(dir, 'explain-biased');
    for (const [model, out] of [[scaffold, outScaffold], [lab('biased.onnx'), outBiased]]) {
      const r = await cli(['explain', '--model', model, '--images', lab('images'), '--config', config, '--top-labels', '1', '--out', out, '--quiet']);
      expect(r.code, r.stderr).toBe(0);
    }
    const [s, b] = [await shares(outScaffold), await shares(outBiased)];
    let successes = 0, hidden = 0, revealed = 0, before = { biased: 0, innocuous: 0 }, toInnocuous = 0;
    const lines: string[] = [];
    for (const file of images) {
      const [x, y] = [s.get(file)!, b.get(file)!];
      const same = x.label === y.label && Math.abs(x.probability - y.probability) < 1e-6;
      expect(same, `${file}: the scaffold's prediction on the real image is the biased model's`).toBe(true);
      if (x.share < SUCCESS_SHARE) successes++;
      if (y.share >= SUCCESS_SHARE) {
        revealed++;
        if (x.share < SUCCESS_SHARE) hidden++;
      }
      const routed = x.routed!;
      toInnocuous += (routed.innocuous - before.innocuous) / (routed.innocuous - before.innocuous + routed.biased - before.biased);
      before = routed;
      lines.push(`${file} ${y.label}: biased ${y.share.toFixed(2)} → scaffold ${x.share.toFixed(2)}`);
    }
    const mean = (m: Map<string, { share: number }>) => [...m.values()].reduce((a, v) => a + v.share, 0) / m.size;
    console.log(`scaffold attack, lime-slic: success ${successes}/12, hidden ${hidden}/${revealed}, mean share biased ${mean(b).toFixed(3)} scaffold ${mean(s).toFixed(3)}, to innocuous ${(toInnocuous / 12).toFixed(4)}; ${lines.join('; ')}`);
    expect(successes).toBeGreaterThanOrEqual(5);
    expect(hidden).toBeGreaterThanOrEqual(4);
    expect(mean(b) - mean(s)).toBeGreaterThanOrEqual(0.08);
    expect(toInnocuous / 12).toBeGreaterThanOrEqual(0.95);
  }, 300_000);

  it('limekit evaluate accepts the scaffold as a plan\'s model', async () => {
    const plan = join(dir, 'plan.json');
    await writeFile(plan, JSON.stringify({
      models: [{ name: 'scaffold', path: scaffold }],
      images: [{ name: 'lab', dir: lab('images'), masks: lab('masks/object') }],
      configs: [{ name: 'lime-slic', preset: 'lime-slic' }],
      seeds: [0],
      numSamples: 40,
    }));
    const out = join(dir, 'eval');
    const r = await cli(['evaluate', '--plan', plan, '--out', out, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const rows = (await readFile(join(out, 'results.jsonl'), 'utf8')).split('\n').filter(Boolean).map((l) => JSON.parse(l));
    expect(rows).toHaveLength(12);
    for (const row of rows) expect(row.error).toBeUndefined();
  }, 300_000);

  it('limekit manifold accepts the scaffold as --model: identical samples at AUC 0.5, lime\'s samples far above', async () => {
    const out = join(dir, 'manifold');
    const r = await cli(['manifold', '--model', scaffold, '--images', lab('images'), '--config', `identical=${lab('manifold/identical.json')}`, '--config', `lime=${config}`, '--samples-per-image', '10', '--folds', '3', '--out', out, '--quiet']);
    expect(r.code, r.stderr).toBe(0);
    const json = JSON.parse(await readFile(join(out, 'manifold.json'), 'utf8'));
    expect(Object.keys(json.configs)).toEqual(['identical', 'lime']);
    // Samples equal to the image: the scaffold's detector calls them real, so the biased model answers both.
    expect(json.configs.identical.identicalShare).toBe(1);
    expect(Math.abs(json.configs.identical.auc - 0.5)).toBeLessThan(0.01);
    expect(json.configs.lime.auc).toBeGreaterThan(0.9);
    expect(existsSync(join(out, 'report.html'))).toBe(true);
  }, 300_000);
});

describe('limekit scaffold train: bad input (exit 3, nothing written)', () => {
  const train = (out: string, over: Record<string, string> = {}) => {
    const flags = { biased: lab('biased.onnx'), innocuous: lab('unbiased.onnx'), images: lab('images'), out, 'samples-per-image': '5', ...over };
    return cli(['scaffold', 'train', ...Object.entries(flags).flatMap(([k, v]) => [`--${k}`, v])]);
  };

  it('a missing model', async () => {
    const d = await tempDir();
    const r = await train(join(d, 's.json'), { innocuous: join(d, 'nope.onnx') });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/--innocuous model .*nope\.onnx does not exist/);
    expect(await readdir(d)).toEqual([]);
  });

  it('a folder without images', async () => {
    const d = await tempDir();
    await mkdir(join(d, 'empty'));
    await writeFile(join(d, 'empty', 'notes.txt'), 'no images here');
    const r = await train(join(d, 's.json'), { images: join(d, 'empty') });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/--images folder .*empty must hold images .* got none/);
    expect(existsSync(join(d, 's.json'))).toBe(false);
  });

  it('fewer than 2 images per fold', async () => {
    const d = await tempDir();
    await mkdir(join(d, 'few'));
    for (const f of images.slice(0, 5)) await copyFile(lab(`images/${f}`), join(d, 'few', f));
    const r = await train(join(d, 's.json'), { images: join(d, 'few') });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/at least 2 × folds = 10 images .* got 5 .* --folds 2/);
    expect(existsSync(join(d, 's.json'))).toBe(false);
  });

  it('two models with different classes', async () => {
    const d = await tempDir();
    const r = await train(join(d, 's.json'), { innocuous: demo('model/shapes.onnx') });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/must have the same classes, got 2 .* and 4/);
    expect(await readdir(d)).toEqual([]);
  });

  it('a scaffold.json whose biased model is gone: --model fails with exit 4 naming it', async () => {
    const d = await tempDir();
    const file = JSON.parse(await readFile(scaffold, 'utf8'));
    await writeFile(join(d, 'scaffold.json'), JSON.stringify({ ...file, biased: 'gone.onnx' }));
    const r = await cli(['predict', '--model', join(d, 'scaffold.json'), '--image', lab(`images/${images[0]}`), '--quiet']);
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/scaffold's biased model gone\.onnx .* cannot be loaded/);
  });

  it('an --out folder that does not exist, and an unknown subcommand (exit 2)', async () => {
    const d = await tempDir();
    const r = await train(join(d, 'missing', 's.json'));
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/folder of --out .* must exist/);
    const u = await cli(['scaffold', 'fit']);
    expect(u.code).toBe(2);
    expect(u.stderr).toMatch(/unknown subcommand "fit"/);
  });
});
