import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { UnknownComponentError } from '@limekit/core';
import { describe, expect, it } from 'vitest';
import { BUILTIN_PACKAGES, loadBuiltin } from './builtin-loaders.js';
import { builtinRegistry } from './builtins.js';
import { resolveConfig } from './compose.js';

describe('built-in components loaded per package', () => {
  it('the table and the full registry hold the same components, and each loads the same definition', async () => {
    const registry = builtinRegistry();
    const listed = BUILTIN_PACKAGES.flatMap((p) => p.provides).sort();
    const all = registry.list().map((d) => `${d.kind}:${d.id}`).sort();
    // A component in builtins.ts but not here is still found (through the full registry), only slower: add it to BUILTIN_PACKAGES.
    expect(listed).toEqual(all);
    expect(new Set(listed).size).toBe(listed.length);
    for (const p of BUILTIN_PACKAGES) {
      const defs = await p.load();
      expect(defs.map((d) => `${d.kind}:${d.id}`).sort()).toEqual([...p.provides].sort());
    }
    for (const d of registry.list()) {
      const lazy = await loadBuiltin(d.kind, d.id);
      expect(lazy?.id).toBe(d.id);
      expect(lazy?.kind).toBe(d.kind);
      expect(lazy?.defaults).toEqual(d.defaults);
      if (d.id !== 'dataset') expect(lazy).toBe(d); // the same module-level object (dataset's is made with its image reader)
    }
    expect(await loadBuiltin('sampler', 'sobolev')).toBeUndefined();
  });

  it('resolving a preset loads only the packages it names (in a fresh process)', async () => {
    const hook = fileURLToPath(new URL('../test/record-imports.mjs', import.meta.url));
    const index = fileURLToPath(new URL('./index.ts', import.meta.url));
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [
        '--conditions=@limekit/source',
        '--import',
        'tsx',
        '--import',
        hook,
        '--input-type=module',
        '-e',
        `const { resolveConfig } = await import(${JSON.stringify(index)});
const r = await resolveConfig({ preset: 'lime-slic' });
process.stdout.write(JSON.stringify({ ids: Object.values(r.components).map((c) => c.definition.id), imported: await globalThis.limekitImported() }));`,
      ],
      { timeout: 60_000 },
    );
    const { ids, imported } = JSON.parse(stdout) as { ids: string[]; imported: string[] };
    expect(ids).toEqual(expect.arrayContaining(['slic', 'bernoulli', 'exponential', 'ridge']));
    // What lime-slic names, and what those import…
    for (const p of ['@limekit/segmenter-slic', '@limekit/sampler-bernoulli', '@limekit/kernels', '@limekit/surrogate-ridge', '@limekit/baselines']) expect(imported).toContain(p);
    // …and none of the other component packages.
    for (const p of ['@limekit/segmenter-quickshift', '@limekit/segmenter-felzenszwalb', '@limekit/methods', '@limekit/sampler-glime', '@limekit/sampler-sobol', '@limekit/sampler-mps', '@limekit/surrogate-bayesian-ridge', '@limekit/sampler-adaptive']) {
      expect(imported).not.toContain(p);
    }
  });

  it('names the known ids of the kind for an unknown component, as the registry does', async () => {
    const err = await resolveConfig({ sampler: { use: 'sobolev' } }, { where: 'x.json' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnknownComponentError);
    const viaRegistry = await resolveConfig({ sampler: { use: 'sobolev' } }, { where: 'x.json', registry: builtinRegistry() }).catch((e: unknown) => e);
    expect((err as Error).message).toBe((viaRegistry as Error).message);
    expect((err as Error).message).toMatch(/unknown sampler "sobolev"\. Known samplers: adaptive, bernoulli/);
  });
});
