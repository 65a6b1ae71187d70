import { align8, WasmKernels, type WasmMemory } from '@limekit/imgproc';
import { slicChannelTable } from './slic-table.js';
import { SLIC_WASM_BASE64 } from './slic-wasm.generated.js';

/** The exports of wasm/slic.as.ts (addresses are byte offsets into `memory`). */
interface SlicKernels {
  readonly memory: WasmMemory;
  byteRange(data: number, n: number): number;
  features(data: number, n: number, table: number, lab: number, out: number): void;
  gaussianScratchBytes(height: number, width: number, channels: number, r: number): number;
  gaussianSpatial(data: number, height: number, width: number, channels: number, w: number, r: number, out: number, scratch: number): void;
  scale(p: number, n: number, factor: number): void;
  kmeansScratchBytes(height: number, width: number, K: number): number;
  kmeans(img: number, height: number, width: number, centroids: number, K: number, stepY: number, stepX: number, spatialWeight: number, maxNumIter: number, slicZero: number, nearest: number, scratch: number): void;
  enforceConnectivity(labels: number, height: number, width: number, minSize: number, maxSize: number, out: number, queue: number): void;
  cbrtMany(p: number, n: number): void;
}

const kernels = new WasmKernels<SlicKernels>(SLIC_WASM_BASE64);

/** Whether the WebAssembly kernels can run here. */
export function slicWasmAvailable(): boolean {
  return kernels.available();
}

/** Everything {@link slicWasm} needs beyond the image; see `slic` in slic.ts. */
export interface SlicWasmParams {
  convert2lab: boolean;
  /** `gaussianKernel(σ, 4)`; a single weight means no smoothing. */
  weights: Float64Array;
  ratio: number;
  ys: readonly number[];
  xs: readonly number[];
  stepY: number;
  stepX: number;
  spatialWeight: number;
  maxNumIter: number;
  slicZero: boolean;
  connectivity: { minSize: number; maxSize: number } | null;
}

/**
 * SLIC in WebAssembly: features, smoothing, colour scaling, k-means and the connectivity step
 * with the same arithmetic as slic.ts / slic-js.ts (the tests compare the labels bit for bit).
 * The 256-entry channel table and the Gaussian weights, which need Math.pow and Math.exp, come
 * from JavaScript; the cube root is V8's algorithm, ported.
 */
export function slicWasm(data: Uint8Array, height: number, width: number, p: SlicWasmParams): Int32Array {
  const N = height * width, K = p.ys.length, r = (p.weights.length - 1) / 2;
  // Layout: img | centroids | nearest | out | queue | bytes | table | weights | scratch.
  const at = { img: 0, centroids: 0, nearest: 0, out: 0, queue: 0, bytes: 0, table: 0, weights: 0, scratch: 0, end: 0 };
  at.centroids = align8(24 * N);
  at.nearest = at.centroids + align8(40 * K);
  at.out = at.nearest + align8(4 * N);
  at.queue = at.out + align8(4 * N);
  at.bytes = at.queue + align8(4 * (N + 1));
  at.table = at.bytes + align8(3 * N);
  at.weights = at.table + 8 * 256;
  at.scratch = at.weights + align8(8 * p.weights.length);
  // Scratch sizes do not depend on the memory: ask any instance (the kept one, else a fresh one).
  const probe = kernels.instance(0);
  const scratch = Math.max(probe.kmeansScratchBytes(height, width, K), r > 0 ? probe.gaussianScratchBytes(height, width, 3, r) : 0);
  at.end = at.scratch + align8(scratch);
  const k = kernels.instance(at.end);
  const buffer = k.memory.buffer;

  new Uint8Array(buffer, at.bytes, 3 * N).set(data);
  const range = k.byteRange(at.bytes, 3 * N);
  new Float64Array(buffer, at.table, 256).set(slicChannelTable(range & 255, range >> 8, p.convert2lab));
  k.features(at.bytes, 3 * N, at.table, p.convert2lab ? 1 : 0, at.img);
  if (r > 0) {
    new Float64Array(buffer, at.weights, p.weights.length).set(p.weights);
    // scikit-image also filters the depth axis of length 1, which changes values by at most an ulp.
    k.gaussianSpatial(at.img, height, width, 3, at.weights, r, at.img, at.scratch);
  }
  k.scale(at.img, 3 * N, p.ratio);
  const centroids = new Float64Array(buffer, at.centroids, 5 * K);
  centroids.fill(0);
  for (let s = 0; s < K; s++) {
    centroids[5 * s] = p.ys[s];
    centroids[5 * s + 1] = p.xs[s];
  }
  new Int32Array(buffer, at.nearest, N).fill(-1);
  k.kmeans(at.img, height, width, at.centroids, K, p.stepY, p.stepX, p.spatialWeight, p.maxNumIter, p.slicZero ? 1 : 0, at.nearest, at.scratch);
  if (!p.connectivity) return new Int32Array(buffer, at.nearest, N).slice();
  // Sizes are compared with counts of at most N pixels: clamping to N + 1 keeps every comparison.
  const clamp = (s: number) => Math.min(Math.max(s, -1), N + 1);
  k.enforceConnectivity(at.nearest, height, width, clamp(p.connectivity.minSize), clamp(p.connectivity.maxSize), at.out, at.queue);
  return new Int32Array(buffer, at.out, N).slice();
}

/** V8's cube root as the kernels compute it, for the n values given (tests only). */
export function wasmCbrt(values: Float64Array): Float64Array {
  const k = kernels.instance(8 * values.length);
  const view = new Float64Array(k.memory.buffer, 0, values.length);
  view.set(values);
  k.cbrtMany(0, values.length);
  return view.slice();
}
