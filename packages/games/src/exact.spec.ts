import { ExponentialKernel, ShapleyKernel, UniformKernel } from '@limekit/kernels';
import { RidgeSurrogate } from '@limekit/surrogate-ridge';
import type { Kernel } from '@limekit/core';
import { describe, expect, it } from 'vitest';
import { AdditiveGame, LogicGame, PairwiseGame, SaturatingGame, type Game } from './games.js';
import { banzhafFromTable, exactBanzhaf, exactLimeTarget, exactShapley, shapleyFromTable, tabulateGame } from './exact.js';

const TOL = 1e-9;

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

/** Deterministic, irregular weights. */
function weights(M: number, seed: number): number[] {
  return Array.from({ length: M }, (_, j) => Math.sin(seed * 12.9898 + j * 78.233) * 1.7);
}

function games(M: number): Game[] {
  return [
    new AdditiveGame(weights(M, 1), 0.3),
    new PairwiseGame(weights(M, 2), [{ i: 0, j: 1, weight: 0.8 }, { i: 1, j: M - 1, weight: -1.1 }, { i: 0, j: 2, weight: 0.25 }], -0.2),
    new LogicGame('and', M, [0, 2], 1.5),
    new LogicGame('or', M, [0, 1, M - 1], 0.7),
    new SaturatingGame(weights(M, 3).map(Math.abs), 2),
  ];
}

function bits(s: number, M: number): Uint8Array {
  return Uint8Array.from({ length: M }, (_, j) => (s >>> j) & 1);
}

/** Shapley by the definition: average marginal contribution over all M! orders. */
function bruteShapley(game: Game): Float64Array {
  const M = game.numPlayers;
  const phi = new Float64Array(M);
  let orders = 0;
  const permute = (prefix: number[], rest: number[]): void => {
    if (rest.length === 0) {
      orders++;
      const visible = new Uint8Array(M);
      let prev = game.value(visible);
      for (const p of prefix) {
        visible[p] = 1;
        const v = game.value(visible);
        phi[p] += v - prev;
        prev = v;
      }
      return;
    }
    rest.forEach((p, i) => permute([...prefix, p], [...rest.slice(0, i), ...rest.slice(i + 1)]));
  };
  permute([], Array.from({ length: M }, (_, j) => j));
  return phi.map((x) => x / orders);
}

/** Banzhaf by the definition: average marginal contribution over all coalitions of the others. */
function bruteBanzhaf(game: Game): Float64Array {
  const M = game.numPlayers;
  const beta = new Float64Array(M);
  for (let s = 0; s < 2 ** M; s++) {
    const visible = bits(s, M);
    for (let j = 0; j < M; j++) {
      if (visible[j]) continue;
      const without = game.value(visible);
      visible[j] = 1;
      beta[j] += game.value(visible) - without;
      visible[j] = 0;
    }
  }
  return beta.map((x) => x / 2 ** (M - 1));
}

/** The LIME target by building the full 2^M × M design matrix and fitting the existing Ridge surrogate. */
function bruteLime(game: Game, kernel: Kernel, alpha: number, fitIntercept = true) {
  const M = game.numPlayers;
  const n = 2 ** M;
  const rows = new Uint8Array(n * M);
  const X = new Float64Array(n * M);
  const y = new Float64Array(n);
  for (let s = 0; s < n; s++) {
    const b = bits(s, M);
    rows.set(b, s * M);
    for (let j = 0; j < M; j++) X[s * M + j] = b[j];
    y[s] = game.value(b);
  }
  const sampleWeight = new Float64Array(n);
  kernel.weigh({ rows, count: n }, M, sampleWeight);
  return new RidgeSurrogate({ alpha, fitIntercept }).fit({ X, n, d: M, y, sampleWeight });
}

describe('exact Shapley and Banzhaf values', () => {
  for (const M of [3, 4, 5]) {
    it(`match brute force (permutations, subsets) for every game at M = ${M}`, () => {
      for (const game of games(M)) {
        const table = tabulateGame(game);
        const shap = bruteShapley(game);
        const banz = bruteBanzhaf(game);
        expect(maxAbsDiff(shapleyFromTable(table), shap), `${game.id} Shapley (enumeration)`).toBeLessThan(TOL);
        expect(maxAbsDiff(banzhafFromTable(table), banz), `${game.id} Banzhaf (enumeration)`).toBeLessThan(TOL);
        expect(maxAbsDiff(exactShapley(game), shap), `${game.id} Shapley (exact)`).toBeLessThan(TOL);
        expect(maxAbsDiff(exactBanzhaf(game), banz), `${game.id} Banzhaf (exact)`).toBeLessThan(TOL);
        if (game.shapleyClosedForm) expect(maxAbsDiff(game.shapleyClosedForm(), shap), `${game.id} Shapley closed form`).toBeLessThan(TOL);
        if (game.banzhafClosedForm) expect(maxAbsDiff(game.banzhafClosedForm(), banz), `${game.id} Banzhaf closed form`).toBeLessThan(TOL);
      }
    });
  }

  it('agree with hand-computed values', () => {
    const additive = new AdditiveGame([0.5, -1, 2], 7);
    expect(maxAbsDiff(shapleyFromTable(tabulateGame(additive)), [0.5, -1, 2])).toBeLessThan(TOL);
    expect(maxAbsDiff(banzhafFromTable(tabulateGame(additive)), [0.5, -1, 2])).toBeLessThan(TOL);
    for (const kind of ['and', 'or'] as const) {
      const two = tabulateGame(new LogicGame(kind, 2, [0, 1], 1));
      expect(maxAbsDiff(shapleyFromTable(two), [0.5, 0.5]), `${kind} of two, Shapley`).toBeLessThan(TOL);
      expect(maxAbsDiff(banzhafFromTable(two), [0.5, 0.5]), `${kind} of two, Banzhaf`).toBeLessThan(TOL);
    }
    // AND of 3 of 4 segments, value 1: Shapley 1/3 each, Banzhaf 1/4 each, 0 for the bystander.
    const and3 = tabulateGame(new LogicGame('and', 4, [0, 1, 3], 1));
    expect(maxAbsDiff(shapleyFromTable(and3), [1 / 3, 1 / 3, 0, 1 / 3])).toBeLessThan(TOL);
    expect(maxAbsDiff(banzhafFromTable(and3), [1 / 4, 1 / 4, 0, 1 / 4])).toBeLessThan(TOL);
    // x0·x1 with weight 1 on top of weights (1, 0): Shapley = Banzhaf = (1.5, 0.5).
    const pair = new PairwiseGame([1, 0], [{ i: 0, j: 1, weight: 1 }]);
    expect(maxAbsDiff(shapleyFromTable(tabulateGame(pair)), [1.5, 0.5])).toBeLessThan(TOL);
    // Saturating on one player: Shapley = Banzhaf = v({0}) − v(∅) = 1 − e^{−2}.
    const sat = tabulateGame(new SaturatingGame([2], 1));
    expect(Math.abs(shapleyFromTable(sat)[0] - (1 - Math.exp(-2)))).toBeLessThan(TOL);
  });

  it('enumerate M = 20 (efficiency: Shapley values sum to v(N) − v(∅))', () => {
    const game = new SaturatingGame(weights(20, 5).map((w) => Math.abs(w) / 8), 1);
    const table = tabulateGame(game);
    expect(table.length).toBe(2 ** 20);
    const phi = shapleyFromTable(table);
    const sum = phi.reduce((a, b) => a + b, 0);
    expect(Math.abs(sum - (table[2 ** 20 - 1] - table[0]))).toBeLessThan(1e-9);
    // Every weight is positive, so every marginal contribution is, and so is every Banzhaf value.
    expect(Math.min(...banzhafFromTable(table))).toBeGreaterThan(0);
  });

  it('rejects too many players and malformed tables with a clear error', () => {
    expect(() => tabulateGame(new AdditiveGame(new Array(21).fill(1)))).toThrow(/integer in 1..20 to enumerate all 2\^M coalitions, got 21/);
    expect(() => shapleyFromTable(new Float64Array(6))).toThrow(/table must have 2\^M entries, got 6/);
    expect(() => new LogicGame('and', 3, [0, 3])).toThrow(/players must be segment ids in 0..2, got 3/);
  });
});

describe('exact LIME target', () => {
  const kernels: [string, Kernel][] = [
    ["lime's exponential (cosine, 0.25)", new ExponentialKernel()],
    ['exponential (euclidean, 2)', new ExponentialKernel({ distance: 'euclidean', kernelWidth: 2 })],
    ['uniform', new UniformKernel()],
  ];
  for (const M of [3, 4, 5]) {
    it(`matches Ridge on the full design matrix at M = ${M} (1e-9)`, () => {
      for (const game of games(M)) {
        for (const [name, kernel] of kernels) {
          for (const alpha of [1, 0.01]) {
            const exact = exactLimeTarget(game, { kernel, alpha });
            const ref = bruteLime(game, kernel, alpha);
            const what = `${game.id}, ${name}, α=${alpha}`;
            expect(maxAbsDiff(exact.coef, ref.coef), what).toBeLessThan(TOL);
            expect(Math.abs(exact.intercept - ref.intercept), what).toBeLessThan(TOL);
            expect(Math.abs(exact.localPrediction - ref.localPrediction), what).toBeLessThan(TOL);
            expect(Math.abs(exact.score - ref.score), what).toBeLessThan(1e-8);
          }
        }
      }
    });
  }

  it('without an intercept, and with α rescaled for a run of n samples', () => {
    const game = games(4)[1];
    const kernel = new ExponentialKernel();
    const noIntercept = exactLimeTarget(game, { kernel, alpha: 1, fitIntercept: false });
    const ref = bruteLime(game, kernel, 1, false);
    expect(maxAbsDiff(noIntercept.coef, ref.coef)).toBeLessThan(TOL);
    expect(noIntercept.intercept).toBe(0);
    // Each mask counting n/2^M times is the same as α·2^M/n on the enumeration counted once.
    const n = 1000;
    const scaled = exactLimeTarget(game, { kernel, alpha: 1, numSamples: n });
    const refScaled = bruteLime(game, kernel, 16 / n);
    expect(maxAbsDiff(scaled.coef, refScaled.coef)).toBeLessThan(TOL);
  });

  it('with the Shapley kernel and no penalty, is the Shapley value (Lundberg & Lee 2017, Theorem 2)', () => {
    for (const game of games(5)) {
      const fit = exactLimeTarget(game, { kernel: new ShapleyKernel({ endpointWeight: 1e7 }), alpha: 0 });
      // The endpoint weight is finite, so efficiency holds only approximately: measured error ≤ 6e-9.
      expect(maxAbsDiff(fit.coef, bruteShapley(game)), game.id).toBeLessThan(1e-7);
    }
  });

  it('recovers an additive game exactly without penalty, at M = 20', () => {
    const w = weights(20, 9);
    const fit = exactLimeTarget(new AdditiveGame(w, 0.5), { alpha: 0 });
    expect(maxAbsDiff(fit.coef, w)).toBeLessThan(1e-8);
    expect(Math.abs(fit.intercept - 0.5)).toBeLessThan(1e-8);
    expect(Math.abs(fit.score - 1)).toBeLessThan(1e-9);
  });
});
