import { mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvalidOptionError, rgbImage, ShapeMismatchError } from '@limekit/core';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { encodePng, thumbnailPng, writeImageAtomic } from './encode.js';
import { loadImage } from './load.js';

const img = rgbImage(5, 3, Uint8Array.from({ length: 45 }, (_, i) => i * 5));

describe('encodePng', () => {
  it('encodes losslessly', async () => {
    const png = await encodePng(img);
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    const back = await sharp(png).raw().toBuffer();
    expect(back.equals(Buffer.from(img.data))).toBe(true);
  });

  it('rejects data of the wrong size', async () => {
    await expect(encodePng({ width: 5, height: 3, data: new Uint8Array(10) })).rejects.toThrow(ShapeMismatchError);
  });

  it('compresses at zlib level 3 (the zlib header of the first IDAT chunk says "fast", not "default")', async () => {
    const png = await encodePng(rgbImage(64, 48, Uint8Array.from({ length: 64 * 48 * 3 }, (_, i) => (i * 7) % 251)));
    const idat = png.indexOf('IDAT', 8, 'latin1');
    expect(idat).toBeGreaterThan(0);
    const [cmf, flg] = [png[idat + 4], png[idat + 5]];
    expect(cmf & 0x0f).toBe(8); // deflate
    // FLEVEL (RFC 1950): 0 fastest (level 0-1), 1 fast (2-5), 2 default (6), 3 maximum (7-9).
    expect(flg >> 6).toBe(1);
  });
});

describe('writeImageAtomic', () => {
  it('writes PNG (and JPEG/WebP by extension) and leaves no temporary file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'limekit-write-'));
    await writeImageAtomic(join(dir, 'x.png'), img);
    await writeImageAtomic(join(dir, 'x.webp'), img);
    await writeImageAtomic(join(dir, 'x.jpg'), img);
    expect((await readdir(dir)).sort()).toEqual(['x.jpg', 'x.png', 'x.webp']);
    expect(Buffer.from((await loadImage(join(dir, 'x.png'))).data).equals(Buffer.from(img.data))).toBe(true);
    expect(Buffer.from((await loadImage(join(dir, 'x.webp'))).data).equals(Buffer.from(img.data))).toBe(true);
    expect((await sharp(join(dir, 'x.jpg')).metadata()).format).toBe('jpeg');
  });

  it('replaces an existing file only with a complete one', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'limekit-write-'));
    const target = join(dir, 'out.png');
    await writeFile(target, 'previous');
    // Encoding fails (bad data): the old file stays as it was, nothing else appears.
    await expect(writeImageAtomic(target, { width: 5, height: 3, data: new Uint8Array(7) })).rejects.toThrow(ShapeMismatchError);
    expect(await readFile(target, 'utf8')).toBe('previous');
    // Renaming fails (the target is a non-empty folder): the temporary file is removed.
    const folder = join(dir, 'folder.png');
    await mkdir(folder);
    await writeFile(join(folder, 'keep'), 'x');
    await expect(writeImageAtomic(folder, img)).rejects.toThrow();
    expect((await readdir(dir)).sort()).toEqual(['folder.png', 'out.png']);
    await writeImageAtomic(target, img);
    expect((await readFile(target)).subarray(1, 4).toString()).toBe('PNG');
  });

  it('fails cleanly when the folder does not exist, and on an unknown extension', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'limekit-write-'));
    await expect(writeImageAtomic(join(dir, 'no', 'such', 'x.png'), img)).rejects.toThrow(/ENOENT/);
    await expect(writeImageAtomic(join(dir, 'x.bmp'), img)).rejects.toThrow(InvalidOptionError);
    await expect(writeImageAtomic(join(dir, 'x.bmp'), img)).rejects.toThrow(/must end in \.png, \.jpg, \.jpeg or \.webp, got "x\.bmp"/);
    expect(await readdir(dir)).toEqual([]);
  });
});

describe('thumbnailPng', () => {
  it('shrinks to the width and never enlarges', async () => {
    const big = rgbImage(400, 200, new Uint8Array(400 * 200 * 3).fill(50));
    expect(await sharp(await thumbnailPng(big, 100)).metadata()).toMatchObject({ width: 100, height: 50 });
    expect(await sharp(await thumbnailPng(img, 100)).metadata()).toMatchObject({ width: 5, height: 3 });
  });
});
