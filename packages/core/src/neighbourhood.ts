import type { SamplingDesign } from './components.js';
import { InputError } from './errors.js';

/**
 * A sampled neighbourhood: the mask rows, the model's outputs for the explained labels and the
 * sample weights. {@link Explanation.neighbourhood} holds one on request; `limekit refit` fits it
 * again without the model.
 */
export interface Neighbourhood {
  /** n × d mask rows, row-major (0/1 when the pipeline sampled them). */
  readonly X: Uint8Array | Float64Array;
  readonly n: number;
  readonly d: number;
  /** Per explained label (same order as {@link labels}), n targets. */
  readonly y: readonly Float64Array[];
  /** Class indices (or names, in a hand-written file) of the columns of {@link y}. */
  readonly labels: readonly (number | string)[];
  /** n sample weights (kernel × sampler weight); absent when a file has none. */
  readonly sampleWeight?: Float64Array;
  /** How the rows were drawn (sampler summary, fill facts), for estimators; not saved in the file. */
  readonly design?: SamplingDesign;
}

/**
 * The neighbourhood file (`neighbourhood.json`), in scikit-learn's names: `X` (n rows of d values),
 * `y` (n × labels), `labels`, `sample_weight`, plus whatever `extra` records (its source, say).
 * {@link parseNeighbourhood} reads it back.
 */
export function neighbourhoodToJSON(nb: Neighbourhood, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const X: number[][] = [];
  for (let i = 0; i < nb.n; i++) X.push(Array.from(nb.X.subarray(i * nb.d, (i + 1) * nb.d)));
  const y = Array.from({ length: nb.n }, (_, i) => nb.y.map((col) => col[i]));
  return { X, y, labels: nb.labels, ...(nb.sampleWeight ? { sample_weight: Array.from(nb.sampleWeight) } : {}), ...extra };
}

/**
 * Checks a parsed neighbourhood file and returns it as a {@link Neighbourhood}. Rows of `X` are
 * arrays of numbers or strings of 0/1 digits (`"0110…"`); `y` is n targets or n × C with `labels`.
 * @param where names the file in messages.
 * @throws InputError naming the field and what it must hold.
 */
export function parseNeighbourhood(raw: unknown, where: string): Neighbourhood {
  const file = (raw ?? {}) as { X?: unknown; y?: unknown; labels?: (number | string)[]; sample_weight?: unknown };
  const rowsIn = Array.isArray(file.X) ? file.X.map((r) => (typeof r === 'string' && /^[01]+$/.test(r) ? Array.from(r, Number) : r)) : file.X;
  if (!Array.isArray(rowsIn) || rowsIn.length < 2 || !Array.isArray(rowsIn[0])) {
    throw new InputError(`${where}: "X" must be an array of at least 2 rows (arrays of 0/1), got ${JSON.stringify(file.X)?.slice(0, 40)}.`);
  }
  const n = rowsIn.length;
  const d = (rowsIn[0] as number[]).length;
  const X = new Float64Array(n * d);
  (rowsIn as unknown[]).forEach((row, i) => {
    if (!Array.isArray(row) || row.length !== d) throw new InputError(`${where}: row ${i} of X has ${Array.isArray(row) ? row.length : 'no'} values; every row must have ${d}.`);
    (row as number[]).forEach((v, j) => (X[i * d + j] = v));
  });
  if (!Array.isArray(file.y) || file.y.length !== n) throw new InputError(`${where}: "y" must have one entry per row of X (${n}), got ${Array.isArray(file.y) ? file.y.length : typeof file.y}.`);
  const yIn = file.y as unknown[];
  const matrix = Array.isArray(yIn[0]);
  const C = matrix ? (yIn[0] as number[]).length : 1;
  const y = Array.from({ length: C }, (_, c) => Float64Array.from(yIn, (v) => Number(matrix ? (v as number[])[c] : v)));
  const labels = file.labels ?? (matrix ? Array.from({ length: C }, (_, c) => c) : [0]);
  if (labels.length !== C) throw new InputError(`${where}: "labels" has ${labels.length} entries but y has ${C} columns.`);
  let sampleWeight: Float64Array | undefined;
  if (file.sample_weight !== undefined) {
    if (!Array.isArray(file.sample_weight) || file.sample_weight.length !== n) {
      throw new InputError(`${where}: "sample_weight" must have ${n} numbers (one per row of X), got ${Array.isArray(file.sample_weight) ? file.sample_weight.length : typeof file.sample_weight}.`);
    }
    sampleWeight = Float64Array.from(file.sample_weight as number[]);
  }
  return { X, n, d, y, labels, ...(sampleWeight ? { sampleWeight } : {}) };
}
