import { mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeFileAtomic } from './write-file-atomic.js';

const scratch = () => mkdtemp(join(tmpdir(), 'limekit-atomic-'));

describe('writeFileAtomic', () => {
  it('writes bytes, and strings as UTF-8, leaving only the file', async () => {
    const dir = await scratch();
    await writeFileAtomic(join(dir, 'a.bin'), Uint8Array.from([1, 2, 3]));
    await writeFileAtomic(join(dir, 'b.txt'), 'σ = 5 px\n');
    expect(Array.from(await readFile(join(dir, 'a.bin')))).toEqual([1, 2, 3]);
    expect(await readFile(join(dir, 'b.txt'), 'utf8')).toBe('σ = 5 px\n');
    expect((await readdir(dir)).sort()).toEqual(['a.bin', 'b.txt']);
  });

  it('a reader sees the old content or the new one, never a part', async () => {
    const dir = await scratch();
    const target = join(dir, 'big.bin');
    const previous = Buffer.alloc(8 << 20, 1);
    const next = Buffer.alloc(8 << 20, 2);
    await writeFile(target, previous);
    let finished = false;
    const writing = writeFileAtomic(target, next).finally(() => (finished = true));
    let reads = 0;
    while (!finished) {
      const seen = await readFile(target);
      reads++;
      expect(seen.equals(previous) || seen.equals(next), `read ${reads}: ${seen.length} bytes, first ${seen[0]}, last ${seen[seen.length - 1]}`).toBe(true);
    }
    await writing;
    expect((await readFile(target)).equals(next)).toBe(true);
    expect(await readdir(dir)).toEqual(['big.bin']);
  });

  it('removes its temporary file when writing fails, and leaves the old file as it was', async () => {
    const dir = await scratch();
    const target = join(dir, 'out.json');
    await writeFile(target, 'previous');
    // The temporary file exists by the time the content is rejected.
    await expect(writeFileAtomic(target, 42 as unknown as string)).rejects.toThrow();
    expect(await readFile(target, 'utf8')).toBe('previous');
    expect(await readdir(dir)).toEqual(['out.json']);
  });

  it('removes its temporary file when the rename fails (the target is a non-empty folder)', async () => {
    const dir = await scratch();
    const folder = join(dir, 'report.html');
    await mkdir(folder);
    await writeFile(join(folder, 'keep'), 'x');
    await expect(writeFileAtomic(folder, 'new')).rejects.toThrow(/EISDIR|ENOTEMPTY|EEXIST|EPERM/);
    expect(await readdir(dir)).toEqual(['report.html']);
    expect(await readdir(folder)).toEqual(['keep']);
  });

  it('creates no folder: a missing one is the caller\'s error (ENOENT)', async () => {
    const dir = await scratch();
    await expect(writeFileAtomic(join(dir, 'no', 'such', 'x.txt'), 'x')).rejects.toThrow(/ENOENT/);
    expect(await readdir(dir)).toEqual([]);
  });
});
