/** Per-feature mean and standard deviation learnt on training rows. */
export interface Standardizer {
  readonly mean: Float64Array;
  /** Population standard deviation; 1 for a constant feature (so it maps to 0, not NaN). */
  readonly std: Float64Array;
}

/**
 * Learns each column's mean and (population) standard deviation, as scikit-learn's
 * `StandardScaler` does; a constant column gets std 1.
 *
 * @param rows - training rows, all of the same length d.
 * @returns the standardiser; apply it with {@link applyStandardizer}.
 */
export function fitStandardizer(rows: readonly ArrayLike<number>[]): Standardizer {
  const d = rows.length ? rows[0].length : 0;
  const mean = new Float64Array(d), std = new Float64Array(d);
  for (const r of rows) for (let j = 0; j < d; j++) mean[j] += r[j];
  for (let j = 0; j < d; j++) mean[j] /= Math.max(1, rows.length);
  for (const r of rows) for (let j = 0; j < d; j++) std[j] += (r[j] - mean[j]) ** 2;
  for (let j = 0; j < d; j++) {
    const s = Math.sqrt(std[j] / Math.max(1, rows.length));
    std[j] = s > 1e-12 * Math.max(1, Math.abs(mean[j])) ? s : 1;
  }
  return { mean, std };
}

/** (x − mean)/std per column; returns new rows. */
export function applyStandardizer(s: Standardizer, rows: readonly ArrayLike<number>[]): number[][] {
  return rows.map((r) => Array.from(r, (v, j) => (v - s.mean[j]) / s.std[j]));
}
