import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { run, type CliIo } from '../src/index.js';

/** The repository root (demo/ lives there). */
export const repoRoot = resolve(fileURLToPath(new URL('../../..', import.meta.url)));
export const demo = (p: string) => join(repoRoot, 'demo', p);
/**
 * The real pretrained ImageNet classifiers, kept OUTSIDE the repository (never copied in):
 * LIMEKIT_IMAGENET_MODELS, else ../shared/models/imagenet beside the repository. Tests that read
 * them skip with a printed reason when the folder is absent (as in a user's clone).
 */
export const IMAGENET_MODELS = process.env.LIMEKIT_IMAGENET_MODELS ?? resolve(repoRoot, '../shared/models/imagenet');

/** Runs the CLI in-process with captured output. */
export async function cli(args: string[], cwd = repoRoot): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s), isTTY: false },
    cwd,
  };
  const code = await run(args, io);
  return { code, stdout, stderr };
}

export function tempDir(prefix = 'limekit-cli-'): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}

/** The tiny hand-set model of test/fixtures (tools/fixtures/cli_models.py): evidence = central square. */
export const CENTRE_MODEL = resolve(fileURLToPath(new URL('./fixtures/centre.onnx', import.meta.url)));
export const CENTRE_LABELS = resolve(fileURLToPath(new URL('./fixtures/centre-labels.json', import.meta.url)));

/**
 * Writes `n` W×H PNG images (a red or blue square in the centre on a textured grey background)
 * and their masks (the square) into `dir/images` and `dir/masks`.
 */
export async function writeSquareImages(dir: string, n: number, W = 48, H = 40): Promise<void> {
  const { default: sharp } = await import('sharp');
  const { mkdir } = await import('node:fs/promises');
  await mkdir(join(dir, 'images'), { recursive: true });
  await mkdir(join(dir, 'masks'), { recursive: true });
  for (let i = 0; i < n; i++) {
    const img = Buffer.alloc(W * H * 3);
    const mask = Buffer.alloc(W * H);
    for (let y = 0; y < H; y++) {
      for (let x = 0; x < W; x++) {
        const p = y * W + x;
        const inside = Math.abs(x - W / 2) < 9 && Math.abs(y - H / 2) < 9;
        const grey = 90 + ((x * 7 + y * 13 + i * 29) % 40);
        img.set(inside ? (i % 2 === 0 ? [220, 30, 30] : [30, 30, 220]) : [grey, grey, grey], 3 * p);
        mask[p] = inside ? 255 : 0;
      }
    }
    const name = `img-${i}.png`;
    await sharp(img, { raw: { width: W, height: H, channels: 3 } }).png().toFile(join(dir, 'images', name));
    await sharp(mask, { raw: { width: W, height: H, channels: 1 } }).png().toFile(join(dir, 'masks', name));
  }
}

/** A `limekit` child process started from the sources (tsx), with its output collected. */
export interface CliProcess {
  readonly child: import('node:child_process').ChildProcess;
  stdout: string;
  stderr: string;
  /** Resolves with the exit code (null when killed by a signal) and the signal. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts `limekit ARGS` as a real process (node --import tsx apps/cli/src/main.ts). */
export async function spawnCli(args: string[], env: Record<string, string> = {}): Promise<CliProcess> {
  const { spawn } = await import('node:child_process');
  const main = join(repoRoot, 'apps/cli/src/main.ts');
  const child = spawn(process.execPath, ['--conditions=@limekit/source', '--import', 'tsx', main, ...args], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  const p: CliProcess = {
    child,
    stdout: '',
    stderr: '',
    exited: new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal }))),
  };
  child.stdout!.on('data', (c: Buffer) => (p.stdout += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (p.stderr += c.toString()));
  return p;
}

/** Waits until `p`'s stdout matches `re` (or the process exits, or `ms` pass); returns the match. */
export async function waitForOutput(p: CliProcess, re: RegExp, ms = 60_000): Promise<RegExpMatchArray> {
  const t0 = Date.now();
  let exited = false;
  void p.exited.then(() => (exited = true));
  for (;;) {
    const m = p.stdout.match(re);
    if (m) return m;
    if (exited || Date.now() - t0 > ms) throw new Error(`limekit ${exited ? 'exited' : `printed nothing matching ${re} within ${ms} ms`}: stdout ${JSON.stringify(p.stdout.slice(-500))}, stderr ${JSON.stringify(p.stderr.slice(-1500))}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Starts `limekit serve --port 0 …` and waits for its URL. */
export async function startServe(args: string[]): Promise<{ proc: CliProcess; url: string }> {
  const proc = await spawnCli(['serve', '--port', '0', ...args]);
  const m = await waitForOutput(proc, /at (http:\/\/\S+\/v2\/models\/\S+)\n/);
  return { proc, url: m[1] };
}
