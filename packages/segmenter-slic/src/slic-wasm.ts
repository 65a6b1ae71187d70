import { SLIC_WASM_BASE64 } from './slic-wasm.generated.js';

/** The parts of the WebAssembly API used here (the project's TypeScript libs do not declare it). */
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { readonly exports: object };
}
const wasmApi = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;

/** The exports of wasm/slic.as.ts (addresses are byte offsets into `memory`). */
interface SlicKernels {
  readonly memory: WasmMemory;
  kmeansScratchBytes(height: number, width: number, K: number): number;
  kmeans(img: number, height: number, width: number, centroids: number, K: number, stepY: number, stepX: number, spatialWeight: number, maxNumIter: number, slicZero: number, nearest: number, scratch: number): void;
  enforceConnectivity(labels: number, height: number, width: number, minSize: number, maxSize: number, out: number, queue: number): void;
  scale(p: number, n: number, factor: number): void;
}

let compiled: object | null | undefined;
let cached: SlicKernels | undefined;
/** Instances whose memory grew beyond this are not kept between calls, so that memory is returned. */
const KEEP_BYTES = 64 << 20;

/** The compiled kernels, or null where WebAssembly is unavailable (e.g. `node --jitless`). */
function kernelModule(): object | null {
  if (compiled === undefined) {
    try {
      compiled = wasmApi ? new wasmApi.Module(base64Bytes(SLIC_WASM_BASE64)) : null;
    } catch {
      compiled = null;
    }
  }
  return compiled;
}

function base64Bytes(text: string): Uint8Array {
  const b = globalThis.Buffer;
  if (b) return new Uint8Array(b.from(text, 'base64'));
  return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
}

/** Whether the WebAssembly kernels can run here. */
export function slicWasmAvailable(): boolean {
  return kernelModule() !== null;
}

const align8 = (n: number) => (n + 7) & ~7;

/** Memory layout of one run: byte offsets of each array. */
interface Layout {
  img: number;
  centroids: number;
  nearest: number;
  scratch: number;
  out: number;
  queue: number;
  end: number;
}

/**
 * A SLIC run in WebAssembly memory: the caller writes the feature image into {@link features},
 * then {@link run} does the colour scaling, k-means and (optionally) the connectivity step with
 * the same arithmetic as slic-js.ts.
 */
export class SlicWasmRun {
  private readonly k: SlicKernels;
  private readonly at: Layout;
  private readonly keep: boolean;
  /** H·W·3 doubles in the module's memory, where the caller puts the smoothed features. */
  readonly features: Float64Array;

  constructor(
    private readonly height: number,
    private readonly width: number,
    private readonly K: number,
  ) {
    const mod = kernelModule();
    if (!mod) throw new Error('SlicSegmenter: WebAssembly is unavailable here; the JavaScript path should have been taken.');
    const N = height * width;
    const fresh = () => new wasmApi!.Instance(mod).exports as SlicKernels;
    let k = cached ?? fresh();
    const at: Layout = { img: 0, centroids: 0, nearest: 0, scratch: 0, out: 0, queue: 0, end: 0 };
    at.centroids = align8(24 * N);
    at.nearest = at.centroids + align8(40 * K);
    at.scratch = at.nearest + align8(4 * N);
    at.out = at.scratch + align8(k.kmeansScratchBytes(height, width, K));
    at.queue = at.out + align8(4 * N);
    at.end = at.queue + align8(4 * (N + 1));
    this.keep = at.end <= KEEP_BYTES;
    if (!this.keep && cached) k = fresh();
    const have = k.memory.buffer.byteLength;
    if (have < at.end) k.memory.grow(Math.ceil((at.end - have) / 65536));
    if (this.keep) cached = k;
    else if (cached === k) cached = undefined;
    this.k = k;
    this.at = at;
    this.features = new Float64Array(k.memory.buffer, at.img, 3 * N);
  }

  /**
   * Multiplies the features by `ratio`, runs k-means from `seeds` ([y, x] per seed) and returns
   * the raw cluster labels, or the connected labels when `minSize`/`maxSize` are given.
   */
  run(
    ratio: number,
    seeds: { ys: readonly number[]; xs: readonly number[] },
    stepY: number,
    stepX: number,
    spatialWeight: number,
    maxNumIter: number,
    slicZero: boolean,
    connectivity: { minSize: number; maxSize: number } | null,
  ): Int32Array {
    const { k, at, height, width, K } = this;
    const N = height * width;
    k.scale(at.img, 3 * N, ratio);
    const buffer = k.memory.buffer;
    const centroids = new Float64Array(buffer, at.centroids, 5 * K);
    centroids.fill(0);
    for (let s = 0; s < K; s++) {
      centroids[5 * s] = seeds.ys[s];
      centroids[5 * s + 1] = seeds.xs[s];
    }
    new Int32Array(buffer, at.nearest, N).fill(-1);
    k.kmeans(at.img, height, width, at.centroids, K, stepY, stepX, spatialWeight, maxNumIter, slicZero ? 1 : 0, at.nearest, at.scratch);
    if (!connectivity) return new Int32Array(buffer, at.nearest, N).slice();
    // Sizes are compared with counts of at most N pixels: clamping to N + 1 keeps every comparison.
    const clamp = (s: number) => Math.min(Math.max(s, -1), N + 1);
    k.enforceConnectivity(at.nearest, height, width, clamp(connectivity.minSize), clamp(connectivity.maxSize), at.out, at.queue);
    return new Int32Array(buffer, at.out, N).slice();
  }
}
