import { InvalidOptionError } from '@limekit/core';

// How a classifier's raw output becomes what limekit explains: class probabilities (softmax
// classifiers), two-class probabilities (one sigmoid unit), or independent per-label
// probabilities (multi-label sigmoids). Decided once per model, never per batch.

/** How the model's output is read. `auto` decides at load time (see {@link decideOutput}). */
export type OutputKind = 'auto' | 'probabilities' | 'logits' | 'sigmoid' | 'multilabel';

/** An output kind once decided. */
export type ResolvedOutputKind = Exclude<OutputKind, 'auto'>;

/** The function applied to each raw output row. */
export type OutputActivation = 'none' | 'softmax' | 'logistic';

/** The output convention of one model, fixed when it is loaded. */
export interface OutputDecision {
  readonly kind: ResolvedOutputKind;
  /** `softmax` over the row, `logistic` per value, or `none`. */
  readonly activation: OutputActivation;
  /** Raw output units per image. */
  readonly units: number;
  /** Classes limekit explains: `units`, or 2 for a single unit (`[1 − p, p]`). */
  readonly numClasses: number;
  /** What decided it: the `outputKind` option, the graph's last op, or the test-input values. */
  readonly source: 'option' | 'graph' | 'probe';
  /** One sentence for `info`, saying why. */
  readonly reason: string;
}

/** Ops whose outputs are already probabilities. */
const SQUASHING_OPS = new Set(['Sigmoid', 'HardSigmoid']);

const inUnit = (v: number) => v >= 0 && v <= 1;

/** Every row of `values` (rows × units) lies in [0, 1] and sums to 1 within `tol`. */
function rowsAreDistributions(values: Float32Array, units: number, tol = 1e-3): boolean {
  for (let r = 0; r * units < values.length; r++) {
    let sum = 0;
    for (let c = 0; c < units; c++) {
      const v = values[r * units + c];
      if (!inUnit(v)) return false;
      sum += v;
    }
    if (Math.abs(sum - 1) > tol) return false;
  }
  return true;
}

/**
 * Decides how a model's output becomes probabilities, once per model.
 *
 * @param requested the `outputKind` option.
 * @param units raw output units per image.
 * @param op the op that computes the output (through reshapes and identities), from the graph;
 *   undefined when the graph could not be read (ORT-format files).
 * @param probe the raw outputs (rows × units) on the fixed test inputs run at load time.
 * @returns the decision; `numClasses` is 2 for a single unit.
 * @remarks Rules, in order:
 * 1. A single unit is `sigmoid` (two classes `[1 − p, p]`) unless `probabilities` or `logits` is
 *    requested: `probabilities` reads it as p, `logits` as a logit x with p = σ(x) (which is
 *    softmax over `[0, x]`). With `auto`/`sigmoid`, p is the value itself when the graph ends in
 *    Sigmoid (or HardSigmoid), σ(value) when it ends in another op, and — graph unreadable —
 *    the value itself only if every test output lies in [0, 1].
 * 2. `auto` with several units: a graph ending in Softmax whose test rows sum to 1 →
 *    `probabilities`; ending in Sigmoid → `multilabel`; otherwise the test rows decide: all
 *    rows in [0, 1] summing to 1 (±1e-3) → `probabilities`, else `logits` (softmax). A graph
 *    ending in LogSoftmax is `logits`, and softmax of log-probabilities gives the probabilities.
 * 3. `multilabel` applies σ per value by the same rule as the single unit.
 */
export function decideOutput(requested: OutputKind, units: number, op: string | undefined, probe: Float32Array): OutputDecision {
  const opText = op === undefined ? 'the graph could not be read' : `the graph ends in ${op}`;
  // Whether values are probabilities already (true), logits (false), by graph or by test values.
  const squashed = (): { yes: boolean; source: 'graph' | 'probe'; why: string } => {
    if (op !== undefined) return { yes: SQUASHING_OPS.has(op), source: 'graph', why: opText };
    const yes = probe.every(inUnit);
    return { yes, source: 'probe', why: `${opText} and the test outputs ${yes ? 'all lie' : 'do not all lie'} in [0, 1]` };
  };
  if (units === 1) {
    if (requested === 'probabilities' || requested === 'logits') {
      const activation = requested === 'logits' ? 'logistic' : 'none';
      return { kind: 'sigmoid', activation, units, numClasses: 2, source: 'option', reason: `one output unit read as ${requested === 'logits' ? 'a logit x, p = σ(x)' : 'a probability p'}; classes [1 − p, p]` };
    }
    if (requested === 'multilabel') {
      const s = squashed();
      return { kind: 'multilabel', activation: s.yes ? 'none' : 'logistic', units, numClasses: 1, source: 'option', reason: `one independent label; ${s.why}` };
    }
    const s = squashed();
    return {
      kind: 'sigmoid',
      activation: s.yes ? 'none' : 'logistic',
      units,
      numClasses: 2,
      source: requested === 'auto' ? s.source : 'option',
      reason: `one output unit, ${s.yes ? 'read as p' : 'read as a logit x, p = σ(x)'} because ${s.why}; classes [1 − p, p]`,
    };
  }
  switch (requested) {
    case 'probabilities':
      return { kind: 'probabilities', activation: 'none', units, numClasses: units, source: 'option', reason: 'outputKind "probabilities": rows used as they are' };
    case 'logits':
      return { kind: 'logits', activation: 'softmax', units, numClasses: units, source: 'option', reason: 'outputKind "logits": softmax over each row' };
    case 'multilabel': {
      const s = squashed();
      return { kind: 'multilabel', activation: s.yes ? 'none' : 'logistic', units, numClasses: units, source: 'option', reason: `outputKind "multilabel": ${s.yes ? 'values used as they are' : 'σ applied per value'} because ${s.why}` };
    }
    case 'sigmoid':
      // The caller checks this first, with a message naming the file.
      throw new InvalidOptionError(`outputKind "sigmoid" needs one output unit, got ${units}. Use "multilabel" for several sigmoid units.`);
    case 'auto':
      break;
  }
  const distributions = rowsAreDistributions(probe, units);
  if (op === 'Softmax' && distributions) {
    return { kind: 'probabilities', activation: 'none', units, numClasses: units, source: 'graph', reason: 'the graph ends in Softmax' };
  }
  if (op !== undefined && SQUASHING_OPS.has(op)) {
    return { kind: 'multilabel', activation: 'none', units, numClasses: units, source: 'graph', reason: `the graph ends in ${op}: independent labels, no softmax` };
  }
  return distributions
    ? { kind: 'probabilities', activation: 'none', units, numClasses: units, source: 'probe', reason: `${opText}, and every test row lies in [0, 1] and sums to 1` }
    : { kind: 'logits', activation: 'softmax', units, numClasses: units, source: 'probe', reason: `${opText}, and the test rows are not probability distributions: softmax applied` };
}

/**
 * Turns raw output rows into what limekit explains, as decided by {@link decideOutput}.
 * @param raw `rows × decision.units` raw outputs (may be longer: padded rows are ignored).
 * @param out `rows × decision.numClasses` floats, written.
 */
export function applyOutputDecision(decision: OutputDecision, raw: Float32Array, rows: number, out: Float32Array): void {
  const { units, activation, numClasses } = decision;
  // Each exponential once (kept as a double, so the result is what computing it twice gave).
  const e = activation === 'softmax' ? new Float64Array(units) : undefined;
  for (let r = 0; r < rows; r++) {
    const i0 = r * units, o0 = r * numClasses;
    if (e) {
      let max = -Infinity;
      for (let c = 0; c < units; c++) if (raw[i0 + c] > max) max = raw[i0 + c];
      let sum = 0;
      for (let c = 0; c < units; c++) sum += e[c] = Math.exp(raw[i0 + c] - max);
      for (let c = 0; c < units; c++) out[o0 + c] = e[c] / sum;
    } else if (numClasses === 2 && units === 1) {
      const p = activation === 'logistic' ? logistic(raw[i0]) : raw[i0];
      out[o0] = 1 - p;
      out[o0 + 1] = p;
    } else {
      for (let c = 0; c < units; c++) out[o0 + c] = activation === 'logistic' ? logistic(raw[i0 + c]) : raw[i0 + c];
    }
  }
}

/** σ(x) = 1 / (1 + e^−x), computed without overflow for large |x|. */
export function logistic(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}
