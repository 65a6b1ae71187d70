import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Tree } from '@nx/devkit';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { resolveConfig } from '@limekit/lime';
import { builtinRegistry } from '@limekit/lime/catalogue';
import { afterAll, describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
const generator = require('./index.cjs') as (tree: Tree, options: Record<string, unknown>) => Promise<() => void>;
const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const KINDS = ['sampler', 'segmenter', 'kernel', 'surrogate', 'baseline'] as const;

function workspaceTree(): Tree {
  const tree = createTreeWithEmptyWorkspace();
  for (const f of ['packages/lime/src/builtins.ts', 'packages/lime/package.json']) tree.write(f, readFileSync(join(repo, f), 'utf8'));
  return tree;
}

describe('@limekit/tools:component generator', () => {
  const scratch = join(repo, 'packages', `.gen-test-${process.pid}`);
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('scaffolds every kind in the house style and registers it by id', async () => {
    const tree = workspaceTree();
    for (const kind of KINDS) await generator(tree, { kind, name: 'my-thing' });
    for (const kind of KINDS) {
      const root = `packages/${kind}-my-thing`;
      for (const f of ['package.json', 'tsconfig.json', 'tsconfig.lib.json', 'vitest.config.mts', 'README.md', 'src/index.ts', 'src/component.ts', `src/my-thing-${kind}.ts`, `src/my-thing-${kind}.spec.ts`]) {
        expect(tree.exists(`${root}/${f}`), `${root}/${f}`).toBe(true);
      }
      // Registration is generic (registerComponent in @limekit/lime): the definition is the registration shape.
      expect(tree.exists(`${root}/src/register.ts`)).toBe(false);
      expect(tree.read(`${root}/src/component.ts`, 'utf-8')).toContain(`kind: '${kind}'`);
      expect(JSON.parse(tree.read(`${root}/package.json`, 'utf-8')!).peerDependencies?.tsyringe).toBeUndefined();
      expect(JSON.parse(tree.read(`${root}/package.json`, 'utf-8')!).name).toBe(`@limekit/${kind}-my-thing`);
      expect(tree.read(`${root}/src/component.ts`, 'utf-8')).toContain(`id: 'my-thing'`);
      expect(tree.read(`${root}/README.md`, 'utf-8')).toContain('## References');
      expect(tree.read(`${root}/src/my-thing-${kind}.ts`, 'utf-8')).toContain(`export const DEFAULT_MY_THING_OPTIONS`);
    }
    const builtins = tree.read('packages/lime/src/builtins.ts', 'utf-8')!;
    expect(builtins).toContain(`import { myThingSamplerComponent } from '@limekit/sampler-my-thing';`);
    expect(builtins).toMatch(/myThingSurrogateComponent,\n\s+myThingBaselineComponent,\n\s+\/\/ <generator:components>/);
    expect(JSON.parse(tree.read('packages/lime/package.json', 'utf-8')!).dependencies['@limekit/kernel-my-thing']).toBe('0.1.0');
    await expect(generator(tree, { kind: 'sampler', name: 'my-thing' })).rejects.toThrow(/already exists/);
    await expect(generator(tree, { kind: 'metric', name: 'x' })).rejects.toThrow(/--kind must be one of/);
    await expect(generator(tree, { kind: 'sampler', name: 'Bad Name' })).rejects.toThrow(/kebab-case/);
  });

  it('generates packages that type-check, pass their own tests and load from a config by id', async () => {
    const tree = workspaceTree();
    mkdirSync(scratch, { recursive: true });
    const roots: string[] = [];
    for (const kind of KINDS) {
      await generator(tree, { kind, name: 'fresh', register: false });
      const from = `packages/${kind}-fresh`;
      const to = join(scratch, `${kind}-fresh`);
      for (const change of tree.listChanges()) {
        if (!change.path.startsWith(from + '/') || !change.content) continue;
        const target = join(to, change.path.slice(from.length + 1));
        mkdirSync(dirname(target), { recursive: true });
        // The scratch folder is one level deeper than packages/<name>: fix the relative paths.
        writeFileSync(target, change.content.toString().replace(/\.\.\/\.\.\/(tsconfig\.base\.json|vitest\.shared\.mjs)/g, '../../../$1'));
      }
      roots.push(to);
    }
    const tsc = join(repo, 'node_modules/typescript/bin/tsc');
    for (const root of roots) execFileSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.json'), '--noEmit'], { cwd: repo, stdio: 'pipe' });
    const vitest = join(repo, 'node_modules/vitest/vitest.mjs');
    for (const root of roots) {
      const raw = execFileSync(process.execPath, [vitest, 'run', '--root', root], { cwd: repo, encoding: 'utf8', stdio: 'pipe', env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' } });
      const out = raw.replace(/\u001b\[[0-9;]*m/g, ''); // no colour codes between words
      expect(out).toMatch(/Tests\s+\d+ passed/);
      expect(out).not.toMatch(/failed/);
    }
    const mod = await import(pathToFileURL(join(scratch, 'sampler-fresh/src/index.ts')).href);
    const registry = builtinRegistry().add(mod.freshSamplerComponent);
    const resolved = await resolveConfig({ sampler: { use: 'fresh', options: { p: 0.3 } } }, { registry: registry.has('segmenter', 'quickshift') ? registry : registry.addAll([stub('segmenter', 'quickshift'), stub('surrogate', 'ridge')]) });
    expect(resolved.components.sampler.definition.id).toBe('fresh');
  }, 240_000);
});

function stub(kind: 'segmenter' | 'surrogate', id: string) {
  return { kind, id, description: 'stub', defaults: { kernelSize: 0, maxDist: 0, ratio: 0, alpha: 0 }, create: () => ({ id }) } as never;
}
