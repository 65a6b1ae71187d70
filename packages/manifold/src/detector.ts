// The ambient declaration must come along when another package compiles this file from source (the @limekit/source condition).
// eslint-disable-next-line @typescript-eslint/triple-slash-reference
/// <reference path="./ml-logistic-regression.d.ts" />
import { createRng, InvalidOptionError, ShapeMismatchError, type Rng } from '@limekit/core';
import LogisticRegression from 'ml-logistic-regression';
import { Matrix } from 'ml-matrix';
import { RandomForestClassifier } from 'ml-random-forest';
import { rocAuc } from './auc.js';
import { groupKFold, stratifiedKFold } from './folds.js';
import { applyStandardizer, fitStandardizer } from './standardize.js';

/** Which classifier tells real from perturbed. */
export type DetectorKind = 'random-forest' | 'logistic';

/** Options of {@link crossValidateDetector}. */
export interface DetectorOptions {
  /** Number of stratified folds k (≥ 2). Default 5. */
  folds?: number;
  /**
   * Seed of the fold shuffle and of the forest (a 32-bit unsigned integer). Default 0. Ignored
   * when `rng` is given.
   */
  seed?: number;
  /** A seeded stream to draw from instead of `seed` (e.g. `ctx.rng.fork('manifold')`). */
  rng?: Rng;
  /** Classifier. Default `'random-forest'` (what Slack et al. use as the scaffolding detector). */
  detector?: DetectorKind;
  /** Standardise each feature on the training fold (scikit-learn's StandardScaler). Default true. */
  standardize?: boolean;
  /** Random forest (ml-random-forest): trees. Default 50. */
  nEstimators?: number;
  /** Random forest: share of the features each tree sees, in (0, 1]. Default 0.7. */
  maxFeatures?: number;
  /** Random forest: maximum tree depth. Default 10. */
  maxDepth?: number;
  /** Logistic regression (ml-logistic-regression): gradient steps. Default 1000. */
  numSteps?: number;
  /** Logistic regression: step on the mean log-likelihood gradient. Default 0.1. */
  learningRate?: number;
  /**
   * Balance the classes in training, so that P(perturbed) ≥ 0.5 is a meaningful threshold when
   * there are many more perturbed samples than real images (and training stays fast): the larger
   * class is cut to a seeded random subset of at most {@link BALANCE_RATIO} × the smaller class,
   * whose rows are then repeated to match (undersampling as balanced random forests do, Chen, Liaw
   * & Breiman 2004, then replication as `class_weight='balanced'`). Held-out folds are scored
   * whole. Default false.
   */
  balance?: boolean;
  /**
   * {@link crossValidateDetector} only: a group id per sample (real samples first, then
   * perturbed, as the inputs), e.g. the index of the real image a sample was made from. Folds
   * then hold whole groups ({@link groupKFold}, at least 2 groups per fold), so the detector is
   * scored on images it never saw, rather than on near copies of its training samples. Every
   * group should hold both kinds of sample. Default: none (stratified folds over samples).
   */
  groups?: ArrayLike<number>;
}

/** Defaults of {@link DetectorOptions}. */
export const DEFAULT_DETECTOR_OPTIONS = {
  folds: 5,
  seed: 0,
  detector: 'random-forest' as DetectorKind,
  standardize: true,
  nEstimators: 50,
  maxFeatures: 0.7,
  maxDepth: 10,
  numSteps: 1000,
  learningRate: 0.1,
  balance: false,
} as const;

/** One fold's held-out scores. */
export interface FoldResult {
  /** AUC of the held-out samples. */
  auc: number;
  /** Share of held-out samples classified right at P(perturbed) ≥ 0.5. */
  accuracy: number;
  /** Mean of the two classes' held-out recalls at P(perturbed) ≥ 0.5 (chance: 0.5, whatever the class sizes). */
  balancedAccuracy: number;
  /** Training and held-out sample counts. */
  nTrain: number;
  nTest: number;
}

/** What {@link crossValidateDetector} returns. */
export interface DetectorResult {
  /** Mean of the per-fold AUCs (scikit-learn's `cross_val_score(..., scoring='roc_auc')` mean). 0.5 = indistinguishable. */
  auc: number;
  /** Standard deviation of the per-fold AUCs (population). */
  aucStd: number;
  /** AUC of all out-of-fold scores pooled. */
  pooledAuc: number;
  /** Mean of the per-fold accuracies. */
  accuracy: number;
  /** Mean of the per-fold balanced accuracies (chance 0.5). */
  balancedAccuracy: number;
  /** Accuracy of always answering the larger class: what `accuracy` must beat. */
  chanceAccuracy: number;
  /** Per fold. */
  folds: FoldResult[];
  /** Out-of-fold P(perturbed) per sample, real samples first, then perturbed (input order). */
  scores: Float64Array;
  /** 0 (real) or 1 (perturbed) per sample, in the same order as `scores`. */
  labels: Uint8Array;
  /** The options used, defaults filled in. */
  options: Required<Omit<DetectorOptions, 'rng' | 'groups'>>;
}

function check(rows: readonly ArrayLike<number>[], what: string, d: number): void {
  rows.forEach((r, i) => {
    if (r.length !== d) throw new ShapeMismatchError(`crossValidateDetector: every ${what} feature vector must have ${d} values, got ${r.length} at index ${i}. Compute the same features for every sample.`);
    for (let j = 0; j < d; j++) {
      if (!Number.isFinite(r[j])) throw new InvalidOptionError(`crossValidateDetector: features must be finite, got ${r[j]} in ${what} sample ${i}, feature ${j}. Check the feature extractor.`);
    }
  });
}

type Scorer = (rows: number[][]) => number[];

/** With `balance`, the larger class is cut to at most this many times the smaller one before the smaller is repeated. */
export const BALANCE_RATIO = 4;

/**
 * Class-balanced training rows: the larger class is cut to a seeded random subset of at most
 * {@link BALANCE_RATIO} × the smaller class's size (undersampling, as balanced random forests do),
 * then the smaller class's rows are repeated until the classes are (about) equal.
 */
function balanced(x: number[][], y: number[], rng: Rng): { x: number[][]; y: number[] } {
  const idx: [number[], number[]] = [[], []];
  y.forEach((v, i) => idx[v === 1 ? 1 : 0].push(i));
  if (!idx[0].length || !idx[1].length || idx[0].length === idx[1].length) return { x, y };
  const small = idx[0].length < idx[1].length ? 0 : 1;
  const large = idx[1 - small];
  const keep = Math.min(large.length, BALANCE_RATIO * idx[small].length);
  for (let i = 0; i < keep; i++) {
    const j = i + rng.nextInt(large.length - i);
    const t = large[i]; large[i] = large[j]; large[j] = t;
  }
  const chosen = large.slice(0, keep).sort((a, b) => a - b);
  const times = Math.max(1, Math.round(keep / idx[small].length));
  const bx: number[][] = [], by: number[] = [];
  for (const i of chosen) {
    bx.push(x[i]);
    by.push(1 - small);
  }
  for (let t = 0; t < times; t++) {
    for (const i of idx[small]) {
      bx.push(x[i]);
      by.push(small);
    }
  }
  return { x: bx, y: by };
}

function fitScorer(kind: DetectorKind, o: typeof DEFAULT_DETECTOR_OPTIONS, seed: number, xTrainGiven: number[][], yTrainGiven: number[], rng: Rng): { score: Scorer; model: unknown } {
  const { x: xTrain, y: yTrain } = o.balance ? balanced(xTrainGiven, yTrainGiven, rng) : { x: xTrainGiven, y: yTrainGiven };
  if (kind === 'logistic') {
    // ml-logistic-regression has no intercept: append a constant column. Its gradient is a sum
    // over rows, so the step is divided by the row count to make it a step on the mean.
    const withBias = (rows: number[][]) => new Matrix(rows.map((r) => [...r, 1]));
    const lr = new LogisticRegression({ numSteps: o.numSteps, learningRate: o.learningRate / xTrain.length });
    lr.train(withBias(xTrain), Matrix.columnVector(yTrain));
    // classifiers[0] is class 0 against the rest: its score is P(label ≠ 0) = P(perturbed).
    return { score: (rows) => lr.classifiers[0].testScores(withBias(rows)), model: lr.toJSON() };
  }
  const forest = new RandomForestClassifier({
    nEstimators: o.nEstimators,
    maxFeatures: o.maxFeatures,
    replacement: false,
    useSampleBagging: true,
    noOOB: true,
    seed,
    treeOptions: { maxDepth: o.maxDepth },
  });
  forest.train(xTrain, yTrain);
  return { score: (rows) => forestScores(forest, rows), model: forest.toJSON() };
}

/** Share of trees voting "perturbed" (ml-random-forest 2.1's predictProbability drops the first
 * tree's vote: its reduce has no initial value). */
function forestScores(forest: RandomForestClassifier, rows: number[][]): number[] {
  const votes = forest.predictionValues(rows);
  const out = new Array<number>(rows.length);
  for (let i = 0; i < rows.length; i++) {
    let ones = 0;
    for (let t = 0; t < votes.columns; t++) if (votes.get(i, t) === 1) ones++;
    out[i] = ones / votes.columns;
  }
  return out;
}

function resolveOptions(options: DetectorOptions): typeof DEFAULT_DETECTOR_OPTIONS {
  const given = Object.entries(options).filter(([k, v]) => v !== undefined && k !== 'rng' && k !== 'groups');
  const o = { ...DEFAULT_DETECTOR_OPTIONS, ...Object.fromEntries(given) } as typeof DEFAULT_DETECTOR_OPTIONS;
  if (o.detector !== 'random-forest' && o.detector !== 'logistic') {
    throw new InvalidOptionError(`crossValidateDetector: detector must be 'random-forest' or 'logistic', got ${JSON.stringify(o.detector)}. Pick one of the two.`);
  }
  if (!Number.isInteger(o.seed) || o.seed < 0 || o.seed > 0xffffffff) {
    throw new InvalidOptionError(`crossValidateDetector: seed must be an integer in [0, 2^32), got ${o.seed}. Use e.g. 0.`);
  }
  if (!Number.isInteger(o.nEstimators) || o.nEstimators < 1) throw new InvalidOptionError(`crossValidateDetector: nEstimators must be an integer >= 1, got ${o.nEstimators}. The default is 50.`);
  if (!(o.maxFeatures > 0 && o.maxFeatures <= 1)) throw new InvalidOptionError(`crossValidateDetector: maxFeatures must be in (0, 1], got ${o.maxFeatures}. The default is 0.7.`);
  if (!Number.isInteger(o.maxDepth) || o.maxDepth < 1) throw new InvalidOptionError(`crossValidateDetector: maxDepth must be an integer >= 1, got ${o.maxDepth}. The default is 10.`);
  if (!Number.isInteger(o.numSteps) || o.numSteps < 1) throw new InvalidOptionError(`crossValidateDetector: numSteps must be an integer >= 1, got ${o.numSteps}. The default is 1000.`);
  if (!(o.learningRate > 0)) throw new InvalidOptionError(`crossValidateDetector: learningRate must be > 0, got ${o.learningRate}. The default is 0.1.`);
  return o;
}

function checkAll(real: readonly ArrayLike<number>[], perturbed: readonly ArrayLike<number>[]): number {
  const d = real.length ? real[0].length : perturbed.length ? perturbed[0].length : 0;
  if (d === 0) throw new InvalidOptionError(`crossValidateDetector: feature vectors must have at least one value, got ${real.length} real and ${perturbed.length} perturbed samples of ${d} features. Pass features of both kinds of sample.`);
  check(real, 'real', d);
  check(perturbed, 'perturbed', d);
  return d;
}

/**
 * How well a classifier tells perturbed samples from real images, cross-validated: stratified
 * k folds (seeded), a detector trained on k − 1 folds (features standardised on them), AUC and
 * accuracy on the held-out fold. AUC 0.5 means the perturbed samples are indistinguishable from
 * real ones by these features; near 1 means they are far off the data manifold.
 *
 * @param real - one feature vector per real image (d values each).
 * @param perturbed - one feature vector per perturbed sample (d values each).
 * @param options - folds, seed or rng, detector and its settings; see {@link DEFAULT_DETECTOR_OPTIONS}.
 * @returns per-fold and mean AUC and accuracy, pooled out-of-fold AUC and the scores.
 * @throws InvalidOptionError when a class has fewer than 2 samples per fold (the message says
 *   how many folds would do), an option is out of range or a feature is not finite;
 *   ShapeMismatchError when feature vectors differ in length.
 * @see D. Slack, S. Hilgard, E. Jia, S. Singh, H. Lakkaraju, "Fooling LIME and SHAP: Adversarial
 *   Attacks on Post hoc Explanation Methods", AIES 2020, doi:10.1145/3375627.3375830.
 */
export function crossValidateDetector(
  real: readonly ArrayLike<number>[],
  perturbed: readonly ArrayLike<number>[],
  options: DetectorOptions = {},
): DetectorResult {
  const o = resolveOptions(options);
  checkAll(real, perturbed);
  const x: ArrayLike<number>[] = [...real, ...perturbed];
  const labels = new Uint8Array(x.length);
  labels.fill(1, real.length);
  const rng = (options.rng ?? createRng(o.seed)).fork('manifold-detector');
  let fold: Int32Array;
  if (options.groups) {
    if (options.groups.length !== x.length) {
      throw new ShapeMismatchError(`crossValidateDetector: groups must have one id per sample (${real.length} real + ${perturbed.length} perturbed = ${x.length}), got ${options.groups.length}. Give real samples' groups first, then the perturbed samples'.`);
    }
    fold = groupKFold(options.groups, o.folds, rng.fork('folds'));
    for (let k = 0; k < o.folds; k++) {
      let reals = 0, perturbeds = 0;
      for (let i = 0; i < x.length; i++) {
        if (fold[i] !== k) continue;
        if (labels[i]) perturbeds++;
        else reals++;
      }
      if (!reals || !perturbeds) throw new InvalidOptionError(`crossValidateDetector: held-out fold ${k} has ${reals} real and ${perturbeds} perturbed samples; each needs both. Give every group both kinds of sample.`);
    }
  } else fold = stratifiedKFold(labels, o.folds, rng.fork('folds'));
  const scores = new Float64Array(x.length);
  const folds: FoldResult[] = [];
  for (let k = 0; k < o.folds; k++) {
    const train: number[] = [], test: number[] = [];
    for (let i = 0; i < x.length; i++) (fold[i] === k ? test : train).push(i);
    let xTrain = train.map((i) => Array.from(x[i]));
    let xTest = test.map((i) => Array.from(x[i]));
    if (o.standardize) {
      const s = fitStandardizer(xTrain);
      xTrain = applyStandardizer(s, xTrain);
      xTest = applyStandardizer(s, xTest);
    }
    const seed = rng.fork(`forest:${k}`).nextUint32() & 0x7fffffff;
    const p = fitScorer(o.detector, o, seed, xTrain, train.map((i) => labels[i]), rng.fork(`balance:${k}`)).score(xTest);
    let right = 0;
    const hit = [0, 0], seen = [0, 0];
    test.forEach((i, t) => {
      scores[i] = p[t];
      seen[labels[i]]++;
      if ((p[t] >= 0.5 ? 1 : 0) === labels[i]) {
        right++;
        hit[labels[i]]++;
      }
    });
    folds.push({
      auc: rocAuc(test.map((i) => labels[i]), p),
      accuracy: right / test.length,
      balancedAccuracy: (hit[0] / seen[0] + hit[1] / seen[1]) / 2,
      nTrain: train.length,
      nTest: test.length,
    });
  }
  const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
  const auc = mean(folds.map((f) => f.auc));
  return {
    auc,
    aucStd: Math.sqrt(mean(folds.map((f) => (f.auc - auc) ** 2))),
    pooledAuc: rocAuc(labels, scores),
    accuracy: mean(folds.map((f) => f.accuracy)),
    balancedAccuracy: mean(folds.map((f) => f.balancedAccuracy)),
    chanceAccuracy: Math.max(real.length, perturbed.length) / x.length,
    folds,
    scores,
    labels,
    options: { ...o, seed: options.rng ? options.rng.seed : o.seed },
  };
}

/** A detector trained on all samples, to score new feature vectors (the scaffold's detector). */
export interface FittedDetector {
  /** P(perturbed) per row, in [0, 1]. Rows must have the training's feature count. */
  predict(rows: readonly ArrayLike<number>[]): Float64Array;
  /** Plain JSON: options, standardiser and the mljs model; {@link loadDetector} restores it. */
  toJSON(): DetectorJson;
}

/** Serialised {@link FittedDetector}. */
export interface DetectorJson {
  name: 'limekit-manifold-detector';
  options: Required<Omit<DetectorOptions, 'rng' | 'groups'>>;
  features: number;
  standardizer: { mean: number[]; std: number[] } | null;
  model: unknown;
}

function makeFitted(json: DetectorJson, score: Scorer): FittedDetector {
  const s = json.standardizer ? { mean: Float64Array.from(json.standardizer.mean), std: Float64Array.from(json.standardizer.std) } : null;
  return {
    predict(rows) {
      rows.forEach((r, i) => {
        if (r.length !== json.features) throw new ShapeMismatchError(`FittedDetector: every feature vector must have ${json.features} values (as in training), got ${r.length} at index ${i}. Compute the features the detector was trained on.`);
      });
      const x = s ? applyStandardizer(s, rows) : rows.map((r) => Array.from(r));
      return Float64Array.from(score(x));
    },
    toJSON: () => json,
  };
}

/**
 * Trains the detector on all real and perturbed feature vectors (no cross-validation): what a
 * scaffolded model uses to decide whether an input is real. Same options as
 * {@link crossValidateDetector} (`folds` is ignored).
 *
 * @returns the fitted detector; `toJSON()` saves it, {@link loadDetector} restores it.
 * @throws as {@link crossValidateDetector}, and InvalidOptionError when a class is empty.
 */
export function trainDetector(real: readonly ArrayLike<number>[], perturbed: readonly ArrayLike<number>[], options: DetectorOptions = {}): FittedDetector {
  const o = resolveOptions(options);
  const d = checkAll(real, perturbed);
  if (real.length === 0 || perturbed.length === 0) {
    throw new InvalidOptionError(`trainDetector: needs samples of both kinds, got ${real.length} real and ${perturbed.length} perturbed. Pass feature vectors of real images and of perturbed samples.`);
  }
  let x = [...real, ...perturbed].map((r) => Array.from(r));
  const y = x.map((_, i) => (i < real.length ? 0 : 1));
  const s = o.standardize ? fitStandardizer(x) : null;
  if (s) x = applyStandardizer(s, x);
  const rng = (options.rng ?? createRng(o.seed)).fork('manifold-detector');
  const { score, model } = fitScorer(o.detector, o, rng.fork('forest:all').nextUint32() & 0x7fffffff, x, y, rng.fork('balance:all'));
  const json: DetectorJson = {
    name: 'limekit-manifold-detector',
    options: { ...o, seed: options.rng ? options.rng.seed : o.seed },
    features: d,
    standardizer: s ? { mean: Array.from(s.mean), std: Array.from(s.std) } : null,
    model,
  };
  return makeFitted(json, score);
}

/**
 * Restores a detector saved with `toJSON()` (after `JSON.parse`).
 * @throws InvalidOptionError when `json` is not a saved detector.
 */
export function loadDetector(json: DetectorJson): FittedDetector {
  if (json?.name !== 'limekit-manifold-detector' || !Number.isInteger(json.features)) {
    throw new InvalidOptionError(`loadDetector: json must be a saved detector (name 'limekit-manifold-detector'), got ${JSON.stringify((json as { name?: unknown } | null)?.name)}. Pass the object FittedDetector.toJSON() returned.`);
  }
  if (json.options.detector === 'logistic') {
    const lr = LogisticRegression.load(json.model);
    const withBias = (rows: number[][]) => new Matrix(rows.map((r) => [...r, 1]));
    return makeFitted(json, (rows) => lr.classifiers[0].testScores(withBias(rows)));
  }
  const forest = RandomForestClassifier.load(json.model as Parameters<typeof RandomForestClassifier.load>[0]);
  return makeFitted(json, (rows) => forestScores(forest, rows));
}
