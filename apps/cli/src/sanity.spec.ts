import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
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

  it('refuses a TensorFlow.js model with a clear message', async () => {
    const dir = await tempDir('limekit-sanity-');
    const tfjs = join(repoRoot, 'packages/model-tfjs/test/fixtures/graph-softmax/model.json');
    const r = await cli(['sanity', '--model', tfjs, '--image', demo('images/circle-1.png'), '--samples', '20', '--out', join(dir, 'out')]);
    expect(r.stderr).toMatch(/parameter randomisation works on ONNX \(\.onnx\) models only for now/);
    expect(r.code).toBe(3);
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });
});
