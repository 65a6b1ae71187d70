/** ln C(M, k) for k = 0..M (multiplicative recurrence, mirrored so k and M − k agree exactly). */
export function logBinomials(M: number): Float64Array {
  const out = new Float64Array(M + 1);
  for (let k = 1; 2 * k <= M; k++) out[k] = out[k - 1] + Math.log(M - k + 1) - Math.log(k);
  for (let k = Math.floor(M / 2) + 1; k <= M; k++) out[k] = out[M - k];
  return out;
}

/**
 * Rows per stratum k = 1..M−1 for equal allocation of `rows` rows: ⌊rows/(M−1)⌋ each, the
 * remainder one more each to the strata with the largest binomial mass (k closest to M/2, the
 * smaller k first on ties).
 * @returns an array of length M + 1 (entries 0 and M are 0).
 */
export function equalAllocation(M: number, rows: number): Int32Array {
  const n = new Int32Array(M + 1);
  if (M < 2 || rows <= 0) return n;
  const strata = M - 1;
  const base = Math.floor(rows / strata);
  let extra = rows - base * strata;
  for (let k = 1; k < M; k++) n[k] = base;
  const order = Array.from({ length: strata }, (_, i) => i + 1).sort((a, b) => Math.abs(2 * a - M) - Math.abs(2 * b - M) || a - b);
  for (const k of order) {
    if (extra-- <= 0) break;
    n[k]++;
  }
  return n;
}

/**
 * The order in which strata emit rows: round-robin over k = 1..M−1 while a stratum has rows left,
 * so every prefix of the sample is as balanced as it can be.
 */
export function roundRobin(allocation: Int32Array): Int32Array {
  let total = 0;
  let rounds = 0;
  for (const c of allocation) {
    total += c;
    rounds = Math.max(rounds, c);
  }
  const out = new Int32Array(total);
  let i = 0;
  for (let r = 0; r < rounds; r++) for (let k = 0; k < allocation.length; k++) if (allocation[k] > r) out[i++] = k;
  return out;
}
