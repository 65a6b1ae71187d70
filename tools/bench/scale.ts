// node --conditions=@limekit/source --import tsx tools/bench/scale.ts [--only load|workers]
//   [--clients 8] [--seconds 20] [--batch 16] [--samples 1000]
//
// Measures, on this machine and on loopback, one `limekit serve` with the demo model:
//  - load: C concurrent clients, each sending binary infer requests of B images back to back for
//    a bounded time, then a burst of malformed requests; latency percentiles, images per second,
//    errors by status, the server's RSS before and after (it must not grow without bound);
//  - workers: explanations per minute of `limekit evaluate --queue` with 1 and 2 `limekit worker`
//    processes against the server (Redis: Debian's redis-server on a free port), and the bytes
//    each sample sends over the wire.
// Numbers go in docs/scale.md. Nothing here asserts a time.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const { values } = parseArgs({
  options: {
    only: { type: 'string' },
    clients: { type: 'string', default: '8' },
    seconds: { type: 'string', default: '20' },
    batch: { type: 'string', default: '16' },
    samples: { type: 'string', default: '1000' },
  },
});
const MODEL = join(root, 'demo/model/shapes.onnx');
const cliArgs = (args: string[]) => ['--conditions=@limekit/source', '--import', 'tsx', join(root, 'apps/cli/src/main.ts'), ...args];

const freePort = () =>
  new Promise<number>((ok) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => ok(port));
    });
  });

async function startServe(): Promise<{ proc: ChildProcess; url: string }> {
  const proc = spawn(process.execPath, cliArgs(['serve', '--model', MODEL, '--port', '0']), { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  const url = await new Promise<string>((ok, fail) => {
    proc.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const m = out.match(/at (http:\/\/\S+)\n/);
      if (m) ok(m[1]);
    });
    proc.on('exit', (code) => fail(new Error(`limekit serve exited with ${code}`)));
  });
  return { proc, url };
}

const rssOf = (pid: number) => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN) * 1024;
const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
const mib = (b: number) => `${(b / 2 ** 20).toFixed(1)} MiB`;

/** One binary infer request body of `n` demo-model inputs (3×128×128 float32, NCHW). */
function inferBody(n: number): { body: Buffer; headers: Record<string, string> } {
  const data = new Float32Array(n * 3 * 128 * 128);
  for (let i = 0; i < data.length; i++) data[i] = Math.sin(i * 0.001);
  const head = Buffer.from(JSON.stringify({ inputs: [{ name: 'input', shape: [n, 3, 128, 128], datatype: 'FP32', parameters: { binary_data_size: data.byteLength } }], outputs: [{ name: 'logits', parameters: { binary_data: true } }] }));
  return { body: Buffer.concat([head, Buffer.from(data.buffer)]), headers: { 'Content-Type': 'application/octet-stream', 'Inference-Header-Content-Length': String(head.length) } };
}

async function loadTest(): Promise<void> {
  const clients = Number(values.clients), seconds = Number(values.seconds), batch = Number(values.batch);
  const { proc, url } = await startServe();
  try {
    const rss0 = rssOf(proc.pid!);
    const { body, headers } = inferBody(batch);
    const latencies: number[] = [];
    const errors = new Map<string, number>();
    const until = performance.now() + seconds * 1000;
    const client = async () => {
      while (performance.now() < until) {
        const t0 = performance.now();
        try {
          const res = await fetch(`${url}/infer`, { method: 'POST', body, headers, signal: AbortSignal.timeout(60_000) });
          await res.arrayBuffer();
          if (res.status === 200) latencies.push(performance.now() - t0);
          else errors.set(`HTTP ${res.status}`, (errors.get(`HTTP ${res.status}`) ?? 0) + 1);
        } catch (err) {
          const k = (err as Error).name;
          errors.set(k, (errors.get(k) ?? 0) + 1);
        }
      }
    };
    const t0 = performance.now();
    await Promise.all(Array.from({ length: clients }, client));
    const wall = (performance.now() - t0) / 1000;
    const rss1 = rssOf(proc.pid!);
    // Then malformed requests: each must get a 4xx, and the server must keep serving.
    const bad: [string, RequestInit][] = [
      ['not JSON', { method: 'POST', body: '{"inputs": [' }],
      ['wrong shape', { method: 'POST', body: JSON.stringify({ inputs: [{ name: 'input', shape: [1, 128, 128, 3], datatype: 'FP32', data: new Array(49152).fill(0) }] }) }],
      ['wrong input name', { method: 'POST', body: JSON.stringify({ inputs: [{ name: 'x', shape: [1, 3, 128, 128], datatype: 'FP32', data: new Array(49152).fill(0) }] }) }],
      ['70 MiB body', { method: 'POST', body: Buffer.alloc(70 * 2 ** 20) }],
    ];
    const badStatus: string[] = [];
    for (let round = 0; round < 25; round++) {
      for (const [what, init] of bad) {
        const res = await fetch(`${url}/infer`, init).catch((e: Error) => ({ status: e.name, arrayBuffer: async () => undefined }));
        await res.arrayBuffer();
        if (round === 0) badStatus.push(`${what} → ${res.status}`);
      }
    }
    const after = await fetch(`${url}/infer`, { method: 'POST', body, headers });
    const rss2 = rssOf(proc.pid!);
    latencies.sort((a, b) => a - b);
    const n = latencies.length;
    console.log(`# load test — limekit serve ${url} (demo model, ONNX Runtime CPU), ${clients} clients × ${seconds} s, batch ${batch} (binary, ${mib(body.length)} per request)`);
    console.log(`requests ok ${n} in ${wall.toFixed(1)} s = ${(n / wall).toFixed(1)} req/s = ${((n * batch) / wall).toFixed(0)} images/s`);
    console.log(`latency ms: p50 ${pct(latencies, 50).toFixed(0)} · p90 ${pct(latencies, 90).toFixed(0)} · p99 ${pct(latencies, 99).toFixed(0)} · max ${latencies[n - 1].toFixed(0)}`);
    console.log(`errors: ${errors.size ? [...errors].map(([k, v]) => `${k} × ${v}`).join(', ') : 'none'}`);
    console.log(`malformed (100 requests): ${badStatus.join(' · ')}; then a valid request → ${after.status}`);
    console.log(`server RSS: idle ${mib(rss0)} · after load ${mib(rss1)} · after malformed ${mib(rss2)}`);
  } finally {
    proc.kill('SIGTERM');
  }
}

async function startRedis(dir: string): Promise<{ proc: ChildProcess; url: string }> {
  const port = await freePort();
  const proc = spawn('/usr/bin/redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: 'ignore' });
  for (let i = 0; i < 200; i++) {
    const ok = await new Promise<boolean>((r) => {
      const s = createConnection(port, '127.0.0.1', () => s.write('PING\r\n'));
      s.on('data', (d) => {
        r(d.toString().startsWith('+PONG'));
        s.destroy();
      });
      s.on('error', () => r(false));
    });
    if (ok) return { proc, url: `redis://127.0.0.1:${port}` };
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('redis-server did not start');
}

async function workersTest(): Promise<void> {
  if (!existsSync('/usr/bin/redis-server')) {
    console.log('# workers — skipped: /usr/bin/redis-server is not installed (apt-get install redis-server)');
    return;
  }
  const dir = await mkdtemp(join(tmpdir(), 'limekit-bench-scale-'));
  const { proc: serve, url } = await startServe();
  const redis = await startRedis(dir);
  const samples = Number(values.samples);
  try {
    console.log(`\n# workers — evaluate --queue: the 8 demo images × lime preset × ${samples} samples, all metrics; model behind ${url}`);
    // The same plan run locally (model file in-process, no queue), for comparison.
    {
      const plan = {
        models: [{ name: 'shapes', path: MODEL, preprocess: 'imagenet', labels: join(root, 'demo/model/labels.json') }],
        images: [{ name: 'demo', dir: join(root, 'demo/images'), masks: join(root, 'demo/masks') }],
        configs: [{ name: 'lime-local', preset: 'lime' }],
        seeds: [0],
        numSamples: samples,
      };
      const planPath = join(dir, 'plan-local.json');
      await writeFile(planPath, JSON.stringify(plan));
      const t0 = performance.now();
      await new Promise<void>((ok, fail) => {
        const c = spawn(process.execPath, cliArgs(['evaluate', '--plan', planPath, '--out', join(dir, 'out-local'), '--quiet']), { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
        c.on('exit', (code) => (code === 0 ? ok() : fail(new Error(`evaluate exited with ${code}`))));
      });
      const minutes = (performance.now() - t0) / 60000;
      const rows = readFileSync(join(dir, 'out-local', 'results.jsonl'), 'utf8').split('\n').filter(Boolean).length;
      console.log(`local (no queue, model in-process): ${rows} explanations in ${(minutes * 60).toFixed(1)} s = ${(rows / minutes).toFixed(1)} explanations per minute`);
    }
    for (const n of [1, 2]) {
      const plan = {
        models: [{ name: 'shapes', path: url, preprocess: 'imagenet', labels: join(root, 'demo/model/labels.json') }],
        images: [{ name: 'demo', dir: join(root, 'demo/images'), masks: join(root, 'demo/masks') }],
        configs: [{ name: `lime-${n}`, preset: 'lime' }],
        seeds: [0],
        numSamples: samples,
      };
      const planPath = join(dir, `plan-${n}.json`);
      await writeFile(planPath, JSON.stringify(plan));
      const workers = Array.from({ length: n }, () => spawn(process.execPath, cliArgs(['worker', '--queue', redis.url]), { cwd: root, stdio: ['ignore', 'ignore', 'ignore'] }));
      await new Promise((r) => setTimeout(r, 4000)); // workers start (tsx, model load on first cell)
      const t0 = performance.now();
      await new Promise<void>((ok, fail) => {
        const c = spawn(process.execPath, cliArgs(['evaluate', '--plan', planPath, '--out', join(dir, `out-${n}`), '--queue', redis.url, '--quiet']), { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
        c.on('exit', (code) => (code === 0 ? ok() : fail(new Error(`evaluate exited with ${code}`))));
      });
      const minutes = (performance.now() - t0) / 60000;
      const rows = readFileSync(join(dir, `out-${n}`, 'results.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { modelCalls: number; samples: number });
      const calls = rows.reduce((a, r) => a + r.modelCalls, 0);
      console.log(`${n} worker${n > 1 ? 's' : ' '}: ${rows.length} explanations in ${(minutes * 60).toFixed(1)} s = ${(rows.length / minutes).toFixed(1)} explanations per minute (${calls} model calls for the explanations)`);
      for (const w of workers) w.kill('SIGTERM');
      await Promise.all(workers.map((w) => new Promise((r) => w.on('exit', r))));
    }
    const perSample = 3 * 128 * 128 * 4;
    console.log(`wire per sample: ${perSample} bytes of float32 input (3×128×128) + 16 bytes of output (4 logits), binary; a JSON header of ~250 bytes per request (one per batch of up to 64)`);
  } finally {
    serve.kill('SIGTERM');
    redis.proc.kill('SIGTERM');
    await rm(dir, { recursive: true, force: true });
  }
}

if (!values.only || values.only === 'load') await loadTest();
if (!values.only || values.only === 'workers') await workersTest();
