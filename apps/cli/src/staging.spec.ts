import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OutputStaging } from './staging.js';

describe('OutputStaging', () => {
  it('moves staged files (sub-folders too) into --out only on commit, replacing what it is told to', async () => {
    const root = await mkdtemp(join(tmpdir(), 'limekit-staging-'));
    const out = join(root, 'out');
    const staging = await OutputStaging.create(out);
    await staging.write('a.json', '{"a":1}\n');
    await staging.write('cat/b.npy', Uint8Array.from([1, 2, 3]));
    // Nothing reaches --out before the commit; the staging folder is hidden beside it.
    expect(await readdir(root)).toEqual([expect.stringMatching(/^\.out\.partial-/)]);
    expect(await staging.list('cat')).toEqual(['b.npy']);
    const moved = await staging.commit();
    expect(moved.sort()).toEqual([join(out, 'a.json'), join(out, 'cat')]);
    expect(await readFile(join(out, 'a.json'), 'utf8')).toBe('{"a":1}\n');
    expect([...(await readFile(join(out, 'cat/b.npy')))]).toEqual([1, 2, 3]);
    expect(await readdir(root)).toEqual(['out']);
    // A second run replaces the named entries and leaves the rest.
    await writeFile(join(out, 'keep.txt'), 'x');
    const again = await OutputStaging.create(out);
    await again.write('a.json', '{"a":2}\n');
    await again.commit(['a.json', 'cat']);
    expect((await readdir(out)).sort()).toEqual(['a.json', 'keep.txt']);
    expect(await readFile(join(out, 'a.json'), 'utf8')).toBe('{"a":2}\n');
  });

  it('throws everything staged away on discard, leaving --out as it was', async () => {
    const root = await mkdtemp(join(tmpdir(), 'limekit-staging-'));
    const staging = await OutputStaging.create(join(root, 'out'));
    await staging.write('a.json', '{}');
    await staging.discard();
    expect(await readdir(root)).toEqual([]);
  });
});
