// The thread an ONNX Runtime session runs in when OnnxModelAdapter's `thread` option is 'worker'
// (the default). onnxruntime-node runs a session on the calling thread and blocks it until the
// batch is scored; here that thread is this worker, so the explainer's main thread writes the next
// batch, segments the next image or encodes pictures meanwhile. The protocol (src/worker-session.ts):
//
//   → { op: 'create', id, source: path | Uint8Array, options } ← { op: 'created', id, names and metadata } | { op: 'error', id }
//   → { op: 'run', id, feeds: [{ name, type, dims, data }], fetches }
//                                                            ← { op: 'result', id, outputs: [...], inputs: [ArrayBuffer…] } | { op: 'error', id }
//   → { op: 'release', id }                                  ← { op: 'released', id } (then the thread ends)
//
// Input buffers arrive transferred (moved, not copied) and go back transferred with the result,
// so the caller owns them again; outputs are transferred too. Plain JavaScript, shipped as is,
// so that the same file serves the built package and the TypeScript sources under test.
import { parentPort } from 'node:worker_threads';
import * as ort from 'onnxruntime-node';

/** @type {import('onnxruntime-node').InferenceSession | undefined} */
let session;

const fail = (id, err) =>
  parentPort.postMessage({ op: 'error', id, message: String(err?.message ?? err), name: err?.name ?? 'Error' });

parentPort.on('message', async (msg) => {
  if (msg.op === 'create') {
    try {
      session = await ort.InferenceSession.create(msg.source, msg.options);
      parentPort.postMessage({
        op: 'created',
        id: msg.id,
        inputNames: [...session.inputNames],
        outputNames: [...session.outputNames],
        inputMetadata: session.inputMetadata ? [...session.inputMetadata] : undefined,
        outputMetadata: session.outputMetadata ? [...session.outputMetadata] : undefined,
      });
    } catch (err) {
      fail(msg.id, err);
    }
  } else if (msg.op === 'run') {
    const inputs = msg.feeds.map((f) => f.data.buffer);
    try {
      const feeds = {};
      for (const f of msg.feeds) feeds[f.name] = new ort.Tensor(f.type, f.data, f.dims);
      const result = await session.run(feeds, msg.fetches);
      const outputs = msg.fetches.map((name) => {
        const t = result[name];
        // A copy the size of the scores: the runtime's own buffer may live in native memory, which
        // cannot be transferred.
        return { name, type: t.type, dims: [...t.dims], data: t.data.slice() };
      });
      const transfer = [...new Set([...inputs, ...outputs.filter((o) => ArrayBuffer.isView(o.data)).map((o) => o.data.buffer)])];
      parentPort.postMessage({ op: 'result', id: msg.id, outputs, inputs }, transfer);
    } catch (err) {
      parentPort.postMessage({ op: 'error', id: msg.id, message: String(err?.message ?? err), name: err?.name ?? 'Error', inputs }, [...new Set(inputs)]);
    }
  } else if (msg.op === 'release') {
    try {
      await session?.release();
    } finally {
      session = undefined;
      parentPort.postMessage({ op: 'released', id: msg.id });
      parentPort.close();
    }
  }
});
