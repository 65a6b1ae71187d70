// The physical limit of an explanation: a fresh process that only loads an ONNX model with
// onnxruntime-node and runs the same number of images, at the same batch size, as `limekit
// explain` does. Nothing else: no image decoding, no segmentation, no output. Plain JavaScript
// (no TypeScript loader) so that its start-up is node's own. The end-to-end bench
// (end-to-end.ts) runs it against `limekit explain` and prints the ratio.
//
//   node tools/bench/bare-onnx.mjs --model FILE [--images 1] [--samples 1000] [--batch-size 50]
//        [--size 224] [--layout NCHW|NHWC] [--ort JSON]
//
// The input is a fixed smooth pattern in the range of ImageNet-normalised pixels (inference
// time on the CPU does not depend on the values). The session options are limekit's
// (onnxSessionOptions in @limekit/model-onnx: memory pattern off, no spinning), so that the
// ratio measures limekit's own work; --runtime-defaults uses onnxruntime's defaults instead, and
// --ort passes extra options (enableCpuMemArena, enableMemPattern, executionMode, …).
// Prints one JSON line: load and inference time inside the process, model calls, peak RSS.
import { parseArgs } from 'node:util';

const t0 = performance.now();
const { values } = parseArgs({
  options: {
    model: { type: 'string' },
    images: { type: 'string', default: '1' },
    samples: { type: 'string', default: '1000' },
    'batch-size': { type: 'string', default: '50' },
    size: { type: 'string', default: '224' },
    layout: { type: 'string', default: 'NCHW' },
    ort: { type: 'string', default: '{}' },
    'runtime-defaults': { type: 'boolean', default: false },
  },
});
// Keep in step with onnxSessionOptions (packages/model-onnx/src/onnx-model-adapter.ts).
const LIMEKIT_SESSION_OPTIONS = { enableMemPattern: false, extra: { session: { intra_op: { allow_spinning: '0' } } } };
const ort = await import('onnxruntime-node');
const session = await ort.InferenceSession.create(values.model, {
  executionProviders: ['cpu'],
  graphOptimizationLevel: 'all',
  ...(values['runtime-defaults'] ? {} : LIMEKIT_SESSION_OPTIONS),
  ...JSON.parse(values.ort),
});
const inputName = session.inputNames[0];
const s = Number(values.size);
const nchw = values.layout === 'NCHW';
const batch = Number(values['batch-size']);
const samples = Number(values.samples);
const size = 3 * s * s;
// One image of the pattern, copied into every row: the buffer is written once, as explain's
// perturbation writes it, without computing 7.5 million sines (0.12 s of CPU that made this loop
// look slower than it need be; the pages are touched either way).
const data = new Float32Array(batch * size);
for (let i = 0; i < size; i++) data[i] = 2 * Math.sin(0.001 * i + (i % 7));
for (let row = 1; row < batch; row++) data.copyWithin(row * size, 0, size);
const tLoaded = performance.now();
let calls = 0;
for (let img = 0; img < Number(values.images); img++) {
  for (let done = 0; done < samples; done += batch) {
    const rows = Math.min(batch, samples - done);
    const shape = nchw ? [rows, 3, s, s] : [rows, s, s, 3];
    await session.run({ [inputName]: new ort.Tensor('float32', data.subarray(0, rows * size), shape) });
    calls++;
  }
}
const tDone = performance.now();
await session.release();
process.stdout.write(JSON.stringify({ calls, loadMs: tLoaded - t0, inferMs: tDone - tLoaded, peakRssBytes: process.resourceUsage().maxRSS * 1024 }) + '\n');
