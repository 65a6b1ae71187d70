import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ModelError } from '@limekit/core';
import { encodeInferRequest, INFERENCE_HEADER } from './protocol.js';
import { RemoteModelAdapter, parseRemoteModelUrl } from './remote-model-adapter.js';
import { servedModelFrom } from './served-model.js';
import { createInferenceServer, type ServedModel } from './server.js';

// A tiny served model: NCHW [N, 3, 4, 4] in, 3 logits out (per-channel means, scaled).
const H = 4, W = 4, CH = 3, SIZE = CH * H * W;
function fakeModel(opts: { delay?: (call: number) => number; corrupt?: (values: Float32Array, rows: number) => Float32Array } = {}): ServedModel & { calls: number } {
  const m = {
    name: 'toy',
    platform: 'test',
    input: { name: 'pixels', shape: [-1, CH, H, W] },
    output: { name: 'logits', units: 3 },
    parameters: { limekit_output_op: 'Gemm' },
    calls: 0,
    async run(data: Float32Array, rows: number) {
      const call = m.calls++;
      const d = opts.delay?.(call) ?? 0;
      if (d) await new Promise((r) => setTimeout(r, d));
      let values: Float32Array = new Float32Array(rows * 3);
      for (let r = 0; r < rows; r++) for (let c = 0; c < 3; c++) {
        let s = 0;
        for (let i = 0; i < H * W; i++) s += data[r * SIZE + c * H * W + i];
        values[r * 3 + c] = (s / (H * W)) * (c + 1);
      }
      if (opts.corrupt) values = opts.corrupt(values, rows);
      return { shape: [rows, 3], values };
    },
  };
  return m;
}

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

async function listen(server: Server): Promise<string> {
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function serve(model: ServedModel, options = {}) {
  const { server, stats } = createInferenceServer(model, options);
  return { base: await listen(server), stats };
}

/** Raw HTTP, to send what fetch would not (a lying Content-Length, a huge body). */
function raw(base: string, method: string, path: string, body?: Buffer, headers: Record<string, string> = {}, chunked = false): Promise<{ status: number; body: string; headers: Record<string, string | string[] | undefined> }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${base}${path}`, { method, headers: { ...(body && !chunked ? { 'Content-Length': String(body.length) } : {}), ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, body: Buffer.concat(chunks).toString('utf8'), headers: res.headers }));
    });
    req.on('error', reject);
    if (body && chunked) {
      // In pieces, as a streaming client would, without announcing the size.
      for (let i = 0; i < body.length; i += 4096) req.write(body.subarray(i, i + 4096));
    } else if (body) req.write(body);
    req.end();
  });
}

const images = (n: number) => Float32Array.from({ length: n * SIZE }, (_, i) => Math.sin(i * 0.7) * 2);
const localLogits = (data: Float32Array, n: number) => fakeModel().run(data, n).then((r) => r.values);

describe('limekit serve protocol (createInferenceServer)', () => {
  it('answers health, server metadata, model metadata and ready as the protocol describes', async () => {
    const { base } = await serve(fakeModel());
    expect(JSON.parse((await raw(base, 'GET', '/v2/health/live')).body)).toEqual({ live: true });
    expect(JSON.parse((await raw(base, 'GET', '/v2/health/ready')).body)).toEqual({ ready: true });
    expect(JSON.parse((await raw(base, 'GET', '/v2')).body).extensions).toContain('binary_tensor_data');
    const meta = JSON.parse((await raw(base, 'GET', '/v2/models/toy')).body);
    expect(meta).toMatchObject({ name: 'toy', inputs: [{ name: 'pixels', datatype: 'FP32', shape: [-1, 3, 4, 4] }], outputs: [{ name: 'logits', datatype: 'FP32', shape: [-1, 3] }] });
    expect(JSON.parse((await raw(base, 'GET', '/v2/models/toy/ready')).body)).toEqual({ name: 'toy', ready: true });
    expect(JSON.parse((await raw(base, 'GET', '/v2/models/toy/versions/1/ready')).body)).toEqual({ name: 'toy', ready: true });
    const missing = await raw(base, 'GET', '/v2/models/other');
    expect(missing.status).toBe(404);
    expect(JSON.parse(missing.body).error).toMatch(/no model "other" on this server; it serves "toy"/);
    expect((await raw(base, 'POST', '/v2/models/toy')).status).toBe(405);
    expect((await raw(base, 'GET', '/v2/models/toy/infer')).status).toBe(405);
  });

  it('infers a request written as the documented binary example, and as JSON, echoing the id', async () => {
    const { base } = await serve(fakeModel());
    const x = images(2);
    const want = await localLogits(x, 2);
    // Binary in, binary out (output parameters.binary_data), as in Triton's example.
    const enc = encodeInferRequest({ id: 'req-7', inputs: [{ name: 'pixels', datatype: 'FP32', shape: [2, 3, 4, 4], data: x }], outputs: [{ name: 'logits', binary: true }] }, true);
    const res = await fetch(`${base}/v2/models/toy/infer`, { method: 'POST', body: enc.body, headers: enc.headers });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/octet-stream');
    const buf = Buffer.from(await res.arrayBuffer());
    const headLength = Number(res.headers.get(INFERENCE_HEADER));
    const head = JSON.parse(buf.subarray(0, headLength).toString('utf8'));
    expect(head).toEqual({ model_name: 'toy', id: 'req-7', outputs: [{ name: 'logits', shape: [2, 3], datatype: 'FP32', parameters: { binary_data_size: 24 } }] });
    expect(new Float32Array(buf.subarray(headLength).buffer.slice(buf.byteOffset + headLength, buf.byteOffset + buf.length))).toEqual(want);
    // JSON in, JSON out (no outputs named: all outputs, as JSON).
    const json = JSON.stringify({ inputs: [{ name: 'pixels', datatype: 'FP32', shape: [2, 3, 4, 4], data: Array.from(x) }] });
    const r2 = await raw(base, 'POST', '/v2/models/toy/infer', Buffer.from(json), { 'Content-Type': 'application/json' });
    expect(r2.status).toBe(200);
    const out = JSON.parse(r2.body).outputs[0];
    expect(out.shape).toEqual([2, 3]);
    expect(Float32Array.from(out.data)).toEqual(want);
    // binary_data_output on the request asks for every output as binary.
    const r3 = await raw(base, 'POST', '/v2/models/toy/infer', Buffer.from(JSON.stringify({ parameters: { binary_data_output: true }, inputs: JSON.parse(json).inputs })));
    expect(r3.headers[INFERENCE_HEADER.toLowerCase()]).toBeDefined();
  });

  it('answers 400 with a message for malformed and mis-shaped tensors, 413 for large bodies, and keeps serving', async () => {
    const model = fakeModel();
    const { base, stats } = await serve(model, { maxBodyBytes: 10_000 });
    const post = (obj: unknown) => raw(base, 'POST', '/v2/models/toy/infer', Buffer.from(JSON.stringify(obj)));
    const t = (shape: number[], data: unknown, name = 'pixels', datatype = 'FP32') => ({ inputs: [{ name, shape, datatype, data }] });
    const cases: [unknown, RegExp][] = [
      [t([1, 3, 4, 4], Array(48).fill(0), 'image'), /no input "image"; its input is "pixels" \[-1,3,4,4\] FP32/],
      [t([1, 4, 4, 3], Array(48).fill(0)), /must have shape \["N",3,4,4\], got \[1,4,4,3\]. Check the layout/],
      [t([1, 3, 4, 4], Array(47).fill(0)), /data holds 47 values, but shape \[1,3,4,4\] needs 48/],
      [t([1, 3, 4, 4], Array(48).fill(0), 'pixels', 'INT32'), /must be FP32, got INT32/],
      [t([0, 3, 4, 4], []), /the batch must hold 1 to 1024 images, got 0/],
      [{ inputs: t([1, 3, 4, 4], Array(48).fill(0)).inputs, outputs: [{ name: 'probs' }] }, /no output "probs"; its output is "logits"/],
    ];
    for (const [body, re] of cases) {
      const r = await post(body);
      expect(r.status).toBe(400);
      expect(JSON.parse(r.body).error).toMatch(re);
    }
    const notJson = await raw(base, 'POST', '/v2/models/toy/infer', Buffer.from('{"inputs": ['));
    expect(notJson.status).toBe(400);
    expect(JSON.parse(notJson.body).error).toMatch(/not a JSON object/);
    // Declared too large: refused before reading. Streamed too large (no Content-Length): refused while reading.
    const big = await raw(base, 'POST', '/v2/models/toy/infer', Buffer.alloc(20_000, 32));
    expect(big.status).toBe(413);
    expect(JSON.parse(big.body).error).toMatch(/request body of 20000 bytes is larger than the server's limit of 10000 bytes/);
    const chunked = await raw(base, 'POST', '/v2/models/toy/infer', Buffer.alloc(20_000, 32), {}, true);
    expect(chunked.status).toBe(413);
    expect(model.calls).toBe(0);
    expect(stats.errors4xx).toBe(cases.length + 3);
    // Still serving.
    const ok = await post(t([1, 3, 4, 4], Array(48).fill(1)));
    expect(ok.status).toBe(200);
  });

  it('answers 503 with Retry-After when the queue is full, and the client retries until served', async () => {
    const model = fakeModel({ delay: () => 30 });
    const { base, stats } = await serve(model, { maxQueue: 1 });
    const remote = await RemoteModelAdapter.load(`${base}/v2/models/toy`, { preprocess: 'unit', retryDelayMs: 10, retries: 8, maxInFlight: 8, requestBatchSize: 1 });
    const x = images(6);
    const got = await remote.predict(x, 6);
    expect(stats.rejectedBusy).toBeGreaterThan(0);
    const local = await localLogits(x, 6);
    // Softmax of the same logits, applied by the client as a local adapter would.
    for (let r = 0; r < 6; r++) {
      const row = Array.from(local.subarray(r * 3, r * 3 + 3));
      const max = Math.max(...row);
      const e = row.map((v) => Math.exp(v - max));
      const s = e.reduce((a, b) => a + b, 0);
      for (let c = 0; c < 3; c++) expect(Math.abs(got[r * 3 + c] - e[c] / s)).toBeLessThan(1e-7);
    }
    await remote.dispose();
  });
});

describe('RemoteModelAdapter', () => {
  it('reads the metadata, keeps several requests in flight and returns results in order, binary and JSON alike', async () => {
    // Later requests answer sooner, so that responses arrive out of order.
    const model = fakeModel({ delay: (call) => (call === 0 ? 0 : Math.max(0, 40 - 8 * call)) });
    const { base } = await serve(model, {});
    const x = images(10);
    const results: Float32Array[] = [];
    for (const protocol of ['binary', 'json'] as const) {
      const remote = await RemoteModelAdapter.load(`${base}/v2/models/toy`, { preprocess: 'unit', protocol, maxInFlight: 4, requestBatchSize: 2 });
      expect(remote.input).toMatchObject({ width: 4, height: 4, channels: 3, layout: 'NCHW' });
      expect(remote.numClasses).toBe(3);
      expect(remote.info).toMatchObject({ runtime: 'open-inference-protocol', tensorEncoding: protocol, inputName: 'pixels', outputName: 'logits', outputKind: 'logits', maxInFlight: 4 });
      results.push(await remote.predict(x, 10));
      await remote.dispose();
    }
    expect(results[1]).toEqual(results[0]);
    // The same probabilities as one request for the whole batch.
    const one = await RemoteModelAdapter.load(`${base}/v2/models/toy`, { preprocess: 'unit' });
    expect(one.info.tensorEncoding).toBe('binary');
    expect(await one.predict(x, 10)).toEqual(results[0]);
  });

  it('fails with clear ModelErrors: bad URL, unreachable server, unknown model, not ready, wrong names', async () => {
    expect(() => parseRemoteModelUrl('http://host:8000/v1/models/x:predict')).toThrow(/model URL must be http\(s\):\/\/host:port\/v2\/models\/NAME/);
    expect(parseRemoteModelUrl('https://gw.example/kserve/v2/models/resnet/versions/3')).toEqual({ v2: 'https://gw.example/kserve/v2', model: 'https://gw.example/kserve/v2/models/resnet/versions/3', name: 'resnet', version: '3' });
    // A port nobody listens on: free one by opening and closing a server.
    const probe = createServer();
    const closedBase = await listen(probe);
    await new Promise((r) => probe.close(r));
    servers.splice(servers.indexOf(probe), 1);
    const unreachable = RemoteModelAdapter.load(`${closedBase}/v2/models/toy`, { retries: 2, retryDelayMs: 5 });
    await expect(unreachable).rejects.toBeInstanceOf(ModelError);
    await expect(unreachable).rejects.toThrow(/failed \(connection refused, ECONNREFUSED\) after 3 attempts over [\d.]+ s\. Start the server \(limekit serve --model FILE\)/);

    const { base } = await serve(fakeModel());
    await expect(RemoteModelAdapter.load(`${base}/v2/models/nope`, { retries: 0 })).rejects.toThrow(/has no model "nope" \(404: no model "nope" on this server; it serves "toy"/);
    await expect(RemoteModelAdapter.load(`${base}/v2/models/toy`, { inputName: 'image' })).rejects.toThrow(/has no input named "image"; its inputs are pixels/);
    await expect(RemoteModelAdapter.load(`${base}/v2/models/toy`, { outputName: 'probs' })).rejects.toThrow(/has no output named "probs"; its outputs are logits/);
    await expect(RemoteModelAdapter.load(`${base}/v2/models/toy`, { maxInFlight: 0 })).rejects.toThrow(/maxInFlight must be an integer >= 1, got 0/);

    // A server whose model is not ready (Triton answers 400 on /ready).
    const notReady = createServer((req, res) => {
      if (req.url === '/v2/models/toy') {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ name: 'toy', platform: 'x', inputs: [{ name: 'pixels', datatype: 'FP32', shape: [-1, 3, 4, 4] }], outputs: [{ name: 'logits', datatype: 'FP32', shape: [-1, 3] }] }));
      } else {
        res.writeHead(400, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ error: 'model toy is loading' }));
      }
    });
    const nrBase = await listen(notReady);
    await expect(RemoteModelAdapter.load(`${nrBase}/v2/models/toy`, { retries: 0 })).rejects.toThrow(/the model is not ready \(GET .*\/ready answered 400: model toy is loading\). Wait until the server has loaded it/);
  });

  it('names the batch when the server answers NaN or the wrong shape, or goes away', async () => {
    let nan = false;
    const model = fakeModel({
      corrupt: (v) => {
        if (nan) v[4] = NaN;
        return v;
      },
    });
    const { server } = createInferenceServer(model);
    const base = await listen(server);
    const remote = await RemoteModelAdapter.load(`${base}/v2/models/toy`, { preprocess: 'unit', retries: 0 });
    nan = true;
    await expect(remote.predict(images(3), 3)).rejects.toThrow(/output "logits" is NaN for image 1 of batch #\d+ \(3 images\), unit 1/);
    nan = false;
    await new Promise((r) => {
      server.close(r);
      server.closeAllConnections();
    });
    servers.splice(servers.indexOf(server), 1);
    await expect(remote.predict(images(1), 1)).rejects.toThrow(/failed on batch #\d+ \(1 image\): POST .*\/infer failed \((connection refused, ECONNREFUSED|connection closed by the server, \w+)\) after 1 attempt/);

    // Another server that answers one row whatever the batch: refused at load time, and per batch.
    let rowsBack = 1;
    const wrong = createServer((req, res) => {
      const json = (o: unknown) => {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify(o));
      };
      if (req.url === '/v2/models/toy') return json({ name: 'toy', platform: 'x', inputs: [{ name: 'pixels', datatype: 'FP32', shape: [-1, 3, 4, 4] }], outputs: [{ name: 'logits', datatype: 'FP32', shape: [-1, 3] }] });
      if (req.url === '/v2/models/toy/ready') return json({ name: 'toy', ready: true });
      if (req.url === '/v2') return json({ name: 'other', version: '1', extensions: [] });
      req.resume();
      req.on('end', () => json({ outputs: [{ name: 'logits', datatype: 'FP32', shape: [rowsBack, 3], data: Array(rowsBack * 3).fill(0.5) }] }));
    });
    const wBase = await listen(wrong);
    await expect(RemoteModelAdapter.load(`${wBase}/v2/models/toy`, { retries: 0 })).rejects.toThrow(/output "logits" has 1 rows for a batch of 2 images \(shape \[1, 3\]\)/);
    rowsBack = 2;
    const w = await RemoteModelAdapter.load(`${wBase}/v2/models/toy`, { retries: 0, preprocess: 'unit' });
    expect(w.info.tensorEncoding).toBe('json'); // the server does not list binary_tensor_data
    await expect(w.predict(images(3), 3)).rejects.toThrow(/output "logits" has shape \[2, 3\] for batch #\d+ \(3 images\), expected 3 rows of 3/);
  });

  it('serves an adapter through predictRaw, naming an unnamed output (tfjs Layers) "output"', async () => {
    const fake = {
      id: 'tfjs',
      input: { width: 4, height: 4, channels: 3 as const, layout: 'NHWC' as const, normalization: { scale: 1, mean: [0, 0, 0], std: [1, 1, 1], channelOrder: 'RGB' as const }, resize: 'stretch' as const },
      numClasses: 3,
      info: { inputName: 'conv1_input' },
      rawOutput: { name: '', units: 3 },
      predict: async () => new Float32Array(0),
      predictRaw: async (_: Float32Array, n: number) => ({ shape: [n, 3], values: new Float32Array(n * 3).fill(0.5) }),
      dispose: async () => undefined,
    };
    const served = servedModelFrom(fake, 'm');
    expect(served).toMatchObject({ platform: 'tensorflowjs', input: { name: 'conv1_input', shape: [-1, 4, 4, 3] }, output: { name: 'output', units: 3 }, parameters: { limekit_layout: 'NHWC' } });
    expect(() => servedModelFrom({ ...fake, predictRaw: undefined } as never, 'm')).toThrow(/cannot return raw outputs/);
  });

  it('times out a server that never answers, after the retries', async () => {
    const silent = createServer(() => undefined); // accepts and never answers
    const base = await listen(silent);
    await expect(RemoteModelAdapter.load(`${base}/v2/models/toy`, { timeoutMs: 150, retries: 1, retryDelayMs: 10 })).rejects.toThrow(/GET .*\/v2\/models\/toy failed \(no answer within 150 ms\) after 2 attempts over [\d.]+ s\. The server is overloaded or the batch is too large for it: raise timeoutMs/);
    silent.closeAllConnections();
  });
});
