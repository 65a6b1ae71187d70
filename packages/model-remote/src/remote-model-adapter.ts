import { ModelError, requireOption } from '@limekit/core';
import {
  BaseModelAdapter,
  checkTestOutput,
  conventionInfo,
  DEFAULT_COMMON_MODEL_OPTIONS,
  decideOutput,
  inputSpecOf,
  readImageInput,
  resolveClassNames,
  resolveModelOptions,
  showShape,
  testInputs,
  type AdapterState,
  type CommonModelOptions,
  type RawOutput,
} from '@limekit/model-common';
import { errorText, HttpClient, TransportError } from './http-client.js';
import { decodeInferResponse, encodeInferRequest, INFERENCE_HEADER, parseModelMetadata, ProtocolError, type ModelMetadata } from './protocol.js';

/**
 * Options of {@link RemoteModelAdapter.load}: the {@link CommonModelOptions} of every adapter
 * (the protocol does not carry preprocessing, so it comes from here as for a local model), and
 * the connection's own.
 */
export interface RemoteModelOptions extends CommonModelOptions {
  /** Input tensor to feed. Default null: the model's only input. */
  inputName: string | null;
  /** Output tensor to read. Default null: the first output. */
  outputName: string | null;
  /** Tensor encoding: `binary` (Triton's extension), `json`, or `auto` (binary when the server lists `binary_tensor_data`). Default `auto`. */
  protocol: 'auto' | 'binary' | 'json';
  /** Time limit of one HTTP request, in milliseconds. Default 60 000. */
  timeoutMs: number;
  /** Retries on connection errors, timeouts, 502, 503 and 504. Default 4. */
  retries: number;
  /** First retry delay in ms, doubled each retry (capped at 5 s). Default 250. */
  retryDelayMs: number;
  /** Requests in flight at once (per adapter), to keep a remote GPU busy. Default 4. */
  maxInFlight: number;
  /**
   * Images per request: a `predict` call larger than this is split into requests sent in
   * parallel (up to `maxInFlight`), results reassembled in order. Default null: one request per call.
   */
  requestBatchSize: number | null;
  /** Extra HTTP headers on every request (an Authorization header for a gateway). Default `{}`. */
  headers: Record<string, string>;
}

/** Defaults of {@link RemoteModelOptions}. */
export const DEFAULT_REMOTE_OPTIONS: Readonly<RemoteModelOptions> = {
  ...DEFAULT_COMMON_MODEL_OPTIONS,
  inputName: null,
  outputName: null,
  protocol: 'auto',
  timeoutMs: 60_000,
  retries: 4,
  retryDelayMs: 250,
  maxInFlight: 4,
  requestBatchSize: null,
  headers: {},
};

const C = 'RemoteModelAdapter';

/** Whether a `--model` value is an inference-server URL rather than a file. */
export function isRemoteModelUrl(model: string): boolean {
  return /^https?:\/\//i.test(model);
}

/** The parts of `http://host:port[/prefix]/v2/models/NAME[/versions/V]`. */
export interface RemoteModelUrl {
  /** `http://host:port[/prefix]/v2`. */
  readonly v2: string;
  /** `…/v2/models/NAME[/versions/V]`. */
  readonly model: string;
  readonly name: string;
  readonly version?: string;
}

/**
 * Parses a model URL.
 * @throws ModelError saying what the URL must look like.
 */
export function parseRemoteModelUrl(url: string): RemoteModelUrl {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new ModelError(`${C}: model URL must be http(s)://host:port/v2/models/NAME, got "${url}".`);
  }
  const m = /^(.*)\/v2\/models\/([^/]+)(?:\/versions\/([^/]+))?\/?$/.exec(u.pathname);
  if (!/^https?:$/.test(u.protocol) || !m) {
    throw new ModelError(`${C}: model URL must be http(s)://host:port/v2/models/NAME (an Open Inference Protocol model endpoint), got "${url}". For limekit serve, the URL is printed when it starts.`);
  }
  const v2 = `${u.origin}${m[1]}/v2`;
  const name = decodeURIComponent(m[2]);
  return { v2, name, model: `${v2}/models/${encodeURIComponent(name)}${m[3] ? `/versions/${m[3]}` : ''}`, ...(m[3] ? { version: decodeURIComponent(m[3]) } : {}) };
}

/** Limits the number of tasks running at once. */
class Semaphore {
  private running = 0;
  private readonly queue: (() => void)[] = [];
  constructor(private readonly limit: number) {}
  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.running >= this.limit) await new Promise<void>((r) => this.queue.push(r));
    this.running++;
    try {
      return await task();
    } finally {
      this.running--;
      this.queue.shift()?.();
    }
  }
}

/** What the adapter keeps about the connection. */
interface Connection {
  readonly url: RemoteModelUrl;
  readonly http: HttpClient;
  readonly inputName: string;
  readonly binary: boolean;
  readonly requestBatchSize: number | null;
  readonly slots: Semaphore;
}

/**
 * An image classifier behind an Open Inference Protocol (KServe v2) REST server: Triton, KServe,
 * MLServer, OpenVINO Model Server, or `limekit serve`.
 *
 * The model's metadata (`GET /v2/models/{name}`) gives the input's name, datatype and shape,
 * hence the layout and view size, and the outputs; preprocessing, resizing and the output kind
 * come from the options, as for a local model, since the protocol does not carry them. Batches
 * go as float32 binary tensors (Triton's extension) or JSON; each image's float32 input and
 * output cross the wire exactly, so an explanation is bit for bit the one of the local model
 * (same runtime, same batches).
 *
 * @example
 * ```ts
 * const model = await RemoteModelAdapter.load('http://gpu-box:8000/v2/models/resnet50', { preprocess: 'imagenet', labels: 'imagenet_class_index.json' });
 * ```
 * @see https://github.com/kserve/open-inference-protocol/blob/main/specification/protocol/inference_rest.md
 * @see https://github.com/triton-inference-server/server/blob/main/docs/protocol/extension_binary_data.md
 */
export class RemoteModelAdapter extends BaseModelAdapter {
  readonly id = 'remote';
  private readonly conn: Connection;

  private constructor(state: AdapterState, conn: Connection) {
    super(state);
    this.conn = conn;
  }

  /**
   * Connects to a model on an inference server and checks that limekit can feed it and read it.
   *
   * @param url `http(s)://host:port[/prefix]/v2/models/NAME[/versions/V]`.
   * @param options see {@link RemoteModelOptions} and {@link DEFAULT_REMOTE_OPTIONS}.
   * @returns the adapter; the caller disposes it.
   * @throws InvalidOptionError for unknown options or values out of range.
   * @throws ModelError naming the URL and the fix: malformed URL; server unreachable after the
   *   retries; no such model (404); model not ready; an input that is not one rank-4 FP32 image
   *   tensor; an unknown input or output name; a test inference refused (4xx) or answering with
   *   the wrong shape or non-finite values.
   * @throws InputError for class names whose count differs from the model's classes.
   */
  static async load(url: string, options: Partial<RemoteModelOptions> = {}): Promise<RemoteModelAdapter> {
    const o = resolveRemoteOptions(options);
    const where = parseRemoteModelUrl(url);
    const fail = (message: string): never => {
      throw new ModelError(`Model ${url}: ${message}`);
    };
    const http = new HttpClient({ timeoutMs: o.timeoutMs, retries: o.retries, retryDelayMs: o.retryDelayMs, headers: o.headers });
    const get = async (target: string) => {
      try {
        return await http.request('GET', target);
      } catch (err) {
        if (err instanceof TransportError) throw new ModelError(`Model ${url}: ${err.message}`, { cause: err });
        throw err;
      }
    };

    // --- metadata and readiness
    const metaRes = await get(where.model);
    if (metaRes.status === 404) fail(`the server at ${where.v2} has no model "${where.name}"${where.version ? ` version ${where.version}` : ''} (404: ${errorText(metaRes.body)}). Check the name in the URL.`);
    if (metaRes.status !== 200) fail(`model metadata request answered ${metaRes.status}: ${errorText(metaRes.body)}.`);
    let meta: ModelMetadata;
    try {
      meta = parseModelMetadata(JSON.parse(Buffer.from(metaRes.body).toString('utf8')), `Model ${url}`);
    } catch (err) {
      return fail(`the server's model metadata is not what the Open Inference Protocol describes (${(err as Error).message}). Is this an inference server?`);
    }
    const readyRes = await get(`${where.model}/ready`);
    let ready = readyRes.status === 200;
    if (ready && readyRes.body.length) {
      try {
        ready = (JSON.parse(Buffer.from(readyRes.body).toString('utf8')) as { ready?: unknown }).ready !== false;
      } catch {
        // Triton answers 200 with an empty body; KServe with {"name","ready"}.
      }
    }
    if (!ready) fail(`the model is not ready (GET ${where.model}/ready answered ${readyRes.status}${readyRes.body.length ? `: ${errorText(readyRes.body)}` : ''}). Wait until the server has loaded it, then retry.`);

    // --- binary or JSON tensors
    let binary = o.protocol === 'binary';
    if (o.protocol === 'auto') {
      const server = await get(where.v2).catch(() => undefined);
      try {
        const ext = server?.status === 200 ? (JSON.parse(Buffer.from(server.body).toString('utf8')) as { extensions?: unknown }).extensions : undefined;
        binary = Array.isArray(ext) && ext.includes('binary_tensor_data');
      } catch {
        binary = false;
      }
    }

    // --- input and output
    const inputNames = meta.inputs.map((t) => t.name);
    if (o.inputName !== null && !inputNames.includes(o.inputName)) fail(`has no input named "${o.inputName}"; its inputs are ${inputNames.join(', ')}.`);
    if (o.inputName === null && inputNames.length !== 1) fail(`has ${inputNames.length} inputs (${inputNames.join(', ')}); limekit feeds one image tensor. Name it with inputName.`);
    const inputMeta = meta.inputs.find((t) => t.name === (o.inputName ?? inputNames[0]))!;
    if (inputMeta.datatype !== 'FP32') fail(`input "${inputMeta.name}" has datatype ${inputMeta.datatype}, but limekit sends FP32 tensors. Serve a float32-input variant of the model.`);
    const dims = inputMeta.shape.map((d) => (d > 0 ? d : null));
    const image = readImageInput(`Model ${url}`, inputMeta.name, dims, o);
    const { layout, channels, width, height, fixedBatch } = image;
    const input = inputSpecOf(image, o, C);
    const outputNames = meta.outputs.map((t) => t.name);
    if (o.outputName !== null && !outputNames.includes(o.outputName)) fail(`has no output named "${o.outputName}"; its outputs are ${outputNames.join(', ')}. Choose one with outputName.`);
    const outputName = o.outputName ?? outputNames[0];
    if (outputName === undefined) fail('declares no outputs.');
    const outMeta = meta.outputs.find((t) => t.name === outputName)!;
    if (outMeta.datatype !== 'FP32' && outMeta.datatype !== 'FP64') fail(`output "${outputName}" has datatype ${outMeta.datatype}, not FP32 scores${outputNames.length > 1 ? `; its outputs are ${outputNames.join(', ')}: choose the scores with outputName` : ''}.`);

    const conn: Connection = { url: where, http, inputName: inputMeta.name, binary, requestBatchSize: o.requestBatchSize, slots: new Semaphore(o.maxInFlight) };

    // --- one test inference
    const size = width * height * channels;
    const rows = fixedBatch ?? 2;
    let probe: RawOutput;
    try {
      probe = await infer(conn, outputName, testInputs(rows, size), rows, size, layout === 'NCHW' ? [channels, height, width] : [height, width, channels]);
    } catch (err) {
      return fail(`a test inference of shape ${showShape([rows, ...(layout === 'NCHW' ? [channels, height, width] : [height, width, channels])])} failed: ${(err as Error).message}`);
    }
    const units = checkTestOutput(`Model ${url}`, outputName, rows, probe, o.outputKind);
    // The op that produces the output decides logits vs probabilities exactly as for the local
    // model; limekit serve says it in the metadata's parameters, other servers do not.
    const hint = meta.parameters?.limekit_output_op;
    const op = typeof hint === 'string' ? hint : undefined;
    const output = decideOutput(o.outputKind, units, op, probe.values);
    const names = await resolveClassNames(o, undefined, output, `output "${outputName}" has ${units} units`, url);
    const notes = [...image.notes, ...(names.note ? [names.note] : [])];
    const maxBatchSize = typeof o.maxBatchSize === 'number' ? (fixedBatch !== undefined ? Math.min(fixedBatch, o.maxBatchSize) : o.maxBatchSize) : fixedBatch;
    const info: Record<string, unknown> = {
      runtime: 'open-inference-protocol',
      model: url,
      server: where.v2,
      modelName: meta.name,
      platform: meta.platform,
      tensorEncoding: binary ? 'binary' : 'json',
      maxInFlight: o.maxInFlight,
      ...(o.requestBatchSize !== null ? { requestBatchSize: o.requestBatchSize } : {}),
      inputName: inputMeta.name,
      inputNames,
      inputShape: inputMeta.shape.map((d) => (d > 0 ? d : '?')),
      outputName,
      outputNames,
      ...conventionInfo(image, o.preprocess, output, op),
      ...(fixedBatch !== undefined ? { fixedBatch } : {}),
      ...(names.from ? { classNamesFrom: names.from } : {}),
      ...(notes.length ? { notes } : {}),
    };
    const adapter = new RemoteModelAdapter({ who: C, path: url, outputName, fixedBatch, output, input, classNames: names.classNames, maxBatchSize, info }, conn);
    if (o.maxBatchSize === 'auto') await adapter.chooseBatchSizeNow(o.memoryBudgetBytes);
    return adapter;
  }

  /** Sends the batch, split into requests of `requestBatchSize` in parallel when set; results in order. */
  /** The server computes: the next batch is written while it scores this one. */
  override get offThread(): boolean {
    return true;
  }

  protected async runRaw(data: Float32Array, rows: number): Promise<RawOutput> {
    const { width, height, channels, layout } = this.input;
    const size = width * height * channels;
    const dims = layout === 'NCHW' ? [channels, height, width] : [height, width, channels];
    const piece = this.conn.requestBatchSize ?? rows;
    if (piece >= rows) return infer(this.conn, this.base.outputName, data, rows, size, dims);
    const units = this.base.output.units;
    const values = new Float32Array(rows * units);
    const parts: Promise<void>[] = [];
    for (let i = 0; i < rows; i += piece) {
      const n = Math.min(piece, rows - i);
      parts.push(
        infer(this.conn, this.base.outputName, data.subarray(i * size, (i + n) * size), n, size, dims).then((r) => {
          if (r.values.length !== n * units) throw new Error(`the server returned ${r.values.length} values for ${n} images, expected ${n} × ${units} (shape ${showShape(r.shape)}).`);
          values.set(r.values, i * units);
        }),
      );
    }
    // Every request settles before returning: none may still read the caller's buffer.
    const settled = await Promise.allSettled(parts);
    const failed = settled.find((s) => s.status === 'rejected');
    if (failed) throw (failed as PromiseRejectedResult).reason;
    return { shape: [rows, units], values };
  }

  /** Nothing to free: the HTTP connections close when idle. */
  protected async release(): Promise<void> {}
}

/**
 * One inference request for `rows` images; answers the output as float32.
 * @throws Error with the server's message for 4xx/5xx, TransportError when unreachable.
 */
async function infer(conn: Connection, outputName: string, data: Float32Array, rows: number, size: number, dims: number[]): Promise<RawOutput> {
  const images = data.length === rows * size ? data : data.subarray(0, rows * size);
  const { body, headers } = encodeInferRequest(
    { inputs: [{ name: conn.inputName, datatype: 'FP32', shape: [rows, ...dims], data: images }], outputs: [{ name: outputName, ...(conn.binary ? { binary: true } : {}) }] },
    conn.binary,
  );
  const res = await conn.slots.run(() => conn.http.request('POST', `${conn.url.model}/infer`, body, headers));
  if (res.status !== 200) {
    const why = res.status === 400 ? ' (the server refused the tensor: check inputName, the layout and the image size)' : res.status === 413 ? ' (the request is larger than the server accepts: lower --batch-size, or requestBatchSize)' : res.status === 404 ? ' (no such model or endpoint: check the URL)' : '';
    throw new Error(`the server answered ${res.status}${why}: ${errorText(res.body)}`);
  }
  const h = res.headers.get(INFERENCE_HEADER);
  let decoded;
  try {
    decoded = decodeInferResponse(res.body, h === null ? undefined : Number(h));
  } catch (err) {
    if (err instanceof ProtocolError) throw new Error(`the server's answer is malformed: ${err.message}`);
    throw err;
  }
  const out = decoded.outputs.find((t) => t.name === outputName) ?? (decoded.outputs.length === 1 ? decoded.outputs[0] : undefined);
  if (!out) throw new Error(`the answer has no output "${outputName}" (it has ${decoded.outputs.map((t) => `"${t.name}"`).join(', ') || 'none'}).`);
  if (out.datatype !== 'FP32' && out.datatype !== 'FP64') throw new Error(`output "${out.name}" came back as ${out.datatype}, not FP32.`);
  const values = out.data instanceof Float32Array ? out.data : Float32Array.from(out.data);
  return { shape: [...out.shape], values };
}

function resolveRemoteOptions(options: Partial<RemoteModelOptions>): RemoteModelOptions {
  const o = resolveModelOptions(C, DEFAULT_REMOTE_OPTIONS, options);
  for (const k of ['inputName', 'outputName'] as const) requireOption(o[k] === null || typeof o[k] === 'string', C, k, 'null or a tensor name', o[k]);
  requireOption(['auto', 'binary', 'json'].includes(o.protocol), C, 'protocol', '"auto", "binary" or "json"', o.protocol);
  requireOption(Number.isFinite(o.timeoutMs) && o.timeoutMs > 0, C, 'timeoutMs', 'a number of milliseconds > 0', o.timeoutMs);
  requireOption(Number.isInteger(o.retries) && o.retries >= 0, C, 'retries', 'an integer >= 0', o.retries);
  requireOption(Number.isFinite(o.retryDelayMs) && o.retryDelayMs >= 0, C, 'retryDelayMs', 'a number of milliseconds >= 0', o.retryDelayMs);
  requireOption(Number.isInteger(o.maxInFlight) && o.maxInFlight >= 1, C, 'maxInFlight', 'an integer >= 1', o.maxInFlight, 'Use 2–8 to keep a remote GPU busy.');
  requireOption(o.requestBatchSize === null || (Number.isInteger(o.requestBatchSize) && o.requestBatchSize >= 1), C, 'requestBatchSize', 'null or an integer >= 1', o.requestBatchSize);
  requireOption(!!o.headers && typeof o.headers === 'object' && Object.values(o.headers).every((v) => typeof v === 'string'), C, 'headers', 'an object of header names to strings', o.headers);
  return o;
}
