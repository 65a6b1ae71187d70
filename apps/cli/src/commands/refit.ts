import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { InputError, parseNeighbourhood, type Neighbourhood } from '@limekit/core';
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

/** Reads and checks a neighbourhood file (the format is core's `parseNeighbourhood`). */
export async function readNeighbourhood(path: string): Promise<Neighbourhood> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(path, 'utf8'));
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new InputError(`Neighbourhood file ${path}: ${e.code ? `cannot be read (${e.code})` : `is not valid JSON (${e.message})`}.`, { cause: err });
  }
  return parseNeighbourhood(raw, `Neighbourhood file ${path}`);
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
  const fits = refitNeighbourhood(nb, resolved, { recomputeWeights: explicitKernel, ...(numFeatures !== undefined ? { numFeatures } : {}) });
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
