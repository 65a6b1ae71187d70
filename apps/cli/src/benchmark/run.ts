import { setImmediate as nextTurn } from 'node:timers/promises';
import { createRng, Segmenter, type ModelAdapter, type SegmentMap } from '@limekit/core';
import { errorToExact, GameModel } from '@limekit/games';
import { createExperimentContainer, explainerFrom, explainOptionsFrom } from '@limekit/lime';
import type { LoadedBenchConfig, LoadedGame } from './plan.js';

/** One line of DIR/results.jsonl: one run (game × configuration × budget × seed). */
export interface BenchRow {
  game: string;
  config: string;
  budget: number;
  seed: number;
  /** Exact target compared with (`lime`, `shapley`, `banzhaf`). */
  target?: string;
  M?: number;
  /** Images the model scored (the instance included). */
  modelCalls?: number;
  /** Rows of the neighbourhood the surrogate was fitted on. */
  samples?: number;
  /** Wall time of the explanation (ms). */
  ms?: number;
  /** ‖w − exact‖₂ / ‖exact‖₂. */
  relL2?: number;
  l2?: number;
  maxAbs?: number;
  /** Fraction of the exact top-k segments (by |value|) among the estimate's top-k. */
  topK?: number;
  spearman?: number | null;
  /** Segments whose exact value lies within ±1.96 reported standard errors + `COVERAGE_ROUNDING` (when the estimator reports them). */
  covered?: number;
  /** Segments with a reported standard error (0 or absent: no calibration for this run). */
  withStd?: number;
  weights?: number[];
  weightStd?: number[];
  error?: string;
}

/** The key of a run within a plan. */
export function benchKey(r: Pick<BenchRow, 'game' | 'config' | 'budget' | 'seed'>): string {
  return JSON.stringify([r.game, r.config, r.budget, r.seed]);
}

/** z of a two-sided 95 % normal interval, for the calibration check. */
export const COVERAGE_Z = 1.959963984540054;

/**
 * Absolute slack of the calibration check: models return float32 scores, so an estimator that is
 * exact in exact arithmetic (permutation-shap or KernelSHAP on an additive game) lands ~1e-9 from
 * the answer with a standard error of ~0; such a segment counts as covered, not as a miss.
 */
export const COVERAGE_ROUNDING = 1e-6;

/** The pipeline's segmenter, replaced by the game's fixed segmentation. */
function fixedSegmenter(segments: SegmentMap): Segmenter {
  return { id: 'game-segments', segment: () => segments };
}

/**
 * The game model behind an adapter that lets the event loop turn before every batch: a game
 * answers synchronously, so without it a Ctrl-C (SIGINT) would wait for the whole benchmark.
 */
function yielding(model: GameModel): ModelAdapter {
  return {
    id: model.id,
    input: model.input,
    numClasses: model.numClasses,
    classNames: model.classNames,
    info: model.info,
    predict: async (batch, count) => {
      await nextTurn();
      return model.predict(batch, count);
    },
    dispose: () => model.dispose(),
  };
}

/** Builds the game model a configuration plays on (its fill decides what the model compares). */
export async function gameModelFor(game: LoadedGame, config: LoadedBenchConfig): Promise<GameModel> {
  const baseline = config.resolved.components.baseline.instance;
  // A per-sample fill has no single fill image: every value is compared then.
  const fill = baseline.perSample ? undefined : await baseline.fill(game.view, game.segments, { rng: createRng(0).fork('baseline') });
  return new GameModel(game.game, { image: game.view, segments: game.segments, ...(fill ? { fill } : {}) });
}

/**
 * Runs the real pipeline (sampler, fill, perturbation, model, kernel, surrogate) of one
 * configuration on a game model with `budget` samples and `seed`, and scores the weights of label
 * 0 (the game's value) against the exact target at the number of samples the run used.
 */
export async function runBenchCell(input: {
  game: LoadedGame;
  config: LoadedBenchConfig;
  model: GameModel;
  budget: number;
  seed: number;
  /**
   * The exact target for a run that used n samples (a LIME target depends on n through α; an
   * adaptive sampler may stop before the budget).
   */
  exact: (samples: number) => Float64Array;
  topK: number;
  signal?: AbortSignal;
}): Promise<Omit<BenchRow, 'game' | 'config' | 'budget' | 'seed'>> {
  const { game, config, budget, seed } = input;
  const run = { ...config.resolved, seed, numSamples: budget, topLabels: 1 };
  const container = createExperimentContainer(run, yielding(input.model));
  container.register(Segmenter, { useValue: fixedSegmenter(game.segments) });
  const callsBefore = input.model.calls;
  const t0 = performance.now();
  const exp = await explainerFrom(container).explain(game.view, { ...explainOptionsFrom(run), labels: [0], ...(input.signal ? { signal: input.signal } : {}) });
  const ms = performance.now() - t0;
  const label = exp.labels[0];
  const exact = input.exact(exp.numSamples);
  const e = errorToExact(label.weights, exact, input.topK);
  let covered = 0;
  let withStd = 0;
  if (label.weightStd) {
    for (let j = 0; j < exact.length; j++) {
      const se = label.weightStd[j];
      if (!Number.isFinite(se)) continue;
      withStd++;
      if (Math.abs(label.weights[j] - exact[j]) <= COVERAGE_Z * se + COVERAGE_ROUNDING) covered++;
    }
  }
  return {
    target: config.target.kind,
    M: game.M,
    modelCalls: input.model.calls - callsBefore,
    samples: exp.numSamples,
    ms,
    relL2: e.relativeL2,
    l2: e.l2,
    maxAbs: e.maxAbs,
    topK: e.topKRecovery,
    spearman: Number.isFinite(e.spearman) ? e.spearman : null,
    ...(withStd ? { covered, withStd } : {}),
    weights: Array.from(label.weights),
    ...(label.weightStd ? { weightStd: Array.from(label.weightStd) } : {}),
  };
}
