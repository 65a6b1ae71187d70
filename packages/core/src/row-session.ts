import type { SampleBlock, SamplerSession } from './components.js';

/** What {@link rowByRowSession} needs from a sampler that draws its rows one at a time, in order. */
export interface RowByRowSpec {
  /** Rows in the whole session (the budget, or fewer when the design has fewer distinct rows). */
  readonly total: number;
  /** M, the row length. */
  readonly numFeatures: number;
  /**
   * Row 0 is the instance (all ones, weight 1): it is written by the session without calling
   * {@link drawRow}, so it draws no random numbers.
   */
  readonly firstRowIsInstance: boolean;
  /**
   * Writes row `index` (0-based over the whole session) into `row`, which is all zeros on entry.
   * Returns the row's weight when {@link weighted}, otherwise nothing.
   */
  drawRow(row: Uint8Array, index: number): number | void;
  /** The rows carry sampler weights ({@link SampleBlock.weights}). Default false. */
  readonly weighted?: boolean;
  /** Extra facts for the session's summary, next to `samples`; `produced` is the rows produced so far. */
  summary?(produced: number): Record<string, unknown>;
}

/**
 * A {@link SamplerSession} (not adaptive, so double-buffered) for samplers whose rows depend only
 * on their index and the sampler's stream: it cuts the rows into blocks of at most `maxRows`,
 * which cannot change them, so the result does not depend on the batch size as long as
 * `drawRow` draws its random numbers in row order.
 */
export function rowByRowSession(spec: RowByRowSpec): SamplerSession {
  const { total, numFeatures: M, firstRowIsInstance, weighted = false } = spec;
  let produced = 0;
  return {
    firstRowIsInstance,
    needsObservations: false,
    next(maxRows: number): SampleBlock | null {
      if (produced >= total) return null;
      const count = Math.min(maxRows, total - produced);
      const rows = new Uint8Array(count * M);
      const weights = weighted ? new Float64Array(count) : undefined;
      for (let r = 0; r < count; r++) {
        const row = rows.subarray(r * M, (r + 1) * M);
        const index = produced + r;
        if (firstRowIsInstance && index === 0) {
          row.fill(1);
          if (weights) weights[r] = 1;
          continue;
        }
        const w = spec.drawRow(row, index);
        if (weights) weights[r] = w as number;
      }
      produced += count;
      return weights ? { rows, count, weights } : { rows, count };
    },
    summary: () => ({ samples: produced, ...spec.summary?.(produced) }),
  };
}
