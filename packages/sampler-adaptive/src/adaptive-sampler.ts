import { centredGram, centring, cholesky, choleskySolve, sandwichStd, solveSymmetricPinv } from '@limekit/linalg';
import {
  InputError,
  requireOption,
  resolveOptions,
  type Observation,
  type RunContext,
  type SampleBlock,
  type Sampler,
  type SamplerSession,
} from '@limekit/core';
import { BayesianLinearAccumulator, perturbationsNeeded, type BlrPosterior } from './bayesian-linear-regression.js';

/** Options of {@link AdaptiveSampler}. */
export interface AdaptiveOptions {
  /**
   * Stop once the widest credible interval of the coefficients is at most this wide (full
   * width, upper − lower, in the model's output units, probabilities for classifiers).
   * BayesLIME's `cred_width` default is 0.01; 0.05 separates the usual LIME weights at a fraction
   * of the cost.
   */
  targetWidth: number;
  /** Credible level of the intervals, in (0, 1). BayesLIME: 0.95 (`credible_interval=95`). */
  credibleLevel: number;
  /** Rows per internal block; the stopping rule is checked after each. Independent of the batch size. */
  blockSize: number;
  /** Never stop before this many rows (instance included). BayesLIME's `ptg_initial_points`: 200. */
  minSamples: number;
  /**
   * Never draw more rows than this (instance included). `null`: the run's numSamples, so the
   * sampler only ever saves samples; set a number to let it go beyond (BayesLIME: 10 000).
   */
  maxSamples: number | null;
  /**
   * Width of lime's cosine-distance kernel used to weigh rows in the stopping rule's regression,
   * `sqrt(exp(−d²/w²))`. Match it to the run's kernel (lime: 0.25); a large width (1e6) means
   * unweighted.
   */
  kernelWidth: number;
  /**
   * Stop on standard errors instead of credible intervals: after each block, fit lime's surrogate
   * (weighted ridge, α = `alpha`, lime-kernel weights) to every row so far for each of the first
   * `stdLabels` explained labels, take the sandwich standard errors of its coefficients (those
   * `surrogate-ridge` reports with `standardErrors`), and stop once their maximum (or mean, see
   * `stdOf`) is at most this value, in the model's output units. `null` (default): the BayesLIME
   * credible-width rule (`targetWidth`).
   */
  stopWhenStdBelow: number | null;
  /** How the standard errors are summarised for `stopWhenStdBelow`: `'max'` (default) or `'mean'` over coefficients and labels. */
  stdOf: 'max' | 'mean';
  /** Labels watched by `stopWhenStdBelow`, most probable first (≥ 1). Default 1. */
  stdLabels: number;
  /** Ridge penalty of the fit behind `stopWhenStdBelow` (lime: 1). */
  alpha: number;
}

/** Defaults of {@link AdaptiveOptions}. */
export const DEFAULT_ADAPTIVE_OPTIONS: Readonly<AdaptiveOptions> = {
  targetWidth: 0.05,
  credibleLevel: 0.95,
  blockSize: 100,
  minSamples: 200,
  maxSamples: null,
  kernelWidth: 0.25,
  stopWhenStdBelow: null,
  stdOf: 'max',
  stdLabels: 1,
  alpha: 1,
};

/** What {@link AdaptiveSampler}'s session reports in the explanation. */
export interface AdaptiveSummary extends Record<string, unknown> {
  samples: number;
  maxSamples: number;
  targetWidth: number;
  /** Widest credible interval at the last check (NaN before the first). */
  finalWidth: number;
  targetMet: boolean;
  /** BayesLIME's perturbations-to-go at the last check: estimated rows still needed, ≥ 0. */
  perturbationsToGo: number;
  /** Class index the stopping rule watched (the first explained label). */
  label: number | null;
  /** With `stopWhenStdBelow`: the threshold, the summarised standard error at the last check (NaN before the first) and whether it was met. */
  stopWhenStdBelow?: number;
  finalStd?: number;
  stdTargetMet?: boolean;
}

/**
 * Sample-size control by BayesLIME's credible intervals (Slack et al., NeurIPS 2021): rows are
 * lime's Bernoulli(0.5) masks (the instance first), drawn in internal blocks of `blockSize`; after
 * each block is scored, a Bayesian linear regression (BayesLIME's conjugate model, lime-kernel
 * weights) is fitted to all rows so far for the first explained label, and sampling stops as soon
 * as the widest 95 % credible interval of the segment weights is at most `targetWidth` wide, or
 * `maxSamples` is reached. `summary()` reports the samples used, the final width, whether the
 * target was met and BayesLIME's perturbations-to-go estimate.
 *
 * @remarks BayesLIME computes the perturbations still needed once, from an initial fit, and then
 * draws them; here the credible width itself is re-checked after every block, which uses the same
 * posterior and stops at the first block that meets the target. Decisions depend only on rows
 * scored at block boundaries, so a deterministic model gives the same rows and the same stopping
 * point at any batch size.
 * @see Slack, Hilgard, Singh & Lakkaraju, "Reliable Post hoc Explanations: Modeling Uncertainty in Explainability", NeurIPS 2021, arXiv:2008.05030
 */
export class AdaptiveSampler implements Sampler {
  readonly id = 'adaptive';
  readonly options: Readonly<AdaptiveOptions>;

  /** @throws InvalidOptionError for out-of-range or unknown options. */
  constructor(options: Partial<AdaptiveOptions> = {}) {
    this.options = resolveOptions('AdaptiveSampler', DEFAULT_ADAPTIVE_OPTIONS, options);
    const { targetWidth, credibleLevel, blockSize, minSamples, maxSamples, kernelWidth } = this.options;
    const who = 'AdaptiveSampler';
    requireOption(targetWidth > 0 && Number.isFinite(targetWidth), who, 'targetWidth', 'a positive finite number', targetWidth, 'It is the widest credible interval accepted, e.g. 0.05.');
    requireOption(credibleLevel > 0 && credibleLevel < 1, who, 'credibleLevel', 'in (0, 1)', credibleLevel, 'BayesLIME uses 0.95.');
    requireOption(Number.isInteger(blockSize) && blockSize >= 1, who, 'blockSize', 'an integer >= 1', blockSize, 'The default is 100 rows.');
    requireOption(Number.isInteger(minSamples) && minSamples >= 1, who, 'minSamples', 'an integer >= 1', minSamples, 'BayesLIME starts from 200.');
    requireOption(
      maxSamples === null || (typeof maxSamples === 'number' && Number.isInteger(maxSamples) && maxSamples >= 1),
      who,
      'maxSamples',
      'null or an integer >= 1',
      maxSamples,
      "null uses the run's numSamples.",
    );
    requireOption(kernelWidth > 0 && Number.isFinite(kernelWidth), who, 'kernelWidth', 'a positive finite number', kernelWidth, "lime's image kernel width is 0.25.");
    const { stopWhenStdBelow, stdOf, stdLabels, alpha } = this.options;
    requireOption(stopWhenStdBelow === null || (typeof stopWhenStdBelow === 'number' && stopWhenStdBelow > 0 && Number.isFinite(stopWhenStdBelow)), who, 'stopWhenStdBelow', 'null or a positive finite number', stopWhenStdBelow, 'It is the largest standard error accepted, e.g. 0.01.');
    requireOption(stdOf === 'max' || stdOf === 'mean', who, 'stdOf', "'max' or 'mean'", stdOf, '');
    requireOption(Number.isInteger(stdLabels) && stdLabels >= 1, who, 'stdLabels', 'an integer >= 1', stdLabels, 'Watch at least the top label.');
    requireOption(alpha >= 0 && Number.isFinite(alpha), who, 'alpha', '>= 0', alpha, 'lime uses 1.');
  }

  start(numFeatures: number, budget: number, ctx: RunContext): SamplerSession {
    const M = numFeatures;
    const { targetWidth, credibleLevel, blockSize, minSamples, maxSamples, kernelWidth, stopWhenStdBelow, stdOf, stdLabels, alpha } = this.options;
    const cap = Math.max(1, maxSamples ?? budget);
    // The rows and targets so far, for the standard-error rule (only kept when it is on).
    const byStd = stopWhenStdBelow !== null;
    const keptRows: number[] = [];
    const keptWeights: number[] = [];
    let keptTargets: number[][] = [];
    let watched: number[] = [];
    let lastStd = NaN;
    const rng = ctx.rng;
    const blr = new BayesianLinearAccumulator(M);
    // lime's cosine kernel by the number of kept segments.
    const kernel = new Float64Array(M + 1);
    for (let k = 0; k <= M; k++) {
      const d = k === 0 ? 1 : Math.max(0, 1 - k / (Math.sqrt(k) * Math.sqrt(M)));
      kernel[k] = Math.sqrt(Math.exp(-(d * d) / (kernelWidth * kernelWidth)));
    }
    let produced = 0;
    let observed = 0;
    let blockEnd = 0;
    let done = false;
    let label: number | null = null;
    let last: BlrPosterior | undefined;

    const check = (): void => {
      // A block has been scored completely: stop when converged or at the cap.
      if (observed >= minSamples || observed >= cap) {
        last = blr.posterior(credibleLevel);
        if (byStd) {
          lastStd = summarisedStd(keptRows, keptWeights, keptTargets, M, alpha, stdOf);
          if (lastStd <= stopWhenStdBelow) done = true;
        } else if (last.maxWidth <= targetWidth) done = true;
      }
      if (observed >= cap) done = true;
    };

    const summary = (): AdaptiveSummary => {
      const width = last ? last.maxWidth : NaN;
      const needed = last && last.meanWeight > 0 ? perturbationsNeeded(last, targetWidth, credibleLevel) : NaN;
      return {
        samples: produced,
        maxSamples: cap,
        targetWidth,
        finalWidth: width,
        targetMet: width <= targetWidth,
        perturbationsToGo: Number.isFinite(needed) ? Math.max(0, Math.ceil(needed) - observed) : NaN,
        label,
        ...(byStd ? { stopWhenStdBelow, finalStd: lastStd, stdTargetMet: lastStd <= stopWhenStdBelow } : {}),
      };
    };

    return {
      firstRowIsInstance: true,
      // The stopping rule reads the posterior of every finished block before drawing the next.
      needsObservations: true,
      next(maxRows: number): SampleBlock | null {
        if (done) return null;
        if (produced === blockEnd) {
          if (observed < produced) {
            throw new InputError(
              `AdaptiveSampler: next() was called before the ${produced - observed} rows of the previous block were observed. Call observe() with their predictions first (the explainer does).`,
            );
          }
          blockEnd = Math.min(produced + blockSize, cap);
        }
        const count = Math.min(maxRows, blockEnd - produced);
        const rows = new Uint8Array(count * M);
        for (let r = 0; r < count; r++) {
          const base = r * M;
          if (produced + r === 0) rows.fill(1, base, base + M);
          else for (let j = 0; j < M; j++) rows[base + j] = rng.nextUint32() < 2147483648 ? 1 : 0;
        }
        produced += count;
        return { rows, count };
      },

      observe({ block, predictions, numClasses, labels }: Observation): void {
        if (label === null) {
          label = labels[0];
          watched = labels.slice(0, stdLabels);
          keptTargets = watched.map(() => []);
        }
        const { rows, count } = block;
        for (let r = 0; r < count; r++) {
          const row = rows.subarray(r * M, (r + 1) * M);
          let k = 0;
          for (let j = 0; j < M; j++) k += row[j];
          blr.add(row, predictions[r * numClasses + label], kernel[k]);
          if (byStd) {
            for (let j = 0; j < M; j++) keptRows.push(row[j]);
            keptWeights.push(kernel[k]);
            watched.forEach((l, li) => keptTargets[li].push(predictions[r * numClasses + l]));
          }
        }
        observed += count;
        if (observed === blockEnd) check();
      },

      summary,
    };
  }
}

/**
 * The max (or mean) over labels and coefficients of the sandwich standard errors of lime's ridge
 * surrogate fitted to the rows so far (the same fit and errors as `surrogate-ridge` with
 * `standardErrors: true`); Infinity when they are not estimable yet.
 */
function summarisedStd(rows: readonly number[], weights: readonly number[], targets: readonly number[][], M: number, alpha: number, stdOf: 'max' | 'mean'): number {
  const n = weights.length;
  const X = Float64Array.from(rows);
  const sampleWeight = Float64Array.from(weights);
  let max = 0, sum = 0, count = 0;
  for (const t of targets) {
    const problem = { X, n, d: M, y: Float64Array.from(t), sampleWeight };
    const { xMean, yMean } = centring(problem, true);
    const { G, c } = centredGram(problem, xMean, yMean);
    for (let j = 0; j < M; j++) G[j * M + j] += alpha;
    const coef = c.slice();
    const { L, positiveDefinite } = cholesky(G, M);
    if (positiveDefinite) choleskySolve(L, M, coef);
    else solveSymmetricPinv(G, M, coef);
    let intercept = yMean;
    for (let j = 0; j < M; j++) intercept -= xMean[j] * coef[j];
    const std = sandwichStd(problem, coef, intercept, { xMean, alpha, extraParameters: 1 });
    if (!std) return Infinity;
    for (const v of std) {
      max = Math.max(max, v);
      sum += v;
      count++;
    }
  }
  return stdOf === 'max' ? max : sum / Math.max(1, count);
}
