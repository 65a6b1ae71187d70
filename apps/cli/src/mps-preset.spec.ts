import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, demo, tempDir } from '../test/helpers.js';

const MODEL = demo('model/shapes.onnx');
const LABELS = demo('model/labels.json');
const IMAGE = demo('images/star-1.png');

describe('limekit explain --preset mps-lime', () => {
  it("runs MPS-LIME's clique sampler on the image's SLIC segments and stops when every clique is drawn", async () => {
    const out = join(await tempDir(), 'o');
    const r = await cli(['explain', '--model', MODEL, '--labels', LABELS, '--image', IMAGE, '--out', out, '--preset', 'mps-lime', '--samples', '5000', '--top-labels', '1']);
    expect(r.code).toBe(0);
    const json = JSON.parse(await readFile(join(out, 'explanation.json'), 'utf8'));
    expect(json.config.sampler.id).toBe('mps');
    const summary = json.sampler as { samples: number; cliques: number; cliquesBySize: number[]; exhausted: boolean };
    expect(summary.exhausted).toBe(true);
    expect(json.numSamples).toBe(summary.cliques + 1);
    expect(json.numSamples).toBeLessThan(5000);
    // One clique per segment, then the adjacent pairs.
    expect(summary.cliquesBySize[0]).toBe(json.numSegments);
    expect(summary.cliquesBySize[1]).toBeGreaterThanOrEqual(json.numSegments - 1);
  });

  it('writes standard errors when the surrogate is asked for them', async () => {
    const dir = await tempDir();
    const out = join(dir, 'o');
    await writeFile(join(dir, 'se.json'), JSON.stringify({ surrogate: { use: 'ridge', options: { alpha: 1, standardErrors: true } } }));
    const r = await cli(['explain', '--model', MODEL, '--labels', LABELS, '--image', IMAGE, '--out', out, '--preset', 'mps-lime', '--config', join(dir, 'se.json'), '--top-labels', '1']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/top segments: #\d+ [+−][\d.e-]+ ± [\d.e-]+/);
    const json = JSON.parse(await readFile(join(out, 'explanation.json'), 'utf8'));
    expect(json.labels[0].weightStd).toHaveLength(json.numSegments);
    expect(json.labels[0].weightStd.every((s: number) => Number.isFinite(s) && s >= 0)).toBe(true);
  });
});
