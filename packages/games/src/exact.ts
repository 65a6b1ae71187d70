import { InvalidOptionError, type FittedSurrogate, type Kernel } from '@limekit/core';
import { ExponentialKernel } from '@limekit/kernels';
import { cholesky, choleskySolve, solveSymmetricPinv } from '@limekit/linalg';
import type { Game } from './games.js';

/** Largest M the enumerations accept: 2^20 coalitions (8 MB of values). */
export const MAX_ENUMERATION_PLAYERS = 20;

/** Rows per block handed to the kernel while enumerating masks. */
const BLOCK_ROWS = 4096;

function requireEnumerable(who: string, M: number): void {
  if (!Number.isInteger(M) || M < 1 || M > MAX_ENUMERATION_PLAYERS) {
    throw new InvalidOptionError(
      `${who}: the number of segments must be an integer in 1..${MAX_ENUMERATION_PLAYERS} to enumerate all 2^M coalitions, got ${M}. Use a coarser segmentation, or a closed form (shapleyClosedForm) when the game has one.`,
    );
  }
}

/**
 * The game's value on every coalition: entry `s` is `v(S)` with segment j in S iff bit j of s is set.
 * @throws InvalidOptionError when M > {@link MAX_ENUMERATION_PLAYERS}.
 */
export function tabulateGame(game: Game): Float64Array {
  const M = game.numPlayers;
  requireEnumerable('tabulateGame', M);
  const n = 2 ** M;
  const values = new Float64Array(n);
  const visible = new Uint8Array(M);
  for (let s = 0; s < n; s++) {
    for (let j = 0; j < M; j++) visible[j] = (s >>> j) & 1;
    values[s] = game.value(visible);
  }
  return values;
}

/** Popcount of every index below 2^M. */
function popcounts(M: number): Uint8Array {
  const n = 2 ** M;
  const pc = new Uint8Array(n);
  for (let s = 1; s < n; s++) pc[s] = pc[s >>> 1] + (s & 1);
  return pc;
}

function playersOf(values: Float64Array): number {
  const M = Math.round(Math.log2(values.length));
  if (2 ** M !== values.length) throw new InvalidOptionError(`exact values: the table must have 2^M entries, got ${values.length}. Build it with tabulateGame.`);
  requireEnumerable('exact values', M);
  return M;
}

/**
 * Exact Shapley values (Shapley 1953) by enumeration of a value table from {@link tabulateGame}:
 * `φ_j = Σ_{S ∌ j} |S|! (M−|S|−1)! / M! · (v(S ∪ j) − v(S))`, O(M·2^M).
 */
export function shapleyFromTable(values: Float64Array): Float64Array {
  const M = playersOf(values);
  const pc = popcounts(M);
  // Weight of a coalition of size k not containing j: k!(M−k−1)!/M! = 1 / (M · C(M−1, k)).
  const weight = new Float64Array(M);
  let binom = 1;
  for (let k = 0; k < M; k++) {
    weight[k] = 1 / (M * binom);
    binom = (binom * (M - 1 - k)) / (k + 1);
  }
  const phi = new Float64Array(M);
  const n = values.length;
  for (let j = 0; j < M; j++) {
    const bit = 1 << j;
    let acc = 0;
    for (let s = 0; s < n; s++) if (!(s & bit)) acc += weight[pc[s]] * (values[s | bit] - values[s]);
    phi[j] = acc;
  }
  return phi;
}

/**
 * Exact Banzhaf values (Banzhaf 1965) by enumeration: `β_j = 2^{−(M−1)} Σ_{S ∌ j} (v(S ∪ j) − v(S))`.
 */
export function banzhafFromTable(values: Float64Array): Float64Array {
  const M = playersOf(values);
  const beta = new Float64Array(M);
  const n = values.length;
  for (let j = 0; j < M; j++) {
    const bit = 1 << j;
    let acc = 0;
    for (let s = 0; s < n; s++) if (!(s & bit)) acc += values[s | bit] - values[s];
    beta[j] = acc / 2 ** (M - 1);
  }
  return beta;
}

/** Exact Shapley values of a game: its closed form when it has one, else enumeration (M ≤ 20). */
export function exactShapley(game: Game): Float64Array {
  return game.shapleyClosedForm ? game.shapleyClosedForm() : shapleyFromTable(tabulateGame(game));
}

/** Exact Banzhaf values of a game: its closed form when it has one, else enumeration (M ≤ 20). */
export function exactBanzhaf(game: Game): Float64Array {
  return game.banzhafClosedForm ? game.banzhafClosedForm() : banzhafFromTable(tabulateGame(game));
}

/** Options of {@link exactLimeTarget}. */
export interface LimeTargetOptions {
  /** Similarity kernel weighing the masks. Default: lime's, `ExponentialKernel` (cosine, width 0.25). */
  kernel: Kernel;
  /** Ridge penalty α (lime: 1). 0 gives weighted least squares. */
  alpha: number;
  /** Fit an unpenalised intercept on weight-centred data, as scikit-learn's Ridge (lime: true). */
  fitIntercept: boolean;
  /**
   * How many times the full enumeration counts, relative to α. Undefined: every one of the 2^M
   * masks counts once — exactly `Ridge(alpha).fit(X_all, y, sample_weight)` on the full design
   * matrix. A number n: every mask counts n / 2^M times — the expected normal equations of n
   * masks drawn uniformly (Bernoulli ½, lime's sampler), i.e. the population target a lime run
   * with `numSamples = n` estimates, with α weighing as much as it does in that run.
   */
  numSamples: number | undefined;
}

/** Defaults of {@link LimeTargetOptions}: lime's `LimeImageExplainer` kernel and `Ridge(alpha=1)`. */
export const DEFAULT_LIME_TARGET_OPTIONS: Readonly<Omit<LimeTargetOptions, 'kernel'>> = { alpha: 1, fitIntercept: true, numSamples: undefined };

/**
 * The exact LIME target: the kernel-weighted ridge regression over all 2^M masks (each mask once,
 * or n/2^M times, see {@link LimeTargetOptions.numSamples}), with the values of a table from
 * {@link tabulateGame}. The normal equations `XᵀWX`, `XᵀWy` are accumulated mask by mask (the
 * 2^M × M design matrix is never built), centred by the weighted means (no penalty on the
 * intercept, as scikit-learn's `Ridge` with `sample_weight`), and solved by Cholesky
 * (minimum-norm pseudo-inverse when singular, i.e. α = 0 with a degenerate kernel).
 *
 * @returns coef (one per segment), intercept, weighted R² over the enumeration, and the
 *   prediction at the all-ones row.
 */
export function limeTargetFromTable(values: Float64Array, options: Partial<LimeTargetOptions> = {}): FittedSurrogate {
  const M = playersOf(values);
  const kernel = options.kernel ?? new ExponentialKernel();
  const alpha = options.alpha ?? DEFAULT_LIME_TARGET_OPTIONS.alpha;
  const fitIntercept = options.fitIntercept ?? DEFAULT_LIME_TARGET_OPTIONS.fitIntercept;
  const numSamples = options.numSamples;
  if (!(alpha >= 0 && Number.isFinite(alpha))) throw new InvalidOptionError(`exactLimeTarget: alpha must be >= 0, got ${alpha}. lime uses 1.`);
  if (numSamples !== undefined && !(numSamples > 0 && Number.isFinite(numSamples))) {
    throw new InvalidOptionError(`exactLimeTarget: numSamples must be > 0 or undefined, got ${numSamples}. It is the lime run's sample count.`);
  }
  const n = values.length;
  const scale = numSamples === undefined ? 1 : numSamples / n;
  // Weighted sums: Σw, Σw·x_j, Σw·y, Σw·y², Σw·x_j·x_k (upper triangle), Σw·x_j·y.
  let sw = 0, swy = 0, swyy = 0;
  const swx = new Float64Array(M);
  const swxy = new Float64Array(M);
  const swxx = new Float64Array(M * M);
  const rows = new Uint8Array(BLOCK_ROWS * M);
  const w = new Float64Array(BLOCK_ROWS);
  const on = new Int32Array(M);
  for (let start = 0; start < n; start += BLOCK_ROWS) {
    const count = Math.min(BLOCK_ROWS, n - start);
    for (let r = 0; r < count; r++) {
      const s = start + r;
      for (let j = 0; j < M; j++) rows[r * M + j] = (s >>> j) & 1;
    }
    kernel.weigh({ rows, count }, M, w);
    for (let r = 0; r < count; r++) {
      const s = start + r;
      const wr = w[r] * scale;
      if (!(wr >= 0 && Number.isFinite(wr))) {
        throw new InvalidOptionError(`exactLimeTarget: kernel "${kernel.id}" gave weight ${w[r]} to mask ${s}; weights must be finite and >= 0.`);
      }
      if (wr === 0) continue;
      const y = values[s];
      sw += wr;
      swy += wr * y;
      swyy += wr * y * y;
      let k = 0;
      for (let j = 0; j < M; j++) if ((s >>> j) & 1) on[k++] = j;
      for (let a = 0; a < k; a++) {
        const ja = on[a];
        swx[ja] += wr;
        swxy[ja] += wr * y;
        const rowBase = ja * M;
        for (let b = a; b < k; b++) swxx[rowBase + on[b]] += wr;
      }
    }
  }
  if (!(sw > 0)) throw new InvalidOptionError(`exactLimeTarget: kernel "${kernel.id}" gives every mask weight 0; nothing to fit.`);
  const xMean = new Float64Array(M);
  let yMean = 0;
  if (fitIntercept) {
    for (let j = 0; j < M; j++) xMean[j] = swx[j] / sw;
    yMean = swy / sw;
  }
  // Centred Gram matrix and right-hand side: Σw(x−x̄)(x−x̄)ᵀ = Σw·xxᵀ − Σw·x̄x̄ᵀ, etc.
  const G = new Float64Array(M * M);
  const c = new Float64Array(M);
  for (let j = 0; j < M; j++) {
    for (let k = j; k < M; k++) {
      const g = swxx[j * M + k] - sw * xMean[j] * xMean[k];
      G[j * M + k] = g;
      G[k * M + j] = g;
    }
    G[j * M + j] += alpha;
    c[j] = swxy[j] - sw * xMean[j] * yMean;
  }
  const coef = c.slice();
  const { L, positiveDefinite } = cholesky(G, M);
  if (positiveDefinite) choleskySolve(L, M, coef);
  else solveSymmetricPinv(G, M, coef);
  let intercept = 0;
  if (fitIntercept) {
    intercept = yMean;
    for (let j = 0; j < M; j++) intercept -= xMean[j] * coef[j];
  }
  // Weighted R² = 1 − SSres/SStot, from the same sums: SSres = Σw(y − b − xβ)².
  let sxb = 0; // Σw·(xβ)², via βᵀ(Σw xxᵀ)β
  for (let j = 0; j < M; j++) {
    for (let k = 0; k < M; k++) sxb += coef[j] * coef[k] * (j <= k ? swxx[j * M + k] : swxx[k * M + j]);
  }
  let sxbY = 0, sxbOne = 0;
  for (let j = 0; j < M; j++) {
    sxbY += coef[j] * swxy[j];
    sxbOne += coef[j] * swx[j];
  }
  const ssRes = swyy - 2 * intercept * swy - 2 * sxbY + intercept * intercept * sw + 2 * intercept * sxbOne + sxb;
  const yBar = swy / sw;
  const ssTot = swyy - sw * yBar * yBar;
  const score = ssTot > 0 ? 1 - ssRes / ssTot : ssRes <= 0 ? 1 : 0;
  let localPrediction = intercept;
  for (let j = 0; j < M; j++) localPrediction += coef[j];
  return { coef, intercept, score, localPrediction, details: { masks: n, alpha, kernel: kernel.id, numSamples: numSamples ?? null } };
}

/** {@link limeTargetFromTable} on the game's own values (M ≤ 20). */
export function exactLimeTarget(game: Game, options: Partial<LimeTargetOptions> = {}): FittedSurrogate {
  return limeTargetFromTable(tabulateGame(game), options);
}
