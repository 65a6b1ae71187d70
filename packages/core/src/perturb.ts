import { sampleStreamName, type ModelInputSpec, type SampleFill } from './components.js';
import type { RunContext } from './context.js';
import { ShapeMismatchError } from './errors.js';
import type { RgbImage, SegmentMap } from './image.js';
import { writeNormalized } from './normalization.js';
import type { Rng } from './rng.js';
import { PERTURB_WASM_BASE64 } from './perturb-wasm.generated.js';

/**
 * What the sampling stage writes perturbed samples with: {@link PerturbationWriter} for static
 * fills (the fast path), {@link PerSampleWriter} for sample-dependent ones.
 */
export interface SampleWriter {
  /** Floats per image in the model's input. */
  readonly imageSize: number;
  /**
   * Writes the sample for mask `rows[rowOffset .. rowOffset+M)` at `out[outOffset ..]`.
   * @param sample the sample's 0-based index in the run (omitted: the unperturbed instance);
   *   sample-dependent fills derive the row's random stream from it.
   */
  write(rows: Uint8Array, rowOffset: number, out: Float32Array, outOffset: number, sample?: number, visibility?: Float64Array): void;
  /**
   * Optional: `count` input buffers of `floats` floats each that {@link write} and {@link update}
   * are fastest into (the static writer's are in its WebAssembly memory). The pipeline asks once,
   * for all its slots; undefined means "use plain arrays".
   */
  allocateSlots?(count: number, floats: number): Float32Array[] | undefined;
  /**
   * Optional: the caller of {@link allocateSlots} is done with its buffers, which must not be used
   * again; their memory may go to the next writer's {@link allocateSlots}.
   */
  releaseSlots?(): void;
  /** As {@link write}, over a slot that holds the sample of mask `prev[prevOffset ..]`. */
  update(prev: Uint8Array, prevOffset: number, rows: Uint8Array, rowOffset: number, out: Float32Array, outOffset: number, sample?: number): void;
  /**
   * `true` for a continuous-mask fill ({@link SampleFill.softMask}): {@link write} then takes a
   * `visibility` array of M values to fill, which the pipeline records as the sample's row.
   */
  readonly softMask?: boolean;
  /** The fill's {@link SampleFill.design}, passed on to estimators. */
  readonly design?: Readonly<Record<string, unknown>>;
}

/**
 * Runs at least this long are copied with one native `set` from a view made once; shorter ones
 * element by element (the call costs more than the copy). Measured on 224² SLIC and quickshift
 * segmentations: 16 beats 8, 32 and the former 64 (with a fresh view per copy).
 */
const NATIVE_COPY_MIN = 16;

/** The WebAssembly kernel's exports (packages/core/wasm/perturb.as.ts). */
interface PerturbKernel {
  readonly memory: { readonly buffer: ArrayBuffer; grow(pages: number): number };
  writeSample(rows: number, out: number, instance: number, fill: number, runStart: number, runLength: number, runSegment: number, nRuns: number): void;
}

/** Where a writer's kernel memory holds what: byte offsets. */
interface KernelLayout {
  readonly kernel: PerturbKernel;
  readonly buffer: ArrayBuffer;
  readonly rowsView: Uint8Array;
  readonly rows: number;
  readonly instance: number;
  readonly fill: number;
  readonly runStart: number;
  readonly runLength: number;
  readonly runSegment: number;
  readonly nRuns: number;
}

interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { readonly exports: object };
}

let perturbModule: object | null | undefined;

/** The kernel's compiled module (once per process); null where WebAssembly cannot run (`node --jitless`). */
function kernelModule(): object | null {
  if (perturbModule === undefined) {
    const api = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
    try {
      perturbModule = api ? new api.Module(Uint8Array.from(atob(PERTURB_WASM_BASE64), (c) => c.charCodeAt(0))) : null;
    } catch {
      perturbModule = null;
    }
  }
  return perturbModule;
}

/**
 * The kernel of the last writer whose slots were released ({@link PerturbationWriter.releaseSlots}),
 * for the next writer to take: its memory is already paged in. A fresh 30 MB memory (batch 50 at
 * 224²) costs ~80 ms of page faults on a VM (11 µs each, measured 2026-12-08) every image — as much
 * as writing all its samples. One is kept, at most as large as the largest batch this process used.
 */
let spareKernel: PerturbKernel | undefined;

/** Kernel memory above this is not worth it (wasm32 addresses 4 GiB): plain arrays and the JavaScript loop instead. */
const MAX_KERNEL_BYTES = 2 ** 31;

/**
 * Writes perturbed images straight into a model input buffer.
 *
 * The instance and the fill are normalised once, in the model's layout; a perturbed sample is
 * then one pass that picks, per element, the instance or the fill according to the element's
 * segment. No per-sample image, resize or tensor is created.
 */
export class PerturbationWriter implements SampleWriter {
  /** Floats per image in the model's input. */
  readonly imageSize: number;
  private readonly instance: Float32Array;
  private readonly fill: Float32Array;
  /** Contiguous runs of one segment in the model's layout, grouped by segment (CSR). */
  private readonly runStart: Int32Array;
  private readonly runLength: Int32Array;
  private readonly segmentRuns: Int32Array;
  /** The runs in memory order, as indices into the grouped arrays above (the WebAssembly kernel's order). */
  private readonly memoryOrder: Int32Array;
  /** Elements per segment, to pick the cheaper of "fill + copy kept" and "instance + copy dropped". */
  private readonly segmentElements: Float64Array;
  /**
   * Per run, views of the instance and of the fill over the run (null for short runs): made once,
   * so that a long run is one native copy with no per-sample allocation.
   */
  private readonly instanceRuns: (Float32Array | null)[];
  private readonly fillRuns: (Float32Array | null)[];
  /** Set by {@link allocateSlots}: samples written into its buffers go through the WebAssembly kernel. */
  private kernel: KernelLayout | undefined;

  constructor(image: RgbImage, fill: RgbImage, segments: SegmentMap, spec: ModelInputSpec) {
    const hw = spec.width * spec.height;
    if (segments.labels.length !== hw || fill.width !== image.width || fill.height !== image.height) {
      throw new ShapeMismatchError(
        `PerturbationWriter: image, fill and segments must all be ${spec.width}×${spec.height}; got image ${image.width}×${image.height}, fill ${fill.width}×${fill.height}, segments ${segments.width}×${segments.height}.`,
      );
    }
    this.imageSize = hw * spec.channels;
    this.instance = new Float32Array(this.imageSize);
    this.fill = new Float32Array(this.imageSize);
    writeNormalized(image, spec, this.instance);
    writeNormalized(fill, spec, this.fill);
    const elementSegment = new Int32Array(this.imageSize);
    const labels = segments.labels;
    for (let c = 0; c < spec.channels; c++) {
      for (let p = 0; p < hw; p++) {
        const idx = spec.layout === 'NCHW' ? c * hw + p : p * spec.channels + c;
        elementSegment[idx] = labels[p];
      }
    }
    // Maximal runs of equal segment id in memory order, then bucketed by segment.
    const M = segments.count;
    const starts: number[] = [];
    for (let i = 0; i < this.imageSize; i++) if (i === 0 || elementSegment[i] !== elementSegment[i - 1]) starts.push(i);
    const nRuns = starts.length;
    const perSegment = new Int32Array(M + 1);
    for (const a of starts) perSegment[elementSegment[a] + 1]++;
    for (let s = 0; s < M; s++) perSegment[s + 1] += perSegment[s];
    this.segmentRuns = perSegment.slice();
    this.runStart = new Int32Array(nRuns);
    this.runLength = new Int32Array(nRuns);
    this.segmentElements = new Float64Array(M);
    this.memoryOrder = new Int32Array(nRuns);
    const cursor = perSegment.slice(0, M);
    for (let r = 0; r < nRuns; r++) {
      const a = starts[r], b = r + 1 < nRuns ? starts[r + 1] : this.imageSize;
      const s = elementSegment[a];
      const k = cursor[s]++;
      this.memoryOrder[r] = k;
      this.runStart[k] = a;
      this.runLength[k] = b - a;
      this.segmentElements[s] += b - a;
    }
    this.instanceRuns = new Array<Float32Array | null>(nRuns);
    this.fillRuns = new Array<Float32Array | null>(nRuns);
    for (let k = 0; k < nRuns; k++) {
      const a = this.runStart[k], len = this.runLength[k];
      const long = len >= NATIVE_COPY_MIN;
      this.instanceRuns[k] = long ? this.instance.subarray(a, a + len) : null;
      this.fillRuns[k] = long ? this.fill.subarray(a, a + len) : null;
    }
  }

  /** Copies segment `s`'s runs from `src` (whose per-run views are `views`) into `out` at `outOffset`. */
  private copySegment(s: number, src: Float32Array, views: (Float32Array | null)[], out: Float32Array, outOffset: number): void {
    const { runStart, runLength, segmentRuns } = this;
    for (let k = segmentRuns[s], end = segmentRuns[s + 1]; k < end; k++) {
      const view = views[k];
      if (view !== null) {
        out.set(view, outOffset + runStart[k]);
      } else {
        const a = runStart[k], len = runLength[k], o = outOffset + a;
        for (let t = 0; t < len; t++) out[o + t] = src[a + t];
      }
    }
  }

  /**
   * Writes the sample for mask `rows[rowOffset ..]` over the sample already at `out[outOffset ..]`
   * (mask `prev[prevOffset ..]`). The result is exactly {@link write}'s.
   *
   * @remarks Rewriting only the segments that changed looks like half the work, but it is slower:
   * its short scattered writes into a batch buffer of tens of MB miss the cache one by one, where
   * {@link write}'s one full copy brings the slot into cache first. Measured at 224², 1000 samples,
   * SLIC (41 segments): 255 ms CPU for the changed segments only, 160 ms for a full write; quickshift
   * (85 segments): 330 ms and 210 ms. The WebAssembly kernel skipping the unchanged runs in memory
   * order was slower too (224², SLIC 43 segments, 1000 samples at batch 50, wall: 103–116 ms against
   * 95–97 for full writes — partial cache lines are read before they are written). So this writes
   * the sample in full; `prev` is not read.
   */
  update(prev: Uint8Array, prevOffset: number, rows: Uint8Array, rowOffset: number, out: Float32Array, outOffset: number): void {
    void prev;
    void prevOffset;
    this.write(rows, rowOffset, out, outOffset);
  }

  /**
   * Input buffers in the memory of a WebAssembly kernel that holds the instance, the fill and the
   * runs in memory order: a sample written there is one bulk copy per run, 2–3× faster than the
   * JavaScript loop's typed-array calls (72 against 146–195 ms per 1000 samples at 224² with 41
   * SLIC segments), and bit for bit the same floats. Call it once: the buffers stay valid as long
   * as this writer (the kernel's memory never grows again).
   * @returns undefined where WebAssembly cannot run or the buffers would exceed 2 GiB.
   */
  allocateSlots(count: number, floats: number): Float32Array[] | undefined {
    const mod = kernelModule();
    const api = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
    if (!mod || !api || this.kernel) return undefined;
    const M = this.segmentElements.length, n = this.runStart.length;
    const segmentOfRun = new Int32Array(n);
    for (let s = 0; s < M; s++) for (let k = this.segmentRuns[s]; k < this.segmentRuns[s + 1]; k++) segmentOfRun[k] = s;
    const a8 = (b: number) => (b + 7) & ~7;
    let at = 8;
    const take = (b: number) => {
      const o = at;
      at += a8(b);
      return o;
    };
    const rows = take(M), instance = take(4 * this.imageSize), fill = take(4 * this.imageSize);
    const runStart = take(4 * n), runLength = take(4 * n), runSegment = take(4 * n);
    const slots = Array.from({ length: count }, () => take(4 * floats));
    if (at > MAX_KERNEL_BYTES) return undefined;
    const kernel = spareKernel ?? (new api.Instance(mod, {}).exports as PerturbKernel);
    spareKernel = undefined;
    const have = kernel.memory.buffer.byteLength;
    if (have < at) kernel.memory.grow(Math.ceil((at - have) / 65536));
    const buffer = kernel.memory.buffer;
    new Float32Array(buffer, instance, this.imageSize).set(this.instance);
    new Float32Array(buffer, fill, this.imageSize).set(this.fill);
    const rs = new Int32Array(buffer, runStart, n), rl = new Int32Array(buffer, runLength, n), rg = new Int32Array(buffer, runSegment, n);
    // Runs in memory order (the constructor groups them by segment).
    for (let i = 0; i < n; i++) {
      const k = this.memoryOrder[i];
      rs[i] = this.runStart[k];
      rl[i] = this.runLength[k];
      rg[i] = segmentOfRun[k];
    }
    this.kernel = { kernel, buffer, rowsView: new Uint8Array(buffer, rows, M), rows, instance, fill, runStart, runLength, runSegment, nRuns: n };
    return slots.map((o) => new Float32Array(buffer, o, floats));
  }

  /**
   * Gives the kernel's memory (and with it the buffers {@link allocateSlots} returned) to the next
   * writer that allocates slots; this writer writes with the JavaScript loop from now on. The
   * next writer lays out and overwrites everything it reads, so what this one left there does not matter.
   */
  releaseSlots(): void {
    if (!this.kernel) return;
    spareKernel = this.kernel.kernel;
    this.kernel = undefined;
  }

  /**
   * Writes the sample for mask `rows[rowOffset .. rowOffset+M)` at `out[outOffset ..]`.
   */
  write(rows: Uint8Array, rowOffset: number, out: Float32Array, outOffset: number): void {
    const M = this.segmentElements.length;
    const k = this.kernel;
    if (k !== undefined && out.buffer === k.buffer) {
      const mask = k.rowsView;
      for (let s = 0; s < M; s++) mask[s] = rows[rowOffset + s]; // no per-sample view object
      k.kernel.writeSample(k.rows, out.byteOffset + 4 * outOffset, k.instance, k.fill, k.runStart, k.runLength, k.runSegment, k.nRuns);
      return;
    }
    let kept = 0;
    for (let s = 0; s < M; s++) if (rows[rowOffset + s] !== 0) kept += this.segmentElements[s];
    // Start from whichever image covers more of the sample, then copy the other one's segments.
    const fromFill = kept <= this.imageSize / 2;
    out.set(fromFill ? this.fill : this.instance, outOffset);
    const src = fromFill ? this.instance : this.fill;
    const views = fromFill ? this.instanceRuns : this.fillRuns;
    const want = fromFill ? 1 : 0;
    for (let s = 0; s < M; s++) {
      if ((rows[rowOffset + s] !== 0 ? 1 : 0) !== want) continue;
      this.copySegment(s, src, views, out, outOffset);
    }
  }
}

/**
 * Writes samples of a sample-dependent fill ({@link SampleFill}): per sample, the fill makes the
 * perturbed 8-bit image from the mask row, which is then normalised into the model's buffer.
 * Row `i` draws from `rng.fork(sampleStreamName(i))`, so samples do not depend on the batch size.
 */
export class PerSampleWriter implements SampleWriter {
  readonly imageSize: number;
  readonly softMask: boolean;
  readonly design?: Readonly<Record<string, unknown>>;
  private readonly view: RgbImage;
  private readonly image: RgbImage;

  /**
   * @param rng the run's `baseline` stream; each sample forks its own from it.
   * @param ctx the run's signal and warning logger, passed on to the fill.
   */
  constructor(
    image: RgbImage,
    segments: SegmentMap,
    private readonly spec: ModelInputSpec,
    private readonly fill: SampleFill,
    private readonly rng: Rng,
    private readonly ctx: Omit<RunContext, 'rng'> = {},
  ) {
    const hw = spec.width * spec.height;
    if (segments.labels.length !== hw || image.width !== spec.width || image.height !== spec.height) {
      throw new ShapeMismatchError(
        `PerSampleWriter: image and segments must both be ${spec.width}×${spec.height}; got image ${image.width}×${image.height}, segments ${segments.width}×${segments.height}.`,
      );
    }
    this.imageSize = hw * spec.channels;
    this.view = { width: image.width, height: image.height, data: new Uint8Array(hw * 3) };
    this.image = image;
    this.softMask = fill.softMask === true;
    if (fill.design) this.design = fill.design;
  }

  /**
   * @param visibility continuous-mask fills only ({@link softMask}): receives the sample's M
   *   per-segment mask values. The instance (`sample` omitted) is the image itself for such a
   *   fill, whose masks are random even where the row keeps every segment.
   */
  write(rows: Uint8Array, rowOffset: number, out: Float32Array, outOffset: number, sample?: number, visibility?: Float64Array): void {
    if (this.softMask && sample === undefined) {
      writeNormalized(this.image, this.spec, out, outOffset);
      visibility?.fill(1);
      return;
    }
    const rng = this.rng.fork(sampleStreamName(sample ?? 'instance'));
    if (this.softMask) this.fill.fillSample(rows, rowOffset, { ...this.ctx, rng }, this.view.data, visibility);
    else this.fill.fillSample(rows, rowOffset, { ...this.ctx, rng }, this.view.data);
    writeNormalized(this.view, this.spec, out, outOffset);
  }

  update(_prev: Uint8Array, _prevOffset: number, rows: Uint8Array, rowOffset: number, out: Float32Array, outOffset: number, sample?: number): void {
    this.write(rows, rowOffset, out, outOffset, sample);
  }
}
