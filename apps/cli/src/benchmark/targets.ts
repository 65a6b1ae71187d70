import { InvalidOptionError, type Kernel } from '@limekit/core';
import { bernoulliMaskLaw, exactBanzhaf, exactShapley, glimeMaskLaw, MAX_ENUMERATION_PLAYERS, populationLimeTarget, UNIFORM_MASK_LAW, type Game, type MaskLaw } from '@limekit/games';
import type { ResolvedConfig } from '@limekit/lime';

/** What a configuration's weights are compared with. */
export const TARGET_KINDS = ['lime', 'shapley', 'banzhaf'] as const;
export type TargetKind = (typeof TARGET_KINDS)[number];

/** A configuration's exact target and why it was chosen. */
export interface TargetChoice {
  readonly kind: TargetKind;
  /** How the kind was chosen: `plan` (the plan's `target`) or the default rule that applied. */
  readonly because: string;
  /** For `lime`: the population solution's ingredients. */
  readonly lime?: { readonly kernel: Kernel; readonly alpha: number; readonly fitIntercept: boolean; readonly law: MaskLaw; readonly lawBecause: string };
}

/** Samplers and surrogates whose estimand is the Shapley value (built-in and announced presets). */
const SHAPLEY_COMPONENTS = new Set(['kernelshap', 'permutation-shap', 'permutation', 'leverage-shap', 'leverage']);
/** Samplers and surrogates whose estimand is the Banzhaf value. */
const BANZHAF_COMPONENTS = new Set(['banzhaf', 'msr', 'banzhaf-msr']);

function optionsOf(c: { definition: { defaults: unknown }; options?: Record<string, unknown> }): Record<string, unknown> {
  return { ...(c.definition.defaults as Record<string, unknown>), ...(c.options ?? {}) };
}

/** The law of the masks a built-in sampler draws (only the size matters), or the plan's `maskLaw`. */
function maskLawOf(resolved: ResolvedConfig, override: string | undefined, where: string): { law: MaskLaw; because: string } {
  if (override !== undefined) {
    const m = /^(uniform|bernoulli\(([0-9.]+)\)|glime\(([0-9.]+)\))$/.exec(override);
    if (!m) throw new InvalidOptionError(`${where}.maskLaw: must be "uniform", "bernoulli(p)" or "glime(width)", got ${JSON.stringify(override)}.`);
    const law = m[2] !== undefined ? bernoulliMaskLaw(Number(m[2])) : m[3] !== undefined ? glimeMaskLaw(Number(m[3])) : UNIFORM_MASK_LAW;
    return { law, because: 'plan' };
  }
  const s = resolved.components.sampler;
  const o = optionsOf(s);
  if (s.source === 'builtin') {
    switch (s.definition.id) {
      case 'bernoulli':
      case 'sobol':
        return { law: (o.p as number) === 0.5 ? UNIFORM_MASK_LAW : bernoulliMaskLaw(o.p as number), because: `${s.definition.id} keeps each segment with p = ${String(o.p)}` };
      case 'adaptive':
        return { law: UNIFORM_MASK_LAW, because: "adaptive draws lime's Bernoulli(½) masks" };
      case 'stratified':
        return { law: UNIFORM_MASK_LAW, because: 'stratified re-weights its strata to the uniform law' };
      case 'glime':
        return { law: glimeMaskLaw(o.kernelWidth as number), because: 'GLIME-Binomial draws from the proximity distribution' };
    }
  }
  return { law: UNIFORM_MASK_LAW, because: `assumed: sampler "${s.definition.id}" does not declare its mask law; set "maskLaw" in the plan if it does not draw uniform masks` };
}

/**
 * Chooses the exact target of a configuration. Default: the Shapley values when the sampler or
 * surrogate is a Shapley estimator (kernelshap, permutation-shap, leverage-shap), the Banzhaf values
 * for banzhaf, else the population LIME target (the weighted ridge over all masks under the
 * sampler's mask law, with the configuration's kernel and α). The plan's `target` overrides it.
 * @throws InvalidOptionError when the LIME target has no closed form for the surrogate (lasso, …).
 */
export function chooseTarget(resolved: ResolvedConfig, options: { target?: TargetKind; maskLaw?: string; where: string }): TargetChoice {
  const sampler = resolved.components.sampler.definition.id;
  const surrogate = resolved.components.surrogate.definition.id;
  let kind: TargetKind;
  let because: string;
  if (options.target) [kind, because] = [options.target, 'plan'];
  else if (SHAPLEY_COMPONENTS.has(surrogate) || SHAPLEY_COMPONENTS.has(sampler)) [kind, because] = ['shapley', `default: ${SHAPLEY_COMPONENTS.has(surrogate) ? `surrogate "${surrogate}"` : `sampler "${sampler}"`} estimates Shapley values`];
  else if (BANZHAF_COMPONENTS.has(surrogate) || BANZHAF_COMPONENTS.has(sampler)) [kind, because] = ['banzhaf', `default: ${BANZHAF_COMPONENTS.has(surrogate) ? `surrogate "${surrogate}"` : `sampler "${sampler}"`} estimates Banzhaf values`];
  else [kind, because] = ['lime', `default: a weighted regression (surrogate "${surrogate}") estimates its population solution`];
  if (kind !== 'lime') return { kind, because };
  const o = optionsOf(resolved.components.surrogate);
  let alpha: number;
  if (surrogate === 'ridge') alpha = o.alpha as number;
  else if (surrogate === 'linear') alpha = 0;
  else if (surrogate === 'bayesian-ridge') alpha = 0; // its prior precision is fitted, and vanishes against n samples
  else {
    throw new InvalidOptionError(
      `${options.where}: the LIME target needs a ridge, linear or bayesian-ridge surrogate (a weighted least-squares solution), got "${surrogate}". Set "target": "shapley" or "banzhaf" for this configuration, or use one of those surrogates.`,
    );
  }
  const fitIntercept = o.fitIntercept === undefined ? true : Boolean(o.fitIntercept);
  const { law, because: lawBecause } = maskLawOf(resolved, options.maskLaw, options.where);
  return { kind, because, lime: { kernel: resolved.components.kernel.instance, alpha, fitIntercept, law, lawBecause } };
}

/** A short description of a choice, for summary.json and the report. */
export function describeTarget(t: TargetChoice): Record<string, unknown> {
  return {
    kind: t.kind,
    because: t.because,
    ...(t.lime ? { kernel: t.lime.kernel.id, alpha: t.lime.alpha, fitIntercept: t.lime.fitIntercept, maskLaw: t.lime.law.id, maskLawBecause: t.lime.lawBecause, instanceRow: 'the first row is the instance: all ones counted once, the other n - 1 rows follow the mask law' } : {}),
  };
}

/**
 * The exact target of one game × configuration × budget: Shapley or Banzhaf values (closed form, or
 * enumeration for M ≤ 20), or the population LIME target with `numSamples = budget`.
 * @throws InvalidOptionError when no exact method exists for this game (say a saturating game with M > 20).
 */
export function computeTarget(game: Game, choice: TargetChoice, budget: number): { values: Float64Array; method: string } {
  const closed = (f: 'shapley' | 'banzhaf') => (f === 'shapley' ? game.shapleyClosedForm : game.banzhafClosedForm) !== undefined;
  if (choice.kind === 'shapley' || choice.kind === 'banzhaf') {
    if (!closed(choice.kind) && game.numPlayers > MAX_ENUMERATION_PLAYERS) {
      throw new InvalidOptionError(`benchmark: game "${game.id}" with M = ${game.numPlayers} segments has no closed-form ${choice.kind} values and enumeration needs M <= ${MAX_ENUMERATION_PLAYERS}. Use fewer segments for this game.`);
    }
    return { values: choice.kind === 'shapley' ? exactShapley(game) : exactBanzhaf(game), method: closed(choice.kind) ? 'closed form' : 'enumeration' };
  }
  const l = choice.lime!;
  // Every LIME-type sampler here puts the instance first (the pipeline's convention): counted once.
  const fit = populationLimeTarget(game, { kernel: l.kernel, alpha: l.alpha, fitIntercept: l.fitIntercept, law: l.law, numSamples: budget, instanceFirst: true });
  return { values: Float64Array.from(fit.coef), method: fit.method };
}
