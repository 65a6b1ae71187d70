import { InvalidOptionError, type FittedSurrogate, type Kernel } from '@limekit/core';
import { ExponentialKernel } from '@limekit/kernels';
import { cholesky, choleskySolve, solveSymmetricPinv } from '@limekit/linalg';
import { limeTargetFromTable, MAX_ENUMERATION_PLAYERS, tabulateGame, DEFAULT_LIME_TARGET_OPTIONS } from './exact.js';
import { AdditiveGame, LogicGame, PairwiseGame, type Game } from './games.js';

/**
 * The law of a sampler's mask rows, when it depends only on the coalition size k (the number of
 * kept segments): `logMaskProbability(k, M)` is log P(z) of ONE mask z with k ones.
 */
export interface MaskLaw {
  /** Short description, e.g. `bernoulli(0.5)`, written into benchmark outputs. */
  readonly id: string;
  logMaskProbability(k: number, M: number): number;
}

/** Uniform masks over {0,1}^M (Bernoulli ½, lime's sampler; also a design re-weighted to it, as the stratified sampler). */
export const UNIFORM_MASK_LAW: MaskLaw = { id: 'uniform', logMaskProbability: (_k, M) => -M * Math.LN2 };

/** Independent Bernoulli(p) keeps: P(z) = p^k (1 − p)^(M−k) (lime's sampler with `p`, and the Sobol sampler's marginals). */
export function bernoulliMaskLaw(p: number): MaskLaw {
  if (!(p > 0 && p < 1)) throw new InvalidOptionError(`bernoulliMaskLaw: p must be in (0, 1), got ${p}. lime keeps a segment with p = 0.5.`);
  return { id: `bernoulli(${p})`, logMaskProbability: (k, M) => k * Math.log(p) + (M - k) * Math.log1p(-p) };
}

/**
 * GLIME-Binomial's law (Tan et al., NeurIPS 2023), as `@limekit/sampler-glime` draws it:
 * P(z) ∝ exp(−(M − k)/σ²) over k = 0..M−1 (the instance itself, k = M, is never drawn).
 */
export function glimeMaskLaw(kernelWidth: number): MaskLaw {
  if (!(kernelWidth > 0 && Number.isFinite(kernelWidth))) throw new InvalidOptionError(`glimeMaskLaw: kernelWidth must be > 0, got ${kernelWidth}. GLIME uses 0.25.`);
  const inv = 1 / (kernelWidth * kernelWidth);
  return {
    id: `glime(${kernelWidth})`,
    logMaskProbability: (k, M) => {
      if (k >= M) return -Infinity;
      // log Z = log Σ_{k<M} C(M, k) e^{−(M−k)/σ²}, in log space.
      const terms = Array.from({ length: M }, (_, j) => logBinom(M, j) - (M - j) * inv);
      const top = Math.max(...terms);
      const logZ = top + Math.log(terms.reduce((s, t) => s + Math.exp(t - top), 0));
      return -(M - k) * inv - logZ;
    },
  };
}

function logBinom(n: number, k: number): number {
  if (k < 0 || k > n) return -Infinity;
  let s = 0;
  for (let i = 1; i <= k; i++) s += Math.log(n - k + i) - Math.log(i);
  return s;
}

/** One term `coef · Π_{j ∈ players} x_j` of a game's multilinear (Möbius) form; no players = the constant. */
export interface MultilinearTerm {
  readonly players: readonly number[];
  readonly coef: number;
}

/** Largest OR game whose multilinear form is expanded (2^k − 1 terms). */
const MAX_OR_PLAYERS = 16;

/**
 * The game's multilinear form `v(z) = Σ_T c_T Π_{j∈T} z_j`, when it is short: additive, pairwise,
 * AND (one term) and OR (inclusion–exclusion over its k ≤ 16 players). `undefined` otherwise
 * (saturating games, or any other game).
 */
export function multilinearTerms(game: Game): MultilinearTerm[] | undefined {
  if (game instanceof AdditiveGame || game instanceof PairwiseGame) {
    const terms: MultilinearTerm[] = [{ players: [], coef: game.bias }];
    game.weights.forEach((w, j) => terms.push({ players: [j], coef: w }));
    if (game instanceof PairwiseGame) for (const t of game.interactions) terms.push({ players: [t.i, t.j], coef: t.weight });
    return terms;
  }
  if (game instanceof LogicGame) {
    const P = Array.from(game.players);
    if (game.kind === 'and') return [{ players: P, coef: game.amount }];
    if (P.length > MAX_OR_PLAYERS) return undefined;
    const terms: MultilinearTerm[] = [];
    for (let s = 1; s < 2 ** P.length; s++) {
      const T = P.filter((_, i) => (s >>> i) & 1);
      terms.push({ players: T, coef: (T.length % 2 ? 1 : -1) * game.amount });
    }
    return terms;
  }
  return undefined;
}

/** Options of {@link populationLimeTarget}. */
export interface PopulationTargetOptions {
  /** Similarity kernel (default lime's, exponential on cosine distance, width 0.25). */
  kernel: Kernel;
  /** Ridge penalty α ≥ 0 (lime: 1). */
  alpha: number;
  /** Unpenalised intercept on weight-centred data, as scikit-learn's Ridge. */
  fitIntercept: boolean;
  /** The run's sample count n: every mask z counts n · P(z) times. Undefined: 2^M · P(z) (each mask once under the uniform law). */
  numSamples: number | undefined;
  /** The sampler's mask law (default uniform). */
  law: MaskLaw;
  /**
   * The run's first row is the instance itself (lime, sobol, stratified, adaptive and GLIME do
   * this): with n samples, mask z then counts (n − 1) · P(z) times plus once for z = all ones. It
   * matters when P gives the all-ones mask little mass (GLIME never draws it, and without it the
   * leave-one-out rows GLIME draws are collinear with the intercept). Default false; needs numSamples.
   */
  instanceFirst: boolean;
}

/** How a population target was computed. */
export type PopulationMethod = 'moments' | 'enumeration';

/**
 * The kernel's weight of one mask of each size k = 0..M, or `undefined` when the weight depends on
 * which segments are kept (not only how many): checked on the first-k and last-k masks.
 */
export function sizeWeights(kernel: Kernel, M: number): Float64Array | undefined {
  const count = 2 * (M + 1);
  const rows = new Uint8Array(count * M);
  for (let k = 0; k <= M; k++) {
    for (let j = 0; j < k; j++) {
      rows[2 * k * M + j] = 1;
      rows[(2 * k + 1) * M + (M - 1 - j)] = 1;
    }
  }
  const w = new Float64Array(count);
  kernel.weigh({ rows, count }, M, w);
  const out = new Float64Array(M + 1);
  for (let k = 0; k <= M; k++) {
    const a = w[2 * k], b = w[2 * k + 1];
    if (Math.abs(a - b) > 1e-12 * Math.max(1, Math.abs(a), Math.abs(b))) return undefined;
    out[k] = a;
  }
  return out;
}

/**
 * A kernel that folds a mask law into the similarity kernel: weight π(z) · 2^M · P(z), so that
 * {@link limeTargetFromTable} (which counts each mask n / 2^M times) counts it n · P(z) · π(z) times.
 */
export function lawWeightedKernel(kernel: Kernel, law: MaskLaw, instanceShare = 0): Kernel {
  return {
    id: `${kernel.id}×${law.id}`,
    weigh(block, M, out) {
      kernel.weigh(block, M, out);
      for (let r = 0; r < block.count; r++) {
        let k = 0;
        for (let j = 0; j < M; j++) k += block.rows[r * M + j];
        // (1 − share) · P(z) + share · [z = 1], relative to the uniform 2^−M.
        out[r] *= Math.exp(M * Math.LN2) * ((1 - instanceShare) * Math.exp(law.logMaskProbability(k, M)) + (k === M ? instanceShare : 0));
      }
    },
  };
}

/**
 * The population solution a sampler × kernel × ridge configuration estimates with n samples:
 * the weighted ridge regression over all 2^M masks, mask z counting n · P(z) · π(z) times, where P
 * is the sampler's mask law and π the similarity kernel. For the uniform law this is
 * {@link exactLimeTarget} with `numSamples = n`.
 *
 * Two exact methods:
 * - **moments** (any M): when the game has a short multilinear form ({@link multilinearTerms}) and
 *   both π and P depend on the coalition size only, every sum of the normal equations is a moment
 *   `Σ_z μ(|z|) Π_{j∈A} z_j = Σ_k μ_k C(M − |A|, k − |A|)`, so nothing is enumerated;
 * - **enumeration** (M ≤ 20): otherwise, as {@link limeTargetFromTable}.
 *
 * @throws InvalidOptionError when neither applies (M > 20 and no multilinear form or a kernel that
 *   is not a function of the size).
 */
export function populationLimeTarget(game: Game, options: Partial<PopulationTargetOptions> = {}): FittedSurrogate & { method: PopulationMethod } {
  const M = game.numPlayers;
  const kernel = options.kernel ?? new ExponentialKernel();
  const alpha = options.alpha ?? DEFAULT_LIME_TARGET_OPTIONS.alpha;
  const fitIntercept = options.fitIntercept ?? DEFAULT_LIME_TARGET_OPTIONS.fitIntercept;
  const law = options.law ?? UNIFORM_MASK_LAW;
  const n = options.numSamples;
  const instanceFirst = options.instanceFirst ?? false;
  if (instanceFirst && n === undefined) throw new InvalidOptionError('populationLimeTarget: instanceFirst needs numSamples (the instance is one row of n).');
  if (!(alpha >= 0 && Number.isFinite(alpha))) throw new InvalidOptionError(`populationLimeTarget: alpha must be >= 0, got ${alpha}. lime uses 1.`);
  if (n !== undefined && !(n > 0 && Number.isFinite(n))) throw new InvalidOptionError(`populationLimeTarget: numSamples must be > 0 or undefined, got ${n}.`);
  const terms = multilinearTerms(game);
  const pi = terms ? sizeWeights(kernel, M) : undefined;
  if (terms && pi) return { ...limeTargetByMoments(terms, M, pi, { alpha, fitIntercept, numSamples: n, law, instanceFirst }), method: 'moments' };
  if (M > MAX_ENUMERATION_PLAYERS) {
    throw new InvalidOptionError(
      `populationLimeTarget: game "${game.id}" with M = ${M} segments has no exact LIME target: enumeration needs M <= ${MAX_ENUMERATION_PLAYERS}, and the closed form needs a game with a short multilinear form (additive, pairwise, and, or) and a kernel that depends only on the number of kept segments${terms ? ` (kernel "${kernel.id}" does not)` : ''}. Use fewer segments, or compare with the Shapley or Banzhaf values.`,
    );
  }
  const share = instanceFirst ? 1 / n! : 0;
  const weighted = law === UNIFORM_MASK_LAW && share === 0 ? kernel : lawWeightedKernel(kernel, law, share);
  return { ...limeTargetFromTable(tabulateGame(game), { kernel: weighted, alpha, fitIntercept, numSamples: n }), method: 'enumeration' };
}

/**
 * {@link populationLimeTarget} by moments: `terms` is the game's multilinear form and `pi[k]` the
 * kernel weight of a mask with k kept segments.
 */
export function limeTargetByMoments(
  terms: readonly MultilinearTerm[],
  M: number,
  pi: ArrayLike<number>,
  options: Pick<PopulationTargetOptions, 'alpha' | 'fitIntercept' | 'numSamples' | 'law'> & { instanceFirst?: boolean },
): FittedSurrogate {
  const { alpha, fitIntercept, numSamples, law } = options;
  const instance = options.instanceFirst && numSamples !== undefined ? 1 : 0;
  // μ_k: how many times one mask of size k counts, times its kernel weight.
  const logScale = numSamples === undefined ? M * Math.LN2 : Math.log(numSamples - instance);
  const mu = Float64Array.from({ length: M + 1 }, (_, k) => (pi[k] > 0 ? pi[k] * (Math.exp(logScale + law.logMaskProbability(k, M)) + (k === M ? instance : 0)) : 0));
  // moment(a) = Σ_z μ(|z|) Π_{j∈A} z_j for |A| = a: the masks containing A number C(M − a, k − a) in size k.
  const moments = new Float64Array(M + 1);
  for (let a = 0; a <= M; a++) {
    let s = 0;
    for (let k = a; k <= M; k++) if (mu[k] > 0) s += mu[k] * Math.exp(logBinom(M - a, k - a));
    moments[a] = s;
  }
  const sw = moments[0];
  if (!(sw > 0)) throw new InvalidOptionError('limeTargetByMoments: the kernel and mask law give every mask weight 0; nothing to fit.');
  let swy = 0;
  const swxy = new Float64Array(M);
  for (const t of terms) {
    swy += t.coef * moments[t.players.length];
    const inT = new Set(t.players);
    for (let j = 0; j < M; j++) swxy[j] += t.coef * moments[t.players.length + (inT.has(j) ? 0 : 1)];
  }
  const xMean = fitIntercept ? moments[1] / sw : 0;
  const yMean = fitIntercept ? swy / sw : 0;
  const G = new Float64Array(M * M);
  const c = new Float64Array(M);
  for (let j = 0; j < M; j++) {
    for (let k = 0; k < M; k++) G[j * M + k] = (j === k ? moments[1] : moments[2]) - sw * xMean * xMean + (j === k ? alpha : 0);
    c[j] = swxy[j] - sw * xMean * yMean;
  }
  const coef = c.slice();
  const { L, positiveDefinite } = cholesky(G, M);
  if (positiveDefinite) choleskySolve(L, M, coef);
  else solveSymmetricPinv(G, M, coef);
  let intercept = fitIntercept ? yMean : 0;
  let sum = 0;
  for (let j = 0; j < M; j++) sum += coef[j];
  if (fitIntercept) intercept -= xMean * sum;
  return { coef, intercept, score: NaN, localPrediction: intercept + sum, details: { method: 'moments', alpha, law: law.id, numSamples: numSamples ?? null } };
}
