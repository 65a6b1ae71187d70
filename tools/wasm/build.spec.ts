import { execFile } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

describe('committed WebAssembly kernels', () => {
  // The segmenters run the base64 modules committed in src/*-wasm.generated.ts; this fails when a
  // wasm/*.as.ts source was edited without regenerating them (node tools/wasm/build.mjs).
  it('are exactly what their AssemblyScript sources compile to', async () => {
    const run = promisify(execFile);
    const { stdout, stderr } = await run(process.execPath, [resolve(root, 'tools/wasm/build.mjs'), '--check'], { cwd: root }).catch((err: { stdout?: string; stderr?: string; code?: number }) => {
      throw new Error(`build.mjs --check failed (exit ${err.code}): ${err.stderr ?? ''}${err.stdout ?? ''}`);
    });
    expect(stderr).toBe('');
    expect(stdout).toBe('');
  }, 120_000);
});
