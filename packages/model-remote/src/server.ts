import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { decodeInferRequest, encodeInferResponse, INFERENCE_HEADER, ProtocolError, type ModelMetadata } from './protocol.js';

/** What {@link createInferenceServer} serves: one model with one FP32 input and one FP32 output. */
export interface ServedModel {
  /** The name in the URL: `/v2/models/{name}`. */
  readonly name: string;
  /** The protocol's `platform` (`onnxruntime_onnx`, `tensorflow_js`). */
  readonly platform: string;
  /** The input tensor; `shape` starts with -1 (the batch) unless the model fixes it. */
  readonly input: { readonly name: string; readonly shape: readonly number[] };
  /** The output tensor and its units per image. */
  readonly output: { readonly name: string; readonly units: number };
  /** Hints put in the metadata's `parameters` (limekit's client reads `limekit_output_op`). */
  readonly parameters?: Readonly<Record<string, string | number | boolean>>;
  /** Runs `rows` images; returns `rows × units` float32 values (raw model output). */
  run(data: Float32Array, rows: number): Promise<{ readonly shape: readonly number[]; readonly values: Float32Array }>;
}

/** Options of {@link createInferenceServer}. */
export interface InferenceServerOptions {
  /** Largest request body in bytes; larger ones get 413. Default 64 MiB (about 330 images of 3×224×224 floats). */
  maxBodyBytes: number;
  /** Largest batch (first dimension) of one request; larger ones get 400. Default 1024. */
  maxBatch: number;
  /** Requests waiting for the model beyond the one running; more get 503 with Retry-After. Default 32. */
  maxQueue: number;
  /** The server's name in `GET /v2`. Default `limekit`. */
  serverName: string;
  /** The server's version in `GET /v2`. Default `0.1.0`. */
  serverVersion: string;
}

/** Defaults of {@link InferenceServerOptions}. */
export const DEFAULT_INFERENCE_SERVER_OPTIONS: Readonly<InferenceServerOptions> = {
  maxBodyBytes: 64 * 2 ** 20,
  maxBatch: 1024,
  maxQueue: 32,
  serverName: 'limekit',
  serverVersion: '0.1.0',
};

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** Counters of a running server, for logs and tests. */
export interface ServerStats {
  requests: number;
  inferences: number;
  images: number;
  errors4xx: number;
  errors5xx: number;
  rejectedBusy: number;
}

/**
 * An HTTP server speaking the Open Inference Protocol's REST API for one model: health
 * (`/v2/health/live`, `/v2/health/ready`), server and model metadata (`/v2`, `/v2/models/{name}`),
 * model ready and infer, with JSON tensors and Triton's binary tensor data extension.
 *
 * Safe to leave running: bodies are bounded (413 with a message), malformed or mis-shaped tensors
 * get 400 with a message, model runs are serialised behind a bounded queue (503 with Retry-After
 * when full), nothing grows with the number of requests.
 *
 * @param model what to serve.
 * @param options see {@link DEFAULT_INFERENCE_SERVER_OPTIONS}.
 * @returns an http.Server not yet listening, and its counters.
 * @see https://github.com/kserve/open-inference-protocol/blob/main/specification/protocol/inference_rest.md
 */
export function createInferenceServer(model: ServedModel, options: Partial<InferenceServerOptions> = {}): { server: Server; stats: ServerStats } {
  const o = { ...DEFAULT_INFERENCE_SERVER_OPTIONS, ...options };
  const stats: ServerStats = { requests: 0, inferences: 0, images: 0, errors4xx: 0, errors5xx: 0, rejectedBusy: 0 };
  const [, ...imageDims] = model.input.shape;
  const fixedBatch = model.input.shape[0] > 0 ? model.input.shape[0] : undefined;
  const metadata: ModelMetadata = {
    name: model.name,
    versions: ['1'],
    platform: model.platform,
    inputs: [{ name: model.input.name, datatype: 'FP32', shape: [...model.input.shape] }],
    outputs: [{ name: model.output.name, datatype: 'FP32', shape: [fixedBatch ?? -1, model.output.units] }],
    ...(model.parameters ? { parameters: { ...model.parameters } } : {}),
  };

  // One model run at a time, in arrival order; `waiting` bounds the queue.
  let tail: Promise<unknown> = Promise.resolve();
  let waiting = 0;
  const schedule = <T>(job: () => Promise<T>): Promise<T> => {
    if (waiting >= o.maxQueue) {
      stats.rejectedBusy++;
      throw new HttpError(503, `server busy: ${waiting} requests are waiting for the model (maxQueue ${o.maxQueue}). Retry after a moment, or send fewer requests at once.`);
    }
    waiting++;
    const result = tail.then(job);
    tail = result.catch(() => undefined).finally(() => waiting--);
    return result;
  };

  const send = (res: ServerResponse, status: number, body: Buffer | Record<string, unknown>, headers: Record<string, string> = {}) => {
    if (status >= 500) stats.errors5xx++;
    else if (status >= 400) stats.errors4xx++;
    const data = Buffer.isBuffer(body) ? body : Buffer.from(JSON.stringify(body));
    res.writeHead(status, { 'Content-Type': 'application/json', ...headers, 'Content-Length': String(data.length) });
    res.end(data);
  };

  const readBody = (req: IncomingMessage): Promise<Buffer> =>
    new Promise((resolve, reject) => {
      const declared = Number(req.headers['content-length']);
      const tooLarge = (n: number) => new HttpError(413, `request body of ${n} bytes is larger than the server's limit of ${o.maxBodyBytes} bytes. Send smaller batches (--batch-size), or start the server with a larger --max-body-mb.`);
      if (Number.isFinite(declared) && declared > o.maxBodyBytes) return reject(tooLarge(declared));
      const chunks: Buffer[] = [];
      let size = 0;
      req.on('data', (c: Buffer) => {
        size += c.length;
        if (size > o.maxBodyBytes) {
          req.removeAllListeners('data');
          req.pause();
          reject(tooLarge(size));
          return;
        }
        chunks.push(c);
      });
      req.on('end', () => resolve(Buffer.concat(chunks, size)));
      req.on('error', reject);
    });

  const infer = async (req: IncomingMessage): Promise<{ status: number; body: Buffer; headers: Record<string, string> }> => {
    const body = await readBody(req);
    const h = req.headers[INFERENCE_HEADER.toLowerCase()];
    let headerLength: number | undefined;
    if (h !== undefined) {
      headerLength = Number(Array.isArray(h) ? h[0] : h);
      if (!Number.isInteger(headerLength)) throw new ProtocolError(`${INFERENCE_HEADER} must be an integer, got ${JSON.stringify(h)}.`);
    }
    const request = decodeInferRequest(body, headerLength);
    if (request.inputs.length !== 1) throw new ProtocolError(`model "${model.name}" takes 1 input ("${model.input.name}"), got ${request.inputs.length} (${request.inputs.map((i) => `"${i.name}"`).join(', ')}).`);
    const [input] = request.inputs;
    if (input.name !== model.input.name) throw new ProtocolError(`model "${model.name}" has no input "${input.name}"; its input is "${model.input.name}" ${JSON.stringify(model.input.shape)} FP32.`);
    if (input.datatype !== 'FP32') throw new ProtocolError(`input "${input.name}" must be FP32, got ${input.datatype}.`);
    const expected = [fixedBatch ?? 'N', ...imageDims];
    const rows = input.shape[0];
    if (input.shape.length !== model.input.shape.length || input.shape.slice(1).some((d, i) => d !== imageDims[i]) || (fixedBatch !== undefined && rows !== fixedBatch)) {
      throw new ProtocolError(`input "${input.name}" must have shape ${JSON.stringify(expected)}, got ${JSON.stringify(input.shape)}. Check the layout and the image size (the model's metadata says ${JSON.stringify(model.input.shape)}).`);
    }
    if (rows < 1 || rows > o.maxBatch) throw new ProtocolError(`input "${input.name}": the batch must hold 1 to ${o.maxBatch} images, got ${rows}.`);
    for (const out of request.outputs ?? []) {
      if (out.name !== model.output.name) throw new ProtocolError(`model "${model.name}" has no output "${out.name}"; its output is "${model.output.name}".`);
    }
    const data = input.data as Float32Array;
    const result = await schedule(() => model.run(data, rows));
    stats.inferences++;
    stats.images += rows;
    if (result.values.length !== rows * model.output.units) {
      throw new HttpError(500, `model "${model.name}" returned ${result.values.length} values for ${rows} images, expected ${rows} × ${model.output.units}.`);
    }
    const encoded = encodeInferResponse(
      { modelName: model.name, ...(request.id !== undefined ? { id: request.id } : {}), outputs: [{ name: model.output.name, datatype: 'FP32', shape: [rows, model.output.units], data: result.values }] },
      request,
    );
    return { status: 200, body: encoded.body, headers: encoded.headers };
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    stats.requests++;
    const url = new URL(req.url ?? '/', 'http://localhost');
    const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    const method = req.method ?? 'GET';
    const onlyGet = () => {
      if (method !== 'GET' && method !== 'HEAD') throw new HttpError(405, `${url.pathname} answers GET, got ${method}.`);
    };
    if (parts[0] !== 'v2') throw new HttpError(404, `no such endpoint ${url.pathname}. This server speaks the Open Inference Protocol under /v2 (model "${model.name}": /v2/models/${model.name}).`);
    if (parts.length === 1) {
      onlyGet();
      return send(res, 200, { name: o.serverName, version: o.serverVersion, extensions: ['binary_tensor_data'] });
    }
    if (parts[1] === 'health' && parts.length === 3 && (parts[2] === 'live' || parts[2] === 'ready')) {
      onlyGet();
      return send(res, 200, parts[2] === 'live' ? { live: true } : { ready: true });
    }
    if (parts[1] === 'models' && parts.length >= 3) {
      const name = parts[2];
      let rest = parts.slice(3);
      if (rest[0] === 'versions') {
        if (rest[1] !== '1') throw new HttpError(404, `model "${name}" has no version "${rest[1] ?? ''}"; it has version 1.`);
        rest = rest.slice(2);
      }
      if (name !== model.name) throw new HttpError(404, `no model "${name}" on this server; it serves "${model.name}" (/v2/models/${model.name}).`);
      if (rest.length === 0) {
        onlyGet();
        return send(res, 200, metadata as unknown as Record<string, unknown>);
      }
      if (rest.length === 1 && rest[0] === 'ready') {
        onlyGet();
        return send(res, 200, { name: model.name, ready: true });
      }
      if (rest.length === 1 && rest[0] === 'infer') {
        if (method !== 'POST') throw new HttpError(405, `${url.pathname} answers POST, got ${method}.`);
        const r = await infer(req);
        return send(res, r.status, r.body, r.headers);
      }
    }
    throw new HttpError(404, `no such endpoint ${url.pathname}. Endpoints: /v2, /v2/health/live, /v2/health/ready, /v2/models/${model.name}, /v2/models/${model.name}/ready, /v2/models/${model.name}/infer.`);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      const status = err instanceof HttpError || err instanceof ProtocolError ? err.status : 500;
      const message = err instanceof Error ? err.message : String(err);
      if (res.headersSent) {
        res.destroy();
        return;
      }
      const headers: Record<string, string> = status === 503 ? { 'Retry-After': '1' } : {};
      if (status === 413) {
        // The rest of the body is not read: close the connection once the answer is out.
        headers.Connection = 'close';
        res.on('finish', () => req.destroy());
      }
      send(res, status, { error: status === 500 ? `model "${model.name}" failed: ${message}` : message }, headers);
    });
  });
  // Slow or stuck clients cannot hold sockets forever.
  server.requestTimeout = 120_000;
  server.headersTimeout = 30_000;
  server.keepAliveTimeout = 10_000;
  return { server, stats };
}
