import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, demo, tempDir } from '../test/helpers.js';

const MODEL = demo('model/shapes.onnx');
const LABELS = demo('model/labels.json');
const CIRCLE = demo('images/circle-1.png');

/** Writes a config file with the given baseline and returns its path. */
async function config(dir: string, baseline: unknown): Promise<string> {
  const path = join(dir, 'config.json');
  await writeFile(path, JSON.stringify({ preset: 'lime', baseline }));
  return path;
}

const explain = (cfg: string, out: string) =>
  cli(['explain', '--model', MODEL, '--labels', LABELS, '--image', CIRCLE, '--config', cfg, '--out', out, '--samples', '24', '--top-labels', '1', '--seed', '3', '--quiet']);

describe('limekit explain --config with a sample-dependent fill', () => {
  it('explains the demo image with the inpaint fill', async () => {
    const dir = await tempDir();
    const r = await explain(await config(dir, { use: 'inpaint', options: { radius: 3 } }), join(dir, 'out'));
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const exp = JSON.parse(await readFile(join(dir, 'out', 'explanation.json'), 'utf8'));
    expect(exp.config.baseline.id).toBe('inpaint');
    expect(exp.config.baseline.options.radius).toBe(3);
    expect(exp.numSamples).toBe(24);
  });

  it('explains the demo image with the dataset fill drawn from the demo images, reproducibly', async () => {
    const dir = await tempDir();
    const cfg = await config(dir, { use: 'dataset', options: { dir: demo('images') } });
    const a = await explain(cfg, join(dir, 'a'));
    expect(a.stderr).toBe('');
    expect(a.code).toBe(0);
    const b = await explain(cfg, join(dir, 'b'));
    expect(b.code).toBe(0);
    const read = async (d: string) => JSON.parse(await readFile(join(dir, d, 'explanation.json'), 'utf8'));
    const [ea, eb] = [await read('a'), await read('b')];
    expect(ea.config.baseline.id).toBe('dataset');
    expect(JSON.stringify(eb.labels)).toBe(JSON.stringify(ea.labels)); // same seed, same draws
    expect((await readFile(join(dir, 'b', 'attribution-0.npy'))).equals(await readFile(join(dir, 'a', 'attribution-0.npy')))).toBe(true);
  });

  it('fails with exit 3 and a clear message for a dataset folder without images, writing nothing', async () => {
    const dir = await tempDir();
    const empty = join(dir, 'empty');
    await mkdir(empty);
    await writeFile(join(empty, 'notes.txt'), 'no images here');
    const r = await explain(await config(dir, { use: 'dataset', options: { dir: empty } }), join(dir, 'out'));
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/dataset fill: dir must hold at least one image, got none in/);
    expect(await readdir(join(dir, 'out')).catch(() => [])).toEqual([]);
  });
});
