import { sampleStreamName, type ModelInputSpec, type SampleFill } from './components.js';
import type { RunContext } from './context.js';
import { ShapeMismatchError } from './errors.js';
import type { RgbImage, SegmentMap } from './image.js';
import { writeNormalized } from './normalization.js';
import type { Rng } from './rng.js';

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
  /** Elements per segment, to pick the cheaper of "fill + copy kept" and "instance + copy dropped". */
  private readonly segmentElements: Float64Array;
  /**
   * Per run, views of the instance and of the fill over the run (null for short runs): made once,
   * so that a long run is one native copy with no per-sample allocation.
   */
  private readonly instanceRuns: (Float32Array | null)[];
  private readonly fillRuns: (Float32Array | null)[];

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
    const cursor = perSegment.slice(0, M);
    for (let r = 0; r < nRuns; r++) {
      const a = starts[r], b = r + 1 < nRuns ? starts[r + 1] : this.imageSize;
      const s = elementSegment[a];
      const k = cursor[s]++;
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
   * (85 segments): 330 ms and 210 ms. So this writes the sample in full; `prev` is not read.
   */
  update(prev: Uint8Array, prevOffset: number, rows: Uint8Array, rowOffset: number, out: Float32Array, outOffset: number): void {
    void prev;
    void prevOffset;
    this.write(rows, rowOffset, out, outOffset);
  }

  /**
   * Writes the sample for mask `rows[rowOffset .. rowOffset+M)` at `out[outOffset ..]`.
   */
  write(rows: Uint8Array, rowOffset: number, out: Float32Array, outOffset: number): void {
    const M = this.segmentElements.length;
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
