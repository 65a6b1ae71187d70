import { uniformSubset, type Rng } from '@limekit/core';

/**
 * GLIME-Binomial's law of the number of kept segments k, for k = 0..M−1:
 * `P(k) ∝ C(M, k) · exp(−(M − k)/σ²)`, the uniform distribution on {0,1}^M reweighted by the
 * proximity `π(z) = exp(−‖1 − z‖²/σ²)` (‖1 − z‖² = M − k for a mask), conditioned on z ≠ 1.
 *
 * @param M number of segments, ≥ 1.
 * @param kernelWidth σ > 0.
 * @returns M probabilities (index k), summing to 1, computed in log space so that neither the
 *   binomial coefficients nor exp(M/σ²) overflow.
 */
export function glimeSizeDistribution(M: number, kernelWidth: number): Float64Array {
  const inv = 1 / (kernelWidth * kernelWidth);
  const logp = new Float64Array(M);
  let logC = 0;
  let max = -Infinity;
  for (let k = 0; k < M; k++) {
    if (k > 0) logC += Math.log(M - k + 1) - Math.log(k);
    logp[k] = logC - (M - k) * inv;
    if (logp[k] > max) max = logp[k];
  }
  let sum = 0;
  for (let k = 0; k < M; k++) sum += logp[k] = Math.exp(logp[k] - max);
  for (let k = 0; k < M; k++) logp[k] /= sum;
  return logp;
}

/** Cumulative distribution of {@link glimeSizeDistribution}, last entry exactly 1. */
export function cumulative(p: Float64Array): Float64Array {
  const cdf = new Float64Array(p.length);
  let acc = 0;
  for (let i = 0; i < p.length; i++) cdf[i] = acc += p[i];
  cdf[p.length - 1] = 1;
  return cdf;
}

/**
 * Writes one GLIME-Binomial row into `row` (length M): k from `cdf` by inverse transform (one
 * `nextFloat`), then a uniform k-subset of segments kept, by a partial Fisher–Yates shuffle of
 * the smaller side (min(k, M − k) `nextInt` draws). `perm` is scratch space of length M.
 */
export function drawGlimeRow(row: Uint8Array, cdf: Float64Array, rng: Rng, perm: Int32Array): number {
  const u = rng.nextFloat();
  // Binary search: the first k with u < cdf[k].
  let lo = 0, hi = cdf.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (u < cdf[mid]) hi = mid;
    else lo = mid + 1;
  }
  const k = lo;
  uniformSubset(row, k, rng, perm);
  return k;
}
