import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CENTRE_LABELS, CENTRE_MODEL, cli, demo, repoRoot, tempDir, writeSquareImages } from '../test/helpers.js';
import { run, type CliIo } from './index.js';
import { ProgressBar } from './progress.js';

const MODEL = demo('model/shapes.onnx');
const LABELS = demo('model/labels.json');
const CIRCLE = demo('images/circle-1.png');

describe('limekit segment --model: the segmentation explain will use', () => {
  it('writes the same segments.npy as explain with the same model, resizing, segmenter and seed', async () => {
    const dir = await tempDir();
    const same = ['--resize-to', '160', '--seed', '4', '--preset', 'lime-slic'];
    const e = await cli(['explain', '--model', MODEL, '--labels', LABELS, '--image', CIRCLE, '--out', join(dir, 'e'), '--samples', '20', '--top-labels', '1', '--quiet', ...same]);
    expect(e.code).toBe(0);
    const s = await cli(['segment', '--model', MODEL, '--image', CIRCLE, '--out', join(dir, 's'), ...same]);
    expect(s.code).toBe(0);
    expect(s.stdout).toMatch(/128×128/);
    const a = await readFile(join(dir, 'e', 'segments.npy'));
    const b = await readFile(join(dir, 's', 'segments.npy'));
    expect(b.equals(a)).toBe(true);
    const stretched = await cli(['segment', '--model', MODEL, '--image', CIRCLE, '--out', join(dir, 's2'), '--resize', 'stretch', '--preprocess', 'unit']);
    expect(stretched.code).toBe(0);
    expect((await readFile(join(dir, 's2', 'segments.npy'))).equals(a)).toBe(false);
  });

  it('refuses model options without --model, and --size with --model', async () => {
    const out = join(await tempDir(), 'o');
    for (const flag of [['--resize-to', '256'], ['--resize', 'stretch'], ['--preprocess', 'unit']]) {
      const r = await cli(['segment', '--image', CIRCLE, '--out', out, ...flag]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(new RegExp(`segment: ${flag[0]} needs --model`));
    }
    const both = await cli(['segment', '--image', CIRCLE, '--out', out, '--model', MODEL, '--size', '64x64']);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/give --size or --model, not both/);
  });
});

describe('limekit evaluate: exit codes', () => {
  async function plan(dir: string, models: unknown[]): Promise<string> {
    await writeSquareImages(dir, 2);
    const path = join(dir, 'plan.json');
    await writeFile(path, JSON.stringify({ models, images: [{ name: 'sq', dir: 'images' }], configs: [{ name: 'grid', segmenter: { use: 'grid', options: { nRows: 2, nCols: 2 } } }], seeds: [0], numSamples: 10, metrics: ['sparseness'] }));
    return path;
  }
  const centre = { name: 'centre', path: CENTRE_MODEL, preprocess: 'unit', labels: CENTRE_LABELS };

  it('exits 3 when rows failed on their images, 4 when on their model, and still writes the report', async () => {
    const dir = await tempDir();
    const path = await plan(dir, [centre]);
    await writeFile(join(dir, 'images', 'broken.png'), 'not a png');
    const r = await cli(['evaluate', '--plan', path, '--out', join(dir, 'out'), '--quiet']);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/evaluate: 1 of 3 rows failed \(0 on loading their model\).*results\.csv \(column "error"\)\. First: centre × sq\/broken\.png × grid/);
    expect((await readFile(join(dir, 'out', 'report.html'), 'utf8')).length).toBeGreaterThan(1000);

    const dir2 = await tempDir();
    await writeFile(join(dir2, 'fake.onnx'), 'not a model');
    const path2 = await plan(dir2, [centre, { name: 'fake', path: 'fake.onnx' }]);
    const r2 = await cli(['evaluate', '--plan', path2, '--out', join(dir2, 'out'), '--quiet']);
    expect(r2.code).toBe(4);
    expect(r2.stderr).toMatch(/2 of 4 rows failed \(2 on loading their model\)/);
  });

  it('exits 130 when cancelled (Ctrl-C), keeping what finished', async () => {
    const dir = await tempDir();
    const path = await plan(dir, [centre]);
    const controller = new AbortController();
    controller.abort();
    let stderr = '';
    const io: CliIo = { stdout: { write: () => true }, stderr: { write: (s: string) => (stderr += s), isTTY: false }, cwd: repoRoot, signal: controller.signal };
    const code = await run(['evaluate', '--plan', path, '--out', join(dir, 'out'), '--quiet'], io);
    expect(code).toBe(130);
    expect(stderr).toMatch(/evaluate: cancelled; the rows finished so far are kept: run the same command again to continue/);
  });
});

describe('limekit refit: readable numbers', () => {
  it('prints every segment by default with tiny weights in exponent form, or the --top K', async () => {
    const dir = await tempDir();
    const nb = join(dir, 'nb.json');
    // y = 1 + 3e-6 · x0 − 2e-7 · x2: weights far below 1e-4, which fixed-point printing turned into zeros.
    const X = Array.from({ length: 16 }, (_, i) => [i & 1, (i >> 1) & 1, (i >> 2) & 1, (i >> 3) & 1]);
    await writeFile(nb, JSON.stringify({ X, y: X.map((r) => 1 + 3e-6 * r[0] - 2e-7 * r[2]) }));
    await writeFile(join(dir, 'lin.json'), JSON.stringify({ surrogate: { use: 'linear' } }));
    const all = await cli(['refit', '--neighbourhood', nb, '--config', join(dir, 'lin.json')]);
    expect(all.code).toBe(0);
    const lines = all.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^label 0: linear, R² 1, intercept 1, local prediction 1$/);
    expect(lines.slice(1)).toHaveLength(4); // every segment
    expect(lines[1]).toMatch(/^ {2}#0 {2}\+3\.00e-6$/);
    expect(lines[2]).toMatch(/^ {2}#2 {2}−2\.00e-7$/);
    const top = await cli(['refit', '--neighbourhood', nb, '--config', join(dir, 'lin.json'), '--top', '1']);
    expect(top.stdout.trim().split('\n')).toEqual([lines[0], lines[1], '  … 3 more (--top to show more, --json for all)']);
    const bad = await cli(['refit', '--neighbourhood', nb, '--top', '0']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--top must be an integer >= 1, got "0"/);
  });
});

describe('progress off a terminal', () => {
  it('prints the first and last lines and at most one line per interval in between', () => {
    const lines: string[] = [];
    const io: CliIo = { stdout: { write: () => true }, stderr: { write: (s: string) => lines.push(s), isTTY: false }, cwd: '.' };
    const slow = new ProgressBar(io, 'explain', false, 60_000);
    for (let done = 0; done <= 1000; done += 10) slow.update({ phase: 'sample', done, total: 1000 });
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/ 0\/1000 samples/);
    expect(lines[1]).toMatch(/ 1000\/1000 samples/);
    lines.length = 0;
    const every = new ProgressBar(io, 'explain', false, 0);
    for (let done = 0; done <= 1000; done += 10) every.update({ phase: 'sample', done, total: 1000 });
    expect(lines).toHaveLength(11); // each 10 %
  });
});
