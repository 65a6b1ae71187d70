import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { InputError } from '@limekit/core';
import { refitNeighbourhood, resolveConfig } from '@limekit/lime';
import { intFlag, parseFlags, requireFlags } from '../args.js';
import { plain, signed, spread } from '../format.js';
import type { CliIo } from '../io.js';
import { configFromFlags } from './explain.js';

export const REFIT_HELP = `limekit refit — refit a saved neighbourhood with another surrogate, kernel or feature selection, without the model

Usage:
  limekit refit --neighbourhood FILE [--config FILE] [--num-features F] [--top K] [--json]

  --neighbourhood FILE  JSON with scikit-learn's names: X (n×d 0/1 rows), y (n targets, or n×C with
                        "labels"), sample_weight (n). 'limekit explain --save-samples' writes one.
  --config FILE         surrogate, featureSelection, numFeatures, and kernel: when the config names a
                        kernel, weights are recomputed from X with it; otherwise sample_weight is used
  --num-features F      segments to fit (with the config's featureSelection; default: all)
  --top K               print the K segments with the largest |weight| (default: every fitted segment)
  --json                per label: coef (d numbers, 0 for unselected), intercept, score, features,
                        and coefStd / localPredictionStd when the surrogate has them
`;

interface Neighbourhood {
  X: (number[] | string)[];
  y: number[] | number[][];
  sample_weight?: number[];
  labels?: (number | string)[];
}

/** Reads and checks a neighbourhood file. */
export async function readNeighbourhood(path: string): Promise<{ X: Float64Array; n: number; d: number; ys: Float64Array[]; labels: (number | string)[]; sampleWeight?: Float64Array }> {
  let raw: Neighbourhood;
  try {
    raw = JSON.parse(await readFile(path, 'utf8'));
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new InputError(`Neighbourhood file ${path}: ${e.code ? `cannot be read (${e.code})` : `is not valid JSON (${e.message})`}.`, { cause: err });
  }
  // Rows are arrays of numbers, or compact strings of 0/1 digits ("0110…").
  const rowsIn = Array.isArray(raw.X) ? raw.X.map((r) => (typeof r === 'string' && /^[01]+$/.test(r) ? Array.from(r, Number) : r)) : raw.X;
  if (!Array.isArray(rowsIn) || rowsIn.length < 2 || !Array.isArray(rowsIn[0])) {
    throw new InputError(`Neighbourhood file ${path}: "X" must be an array of at least 2 rows (arrays of 0/1), got ${JSON.stringify(raw.X)?.slice(0, 40)}.`);
  }
  const n = rowsIn.length;
  const d = (rowsIn[0] as number[]).length;
  const X = new Float64Array(n * d);
  (rowsIn as unknown[]).forEach((row, i) => {
    if (!Array.isArray(row) || row.length !== d) throw new InputError(`Neighbourhood file ${path}: row ${i} of X has ${Array.isArray(row) ? row.length : 'no'} values; every row must have ${d}.`);
    (row as number[]).forEach((v, j) => (X[i * d + j] = v));
  });
  if (!Array.isArray(raw.y) || raw.y.length !== n) throw new InputError(`Neighbourhood file ${path}: "y" must have one entry per row of X (${n}), got ${Array.isArray(raw.y) ? raw.y.length : typeof raw.y}.`);
  const matrix = Array.isArray(raw.y[0]);
  const C = matrix ? (raw.y[0] as number[]).length : 1;
  const ys = Array.from({ length: C }, (_, c) => Float64Array.from(raw.y as unknown[], (v) => Number(matrix ? (v as number[])[c] : v)));
  const labels = raw.labels ?? (matrix ? Array.from({ length: C }, (_, c) => c) : [0]);
  if (labels.length !== C) throw new InputError(`Neighbourhood file ${path}: "labels" has ${labels.length} entries but y has ${C} columns.`);
  let sampleWeight: Float64Array | undefined;
  if (raw.sample_weight !== undefined) {
    if (!Array.isArray(raw.sample_weight) || raw.sample_weight.length !== n) {
      throw new InputError(`Neighbourhood file ${path}: "sample_weight" must have ${n} numbers (one per row of X), got ${Array.isArray(raw.sample_weight) ? raw.sample_weight.length : typeof raw.sample_weight}.`);
    }
    sampleWeight = Float64Array.from(raw.sample_weight);
  }
  return { X, n, d, ys, labels, ...(sampleWeight ? { sampleWeight } : {}) };
}

/** `limekit refit`. */
export async function refitCommand(argv: string[], io: CliIo): Promise<number> {
  const flags = parseFlags('refit', argv, {
    neighbourhood: { type: 'string' },
    config: { type: 'string' },
    'num-features': { type: 'string' },
    top: { type: 'string' },
    json: { type: 'boolean' },
  });
  if (flags.help) {
    io.stdout.write(REFIT_HELP);
    return 0;
  }
  requireFlags('refit', flags, ['neighbourhood']);
  const { config, baseDir, where } = await configFromFlags(io.cwd, flags, 'refit');
  const explicitKernel = config.kernel !== undefined;
  const resolved = await resolveConfig(config, { baseDir, where });
  const nb = await readNeighbourhood(resolve(io.cwd, flags.neighbourhood!));
  const numFeatures = intFlag('refit', 'num-features', flags['num-features'], 1);
  const top = intFlag('refit', 'top', flags.top, 1);
  const fits = refitNeighbourhood(
    { X: nb.X, n: nb.n, d: nb.d, y: nb.ys, labels: nb.labels, ...(nb.sampleWeight ? { sampleWeight: nb.sampleWeight } : {}) },
    resolved,
    { recomputeWeights: explicitKernel, ...(numFeatures !== undefined ? { numFeatures } : {}) },
  );
  const sRef = resolved.components.surrogate;
  const results = fits.map((fit) => ({
    label: fit.label,
    coef: Array.from(fit.coef),
    intercept: fit.intercept,
    score: fit.score,
    localPrediction: fit.localPrediction,
    features: fit.features,
    ...(fit.coefStd ? { coefStd: Array.from(fit.coefStd) } : {}),
    ...(fit.localPredictionStd !== undefined ? { localPredictionStd: fit.localPredictionStd } : {}),
    ...(fit.details ? { details: fit.details } : {}),
  }));
  if (flags.json) {
    io.stdout.write(JSON.stringify(results.length === 1 ? results[0] : { labels: results }) + '\n');
  } else {
    for (const r of results) {
      const std = r.localPredictionStd !== undefined ? ` ± ${spread(r.localPredictionStd)}` : '';
      io.stdout.write(`label ${r.label}: ${sRef.definition.id}, R² ${plain(r.score)}, intercept ${plain(r.intercept)}, local prediction ${plain(r.localPrediction)}${std}\n`);
      const order = [...r.features].sort((a, b) => Math.abs(r.coef[b]) - Math.abs(r.coef[a]) || a - b);
      const shown = order.slice(0, top ?? order.length);
      const width = Math.max(...shown.map((f) => String(f).length));
      for (const f of shown) io.stdout.write(`  #${String(f).padEnd(width)}  ${signed(r.coef[f])}${r.coefStd ? ` ± ${spread(r.coefStd[f])}` : ''}\n`);
      if (shown.length < order.length) io.stdout.write(`  … ${order.length - shown.length} more (--top to show more, --json for all)\n`);
    }
  }
  return 0;
}
