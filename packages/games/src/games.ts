import { InvalidOptionError } from '@limekit/core';

/**
 * A cooperative game on M players (segments): a value for every set of visible segments.
 *
 * `visible[j]` is 1 when segment j is visible (kept), 0 when it shows the fill.
 */
export interface Game {
  /** Short id, e.g. `additive`. */
  readonly id: string;
  /** M, the number of players (segments). */
  readonly numPlayers: number;
  /** The value of the coalition of visible segments. */
  value(visible: ArrayLike<number>): number;
  /** Exact Shapley values in closed form, when the game has one (otherwise enumerate: {@link exactShapley}). */
  shapleyClosedForm?(): Float64Array;
  /** Exact Banzhaf values in closed form, when the game has one (otherwise enumerate: {@link exactBanzhaf}). */
  banzhafClosedForm?(): Float64Array;
}

function requireFiniteArray(who: string, name: string, v: ArrayLike<number>): Float64Array {
  const out = Float64Array.from(v);
  const bad = out.findIndex((x) => !Number.isFinite(x));
  if (bad >= 0) throw new InvalidOptionError(`${who}: ${name}[${bad}] must be finite, got ${out[bad]}. Pass finite numbers.`);
  return out;
}

function requireFinite(who: string, name: string, v: number): void {
  if (!Number.isFinite(v)) throw new InvalidOptionError(`${who}: ${name} must be finite, got ${v}.`);
}

function requirePlayers(who: string, numPlayers: number, players: readonly number[]): Int32Array {
  if (!Number.isInteger(numPlayers) || numPlayers < 1) {
    throw new InvalidOptionError(`${who}: numPlayers must be an integer >= 1, got ${numPlayers}. It is the number of segments M.`);
  }
  if (players.length === 0) throw new InvalidOptionError(`${who}: players must name at least one segment, got an empty list.`);
  const seen = new Set<number>();
  for (const p of players) {
    if (!Number.isInteger(p) || p < 0 || p >= numPlayers) {
      throw new InvalidOptionError(`${who}: players must be segment ids in 0..${numPlayers - 1}, got ${p}.`);
    }
    if (seen.has(p)) throw new InvalidOptionError(`${who}: players must be distinct, got ${p} twice.`);
    seen.add(p);
  }
  return Int32Array.from(players);
}

/**
 * Additive game `v(S) = bias + Σ_{j∈S} w_j`. Shapley = Banzhaf = w; a linear surrogate fits it exactly.
 */
export class AdditiveGame implements Game {
  readonly id = 'additive';
  readonly numPlayers: number;
  readonly weights: Float64Array;

  /** @throws InvalidOptionError for an empty or non-finite weight list. */
  constructor(weights: ArrayLike<number>, readonly bias = 0) {
    if (weights.length < 1) throw new InvalidOptionError('AdditiveGame: weights must have one entry per segment (>= 1), got none.');
    this.weights = requireFiniteArray('AdditiveGame', 'weights', weights);
    requireFinite('AdditiveGame', 'bias', bias);
    this.numPlayers = weights.length;
  }

  value(visible: ArrayLike<number>): number {
    let v = this.bias;
    for (let j = 0; j < this.numPlayers; j++) if (visible[j]) v += this.weights[j];
    return v;
  }

  shapleyClosedForm(): Float64Array {
    return this.weights.slice();
  }

  banzhafClosedForm(): Float64Array {
    return this.weights.slice();
  }
}

/** One pairwise interaction term `weight · x_i · x_j` of {@link PairwiseGame}. */
export interface Interaction {
  readonly i: number;
  readonly j: number;
  readonly weight: number;
}

/**
 * Additive game plus pairwise interactions: `v(S) = bias + Σ_{j∈S} w_j + Σ_{(i,j,u): i,j∈S} u`.
 * Shapley and Banzhaf are both `w_j + ½ Σ_{terms containing j} u` (each interaction is shared
 * equally by Shapley; for Banzhaf the partner is present with probability ½).
 */
export class PairwiseGame implements Game {
  readonly id = 'pairwise';
  readonly numPlayers: number;
  readonly weights: Float64Array;
  readonly interactions: readonly Interaction[];

  /** @throws InvalidOptionError for non-finite numbers or interactions naming unknown or equal segments. */
  constructor(weights: ArrayLike<number>, interactions: readonly Interaction[], readonly bias = 0) {
    if (weights.length < 1) throw new InvalidOptionError('PairwiseGame: weights must have one entry per segment (>= 1), got none.');
    this.weights = requireFiniteArray('PairwiseGame', 'weights', weights);
    requireFinite('PairwiseGame', 'bias', bias);
    this.numPlayers = weights.length;
    for (const t of interactions) {
      requirePlayers('PairwiseGame', this.numPlayers, [t.i, t.j]);
      requireFinite('PairwiseGame', `interaction (${t.i}, ${t.j}) weight`, t.weight);
    }
    this.interactions = interactions.map((t) => ({ ...t }));
  }

  value(visible: ArrayLike<number>): number {
    let v = this.bias;
    for (let j = 0; j < this.numPlayers; j++) if (visible[j]) v += this.weights[j];
    for (const t of this.interactions) if (visible[t.i] && visible[t.j]) v += t.weight;
    return v;
  }

  shapleyClosedForm(): Float64Array {
    const phi = this.weights.slice();
    for (const t of this.interactions) {
      phi[t.i] += t.weight / 2;
      phi[t.j] += t.weight / 2;
    }
    return phi;
  }

  banzhafClosedForm(): Float64Array {
    return this.shapleyClosedForm();
  }
}

/**
 * Unanimity (AND) or union (OR) game on k segments: `v(S) = value` when all (AND) / any (OR) of
 * `players` are visible, else 0. Shapley: `value / k` for each of the k players, 0 for the others;
 * Banzhaf: `value / 2^(k−1)` for each of the k players (a player is pivotal only when all other
 * k−1 are present (AND) / absent (OR)).
 */
export class LogicGame implements Game {
  readonly id: 'and' | 'or';
  readonly numPlayers: number;
  readonly players: Int32Array;

  /** @throws InvalidOptionError for bad player ids or a non-finite value. */
  constructor(readonly kind: 'and' | 'or', numPlayers: number, players: readonly number[], readonly amount = 1) {
    if (kind !== 'and' && kind !== 'or') throw new InvalidOptionError(`LogicGame: kind must be "and" or "or", got "${String(kind)}".`);
    this.players = requirePlayers('LogicGame', numPlayers, players);
    requireFinite('LogicGame', 'value', amount);
    this.id = kind;
    this.numPlayers = numPlayers;
  }

  value(visible: ArrayLike<number>): number {
    if (this.kind === 'and') {
      for (const p of this.players) if (!visible[p]) return 0;
      return this.amount;
    }
    for (const p of this.players) if (visible[p]) return this.amount;
    return 0;
  }

  shapleyClosedForm(): Float64Array {
    const phi = new Float64Array(this.numPlayers);
    for (const p of this.players) phi[p] = this.amount / this.players.length;
    return phi;
  }

  banzhafClosedForm(): Float64Array {
    const beta = new Float64Array(this.numPlayers);
    for (const p of this.players) beta[p] = this.amount / 2 ** (this.players.length - 1);
    return beta;
  }
}

/**
 * Saturating game `v(S) = scale · (1 − exp(−Σ_{j∈S} w_j))`: diminishing returns, no closed-form
 * Shapley or Banzhaf values (enumerate them).
 */
export class SaturatingGame implements Game {
  readonly id = 'saturating';
  readonly numPlayers: number;
  readonly weights: Float64Array;

  /** @throws InvalidOptionError for an empty or non-finite weight list. */
  constructor(weights: ArrayLike<number>, readonly scale = 1) {
    if (weights.length < 1) throw new InvalidOptionError('SaturatingGame: weights must have one entry per segment (>= 1), got none.');
    this.weights = requireFiniteArray('SaturatingGame', 'weights', weights);
    requireFinite('SaturatingGame', 'scale', scale);
    this.numPlayers = weights.length;
  }

  value(visible: ArrayLike<number>): number {
    let s = 0;
    for (let j = 0; j < this.numPlayers; j++) if (visible[j]) s += this.weights[j];
    return this.scale * (1 - Math.exp(-s));
  }
}
