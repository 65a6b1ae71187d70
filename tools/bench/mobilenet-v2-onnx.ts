// MobileNetV2 (Sandler et al., CVPR 2018, https://arxiv.org/abs/1801.04381) as an ONNX graph with
// seeded random weights: torchvision's `mobilenet_v2` layout (width 1.0, 224×224, 1000 classes,
// 3.5 M parameters) with each BatchNorm folded into its convolution's bias, as an exported,
// optimised model has it. Its predictions mean nothing; it has the compute cost of a real
// ImageNet classifier, which is what the end-to-end bench measures overhead against.
import { existsSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeOnnxModel, type OnnxInitializer, type OnnxNodeSpec } from './onnx-writer.js';

/** A small seeded generator (mulberry32) with Box–Muller normals, so the file is the same on every run. */
function normals(seed: number): () => number {
  let a = seed >>> 0;
  const uniform = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
}

/** The ONNX bytes of a MobileNetV2 with He-normal weights from `seed`. Input `input` [N,3,224,224], output `logits` [N,1000]. */
export function mobileNetV2Onnx(seed = 1): Uint8Array {
  const randn = normals(seed);
  const initializers: OnnxInitializer[] = [];
  const nodes: OnnxNodeSpec[] = [];
  let n = 0;
  const weight = (dims: number[], std: number): string => {
    const size = dims.reduce((p, d) => p * d, 1);
    const data = new Float32Array(size);
    for (let i = 0; i < size; i++) data[i] = randn() * std;
    const name = `w${n++}`;
    initializers.push({ name, dims, data });
    return name;
  };
  const bias = (c: number): string => {
    const data = new Float32Array(c);
    for (let i = 0; i < c; i++) data[i] = 0.01 * randn();
    const name = `b${n++}`;
    initializers.push({ name, dims: [c], data });
    return name;
  };
  initializers.push({ name: 'zero', dims: [], data: new Float32Array([0]) }, { name: 'six', dims: [], data: new Float32Array([6]) });
  let t = 0;
  const fresh = () => `t${t++}`;
  const conv = (x: string, cin: number, cout: number, k: number, stride: number, groups: number, relu6: boolean): string => {
    const y = fresh();
    const fanIn = (cin / groups) * k * k;
    nodes.push({
      op: 'Conv',
      inputs: [x, weight([cout, cin / groups, k, k], Math.sqrt(2 / fanIn)), bias(cout)],
      outputs: [y],
      attributes: { kernel_shape: [k, k], strides: [stride, stride], pads: [(k - 1) / 2, (k - 1) / 2, (k - 1) / 2, (k - 1) / 2], group: groups },
    });
    if (!relu6) return y;
    const z = fresh();
    nodes.push({ op: 'Clip', inputs: [y, 'zero', 'six'], outputs: [z] });
    return z;
  };
  let x = conv('input', 3, 32, 3, 2, 1, true);
  let channels = 32;
  for (const [expand, c, repeats, s] of [[1, 16, 1, 1], [6, 24, 2, 2], [6, 32, 3, 2], [6, 64, 4, 2], [6, 96, 3, 1], [6, 160, 3, 2], [6, 320, 1, 1]]) {
    for (let i = 0; i < repeats; i++) {
      const stride = i === 0 ? s : 1;
      const hidden = channels * expand;
      let y = expand === 1 ? x : conv(x, channels, hidden, 1, 1, 1, true);
      y = conv(y, hidden, hidden, 3, stride, hidden, true);
      y = conv(y, hidden, c, 1, 1, 1, false);
      if (stride === 1 && channels === c) {
        const sum = fresh();
        nodes.push({ op: 'Add', inputs: [x, y], outputs: [sum] });
        y = sum;
      }
      x = y;
      channels = c;
    }
  }
  x = conv(x, channels, 1280, 1, 1, 1, true);
  const pooled = fresh();
  nodes.push({ op: 'GlobalAveragePool', inputs: [x], outputs: [pooled] });
  const flat = fresh();
  nodes.push({ op: 'Flatten', inputs: [pooled], outputs: [flat], attributes: { axis: 1 } });
  nodes.push({ op: 'Gemm', inputs: [flat, weight([1000, 1280], Math.sqrt(1 / 1280)), bias(1000)], outputs: ['logits'], attributes: { transB: 1 } });
  return encodeOnnxModel({
    opset: 13,
    producer: 'limekit tools/bench/mobilenet-v2-onnx.ts',
    graphName: 'mobilenet_v2_random',
    inputs: [{ name: 'input', dims: ['batch', 3, 224, 224] }],
    outputs: [{ name: 'logits', dims: ['batch', 1000] }],
    initializers,
    nodes,
  });
}

/** Writes the model once into a cache folder (the OS temp dir by default) and returns its path. */
export async function mobileNetV2OnnxFile(dir = join(tmpdir(), 'limekit-bench'), seed = 1): Promise<string> {
  const path = join(dir, `mobilenet_v2_random_seed${seed}.onnx`);
  if (existsSync(path)) return path;
  await mkdir(dir, { recursive: true });
  const partial = `${path}.${process.pid}.partial`;
  await writeFile(partial, mobileNetV2Onnx(seed));
  await rename(partial, path);
  return path;
}
