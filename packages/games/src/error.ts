import { InvalidOptionError, ShapeMismatchError } from '@limekit/core';

/** How far an estimate is from an exact answer (Shapley, Banzhaf or LIME target). */
export interface ErrorToExact {
  /** ‖estimate − exact‖₂. */
  readonly l2: number;
  /** ‖estimate − exact‖₂ / ‖exact‖₂ (Infinity when the exact answer is all zeros and the estimate is not). */
  readonly relativeL2: number;
  /** max_j |estimate_j − exact_j|. */
  readonly maxAbs: number;
  /** Fraction of the exact top-k segments (by |value|) that are in the estimate's top-k. */
  readonly topKRecovery: number;
  /** Spearman's rank correlation (average ranks for ties); NaN when either input is constant. */
  readonly spearman: number;
}

/** The k indices of largest |value|, ties broken by the lower index. */
function topKAbs(v: ArrayLike<number>, k: number): number[] {
  return Array.from({ length: v.length }, (_, j) => j)
    .sort((a, b) => Math.abs(v[b]) - Math.abs(v[a]) || a - b)
    .slice(0, k);
}

/** Average ranks (1-based), ties sharing the mean of their ranks, as scipy's `rankdata`. */
function averageRanks(v: ArrayLike<number>): Float64Array {
  const order = Array.from({ length: v.length }, (_, j) => j).sort((a, b) => v[a] - v[b]);
  const ranks = new Float64Array(v.length);
  for (let i = 0; i < order.length; ) {
    let e = i;
    while (e + 1 < order.length && v[order[e + 1]] === v[order[i]]) e++;
    const r = (i + e) / 2 + 1;
    for (let t = i; t <= e; t++) ranks[order[t]] = r;
    i = e + 1;
  }
  return ranks;
}

function pearson(a: Float64Array, b: Float64Array): number {
  const n = a.length;
  let ma = 0, mb = 0;
  for (let i = 0; i < n; i++) [ma, mb] = [ma + a[i] / n, mb + b[i] / n];
  let sab = 0, saa = 0, sbb = 0;
  for (let i = 0; i < n; i++) {
    sab += (a[i] - ma) * (b[i] - mb);
    saa += (a[i] - ma) ** 2;
    sbb += (b[i] - mb) ** 2;
  }
  return saa > 0 && sbb > 0 ? sab / Math.sqrt(saa * sbb) : NaN;
}

/**
 * Error of an estimate to an exact answer: L2, relative L2, max, top-k recovery and rank correlation.
 * @param k segments for top-k recovery (default 5, lime's usual display), at most M.
 * @throws ShapeMismatchError when lengths differ; InvalidOptionError for a bad k.
 */
export function errorToExact(estimate: ArrayLike<number>, exact: ArrayLike<number>, k = 5): ErrorToExact {
  const M = exact.length;
  if (estimate.length !== M) throw new ShapeMismatchError(`errorToExact: estimate has ${estimate.length} values but the exact answer has ${M}. Compare the same segments.`);
  if (M < 1) throw new ShapeMismatchError('errorToExact: the exact answer must have at least one value, got none.');
  if (!Number.isInteger(k) || k < 1) throw new InvalidOptionError(`errorToExact: k must be an integer >= 1, got ${k}.`);
  const kk = Math.min(k, M);
  let ss = 0, se = 0, maxAbs = 0;
  for (let j = 0; j < M; j++) {
    const d = estimate[j] - exact[j];
    ss += d * d;
    se += exact[j] * exact[j];
    maxAbs = Math.max(maxAbs, Math.abs(d));
  }
  const l2 = Math.sqrt(ss);
  const relativeL2 = se > 0 ? l2 / Math.sqrt(se) : l2 === 0 ? 0 : Infinity;
  const want = new Set(topKAbs(exact, kk));
  const topKRecovery = topKAbs(estimate, kk).filter((j) => want.has(j)).length / kk;
  return { l2, relativeL2, maxAbs, topKRecovery, spearman: pearson(averageRanks(estimate), averageRanks(exact)) };
}
