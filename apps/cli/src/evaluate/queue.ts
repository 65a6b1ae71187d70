import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { InvalidOptionError } from '@limekit/core';
import { QueueUnavailableError } from '../exit-codes.js';
import type { CliIo } from '../io.js';
import { ProgressBar } from '../progress.js';
import type { LoadedPlan, PlanConfig, PlanModel } from './plan.js';
import { rowKey, type ResultRow, type ResultsWriter } from './results.js';

/** The BullMQ queue every coordinator and worker share; jobs name their plan. */
export const DEFAULT_QUEUE_NAME = 'limekit-evaluate';

/** A file a job carries: its bytes (base64) or, on a shared file system, its path. */
export type ShippedFile = { readonly name: string; readonly base64: string } | { readonly name: string; readonly path: string };

/**
 * One cell of a plan as a job: everything a worker needs, and nothing only the coordinator can
 * read — image and mask bytes and the labels file travel in the job, the model is an inference
 * server's URL — unless the plan declares `sharedFileSystem: true` (then paths travel).
 */
export interface CellJob {
  /** Format of this object, for workers of another version. */
  readonly v: 1;
  readonly planHash: string;
  /** {@link rowKey} of the row; the job id derives from it, so a cell is enqueued once. */
  readonly key: string;
  readonly model: Omit<PlanModel, 'labels'> & { readonly labels?: ShippedFile };
  readonly image: { readonly set: string; readonly file: ShippedFile; readonly mask?: ShippedFile };
  /** The plan's config (its fields as written, numSamples applied), resolved by the worker. */
  readonly config: PlanConfig;
  /** Where the worker resolves config-relative paths (plugins): the plan's folder on a shared file system. */
  readonly baseDir?: string;
  readonly seed: number;
  readonly metrics: readonly string[];
  readonly thumbnail: boolean;
}

/** Redis connection options from `redis://[user:password@]host:port[/db]`. */
export function redisOptionsFrom(url: string): { host: string; port: number; username?: string; password?: string; db?: number } {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new InvalidOptionError(`--queue must be a Redis URL redis://host:port[/db], got "${url}".`);
  }
  if (u.protocol !== 'redis:') throw new InvalidOptionError(`--queue must be a Redis URL redis://host:port[/db], got "${url}".`);
  const db = u.pathname.replace(/^\//, '');
  if (db && !/^\d+$/.test(db)) throw new InvalidOptionError(`--queue: the Redis database must be a number (redis://host:port/0), got "${db}".`);
  return {
    host: u.hostname || '127.0.0.1',
    port: u.port ? Number(u.port) : 6379,
    ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
    ...(db ? { db: Number(db) } : {}),
  };
}

/** Redis URL without its password, for messages. */
export function showRedis(url: string): string {
  return url.replace(/\/\/([^@/]*):[^@/]*@/, '//$1:***@');
}

/**
 * Checks that Redis answers PING within `timeoutMs`.
 * @throws QueueUnavailableError naming the URL and the fix.
 */
export async function checkRedis(url: string, timeoutMs = 3000): Promise<void> {
  const redis = new Redis({ ...redisOptionsFrom(url), lazyConnect: true, connectTimeout: timeoutMs, maxRetriesPerRequest: 0, retryStrategy: () => null, enableOfflineQueue: false });
  let lastError: NodeJS.ErrnoException | undefined;
  redis.on('error', (err: NodeJS.ErrnoException) => (lastError = err)); // reported below
  try {
    await redis.connect();
    await redis.ping();
  } catch (err) {
    const e = lastError ?? (err as NodeJS.ErrnoException);
    const code = e.code ?? e.message;
    throw new QueueUnavailableError(`Redis at ${showRedis(url)} does not answer (${code}). Start it (redis-server --port ${redisOptionsFrom(url).port}) or check --queue.`, { cause: err });
  } finally {
    redis.disconnect();
  }
}

/** The job id of a cell: the plan and the cell's key, hashed (BullMQ ids may not contain ':'). */
export function jobIdOf(planHash: string, key: string): string {
  return `${planHash.slice(0, 16)}-${createHash('sha256').update(key).digest('hex').slice(0, 32)}`;
}

async function ship(path: string, shared: boolean, name: string): Promise<ShippedFile> {
  return shared ? { name, path } : { name, base64: (await readFile(path)).toString('base64') };
}

/** A task of the evaluate loop, as commands/evaluate.ts builds them. */
export interface QueueTask {
  readonly model: LoadedPlan['models'][number];
  readonly image: LoadedPlan['images'][number];
  readonly config: LoadedPlan['configs'][number];
  readonly seed: number;
}

/**
 * Refuses a plan whose workers could not read what its jobs name: a model file (rather than an
 * inference server's URL) without `sharedFileSystem: true`.
 * @throws InvalidOptionError naming the model and the two ways out.
 */
export function checkPlanForQueue(loaded: LoadedPlan): void {
  if (loaded.plan.sharedFileSystem) return;
  for (const m of loaded.models) {
    if (!/^https?:\/\//i.test(m.path)) {
      throw new InvalidOptionError(
        `evaluate --queue: model "${m.name}" is the file ${m.absPath}, which workers on other machines cannot read. Serve it (limekit serve --model FILE --host 0.0.0.0) and give its URL http://HOST:PORT/v2/models/NAME as the model's path, or declare "sharedFileSystem": true in the plan if every worker sees the same paths.`,
      );
    }
  }
}

/** Options of {@link evaluateOnQueue}. */
export interface QueueRunOptions {
  readonly url: string;
  readonly queueName: string;
  readonly loaded: LoadedPlan;
  readonly todo: readonly QueueTask[];
  readonly writer: ResultsWriter;
  /** Keys already in results.jsonl: never written twice. */
  readonly done: Set<string>;
  readonly io: CliIo;
  readonly quiet: boolean;
  /** How long Redis may be unreachable before the coordinator gives up. */
  readonly redisTimeoutMs: number;
  /** Poll period for finished jobs. */
  readonly pollMs: number;
}

/**
 * The coordinator of a distributed evaluation: enqueues one job per cell not yet in
 * results.jsonl (idempotent: the job id is the cell's), then collects finished jobs into
 * results.jsonl as they come — each row written (fsync) before its job is removed, and only if
 * its key is not there yet — until every cell has a row. A killed coordinator resumes with the
 * same command: jobs finished meanwhile are collected, missing ones enqueued again.
 * @returns rows written by this run.
 * @throws QueueUnavailableError when Redis is down at the start or for longer than `redisTimeoutMs`.
 */
export async function evaluateOnQueue(o: QueueRunOptions): Promise<number> {
  const { loaded, io } = o;
  checkPlanForQueue(loaded);
  await checkRedis(o.url);
  const shared = loaded.plan.sharedFileSystem === true;
  const queue = new Queue<CellJob, ResultRow>(o.queueName, { connection: { ...redisOptionsFrom(o.url), maxRetriesPerRequest: null } });
  let redisError: Error | undefined;
  queue.on('error', (err) => (redisError = err));
  const pending = new Map<string, string>(); // job id → key
  const bar = new ProgressBar(io, 'evaluate', o.quiet);
  let written = 0;
  try {
    const labelsCache = new Map<string, ShippedFile>();
    const rawConfigs = new Map(loaded.plan.configs.map((c) => [c.name, c]));
    const jobs: { name: string; data: CellJob; opts: { jobId: string; attempts: number; backoff: { type: 'exponential'; delay: number }; removeOnFail: false; removeOnComplete: false } }[] = [];
    for (const t of o.todo) {
      const key = rowKey({ model: t.model.name, image: `${t.image.set}/${t.image.file}`, config: t.config.name, seed: t.seed });
      if (o.done.has(key)) continue;
      const { labels: _labels, absPath: _abs, absLabels, ...model } = t.model;
      let labels: ShippedFile | undefined;
      if (absLabels) {
        labels = labelsCache.get(absLabels) ?? (await ship(absLabels, shared, absLabels.split(/[\\/]/).pop()!));
        labelsCache.set(absLabels, labels);
      }
      const raw = rawConfigs.get(t.config.name)!;
      const data: CellJob = {
        v: 1,
        planHash: loaded.hash,
        key,
        model: { ...model, path: shared ? t.model.absPath : t.model.path, ...(labels ? { labels } : {}) },
        image: {
          set: t.image.set,
          file: await ship(t.image.path, shared, t.image.file),
          ...(t.image.maskPath ? { mask: await ship(t.image.maskPath, shared, t.image.file) } : {}),
        },
        config: { ...raw, ...(loaded.plan.numSamples !== undefined ? { numSamples: loaded.plan.numSamples } : {}) },
        ...(shared ? { baseDir: loaded.baseDir } : {}),
        seed: t.seed,
        metrics: loaded.metrics,
        thumbnail: t.seed === loaded.plan.seeds[0],
      };
      const jobId = jobIdOf(loaded.hash, key);
      pending.set(jobId, key);
      jobs.push({ name: 'cell', data, opts: { jobId, attempts: 3, backoff: { type: 'exponential', delay: 1000 }, removeOnFail: false, removeOnComplete: false } });
    }
    // Adding a job whose id exists is a no-op: a resumed run does not duplicate work in flight.
    const specs = new Map(jobs.map((j) => [j.opts.jobId, j]));
    const redis = () => redisError;
    for (let i = 0; i < jobs.length; i += 100) await withRedis(() => queue.addBulk(jobs.slice(i, i + 100)), o, redis);
    const total = pending.size;
    bar.update({ phase: 'sample', done: 0, total });
    let idleSince = Date.now();
    let lastSweep = Date.now();
    let hinted = false;
    while (pending.size) {
      if (io.signal?.aborted) throw new InvalidOptionError('evaluate: cancelled; the queued jobs stay in Redis, run the same command again to collect them.');
      let progressed = false;
      // Finished jobs of this plan, oldest first; other plans' jobs are left to their coordinators.
      const completed = await withRedis(() => queue.getJobs(['completed'], 0, 499, true), o, redis);
      const failed = await withRedis(() => queue.getJobs(['failed'], 0, 499, true), o, redis);
      for (const job of [...completed, ...failed]) {
        const jobId = job?.id;
        if (!jobId || !pending.has(jobId)) continue;
        const key = pending.get(jobId)!;
        let row: ResultRow;
        if (completed.includes(job) && job.returnvalue) row = job.returnvalue;
        else {
          // Failed after every attempt (or stalled too often): an error row, as a local run writes.
          const [model, image, config, seed] = JSON.parse(key) as [string, string, string, number];
          row = { model, image, config, seed, metrics: {}, error: `worker: ${job.failedReason ?? 'failed without a reason'}` };
        }
        if (!o.done.has(key)) {
          // Written and flushed before the job is removed: a crash in between leaves the job,
          // which the next run finds already in results.jsonl and only removes.
          o.writer.append(row);
          o.done.add(key);
          written++;
        }
        pending.delete(jobId);
        await withRedis(() => job.remove(), o, redis).catch(() => undefined);
        progressed = true;
      }
      // Now and then, jobs that vanished (Redis restarted without persistence) are enqueued again.
      if (Date.now() - lastSweep > 5000) {
        lastSweep = Date.now();
        for (const jobId of pending.keys()) {
          if ((await withRedis(() => queue.getJobState(jobId), o, redis)) === 'unknown') {
            const spec = specs.get(jobId)!;
            await withRedis(() => queue.add(spec.name, spec.data, spec.opts), o, redis);
          }
        }
      }
      bar.update({ phase: 'sample', done: total - pending.size, total });
      if (progressed) idleSince = Date.now();
      else if (!hinted && Date.now() - idleSince > 15_000 && !o.quiet) {
        hinted = true;
        io.stderr.write(`\nevaluate: waiting for workers; start some with: limekit worker --queue ${showRedis(o.url)}\n`);
      }
      if (pending.size && !progressed) await new Promise((r) => setTimeout(r, o.pollMs));
    }
    return written;
  } finally {
    bar.done();
    // With Redis gone, close() would wait for it: give it a moment, then drop the connection.
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([queue.close().catch(() => undefined), new Promise((r) => (timer = setTimeout(r, 2000)))]);
    clearTimeout(timer);
    void queue.disconnect().catch(() => undefined);
  }
}

/**
 * Runs a Redis operation, waiting through outages up to `redisTimeoutMs`.
 * @throws QueueUnavailableError after that.
 */
async function withRedis<T>(op: () => Promise<T>, o: Pick<QueueRunOptions, 'url' | 'redisTimeoutMs'>, lastError: () => Error | undefined): Promise<T> {
  const t0 = Date.now();
  for (;;) {
    try {
      return await Promise.race([op(), new Promise<never>((_, reject) => setTimeout(() => reject(lastError() ?? new Error('no answer')), Math.max(1000, o.redisTimeoutMs - (Date.now() - t0))))]);
    } catch (err) {
      if (Date.now() - t0 >= o.redisTimeoutMs) {
        throw new QueueUnavailableError(
          `Redis at ${showRedis(o.url)} has not answered for ${Math.round(o.redisTimeoutMs / 1000)} s (${(err as Error).message}). Rows collected so far are in results.jsonl; start Redis again and rerun the same command to resume.`,
          { cause: err },
        );
      }
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}
