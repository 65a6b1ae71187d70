import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InvalidOptionError, ModelError, writeNormalized, type ModelAdapter } from '@limekit/core';
import { loadImage, preprocessToView } from '@limekit/image';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { createExperimentContainer, explainerFrom, explainOptionsFrom, resolveConfig } from './compose.js';
import { loadModel } from './model.js';

// The demo classifier ships twice (demo/model/README.md): shapes.onnx (NCHW, onnxruntime-node)
// and tfjs/model.json (NHWC, a TensorFlow.js Layers model), both exported from the same PyTorch
// weights by tools/demo-model.
const demo = fileURLToPath(new URL('../../../demo/', import.meta.url));
const ONNX = join(demo, 'model/shapes.onnx');
const TFJS = join(demo, 'model/tfjs/model.json');
const LABELS = join(demo, 'model/labels.json');

async function scores(model: ModelAdapter, imagePath: string): Promise<Float32Array> {
  const { view } = await preprocessToView(await loadImage(imagePath), model.input);
  const input = new Float32Array(model.input.width * model.input.height * model.input.channels);
  writeNormalized(view, model.input, input);
  return model.predict(input, 1);
}

const argmax = (p: Float32Array) => p.indexOf(Math.max(...p));

describe('loadModel: ONNX and TensorFlow.js adapters on the demo classifier', () => {
  it('both adapters give the same top label on every sample image, and probabilities within 1e-4', async () => {
    const onnx = await loadModel(ONNX, { labels: LABELS });
    const tfjs = await loadModel(TFJS, { labels: LABELS });
    try {
      expect(onnx.info).toMatchObject({ runtime: 'onnxruntime-node', layout: 'NCHW' });
      expect(tfjs.info).toMatchObject({ runtime: 'tensorflow.js', format: 'layers-model', layout: 'NHWC', backend: 'wasm', outputKind: 'logits' });
      expect({ ...tfjs.input, layout: 'NCHW' }).toEqual(onnx.input); // same view and normalisation, channels-last
      expect(tfjs.classNames).toEqual(onnx.classNames);
      const images = (await readdir(join(demo, 'images'))).filter((f) => f.endsWith('.png')).sort();
      expect(images).toHaveLength(8);
      let worst = 0;
      for (const f of images) {
        const a = await scores(onnx, join(demo, 'images', f));
        const b = await scores(tfjs, join(demo, 'images', f));
        expect(argmax(b), f).toBe(argmax(a));
        for (let c = 0; c < a.length; c++) worst = Math.max(worst, Math.abs(a[c] - b[c]));
        // and the top label is the shape in the file's name
        expect(onnx.classNames![argmax(a)], f).toBe(f.split('-')[0]);
      }
      expect(worst).toBeLessThan(1e-4);
    } finally {
      await onnx.dispose();
      await tfjs.dispose();
    }
  });

  it('the TensorFlow.js model matches PyTorch on the reference views (demo/model/reference-predictions.json)', async () => {
    const ref = JSON.parse(await readFile(join(demo, 'model/reference-predictions.json'), 'utf8')) as { images: { view: string; probabilities: number[] }[] };
    const tfjs = await loadModel(join(demo, 'model/tfjs'));
    try {
      for (const r of ref.images) {
        const p = await scores(tfjs, join(demo, r.view));
        for (let c = 0; c < p.length; c++) expect(Math.abs(p[c] - r.probabilities[c]), r.view).toBeLessThan(1e-4);
      }
    } finally {
      await tfjs.dispose();
    }
  });

  it('a 1000-sample explanation with the TensorFlow.js adapter leaves the tensor count as it found it, and reports the backend', async () => {
    const model = await loadModel(TFJS, { labels: LABELS });
    try {
      const resolved = await resolveConfig({ preset: 'lime', numSamples: 1000, batchSize: 50, topLabels: 1, baseline: { use: 'blur', options: { sigma: 5 } } });
      const { view } = await preprocessToView(await loadImage(join(demo, 'images/star-1.png')), model.input);
      const before = tf.memory().numTensors;
      const exp = await explainerFrom(createExperimentContainer(resolved, model)).explain(view, explainOptionsFrom(resolved));
      expect(tf.memory().numTensors).toBe(before);
      expect(exp.numSamples).toBe(1000);
      expect(exp.modelCalls).toBe(20);
      expect(exp.labels[0].name).toBe('star');
      expect(exp.modelInfo).toMatchObject({ runtime: 'tensorflow.js', backend: 'wasm', backendPackage: '@tensorflow/tfjs-backend-wasm' });
    } finally {
      await model.dispose();
    }
  });

  it('rejects an unknown model type and a TensorFlow.js backend given for an ONNX model', async () => {
    await expect(loadModel(LABELS.replace('labels.json', 'README.md'))).rejects.toThrow(ModelError);
    await expect(loadModel(LABELS.replace('labels.json', 'README.md'))).rejects.toThrow(/unsupported model type "\.md"\. limekit loads ONNX models \(\.onnx, \.ort\) and TensorFlow\.js models \(model\.json, or its folder\)/);
    await expect(loadModel(ONNX, { backend: 'wasm' })).rejects.toThrow(InvalidOptionError);
    await expect(loadModel(join(demo, 'nonexistent.json'))).rejects.toThrow(/does not exist or cannot be read/);
  });
});
