import { align8, gaussianKernel, WasmKernels, type WasmMemory } from '@limekit/imgproc';
import { FELZENSZWALB_WASM_BASE64 } from './felzenszwalb-wasm.generated.js';

/** The exports of wasm/felzenszwalb.as.ts (addresses are byte offsets into `memory`). */
interface FelzenszwalbKernels {
  readonly memory: WasmMemory;
  toFloat(data: number, n: number, img: number): void;
  gaussianScratchBytes(height: number, width: number, channels: number, r: number): number;
  gaussianSpatial(data: number, height: number, width: number, channels: number, w: number, r: number, out: number, scratch: number): void;
  gridEdges(img: number, height: number, width: number, cost: number, edge: number): number;
  argsort(keys: number, payload: number, n: number, stack: number): void;
  merge(cost: number, edge: number, E: number, height: number, width: number, scale: number, minSize: number, parent: number, size: number, inner: number, labels: number): number;
}

const kernels = new WasmKernels<FelzenszwalbKernels>(FELZENSZWALB_WASM_BASE64);

/** Whether the WebAssembly kernels can run here. */
export function felzenszwalbWasmAvailable(): boolean {
  return kernels.available();
}

/**
 * Felzenszwalb–Huttenlocher segmentation in WebAssembly, every step of `felzenszwalb` in
 * felzenszwalb.ts with the same arithmetic (the tests compare the labels bit for bit); the
 * Gaussian weights, which need Math.exp, come from TypeScript.
 */
export function felzenszwalbWasm(data: Uint8Array, height: number, width: number, scale: number, sigma: number, minSize: number): { labels: Int32Array; count: number } {
  const N = height * width;
  const E = height * (width - 1) + (height - 1) * width + 2 * (height - 1) * (width - 1);
  // Radius 0 (σ < 0.125) leaves the image as it is, as the in-place TypeScript filter does.
  const weights = sigma > 0 ? gaussianKernel(sigma, 4) : new Float64Array(1);
  const r = (weights.length - 1) / 2;
  const at = { bytes: 0, img: 0, cost: 0, edge: 0, parent: 0, size: 0, inner: 0, labels: 0, stack: 0, weights: 0, scratch: 0, end: 0 };
  at.img = align8(3 * N);
  at.cost = at.img + align8(24 * N);
  at.edge = at.cost + align8(8 * E);
  at.parent = at.edge + align8(4 * E);
  at.size = at.parent + align8(4 * N);
  at.inner = at.size + align8(4 * N);
  at.labels = at.inner + align8(8 * N);
  at.stack = at.labels + align8(4 * N);
  at.weights = at.stack + 3 * 128 * 4;
  at.scratch = at.weights + align8(8 * weights.length);
  const scratch = r > 0 ? kernels.instance(0).gaussianScratchBytes(height, width, 3, r) : 0;
  at.end = at.scratch + align8(scratch);
  const k = kernels.instance(at.end);
  const buffer = k.memory.buffer;
  new Uint8Array(buffer, at.bytes, 3 * N).set(data);
  k.toFloat(at.bytes, 3 * N, at.img);
  if (r > 0) {
    new Float64Array(buffer, at.weights, weights.length).set(weights);
    k.gaussianSpatial(at.img, height, width, 3, at.weights, r, at.img, at.scratch);
  }
  const edges = k.gridEdges(at.img, height, width, at.cost, at.edge);
  k.argsort(at.cost, at.edge, edges, at.stack);
  const count = k.merge(at.cost, at.edge, edges, height, width, scale / 255, minSize, at.parent, at.size, at.inner, at.labels);
  return { labels: new Int32Array(buffer, at.labels, N).slice(), count };
}
