import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { repoRoot, tempDir } from '../test/helpers.js';

const HOOK = join(repoRoot, 'apps/cli/test/loaded-packages.mjs');
const MAIN = join(repoRoot, 'apps/cli/src/main.ts');

/** Runs the CLI from source in a fresh process and returns the npm packages it loaded. */
async function loadedBy(args: string[]): Promise<string[]> {
  const { stderr } = await promisify(execFile)(process.execPath, ['--conditions=@limekit/source', '--import', 'tsx', '--import', HOOK, MAIN, ...args], { cwd: repoRoot });
  const line = stderr.split('\n').find((l) => l.startsWith('LOADED_PACKAGES '));
  expect(line, stderr).toBeDefined();
  return JSON.parse(line!.slice('LOADED_PACKAGES '.length));
}

// Start-up time is measured by `npm run bench`; here, what makes it: heavy runtimes stay unloaded
// until a command needs them.
describe('limekit start-up loads only what the command needs', () => {
  // sharp itself is an ES module; its native binding (@img/sharp-<platform>) is what require() loads.
  const heavy = (p: string) => /^(onnxruntime-node|@img\/sharp-|@tensorflow\/|tsyringe$|reflect-metadata$)/.test(p);

  it('--help and presets load no model runtime, image library or DI container', async () => {
    for (const args of [['--help'], ['presets']]) {
      const loaded = await loadedBy(args);
      expect(loaded.filter(heavy), args.join(' ')).toEqual([]);
    }
  });

  it('the probe sees what a command does load (segment loads sharp\'s binding)', async () => {
    const loaded = await loadedBy(['segment', '--image', join(repoRoot, 'demo/images/circle-1.png'), '--out', join(await tempDir(), 'seg'), '--segmenter', 'grid']);
    expect(loaded.some((p) => p.startsWith('@img/sharp-'))).toBe(true);
  });
});
