import type { RgbImage, Rng, SegmentMap } from '@limekit/core';
import { align8, gammaTable, WasmKernels, type WasmMemory } from '@limekit/imgproc';
import { quickshiftFeatures, type QuickshiftOptions } from './quickshift.js';
import { EXP_TABLE, sortedOffsets } from './quickshift-js.js';
import { QUICKSHIFT_WASM_BASE64 } from './quickshift-wasm.generated.js';

/** The exports of wasm/quickshift.as.ts (addresses are byte offsets into `memory`). */
interface QuickshiftKernels {
  readonly memory: WasmMemory;
  features(data: number, n: number, table: number, lab: number, out: number): void;
  scale(p: number, n: number, factor: number): void;
  accumulateDensity(f: number, density: number, height: number, width: number, kernelWidth: number, inv: number, table: number, planes: number): void;
  linkToDenser(f: number, density: number, height: number, width: number, odr: number, odc: number, os: number, m: number, maxDist: number, parent: number): void;
  labelTrees(parent: number, n: number): number;
}

const kernels = new WasmKernels<QuickshiftKernels>(QUICKSHIFT_WASM_BASE64);

/** Whether the WebAssembly kernels can run here. */
export function quickshiftWasmAvailable(): boolean {
  return kernels.available();
}

/**
 * Quick shift with the density, linking and labelling loops (and, without smoothing, the feature
 * image) in WebAssembly: the same arithmetic as quickshift.ts / quickshift-js.ts (the tests compare
 * the labels bit for bit). The gamma and exp tables, the window offsets and the noise come from
 * TypeScript; with `sigma` > 0 the whole feature image does (scipy's Gaussian stays there).
 */
export function quickshiftWasm(image: RgbImage, options: QuickshiftOptions, kernelWidth: number, inv: number, rng: Rng): SegmentMap {
  const { width, height, data } = image;
  const n = width * height;
  const off = sortedOffsets(kernelWidth);
  const m = off.dr.length;
  const at = { f: 0, density: 0, parent: 0, exp: 0, odr: 0, odc: 0, os: 0, bytes: 0, table: 0, planes: 0, end: 0 };
  at.density = align8(24 * n);
  at.parent = at.density + align8(8 * n);
  at.exp = at.parent + align8(4 * n);
  at.odr = at.exp + align8(8 * EXP_TABLE.length);
  at.odc = at.odr + align8(4 * m);
  at.os = at.odc + align8(4 * m);
  at.bytes = at.os + align8(8 * m);
  at.table = at.bytes + align8(3 * n);
  at.planes = at.table + 8 * 256;
  at.end = at.planes + 24 * n;
  const k = kernels.instance(at.end);
  const buffer = k.memory.buffer;

  if (options.sigma > 1e-15) {
    new Float64Array(buffer, at.f, 3 * n).set(quickshiftFeatures(image, options));
  } else {
    new Uint8Array(buffer, at.bytes, 3 * n).set(data);
    // rgb2labBytes' table with convert2lab, else img_as_float's v / 255.
    const table = options.convert2lab ? gammaTable() : Float64Array.from({ length: 256 }, (_, b) => b / 255);
    new Float64Array(buffer, at.table, 256).set(table);
    k.features(at.bytes, 3 * n, at.table, options.convert2lab ? 1 : 0, at.f);
    if (options.ratio !== 1) k.scale(at.f, 3 * n, options.ratio);
  }
  // Noise first, as scikit-image adds it before summing, then the pixel's own term e^0 = 1.
  const density = new Float64Array(buffer, at.density, n);
  for (let i = 0; i < n; i++) density[i] = rng.nextGaussian() * 1e-5 + 1;
  new Float64Array(buffer, at.exp, EXP_TABLE.length).set(EXP_TABLE);
  new Int32Array(buffer, at.odr, m).set(off.dr);
  new Int32Array(buffer, at.odc, m).set(off.dc);
  new Float64Array(buffer, at.os, m).set(off.s);
  k.accumulateDensity(at.f, at.density, height, width, kernelWidth, inv, at.exp, at.planes);
  k.linkToDenser(at.f, at.density, height, width, at.odr, at.odc, at.os, m, options.maxDist, at.parent);
  const count = k.labelTrees(at.parent, n);
  return { width, height, labels: new Int32Array(buffer, at.parent, n).slice(), count };
}

/**
 * The density pass alone, in WebAssembly, on given features (N·3, pixel by pixel) and starting
 * values: for the tests, which compare it with quickshift-js.ts's `accumulateDensity` double for
 * double (its SIMD lanes must keep the scalar loop's sums exactly).
 *
 * @returns the density, a new array.
 */
export function accumulateDensityWasm(f: Float64Array, density: Float64Array, height: number, width: number, kernelWidth: number, inv: number): Float64Array {
  const n = width * height;
  const at = { f: 0, density: align8(24 * n), exp: 0, planes: 0, end: 0 };
  at.exp = at.density + align8(8 * n);
  at.planes = at.exp + align8(8 * EXP_TABLE.length);
  at.end = at.planes + 24 * n;
  const k = kernels.instance(at.end);
  const buffer = k.memory.buffer;
  new Float64Array(buffer, at.f, 3 * n).set(f);
  new Float64Array(buffer, at.density, n).set(density);
  new Float64Array(buffer, at.exp, EXP_TABLE.length).set(EXP_TABLE);
  k.accumulateDensity(at.f, at.density, height, width, kernelWidth, inv, at.exp, at.planes);
  return new Float64Array(buffer, at.density, n).slice();
}
