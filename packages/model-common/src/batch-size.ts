// The choice rule of OnnxModelAdapter.probeBatchSize, apart from the measuring, so that it can be
// tested on given numbers.

/** One measured batch size. */
export interface BatchSizeTrial {
  readonly batchSize: number;
  /** Median over the timed runs of (wall time of one `predict` call) / batchSize, in ms. */
  readonly msPerImage: number;
  /** Memory the batch size needs, in bytes (see `probeBatchSize`). */
  readonly memoryBytes: number;
  /** Whether `memoryBytes` is within the budget. */
  readonly withinBudget: boolean;
}

/** Relative slack within which a smaller batch is preferred to the fastest one. */
export const BATCH_SIZE_TOLERANCE = 0.05;

/**
 * Picks a batch size from measured trials: among those within the memory budget, the smallest
 * batch size whose time per image is within {@link BATCH_SIZE_TOLERANCE} (5 %) of the fastest.
 * When no trial is within budget, the smallest batch size measured.
 *
 * @param trials at least one trial.
 * @returns the chosen batch size.
 * @remarks Preferring the smaller of near-equal batch sizes keeps memory low and makes the choice
 *   stable against timing noise: a 2 % difference between 32 and 64 never flips it.
 */
export function chooseBatchSize(trials: readonly BatchSizeTrial[], tolerance = BATCH_SIZE_TOLERANCE): number {
  const sorted = [...trials].sort((a, b) => a.batchSize - b.batchSize);
  const ok = sorted.filter((t) => t.withinBudget);
  if (ok.length === 0) return sorted[0].batchSize;
  const best = Math.min(...ok.map((t) => t.msPerImage));
  return ok.find((t) => t.msPerImage <= best * (1 + tolerance))!.batchSize;
}

/** What {@link probeBatchSize} measured and chose. */
export interface BatchSizeProbe {
  /** The chosen batch size (see {@link chooseBatchSize}). */
  readonly batchSize: number;
  /** One entry per candidate measured, in increasing batch size. */
  readonly trials: readonly BatchSizeTrial[];
  /** Candidates not run because their extrapolated memory exceeded the budget, the `maxBatchSize` cap, or the model's fixed batch. */
  readonly skipped: readonly number[];
}

/** The model side of {@link probeBatchSize}. */
export interface ProbeTarget {
  /** Scores the first `count` images of `batch` (the adapter's `predict`). */
  predict(batch: Float32Array, count: number): Promise<unknown>;
  /** Floats per image (channels × height × width). */
  readonly imageSize: number;
  /** Bytes of input and output buffers per image. */
  readonly ioBytesPerImage: number;
  /** Largest batch allowed (the `maxBatchSize` option); undefined: none. */
  readonly cap?: number;
  /** A fixed batch size the model declares: returned unmeasured. */
  readonly fixedBatch?: number;
  /**
   * Memory the runtime holds now, in bytes: the process's resident memory for native runtimes
   * (their arenas keep their high-water mark, so growth covers the activations), or the
   * runtime's own count (TensorFlow.js: `tf.memory().numBytes`, plus the WebAssembly heap).
   * Default: `process.memoryUsage.rss()`.
   */
  memoryBytes?(): number;
}

/** Defaults of {@link probeBatchSize}. */
export const DEFAULT_PROBE_CANDIDATES: readonly number[] = [1, 8, 16, 32, 64];

/**
 * Deterministic test inputs in the model's input space: row 0 all zeros (the mean image after
 * normalisation), then smooth patterns.
 *
 * @param first the first row to return (rows `first .. first + rows − 1` of that sequence).
 */
export function testInputs(rows: number, size: number, first = 0): Float32Array {
  const x = new Float32Array(rows * size);
  for (let r = Math.max(first, 1); r < first + rows; r++) for (let i = 0; i < size; i++) x[(r - first) * size + i] = Math.sin(0.37 * i + 1.3 * r);
  return x;
}

/**
 * Measures which batch size scores images fastest on this machine, within a memory budget.
 *
 * For each candidate, in increasing order: one warm-up call, then `repeats` timed calls of
 * `predict` on a fixed test batch; its time per image is the median divided by the batch size.
 * Its memory is the larger of its input and output buffers and the growth of
 * {@link ProbeTarget.memoryBytes} since probing began. A candidate whose memory, extrapolated
 * linearly from the largest batch run so far, would exceed the budget is not run, nor are larger
 * ones. The choice rule is {@link chooseBatchSize}.
 *
 * @param target the model and its sizes.
 * @param candidates batch sizes to try, default {@link DEFAULT_PROBE_CANDIDATES}.
 * @param memoryBudgetBytes the budget, in bytes.
 * @param repeats timed calls per candidate.
 * @returns the choice and every measurement; a fixed-batch model returns its batch size unmeasured.
 * @remarks Timings vary from run to run; the choice is deterministic given them.
 */
export async function probeBatchSize(target: ProbeTarget, candidates: readonly number[], memoryBudgetBytes: number, repeats: number): Promise<BatchSizeProbe> {
  const sorted = [...new Set(candidates)].sort((a, b) => a - b);
  if (target.fixedBatch !== undefined) return { batchSize: target.fixedBatch, trials: [], skipped: sorted.filter((b) => b !== target.fixedBatch) };
  const memory = target.memoryBytes ?? (() => process.memoryUsage.rss());
  const trials: BatchSizeTrial[] = [];
  const skipped: number[] = [];
  const m0 = memory();
  let batch: Float32Array = new Float32Array(0);
  for (const b of sorted) {
    const last = trials[trials.length - 1];
    const extrapolated = last ? (last.memoryBytes / last.batchSize) * b : target.ioBytesPerImage * b;
    if ((target.cap !== undefined && b > target.cap) || (trials.length > 0 && extrapolated > memoryBudgetBytes)) {
      skipped.push(b);
      continue;
    }
    if (batch.length < b * target.imageSize) batch = testInputs(b, target.imageSize);
    await target.predict(batch, b);
    const times: number[] = [];
    for (let k = 0; k < repeats; k++) {
      const t0 = performance.now();
      await target.predict(batch, b);
      times.push((performance.now() - t0) / b);
    }
    times.sort((x, y) => x - y);
    const memoryBytes = Math.max(target.ioBytesPerImage * b, memory() - m0);
    trials.push({ batchSize: b, msPerImage: times[Math.floor(times.length / 2)], memoryBytes, withinBudget: memoryBytes <= memoryBudgetBytes });
  }
  return { batchSize: chooseBatchSize(trials), trials, skipped };
}
