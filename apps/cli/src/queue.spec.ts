import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CENTRE_LABELS, CENTRE_MODEL, cli, spawnCli, startServe, tempDir, writeSquareImages, type CliProcess } from '../test/helpers.js';

// Distributed evaluation with real processes: Debian's redis-server on a free loopback port,
// `limekit serve` for the model, `limekit worker` processes, the coordinator in-process.

const REDIS_SERVER = '/usr/bin/redis-server';
const haveRedis = existsSync(REDIS_SERVER);
if (!haveRedis) console.warn(`queue tests skipped: ${REDIS_SERVER} is not installed (apt-get install redis-server; .ci/run installs it).`);

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });

async function startRedis(dir: string): Promise<{ proc: ChildProcess; url: string }> {
  const port = await freePort();
  const proc = spawn(REDIS_SERVER, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: 'ignore' });
  const url = `redis://127.0.0.1:${port}`;
  const client = new Redis({ port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  client.on('error', () => undefined);
  for (let i = 0; ; i++) {
    try {
      await client.connect();
      await client.ping();
      break;
    } catch (err) {
      if (i > 100) throw err;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  client.disconnect();
  return { proc, url };
}

const rowsOf = async (out: string) =>
  (await readFile(join(out, 'results.jsonl'), 'utf8')).split('\n').filter(Boolean).map((l) => JSON.parse(l) as { model: string; image: string; config: string; seed: number; weights?: number[]; metrics: Record<string, number | null>; error?: string; thumbnail?: string });
const keyOf = (r: { model: string; image: string; config: string; seed: number }) => JSON.stringify([r.model, r.image, r.config, r.seed]);

async function writePlan(dir: string, name: string, modelPath: string, extra: Record<string, unknown> = {}): Promise<string> {
  const plan = {
    models: [{ name: 'centre', path: modelPath, preprocess: 'unit', labels: CENTRE_LABELS }],
    images: [{ name: 'squares', dir: 'images', masks: 'masks' }],
    configs: [
      { name: 'lime-grid', preset: 'lime', segmenter: { use: 'grid', options: { nRows: 4, nCols: 4 } } },
      { name: 'slic', preset: 'lime', segmenter: { use: 'slic', options: { nSegments: 16 } } },
    ],
    seeds: [0],
    numSamples: 80,
    ...extra,
  };
  const path = join(dir, name);
  await writeFile(path, JSON.stringify(plan, null, 2));
  return path;
}

describe.skipIf(!haveRedis)('limekit evaluate --queue / limekit worker (BullMQ on a real Redis)', () => {
  let dir: string;
  let redis: { proc: ChildProcess; url: string };
  let serve: { proc: CliProcess; url: string };
  const workers: CliProcess[] = [];
  const workerArgs = () => ['worker', '--queue', redis.url, '--lock-ms', '1500', '--stalled-ms', '500', '--redis-timeout', '3'];

  beforeAll(async () => {
    dir = await tempDir('limekit-queue-');
    await writeSquareImages(dir, 2);
    await mkdir(join(dir, 'redis'));
    [redis, serve] = await Promise.all([startRedis(join(dir, 'redis')), startServe(['--model', CENTRE_MODEL])]);
  }, 120_000);

  afterAll(async () => {
    for (const p of [...workers, serve?.proc]) if (p && p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
    redis?.proc.kill('SIGKILL');
  });

  it('refuses a model file without sharedFileSystem (3) and an unreachable Redis (5)', async () => {
    const filePlan = await writePlan(dir, 'file-plan.json', CENTRE_MODEL);
    const refused = await cli(['evaluate', '--plan', filePlan, '--out', join(dir, 'refused'), '--queue', redis.url, '--quiet']);
    expect(refused.code).toBe(3);
    expect(refused.stderr).toMatch(/model "centre" is the file .*centre\.onnx, which workers on other machines cannot read\. Serve it \(limekit serve/);
    const down = `redis://127.0.0.1:${await freePort()}`;
    const urlPlan = await writePlan(dir, 'url-plan.json', serve.url);
    const coord = await cli(['evaluate', '--plan', urlPlan, '--out', join(dir, 'down'), '--queue', down, '--quiet']);
    expect(coord.code).toBe(5);
    expect(coord.stderr).toMatch(/Redis at redis:\/\/127\.0\.0\.1:\d+ does not answer \(ECONNREFUSED\)\. Start it/);
    const worker = await cli(['worker', '--queue', down]);
    expect(worker.code).toBe(5);
    expect(worker.stderr).toMatch(/does not answer \(ECONNREFUSED\)/);
  });

  it('gives the rows of a local run, each once, when a worker is killed with SIGKILL mid-cell', async () => {
    const localOut = join(dir, 'local');
    const local = await cli(['evaluate', '--plan', await writePlan(dir, 'local-plan.json', CENTRE_MODEL), '--out', localOut, '--quiet']);
    expect(local.code).toBe(0);
    const plan = await writePlan(dir, 'queue-plan.json', serve.url);
    const out = join(dir, 'queued');

    const first = await spawnCli(workerArgs());
    workers.push(first);
    const coordinator = cli(['evaluate', '--plan', plan, '--out', out, '--queue', redis.url, '--quiet']);
    // Killed as soon as it has started a cell (loading the model and explaining take longer).
    const started = await (async () => {
      for (;;) {
        const m = first.stderr.match(/started (\[.*?\]) \(attempt/);
        if (m) return m[1];
        await new Promise((r) => setTimeout(r, 10));
      }
    })();
    first.child.kill('SIGKILL');
    expect((await first.exited).signal).toBe('SIGKILL');
    expect(first.stderr).not.toContain(`done ${started}`);

    const others = [await spawnCli(workerArgs()), await spawnCli(workerArgs())];
    workers.push(...others);
    const r = await coordinator;
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);

    const rows = await rowsOf(out);
    expect(rows).toHaveLength(2 * 2);
    expect(new Set(rows.map(keyOf)).size).toBe(rows.length);
    expect(rows.filter((x) => x.error)).toEqual([]);
    // The killed worker's cell was redone by another worker, after its lock expired.
    expect(others.map((w) => w.stderr).join('')).toContain(`started ${started}`);
    // Same weights and metrics as the local run (remote model = local model, bit for bit).
    const localRows = new Map((await rowsOf(localOut)).map((x) => [keyOf(x), x]));
    for (const row of rows) {
      const twin = localRows.get(keyOf(row))!;
      expect(row.weights).toEqual(twin.weights);
      expect({ ...row.metrics, 'wall-time': null }).toEqual({ ...twin.metrics, 'wall-time': null });
      expect(row.thumbnail).toEqual(twin.thumbnail);
    }
    expect(existsSync(join(out, 'report.html'))).toBe(true);
    expect((await readFile(join(out, 'results.csv'), 'utf8')).split('\n').filter(Boolean)).toHaveLength(rows.length + 1);
    // A rerun finds everything done: nothing is enqueued, nothing duplicated.
    const again = await cli(['evaluate', '--plan', plan, '--out', out, '--queue', redis.url, '--quiet']);
    expect(again.code).toBe(0);
    expect(await rowsOf(out)).toHaveLength(rows.length);
  }, 150_000);

  it('runs a sharedFileSystem plan (paths, model file) on the same workers', async () => {
    const plan = await writePlan(dir, 'shared-plan.json', CENTRE_MODEL, { sharedFileSystem: true, configs: [{ name: 'grid', preset: 'lime', segmenter: { use: 'grid', options: { nRows: 3, nCols: 3 } } }] });
    const r = await cli(['evaluate', '--plan', plan, '--out', join(dir, 'shared'), '--queue', redis.url, '--quiet']);
    expect(r.code).toBe(0);
    const rows = await rowsOf(join(dir, 'shared'));
    expect(rows.map((x) => x.image).sort()).toEqual(['squares/img-0.png', 'squares/img-1.png']);
    expect(rows.filter((x) => x.error)).toEqual([]);
  }, 60_000);

  it('stops on SIGTERM (0); Redis gone mid-run: workers and coordinator exit 5, and a rerun completes without duplicates', async () => {
    const [a, b] = workers.slice(-2);
    a.child.kill('SIGTERM');
    expect((await a.exited).code).toBe(0);
    expect(a.stderr).toMatch(/stopped/);
    b.child.kill('SIGTERM');
    await b.exited;
    // A coordinator with no worker, then Redis dies under it.
    const plan = await writePlan(dir, 'outage-plan.json', serve.url, { seeds: [7] });
    const out = join(dir, 'outage');
    const coordinator = cli(['evaluate', '--plan', plan, '--out', out, '--queue', redis.url, '--quiet', '--redis-timeout', '2']);
    const lone = await spawnCli(workerArgs());
    workers.push(lone);
    // Redis dies while the worker holds a cell.
    while (!/started \[/.test(lone.stderr) && lone.child.exitCode === null) await new Promise((r) => setTimeout(r, 10));
    redis.proc.kill('SIGKILL');
    const c = await coordinator;
    expect(c.code).toBe(5);
    expect(c.stderr).toMatch(/Redis at redis:\/\/127\.0\.0\.1:\d+ has not answered for 2 s .*Rows collected so far are in results\.jsonl; start Redis again and rerun the same command to resume/s);
    expect((await lone.exited).code).toBe(5);
    expect(lone.stderr).toMatch(/has not answered for 3 s .*The cells this worker held are redone by other workers/s);
    // Redis back (empty: it kept nothing): the same command and a worker finish the plan.
    const port = Number(redis.url.split(':').pop());
    const proc = spawn(REDIS_SERVER, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', join(dir, 'redis')], { stdio: 'ignore' });
    redis = { proc, url: redis.url };
    await new Promise((r) => setTimeout(r, 300));
    const again = await spawnCli(workerArgs());
    workers.push(again);
    const done = await cli(['evaluate', '--plan', plan, '--out', out, '--queue', redis.url, '--quiet']);
    expect(done.code).toBe(0);
    const rows = await rowsOf(out);
    expect(rows).toHaveLength(4);
    expect(new Set(rows.map(keyOf)).size).toBe(4);
  }, 150_000);
});
