import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, demo, repoRoot, tempDir } from '../test/helpers.js';

const sha = async (p: string) => createHash('sha256').update(await readFile(p)).digest('hex');

describe('limekit sanity (Adebayo et al. 2018) on the demo model', () => {
  it('randomises layers from the output down in memory, leaves the file alone, and the explanation changes', async () => {
    const model = demo('model/shapes.onnx');
    const before = await sha(model);
    const out = join(await tempDir('limekit-sanity-'), 'out');
    const r = await cli(['sanity', '--model', model, '--labels', demo('model/labels.json'), '--preprocess', 'imagenet', '--image', demo('images/circle-1.png'), '--samples', '120', '--max-layers', '2', '--out', out, '--json', '--quiet']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(await sha(model)).toBe(before); // the file on disk is never changed
    const s = JSON.parse(r.stdout);
    expect(s.label.name).toBe('circle');
    expect(s.cascade.map((x: { step: number }) => x.step)).toEqual([1, 2]);
    expect(s.cascade[0].layer).toEqual(['head.weight', 'head.bias']); // the output layer first
    expect(s.independent[1].layer).toEqual(s.cascade[1].layer);
    // Randomising the classifier head changes LIME's explanation: far from identical (1).
    for (const step of [...s.cascade, ...s.independent]) {
      expect(step.spearman).toBeLessThan(0.9);
      expect(Math.abs(step.ssim)).toBeLessThanOrEqual(1);
      expect(step.topK).toBeGreaterThanOrEqual(0);
    }
    expect(s.randomLogit.other).not.toBe(s.label.index);
    for (const f of ['sanity.json', 'cascade.svg', 'sanity.html']) expect(existsSync(join(out, f))).toBe(true);
    const html = await readFile(join(out, 'sanity.html'), 'utf8');
    expect((html.match(/<img /g) ?? []).length).toBe(3); // original + 2 cascade steps
    expect(html).toMatch(/<svg/);
  }, 120_000);

  it('refuses a TensorFlow.js Graph model with a clear message, before writing anything', async () => {
    const dir = await tempDir('limekit-sanity-');
    const tfjs = join(repoRoot, 'packages/model-tfjs/test/fixtures/graph-softmax/model.json');
    const r = await cli(['sanity', '--model', tfjs, '--image', demo('images/circle-1.png'), '--samples', '20', '--out', join(dir, 'out')]);
    expect(r.stderr).toMatch(/Graph model: parameter randomisation works on ONNX and TensorFlow\.js Layers models only for now/);
    expect(r.code).toBe(3);
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });
});

describe('limekit sanity on the demo TensorFlow.js Layers model', () => {
  it('randomises the layers in memory (files unchanged) and the similarity falls over the cascade', async () => {
    const files = [demo('model/tfjs/model.json'), demo('model/tfjs/group1-shard1of1.bin')];
    const before = await Promise.all(files.map(sha));
    const out = join(await tempDir('limekit-sanity-'), 'out');
    const args = ['sanity', '--model', demo('model/tfjs'), '--labels', demo('model/labels.json'), '--preprocess', 'imagenet', '--image', demo('images/circle-1.png'), '--samples', '120', '--out', out, '--json', '--quiet'];
    const r = await cli(args);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(await Promise.all(files.map(sha))).toEqual(before); // the files on disk are never changed
    const s = JSON.parse(r.stdout);
    expect(s).toEqual(JSON.parse(await readFile(join(out, 'sanity.json'), 'utf8')));
    expect(s.label.name).toBe('circle');
    // conv1 bn1 … conv4 bn4 logits: 9 layers with parameters, the output layer first.
    expect(s.cascade.length).toBe(9);
    expect(s.cascade[0].layer).toEqual(['logits/kernel', 'logits/bias']);
    expect(s.cascade[8].layer).toEqual(['conv1/kernel']);
    expect(s.independent.length).toBe(9);
    // Measured (seed 0, 120 samples, 10 segments; tfjs 4.22.0 wasm): cascade ρ = −0.39, 0.22, 0.04,
    // −0.38, −0.15, 0.03, 0.28, 0.36, −0.09 and SSIM −0.03 … 0.37 at steps 1–9: the similarity falls
    // from 1 (the original) at the first step and stays far from it. It does not fall further
    // step by step (the head alone already turns the weights around, as on the ONNX export), so the
    // thresholds bound every step, with margin.
    for (const step of s.cascade) {
      expect(step.spearman).toBeLessThan(0.6);
      expect(step.ssim).toBeLessThan(0.6);
    }
    expect(Math.abs(s.cascade[8].spearman)).toBeLessThan(0.4); // every layer random: no rank agreement left
    // Randomising bn4 alone barely changes the explanation (measured ρ 0.98): independent steps are not all low.
    expect(s.independent[1].layer).toEqual(['bn4/gamma', 'bn4/beta']);
    for (const f of ['sanity.json', 'cascade.svg', 'sanity.html']) expect(existsSync(join(out, f))).toBe(true);
  }, 300_000);
});

describe('the evaluate metric mprt on the demo TensorFlow.js Layers model', () => {
  it('is computed (every layer randomised in memory) instead of refused', async () => {
    const dir = await tempDir('limekit-sanity-eval-');
    await mkdir(join(dir, 'images'));
    await copyFile(demo('images/circle-1.png'), join(dir, 'images/circle-1.png'));
    const plan = {
      models: [{ name: 'shapes-tfjs', path: demo('model/tfjs/model.json'), preprocess: 'imagenet', labels: demo('model/labels.json') }],
      images: [{ name: 'demo', dir: 'images' }],
      configs: [{ name: 'lime', preset: 'lime' }],
      seeds: [0],
      numSamples: 60,
      metrics: ['deletion', 'mprt'],
    };
    await writeFile(join(dir, 'plan.json'), JSON.stringify(plan));
    const before = await sha(demo('model/tfjs/group1-shard1of1.bin'));
    const r = await cli(['evaluate', '--plan', join(dir, 'plan.json'), '--out', join(dir, 'out'), '--quiet']);
    expect(r.code).toBe(0);
    const rows = (await readFile(join(dir, 'out/results.jsonl'), 'utf8')).split('\n').filter(Boolean).map((l) => JSON.parse(l));
    expect(rows).toHaveLength(1);
    expect(rows[0].error).toBeUndefined();
    // Measured ρ = −0.20 (seed 0, 60 samples); far from 1 (an explanation of the model would stay the same).
    expect(Math.abs(rows[0].metrics.mprt)).toBeLessThan(0.6);
    expect(await sha(demo('model/tfjs/group1-shard1of1.bin'))).toBe(before);
  }, 300_000);

  it('stays empty (not an error row) for a TensorFlow.js Graph model, whose weights have no layers', async () => {
    const dir = await tempDir('limekit-sanity-eval-');
    await mkdir(join(dir, 'images'));
    await copyFile(demo('images/circle-1.png'), join(dir, 'images/circle-1.png'));
    const plan = {
      models: [{ name: 'graph', path: join(repoRoot, 'packages/model-tfjs/test/fixtures/graph-softmax/model.json'), preprocess: 'unit' }],
      images: [{ name: 'demo', dir: 'images' }],
      configs: [{ name: 'lime', preset: 'lime' }],
      seeds: [0],
      numSamples: 30,
      metrics: ['deletion', 'mprt'],
    };
    await writeFile(join(dir, 'plan.json'), JSON.stringify(plan));
    const r = await cli(['evaluate', '--plan', join(dir, 'plan.json'), '--out', join(dir, 'out'), '--quiet']);
    expect(r.code).toBe(0);
    const rows = (await readFile(join(dir, 'out/results.jsonl'), 'utf8')).split('\n').filter(Boolean).map((l) => JSON.parse(l));
    expect(rows).toHaveLength(1);
    expect(rows[0].error).toBeUndefined();
    expect(Number.isFinite(rows[0].metrics.deletion)).toBe(true);
    expect(rows[0].metrics.mprt ?? null).toBeNull();
  }, 120_000);
});
