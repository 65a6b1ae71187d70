import { Worker } from 'node:worker_threads';
import * as ort from 'onnxruntime-node';

/** A float32 input or output tensor as the sessions below exchange it. */
export interface PlainTensor {
  readonly type: string;
  readonly dims: readonly number[];
  readonly data: Float32Array;
}

/**
 * What {@link OnnxModelAdapter} needs of an ONNX Runtime session, wherever it runs: on the calling
 * thread ({@link InProcessSession}) or in a worker thread ({@link WorkerSession}).
 */
export interface RuntimeSession {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  readonly inputMetadata?: readonly ort.InferenceSession.ValueMetadata[];
  readonly outputMetadata?: readonly ort.InferenceSession.ValueMetadata[];
  /**
   * Runs the graph on `feeds` and returns the `fetches`.
   * @param move when true, a worker session may move each feed's buffer to its thread instead of
   *   copying it; the feed arrays are then detached and `inputs` holds, per feed, a Float32Array
   *   over the same bytes that the caller owns again. When false (or in process) feeds are only
   *   read, and `inputs` holds the feed arrays themselves.
   */
  run(feeds: Record<string, PlainTensor>, fetches: readonly string[], move?: boolean): Promise<{ outputs: Record<string, PlainTensor>; inputs: Record<string, Float32Array> }>;
  release(): Promise<void>;
}

/** An ONNX Runtime session on the calling thread (which it blocks while a batch runs). */
export class InProcessSession implements RuntimeSession {
  private constructor(private readonly session: ort.InferenceSession) {}

  static async create(source: string | Uint8Array, options: ort.InferenceSession.SessionOptions): Promise<InProcessSession> {
    const session = typeof source === 'string' ? await ort.InferenceSession.create(source, options) : await ort.InferenceSession.create(source, options);
    return new InProcessSession(session);
  }

  get inputNames(): readonly string[] {
    return this.session.inputNames;
  }
  get outputNames(): readonly string[] {
    return this.session.outputNames;
  }
  get inputMetadata(): readonly ort.InferenceSession.ValueMetadata[] | undefined {
    return this.session.inputMetadata;
  }
  get outputMetadata(): readonly ort.InferenceSession.ValueMetadata[] | undefined {
    return this.session.outputMetadata;
  }

  async run(feeds: Record<string, PlainTensor>, fetches: readonly string[]): Promise<{ outputs: Record<string, PlainTensor>; inputs: Record<string, Float32Array> }> {
    const tensors: Record<string, ort.Tensor> = {};
    const inputs: Record<string, Float32Array> = {};
    for (const [name, t] of Object.entries(feeds)) {
      tensors[name] = new ort.Tensor('float32', t.data, [...t.dims]);
      inputs[name] = t.data;
    }
    const result = await this.session.run(tensors, [...fetches]);
    const outputs: Record<string, PlainTensor> = {};
    for (const name of fetches) {
      const t = result[name];
      outputs[name] = { type: t.type, dims: [...t.dims], data: t.data as Float32Array };
    }
    return { outputs, inputs };
  }

  release(): Promise<void> {
    return this.session.release();
  }
}

interface Pending {
  resolve: (m: WorkerReply) => void;
  reject: (e: Error) => void;
}

interface WorkerReply {
  op: 'created' | 'result' | 'error' | 'released';
  id?: number;
  message?: string;
  name?: string;
  inputNames?: string[];
  outputNames?: string[];
  inputMetadata?: ort.InferenceSession.ValueMetadata[];
  outputMetadata?: ort.InferenceSession.ValueMetadata[];
  outputs?: { name: string; type: string; dims: number[]; data: Float32Array }[];
  inputs?: ArrayBuffer[];
}

/** The worker's script: plain JavaScript beside `src/` and `dist/`, so both find it at `../worker/`. */
const WORKER_URL = new URL('../worker/session-worker.mjs', import.meta.url);

/**
 * An ONNX Runtime session in a worker thread of this process (worker/session-worker.mjs). The
 * same runtime, options and thread count as {@link InProcessSession}, so the same scores bit for
 * bit; but while a batch runs the calling thread is free (onnxruntime-node blocks the thread that
 * calls `run`). Requests are answered in order. The worker holds the process open only while a
 * request is pending, so a forgotten session never keeps a program from exiting.
 */
export class WorkerSession implements RuntimeSession {
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private dead: Error | undefined;
  private meta: WorkerReply = { op: 'created' };
  /** Buffers that came back from copied runs, reused for the next copy of the same size. */
  private readonly spare: ArrayBuffer[] = [];

  private constructor(private readonly worker: Worker) {
    worker.on('message', (m: WorkerReply) => this.settle(m));
    worker.on('error', (err) => this.die(new Error(`the ONNX Runtime worker thread failed: ${err.message}`)));
    worker.on('exit', (code) => this.die(new Error(`the ONNX Runtime worker thread exited (code ${code})`)));
    worker.unref();
  }

  static async create(source: string | Uint8Array, options: ort.InferenceSession.SessionOptions): Promise<WorkerSession> {
    const s = new WorkerSession(new Worker(WORKER_URL));
    try {
      s.meta = await s.request({ op: 'create', source, options });
    } catch (err) {
      await s.worker.terminate();
      throw err;
    }
    return s;
  }

  get inputNames(): readonly string[] {
    return this.meta.inputNames ?? [];
  }
  get outputNames(): readonly string[] {
    return this.meta.outputNames ?? [];
  }
  get inputMetadata(): readonly ort.InferenceSession.ValueMetadata[] | undefined {
    return this.meta.inputMetadata;
  }
  get outputMetadata(): readonly ort.InferenceSession.ValueMetadata[] | undefined {
    return this.meta.outputMetadata;
  }

  async run(feeds: Record<string, PlainTensor>, fetches: readonly string[], move = false): Promise<{ outputs: Record<string, PlainTensor>; inputs: Record<string, Float32Array> }> {
    const names = Object.keys(feeds);
    const sent = names.map((name) => {
      const { type, dims, data } = feeds[name];
      if (move && data.buffer instanceof ArrayBuffer) return { name, type, dims: [...dims], data };
      // Copied: into a buffer of our own, which travels to the worker and back.
      const i = this.spare.findIndex((b) => b.byteLength === data.byteLength);
      const copy = new Float32Array(i >= 0 ? this.spare.splice(i, 1)[0] : new ArrayBuffer(data.byteLength));
      copy.set(data);
      return { name, type, dims: [...dims], data: copy };
    });
    const transfer = [...new Set(sent.map((f) => f.data.buffer as ArrayBuffer))];
    const reply = await this.request({ op: 'run', feeds: sent, fetches: [...fetches] }, transfer);
    const inputs: Record<string, Float32Array> = {};
    names.forEach((name, k) => {
      const back = reply.inputs![k];
      const moved = sent[k].data !== feeds[name].data ? undefined : back;
      if (moved) inputs[name] = new Float32Array(moved, feeds[name].data.byteOffset, feeds[name].data.length);
      else {
        if (!this.spare.includes(back)) this.spare.push(back);
        inputs[name] = feeds[name].data;
      }
    });
    const outputs: Record<string, PlainTensor> = {};
    for (const o of reply.outputs ?? []) outputs[o.name] = { type: o.type, dims: o.dims, data: o.data };
    return { outputs, inputs };
  }

  async release(): Promise<void> {
    if (this.dead) return;
    try {
      await this.request({ op: 'release' });
    } finally {
      await this.worker.terminate();
    }
  }

  private request(message: Record<string, unknown>, transfer: ArrayBuffer[] = []): Promise<WorkerReply> {
    if (this.dead) return Promise.reject(this.dead);
    const id = this.nextId++;
    return new Promise<WorkerReply>((resolve, reject) => {
      if (this.pending.size === 0) this.worker.ref();
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ ...message, id }, transfer);
    });
  }

  private settle(m: WorkerReply): void {
    const id = m.id!;
    const p = this.pending.get(id);
    if (!p) return;
    this.pending.delete(id);
    if (this.pending.size === 0) this.worker.unref();
    if (m.op === 'error') {
      if (m.inputs) for (const b of m.inputs) if (!this.spare.includes(b)) this.spare.push(b);
      const err = new Error(m.message ?? 'unknown error');
      if (m.name) err.name = m.name;
      p.reject(err);
    } else p.resolve(m);
  }

  private die(err: Error): void {
    if (this.dead) return;
    this.dead = err;
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
  }
}
