import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import type { ModelAdapter } from '@limekit/core';
import { loadModel, modelOptionsFrom, resolveConfig, validateConfig } from '@limekit/lime';
import { intFlag, parseFlags, requireFlags } from '../args.js';
import { computeCell } from '../evaluate/cell.js';
import { checkRedis, DEFAULT_QUEUE_NAME, redisOptionsFrom, showRedis, type CellJob, type ShippedFile } from '../evaluate/queue.js';
import type { ResultRow } from '../evaluate/results.js';
import { QueueUnavailableError } from '../exit-codes.js';
import type { CliIo } from '../io.js';

export const WORKER_HELP = `limekit worker — compute cells of distributed evaluations (limekit evaluate --queue)

Usage:
  limekit worker --queue redis://HOST:PORT[/DB] [--concurrency N]

  --queue URL          the Redis the coordinator enqueued to
  --concurrency N      cells at once in this process (default 1; explanations are CPU-bound:
                       start one worker per core instead)
  --queue-name NAME    BullMQ queue (default ${DEFAULT_QUEUE_NAME}; must match the coordinator's)
  --lock-ms N          job lock, renewed while the cell runs; a worker that dies loses it after
                       this long and another worker redoes the cell (default 30000)
  --stalled-ms N       how often this worker looks for cells of dead workers (default 30000)
  --redis-timeout S    give up (exit 5) when Redis has not answered for S seconds (default 60)

Runs until Ctrl-C or SIGTERM (it finishes the cells it has, exit 0). A worker killed any other way
loses nothing: its cells are redone by another worker once their lock expires, and the
coordinator writes each cell's row once. Models must be inference-server URLs (limekit serve)
unless the plan says "sharedFileSystem": true; images travel in the jobs.
Exit codes: 0 stopped, 2 usage, 5 Redis unreachable (at the start, or for --redis-timeout).
`;

/** Loaded models of this worker, by what they were loaded from; the least recently used goes first. */
class ModelCache {
  private readonly models = new Map<string, Promise<ModelAdapter>>();
  constructor(private readonly limit = 2) {}
  async get(key: string, load: () => Promise<ModelAdapter>): Promise<ModelAdapter> {
    let m = this.models.get(key);
    if (m) {
      this.models.delete(key);
      this.models.set(key, m);
      return m;
    }
    m = load();
    this.models.set(key, m);
    m.catch(() => this.models.delete(key));
    while (this.models.size > this.limit) {
      const [oldest, adapter] = this.models.entries().next().value!;
      this.models.delete(oldest);
      void adapter.then((a) => a.dispose()).catch(() => undefined);
    }
    return m;
  }
  async dispose(): Promise<void> {
    const all = [...this.models.values()];
    this.models.clear();
    await Promise.all(all.map((m) => m.then((a) => a.dispose()).catch(() => undefined)));
  }
}

/** A shipped file as a path: written into `dir` when it travelled as bytes. */
async function materialise(f: ShippedFile, dir: string, sub: string): Promise<string> {
  if ('path' in f) return f.path;
  await mkdir(join(dir, sub), { recursive: true });
  const path = join(dir, sub, f.name.replace(/[/\\]/g, '_'));
  await writeFile(path, Buffer.from(f.base64, 'base64'));
  return path;
}

/**
 * Computes one cell job: the same row `limekit evaluate` writes for it locally (a failure of the
 * cell, the model included, is an error row, as locally).
 */
export async function runCellJob(data: CellJob, models: ModelCache, scratch: string): Promise<ResultRow> {
  const base = { model: data.model.name, image: `${data.image.set}/${data.image.file.name}`, config: data.config.name, seed: data.seed };
  const dir = await mkdtemp(join(scratch, 'cell-'));
  try {
    const { labels, ...model } = data.model;
    const labelsPath = labels ? await materialise(labels, scratch, `labels-${createHash('sha256').update(JSON.stringify(labels)).digest('hex').slice(0, 16)}`) : undefined;
    let adapter: ModelAdapter;
    try {
      adapter = await models.get(JSON.stringify({ model, labelsPath }), () => loadModel(model.path, { ...modelOptionsFrom(model), ...(labelsPath ? { labelsPath } : {}) }));
    } catch (err) {
      return { ...base, metrics: {}, error: `model: ${(err as Error).message}` };
    }
    try {
      const imagePath = await materialise(data.image.file, dir, data.image.set);
      const maskPath = data.image.mask ? await materialise(data.image.mask, dir, `${data.image.set}-masks`) : undefined;
      const { name, ...raw } = data.config;
      const where = `plan ${data.planHash.slice(0, 12)}… config ${name}`;
      const config = await resolveConfig(validateConfig(raw, where), { baseDir: data.baseDir ?? process.cwd(), where });
      const cell = await computeCell({ model: adapter, imagePath, ...(maskPath ? { maskPath } : {}), config, seed: data.seed, metrics: data.metrics, thumbnail: data.thumbnail });
      return { ...base, ...cell };
    } catch (err) {
      return { ...base, metrics: {}, error: err instanceof Error ? err.message : String(err) };
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** `limekit worker`. */
export async function workerCommand(argv: string[], io: CliIo): Promise<number> {
  const flags = parseFlags('worker', argv, {
    queue: { type: 'string' },
    concurrency: { type: 'string' },
    'queue-name': { type: 'string' },
    'lock-ms': { type: 'string' },
    'stalled-ms': { type: 'string' },
    'redis-timeout': { type: 'string' },
  });
  if (flags.help) {
    io.stdout.write(WORKER_HELP);
    return 0;
  }
  requireFlags('worker', flags, ['queue']);
  const url = flags.queue!;
  const connection = { ...redisOptionsFrom(url), maxRetriesPerRequest: null };
  const concurrency = intFlag('worker', 'concurrency', flags.concurrency, 1) ?? 1;
  const lockDuration = intFlag('worker', 'lock-ms', flags['lock-ms'], 500) ?? 30_000;
  const stalledInterval = intFlag('worker', 'stalled-ms', flags['stalled-ms'], 200) ?? 30_000;
  const redisTimeoutMs = (intFlag('worker', 'redis-timeout', flags['redis-timeout'], 1) ?? 60) * 1000;
  const queueName = flags['queue-name'] ?? DEFAULT_QUEUE_NAME;
  await checkRedis(url);

  const scratch = await mkdtemp(join(tmpdir(), 'limekit-worker-'));
  const models = new ModelCache();
  const say = (s: string) => io.stderr.write(`worker ${process.pid}: ${s}\n`);
  const worker = new Worker<CellJob, ResultRow>(
    queueName,
    async (job: Job<CellJob, ResultRow>) => {
      if (job.data?.v !== 1) throw new Error(`job ${job.id} has format ${JSON.stringify(job.data?.v)}, this worker reads format 1: run workers of the coordinator's limekit version.`);
      say(`started ${job.data.key} (attempt ${job.attemptsStarted})`);
      const t0 = performance.now();
      const row = await runCellJob(job.data, models, scratch);
      say(`done ${job.data.key} in ${((performance.now() - t0) / 1000).toFixed(2)} s${row.error ? ` with error: ${row.error.split('\n')[0]}` : ''}`);
      return row;
    },
    { connection, concurrency, lockDuration, stalledInterval, maxStalledCount: 5, autorun: false },
  );

  // Redis outages: the worker reconnects by itself; a watchdog gives up after redisTimeoutMs.
  const probe = new Redis({ ...redisOptionsFrom(url), lazyConnect: true, connectTimeout: 2000, maxRetriesPerRequest: 0, enableOfflineQueue: false, retryStrategy: () => 1000 });
  probe.on('error', () => undefined);
  let reason: 'signal' | 'redis' | undefined;
  let downSince: number | undefined;
  let lastError = '';
  worker.on('error', (err) => (lastError = err.message));
  const stopped = new Promise<void>((stop) => {
    const watchdog = setInterval(async () => {
      try {
        if (probe.status !== 'ready') await probe.connect().catch(() => undefined);
        await probe.ping();
        if (downSince !== undefined) say('Redis is back');
        downSince = undefined;
      } catch (err) {
        lastError ||= (err as Error).message;
        if (downSince === undefined) {
          downSince = Date.now();
          say(`Redis at ${showRedis(url)} does not answer (${lastError}); waiting up to ${redisTimeoutMs / 1000} s`);
        } else if (Date.now() - downSince >= redisTimeoutMs) {
          reason = 'redis';
          clearInterval(watchdog);
          stop();
        }
      }
    }, 1000);
    const onSignal = () => {
      reason = 'signal';
      clearInterval(watchdog);
      stop();
    };
    if (io.signal?.aborted) onSignal();
    io.signal?.addEventListener('abort', onSignal, { once: true });
  });
  say(`waiting for cells on ${showRedis(url)} (queue ${queueName}, concurrency ${concurrency}, lock ${lockDuration} ms)`);
  const running = worker.run();
  await stopped;
  try {
    // On a signal the cells in hand are finished; with Redis gone there is nothing to report them to.
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise((r) => (timer = setTimeout(r, reason === 'redis' ? 2000 : 600_000)));
    await Promise.race([Promise.all([worker.close(reason === 'redis'), running.catch(() => undefined)]), grace]);
    clearTimeout(timer);
    if (reason === 'redis') void worker.disconnect().catch(() => undefined);
  } finally {
    probe.disconnect();
    await models.dispose();
    await rm(scratch, { recursive: true, force: true });
  }
  if (reason === 'redis') {
    throw new QueueUnavailableError(
      `worker: Redis at ${showRedis(url)} has not answered for ${redisTimeoutMs / 1000} s (${lastError}). The cells this worker held are redone by other workers once their lock expires; start Redis and the worker again.`,
    );
  }
  say('stopped');
  return 0;
}
