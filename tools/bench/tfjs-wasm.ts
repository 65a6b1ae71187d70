// TensorFlow.js's WebAssembly backend in Node: what its SIMD and threads settings give on a real
// model (SqueezeNet 1.1 as a tfjs Layers model from ../shared/models/imagenet), against
// onnxruntime-node on the same network as ONNX. Each setting runs in a fresh process (the wasm
// module is chosen once per process). Prints ms per image at batch 50 (median of the timed calls
// after one warm-up) and the ratio to onnxruntime.
//
//   node --conditions=@limekit/source --import tsx tools/bench/tfjs-wasm.ts [--calls 3] [--batch 50]
//
// Settings: `default` (what @limekit/model-tfjs does: the SIMD binary, one thread); `no-simd`
// (WASM_HAS_SIMD_SUPPORT=false: the plain binary); `threads-N` (WASM_HAS_MULTITHREAD_SUPPORT=true
// and setThreadsCount(N): the threaded-SIMD binary, which tfjs 4.22 disables in Node, see
// tensorflow/tfjs#3830).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { imagenetModelsDir } from './end-to-end.js';

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const { values } = parseArgs({ options: { calls: { type: 'string', default: '3' }, batch: { type: 'string', default: '50' }, child: { type: 'string' }, model: { type: 'string' } } });
const calls = Number(values.calls), batch = Number(values.batch);

async function child(setting: string, model: string): Promise<void> {
  const size = 224 * 224 * 3;
  const x = new Float32Array(batch * size);
  for (let i = 0; i < x.length; i++) x[i] = 2 * Math.sin(0.001 * i + (i % 7));
  let run: () => Promise<unknown>;
  if (setting === 'onnxruntime') {
    const ort = await import('onnxruntime-node');
    const session = await ort.InferenceSession.create(model, { graphOptimizationLevel: 'all' });
    run = () => session.run({ [session.inputNames[0]]: new ort.Tensor('float32', x, [batch, 3, 224, 224]) });
  } else {
    const tf = await import('@tensorflow/tfjs');
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    if (setting === 'no-simd') tf.env().set('WASM_HAS_SIMD_SUPPORT', false);
    const threads = /^threads-(\d+)$/.exec(setting);
    if (threads) {
      tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', true);
      wasm.setThreadsCount(Number(threads[1]));
    }
    if (!(await tf.setBackend('wasm'))) throw new Error('wasm backend failed to start');
    const m = await tf.loadLayersModel(await fileHandler(tf, model));
    run = async () => {
      const y = tf.tidy(() => m.predict(tf.tensor4d(x, [batch, 224, 224, 3])) as import('@tensorflow/tfjs').Tensor);
      await y.data();
      y.dispose();
    };
  }
  await run();
  const times: number[] = [];
  for (let i = 0; i < calls; i++) {
    const t0 = performance.now();
    await run();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  process.stdout.write(JSON.stringify({ msPerImage: times[times.length >> 1] / batch }) + '\n');
}

/** An io handler reading model.json and its weights from disk (tfjs has no file:// loader without tfjs-node). */
async function fileHandler(tf: typeof import('@tensorflow/tfjs'), modelJson: string): Promise<import('@tensorflow/tfjs').io.IOHandler> {
  const { readFile } = await import('node:fs/promises');
  const { dirname } = await import('node:path');
  const json = JSON.parse(await readFile(modelJson, 'utf8'));
  const specs = json.weightsManifest.flatMap((g: { weights: unknown[] }) => g.weights);
  const buffers = await Promise.all(json.weightsManifest.flatMap((g: { paths: string[] }) => g.paths.map((p) => readFile(join(dirname(modelJson), p)))));
  const all = Buffer.concat(buffers);
  return tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: specs, weightData: all.buffer.slice(all.byteOffset, all.byteOffset + all.length) });
}

if (values.child) {
  await child(values.child, values.model!);
} else {
  const imagenet = imagenetModelsDir(root);
  const tfjsModel = imagenet && join(imagenet, 'tfjs_squeezenet1.1_imagenet/model.json');
  const onnxModel = imagenet && join(imagenet, 'squeezenet1.1_imagenet_nchw.onnx');
  if (!tfjsModel || !existsSync(tfjsModel) || !onnxModel || !existsSync(onnxModel)) {
    console.log(`skipped: SqueezeNet 1.1 (ONNX and tfjs) not found in ${imagenet ?? resolve(root, '../shared/models/imagenet')} (LIMEKIT_IMAGENET_MODELS names another folder)`);
  } else {
    console.log(`SqueezeNet 1.1, batch ${batch}, ms per image (median of ${calls} calls after a warm-up), each setting in a fresh process`);
    const results: Record<string, number> = {};
    for (const setting of ['onnxruntime', 'default', 'no-simd', 'threads-2']) {
      const r = spawnSync(process.execPath, ['--conditions=@limekit/source', '--import', 'tsx', fileURLToPath(import.meta.url), '--child', setting, '--model', setting === 'onnxruntime' ? onnxModel : tfjsModel, '--calls', String(calls), '--batch', String(batch)], { cwd: root, encoding: 'utf8', timeout: 600_000 });
      if (r.status !== 0) {
        console.log(`${setting.padEnd(12)} failed: ${(r.stderr || r.error?.message || '').trim().split('\n').slice(-3).join(' | ').slice(0, 400)}`);
        continue;
      }
      results[setting] = JSON.parse(r.stdout.trim().split('\n').pop()!).msPerImage;
      const vs = setting === 'onnxruntime' ? '' : results.onnxruntime ? ` · ${(results[setting] / results.onnxruntime).toFixed(1)}× onnxruntime` : '';
      console.log(`${setting.padEnd(12)} ${results[setting].toFixed(1)} ms per image${vs}`);
    }
  }
}
