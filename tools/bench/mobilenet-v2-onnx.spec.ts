import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OnnxModelAdapter, readModelProto } from '@limekit/model-onnx';
import { describe, expect, it } from 'vitest';
import { mobileNetV2Onnx } from './mobilenet-v2-onnx.js';

describe('the bench\'s MobileNetV2 ONNX writer', () => {
  const bytes = mobileNetV2Onnx(1);

  it('writes a well-formed ModelProto with MobileNetV2\'s structure', () => {
    const info = readModelProto(bytes);
    expect(info.opset).toBe(13);
    expect(info.inputs).toEqual([{ name: 'input', elemType: 'float32', shape: ['batch', 3, 224, 224] }]);
    expect(info.outputs).toEqual([{ name: 'logits', elemType: 'float32', shape: ['batch', 1000] }]);
    const count = (op: string) => info.nodes.filter((n) => n.opType === op).length;
    // torchvision's mobilenet_v2: 52 convolutions (17 depthwise), 10 residual additions, one classifier.
    expect(count('Conv')).toBe(52);
    expect(count('Add')).toBe(10);
    expect(count('Gemm')).toBe(1);
    // 3.5 M float32 parameters (torchvision: 3,504,872 with BatchNorm folded into biases).
    expect(Math.abs(bytes.length / 4 - 3.5e6)).toBeLessThan(0.05e6);
  });

  it('is the same file for the same seed, and another for another seed', () => {
    expect(Buffer.from(mobileNetV2Onnx(1)).equals(Buffer.from(bytes))).toBe(true);
    expect(Buffer.from(mobileNetV2Onnx(2)).equals(Buffer.from(bytes))).toBe(false);
  });

  it('runs in onnxruntime-node, and its outputs depend on the input', async () => {
    const path = join(await mkdtemp(join(tmpdir(), 'limekit-mnv2-')), 'm.onnx');
    await writeFile(path, bytes);
    const model = await OnnxModelAdapter.load(path);
    try {
      expect(model.input).toMatchObject({ width: 224, height: 224, channels: 3, layout: 'NCHW' });
      expect(model.numClasses).toBe(1000);
      const size = 3 * 224 * 224;
      const x = new Float32Array(2 * size);
      for (let i = 0; i < size; i++) x[size + i] = Math.sin(i * 0.01);
      const p = await model.predict(x, 2);
      let diff = 0;
      for (let c = 0; c < 1000; c++) diff = Math.max(diff, Math.abs(p[c] - p[1000 + c]));
      expect(diff).toBeGreaterThan(1e-4);
    } finally {
      await model.dispose();
    }
  }, 60_000);
});
