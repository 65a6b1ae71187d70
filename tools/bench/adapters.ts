// Model adapters: per-image inference time of each adapter and backend at batch sizes 1, 8, 32,
// 64 and `auto` (what probeBatchSize picks), on the demo classifier (ONNX and TensorFlow.js) and
// on a MobileNetV2-sized network (TensorFlow.js: MobileNetV2 built layer by layer here, random
// weights, 224×224, 3.5 M parameters; ONNX: the file given with --model, e.g. a MobileNetV2 export),
// and on the pretrained SqueezeNet 1.1 of ../shared/models/imagenet when that folder exists.
//
//   npm run bench -- --only adapters [--model mobilenet_v2.onnx]
//
// Each row: median of RUNS timed predict calls after one warm-up. The TensorFlow.js cpu backend
// (plain JavaScript) is measured on the demo model only: on MobileNetV2 it takes seconds per image.
import { existsSync } from 'node:fs';
import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ModelAdapter } from '@limekit/core';
import { OnnxModelAdapter } from '@limekit/model-onnx';
import { TfjsModelAdapter, type TfjsBackendChoice } from '@limekit/model-tfjs';
import * as tf from '@tensorflow/tfjs';
import { median } from '@limekit/testing/bench';
import { imagenetModelsDir } from './end-to-end.js';

const BATCH_SIZES = [1, 8, 32, 64];
const RUNS = 5;

/** One row of the table. */
export interface AdapterRow {
  model: string;
  adapter: string;
  backend: string;
  batch: number | string;
  msPerImage: number;
  imagesPerSecond: number;
}

/** Times `predict` at each batch size, then the batch size the probe picks ('auto'). */
async function measure(model: ModelAdapter & { probeBatchSize(): Promise<{ batchSize: number }> }, label: string, backend: string, sizes: readonly number[]): Promise<AdapterRow[]> {
  const { width, height, channels } = model.input;
  const size = width * height * channels;
  const batch = new Float32Array(Math.max(...sizes) * size);
  for (let i = 0; i < batch.length; i++) batch[i] = Math.sin(0.37 * i);
  const rows: AdapterRow[] = [];
  const time = async (b: number) => {
    await model.predict(batch, b);
    const times: number[] = [];
    for (let r = 0; r < RUNS; r++) {
      const t0 = performance.now();
      await model.predict(batch, b);
      times.push(performance.now() - t0);
    }
    return median(times) / b;
  };
  const row = (batchLabel: number | string, msPerImage: number): AdapterRow => ({ model: label, adapter: model.id, backend, batch: batchLabel, msPerImage: +msPerImage.toFixed(3), imagesPerSecond: +(1000 / msPerImage).toFixed(1) });
  for (const b of sizes) rows.push(row(b, await time(b)));
  const probe = await model.probeBatchSize();
  rows.push(row(`auto (${probe.batchSize})`, await time(probe.batchSize)));
  return rows;
}

/** MobileNetV2 (Sandler et al., CVPR 2018), width 1.0, 224×224, built with tfjs-layers; random weights. */
function mobileNetV2(): tf.LayersModel {
  const input = tf.input({ shape: [224, 224, 3] });
  let seed = 1;
  const conv = (x: tf.SymbolicTensor, filters: number, kernelSize: number, strides = 1) =>
    tf.layers.conv2d({ filters, kernelSize, strides, padding: 'same', useBias: false, kernelInitializer: tf.initializers.heNormal({ seed: seed++ }) }).apply(x) as tf.SymbolicTensor;
  const bn = (x: tf.SymbolicTensor) => tf.layers.batchNormalization({ epsilon: 1e-3, momentum: 0.999 }).apply(x) as tf.SymbolicTensor;
  const relu6 = (x: tf.SymbolicTensor) => tf.layers.reLU({ maxValue: 6 }).apply(x) as tf.SymbolicTensor;
  let x = relu6(bn(conv(input, 32, 3, 2)));
  let channels = 32;
  for (const [t, c, n, s] of [[1, 16, 1, 1], [6, 24, 2, 2], [6, 32, 3, 2], [6, 64, 4, 2], [6, 96, 3, 1], [6, 160, 3, 2], [6, 320, 1, 1]]) {
    for (let i = 0; i < n; i++) {
      const stride = i === 0 ? s : 1;
      let y = t === 1 ? x : relu6(bn(conv(x, channels * t, 1)));
      y = relu6(bn(tf.layers.depthwiseConv2d({ kernelSize: 3, strides: stride, padding: 'same', useBias: false, depthwiseInitializer: tf.initializers.heNormal({ seed: seed++ }) }).apply(y) as tf.SymbolicTensor));
      y = bn(conv(y, c, 1));
      x = stride === 1 && channels === c ? (tf.layers.add().apply([x, y]) as tf.SymbolicTensor) : y;
      channels = c;
    }
  }
  x = relu6(bn(conv(x, 1280, 1)));
  x = tf.layers.globalAveragePooling2d({}).apply(x) as tf.SymbolicTensor;
  const out = tf.layers.dense({ units: 1000, activation: 'softmax', kernelInitializer: tf.initializers.glorotUniform({ seed: seed++ }) }).apply(x) as tf.SymbolicTensor;
  return tf.model({ name: 'mobilenet_v2', inputs: input, outputs: out });
}

/** Writes a Layers model to a temporary folder as model.json + weights.bin, so the bench loads it from disk like any user model. */
async function saveToDisk(model: tf.LayersModel): Promise<string> {
  const dir = join(await mkdtemp(join(tmpdir(), 'limekit-bench-tfjs-')), 'mobilenet_v2');
  await mkdir(dir, { recursive: true });
  await model.save(
    tf.io.withSaveHandler(async (a) => {
      await writeFile(join(dir, 'model.json'), JSON.stringify({ format: a.format, generatedBy: a.generatedBy, modelTopology: a.modelTopology, weightsManifest: [{ paths: ['weights.bin'], weights: a.weightSpecs }] }));
      await writeFile(join(dir, 'weights.bin'), new Uint8Array(a.weightData as ArrayBuffer));
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  return join(dir, 'model.json');
}

async function tfjsRows(path: string, label: string, backends: TfjsBackendChoice[]): Promise<AdapterRow[]> {
  const rows: AdapterRow[] = [];
  for (const backend of backends) {
    const model = await TfjsModelAdapter.load(path, { backend, outputKind: 'probabilities' });
    try {
      rows.push(...(await measure(model, label, `${model.info.backend}`, backend === 'cpu' ? [1, 8] : BATCH_SIZES)));
    } finally {
      await model.dispose();
    }
  }
  return rows;
}

async function onnxRows(path: string, label: string): Promise<AdapterRow[]> {
  let model: OnnxModelAdapter;
  try {
    model = await OnnxModelAdapter.load(path);
  } catch (err) {
    if (!/symbolic (height|width)/.test((err as Error).message)) throw err;
    model = await OnnxModelAdapter.load(path, { width: 224, height: 224 });
  }
  try {
    return await measure(model, label, 'cpu', BATCH_SIZES);
  } finally {
    await model.dispose();
  }
}

/**
 * Runs the adapter benchmark and prints one table.
 * @param root the repository root.
 * @param onnxModel an extra ONNX model (the MobileNetV2-sized one), from --model.
 */
export async function benchAdapters(root: string, onnxModel: string | undefined, print: (line: string) => void): Promise<AdapterRow[]> {
  const rows: AdapterRow[] = [];
  rows.push(...(await onnxRows(join(root, 'demo/model/shapes.onnx'), 'demo 128×128')));
  rows.push(...(await tfjsRows(join(root, 'demo/model/tfjs/model.json'), 'demo 128×128', ['auto', 'cpu'])));
  if (onnxModel) rows.push(...(await onnxRows(onnxModel, 'MobileNetV2 224×224 (--model)')));
  // Real pretrained SqueezeNet 1.1 (ONNX and TensorFlow.js), kept outside the repository.
  const shared = imagenetModelsDir(root);
  if (shared && existsSync(join(shared, 'squeezenet1.1_imagenet_nchw.onnx'))) {
    rows.push(...(await onnxRows(join(shared, 'squeezenet1.1_imagenet_nchw.onnx'), 'SqueezeNet 1.1 224×224 (pretrained)')));
    rows.push(...(await tfjsRows(join(shared, 'tfjs_squeezenet1.1_imagenet'), 'SqueezeNet 1.1 224×224 (pretrained)', ['auto'])));
  } else {
    print(`(skipped the pretrained SqueezeNet 1.1 rows: no squeezenet1.1_imagenet_nchw.onnx in ${shared ?? join(root, '../shared/models/imagenet')}; set LIMEKIT_IMAGENET_MODELS to its folder)`);
  }
  const net = mobileNetV2();
  const path = await saveToDisk(net);
  net.dispose();
  rows.push(...(await tfjsRows(path, 'MobileNetV2 224×224 (tfjs, random weights)', ['auto'])));
  print('model | adapter | backend | batch | ms/image | images/s');
  print('--- | --- | --- | --- | --- | ---');
  for (const r of rows) print(`${r.model} | ${r.adapter} | ${r.backend} | ${r.batch} | ${r.msPerImage} | ${r.imagesPerSecond}`);
  return rows;
}
