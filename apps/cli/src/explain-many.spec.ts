import { existsSync } from 'node:fs';
import { copyFile, mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, demo, tempDir } from '../test/helpers.js';

const MODEL = demo('model/shapes.onnx');
const LABELS = demo('model/labels.json');
const CIRCLE = demo('images/circle-1.png');
const STAR = demo('images/star-1.png');
const common = ['--model', MODEL, '--labels', LABELS, '--samples', '60', '--top-labels', '1', '--seed', '4', '--quiet'];

const weightsOf = async (file: string): Promise<number[]> => JSON.parse(await readFile(file, 'utf8')).labels[0].weights;

describe('limekit explain on several images', () => {
  it('--image repeated: one sub-folder per image, each the same as explaining that image alone', async () => {
    const dir = await tempDir();
    const r = await cli(['explain', ...common, '--image', CIRCLE, '--image', STAR, '--out', join(dir, 'many')]);
    expect(r.stderr).not.toMatch(/error/i);
    expect(r.code).toBe(0);
    expect((await readdir(join(dir, 'many'))).sort()).toEqual(['circle-1', 'star-1']);
    for (const sub of ['circle-1', 'star-1']) {
      const files = await readdir(join(dir, 'many', sub));
      expect(files).toContain('explanation.json');
      expect(files).toContain('segments.npy');
      expect(files.filter((f) => f.endsWith('.png'))).toHaveLength(3);
    }
    expect(r.stdout).toMatch(/Wrote \d+ files to .*circle-1/);
    expect(r.stdout).toMatch(/Wrote \d+ files to .*star-1/);
    // Same seed, same image: the second image's explanation does not depend on the first.
    const alone = await cli(['explain', ...common, '--image', STAR, '--out', join(dir, 'alone')]);
    expect(alone.code).toBe(0);
    expect(await weightsOf(join(dir, 'many', 'star-1', 'explanation.json'))).toEqual(await weightsOf(join(dir, 'alone', 'explanation.json')));
    const json = JSON.parse(await readFile(join(dir, 'many', 'circle-1', 'explanation.json'), 'utf8'));
    expect(json.image.path).toBe(CIRCLE);
  });

  it('--images DIR: every image of the folder in name order, other files ignored, clashing names made unique', async () => {
    const dir = await tempDir();
    const imgs = join(dir, 'imgs');
    await mkdir(imgs);
    await copyFile(STAR, join(imgs, 'b.png'));
    await copyFile(CIRCLE, join(imgs, 'a.png'));
    await copyFile(CIRCLE, join(imgs, 'a.PNG.png'));
    await writeFile(join(imgs, 'notes.txt'), 'not an image');
    await mkdir(join(imgs, 'sub'));
    await copyFile(STAR, join(imgs, 'sub', 'c.png'));
    const r = await cli(['explain', ...common, '--images', imgs, '--out', join(dir, 'out'), '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.explanations.map((e: { image: { path: string } }) => e.image.path)).toEqual([join(imgs, 'a.PNG.png'), join(imgs, 'a.png'), join(imgs, 'b.png')]);
    expect((await readdir(join(dir, 'out'))).sort()).toEqual(['a', 'a.PNG', 'b']);
    expect(await weightsOf(join(dir, 'out', 'a', 'explanation.json'))).toEqual(await weightsOf(join(dir, 'out', 'a.PNG', 'explanation.json')));
  });

  it('two files with the same stem get distinct folders', async () => {
    const dir = await tempDir();
    await mkdir(join(dir, 'x'));
    await mkdir(join(dir, 'y'));
    await copyFile(CIRCLE, join(dir, 'x', 'pic.png'));
    await copyFile(STAR, join(dir, 'y', 'pic.png'));
    const r = await cli(['explain', ...common, '--image', join(dir, 'x', 'pic.png'), '--image', join(dir, 'y', 'pic.png'), '--out', join(dir, 'out')]);
    expect(r.code).toBe(0);
    expect((await readdir(join(dir, 'out'))).sort()).toEqual(['pic', 'pic-2']);
  });
});

describe('limekit explain on several images: bad input leaves nothing behind', () => {
  const expectFailure = async (args: string[], code: number, message: RegExp) => {
    const dir = await tempDir();
    const out = join(dir, 'out');
    const r = await cli(['explain', ...common, '--out', out, ...args]);
    expect(r.stderr).toMatch(message);
    expect(r.code).toBe(code);
    expect(existsSync(out)).toBe(false);
    expect((await readdir(dir)).filter((f) => f.includes('partial'))).toEqual([]);
  };

  it('a folder without images: exit 3, a clear message, nothing written', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'readme.txt'), 'no pictures here');
    await expectFailure(['--images', dir], 3, /--images folder .* holds no images \(files ending in \.jpg/);
  });

  it('a missing folder, a file given as --images, a missing or broken second image', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'text.png'), 'hello, I am not a picture\n');
    await expectFailure(['--images', join(dir, 'nope')], 3, /--images folder .*nope does not exist/);
    await expectFailure(['--images', CIRCLE], 3, /--images must be a folder of images/);
    await expectFailure(['--image', CIRCLE, '--image', join(dir, 'missing.png')], 3, /missing\.png does not exist/);
    await expectFailure(['--image', CIRCLE, '--image', join(dir, 'text.png')], 3, /text\.png/);
  });

  it('neither --image nor --images is a usage error', async () => {
    const r = await cli(['explain', '--model', MODEL, '--out', 'x']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/missing --image/);
  });
});
