// Surrogate fit time: ms per `fit` of each built-in surrogate (ridge, linear, lasso, bayesian-ridge,
// kernelshap) with its default options, on a LIME-shaped problem of n samples × d segments:
//
//   npm run bench -- --only surrogates
//   node --conditions=@limekit/source --import tsx tools/bench/surrogates.ts
//
// The problem: row 0 all ones (the instance), row 1 all zeros (KernelSHAP needs both), the other
// rows Bernoulli(½) masks; y = sigmoid(X·β − ½Σβ + noise), weights lime's exponential similarity
// kernel of the cosine distance to row 0 (width 0.25). Seeded, so every run fits the same numbers.
// Each row: median of RUNS timed fits after WARMUP untimed ones, on this machine, in this run.
import { createRng, type RegressionProblem, type Surrogate } from '@limekit/core';
import { BayesianRidgeSurrogate } from '@limekit/surrogate-bayesian-ridge';
import { KernelShapSurrogate } from '@limekit/surrogate-kernelshap';
import { LassoSurrogate } from '@limekit/surrogate-lasso';
import { LinearSurrogate } from '@limekit/surrogate-linear';
import { RidgeSurrogate } from '@limekit/surrogate-ridge';
import { pathToFileURL } from 'node:url';

/** Problem sizes, n × d: the issue's 1000 × 100, and lime's typical 1000 samples × ~50 segments. */
export const SURROGATE_BENCH_SIZES: readonly (readonly [number, number])[] = [
  [1000, 100],
  [1000, 50],
];
const WARMUP = 5;
const RUNS = 25;

const SURROGATES: readonly (readonly [string, () => Surrogate])[] = [
  ['ridge', () => new RidgeSurrogate()],
  ['linear', () => new LinearSurrogate()],
  ['lasso', () => new LassoSurrogate()],
  ['bayesian-ridge', () => new BayesianRidgeSurrogate()],
  ['kernelshap', () => new KernelShapSurrogate()],
];

/** One row of the table. */
export interface SurrogateBenchRow {
  surrogate: string;
  n: number;
  d: number;
  /** Median fit time in milliseconds. */
  msPerFit: number;
  /** Fastest and slowest of the timed fits, to show how noisy the machine was. */
  minMs: number;
  maxMs: number;
}

/** A seeded LIME-shaped regression problem (see the file comment). */
export function limeShapedProblem(n: number, d: number, seed = 7): RegressionProblem {
  const rng = createRng(seed);
  const X = new Float64Array(n * d);
  const y = new Float64Array(n);
  const sampleWeight = new Float64Array(n);
  const beta = Float64Array.from({ length: d }, () => rng.nextGaussian());
  let offset = 0;
  for (const b of beta) offset += b / 2;
  X.fill(1, 0, d);
  for (let i = 2; i < n; i++) for (let j = 0; j < d; j++) X[i * d + j] = rng.nextUint32() & 1;
  for (let i = 0; i < n; i++) {
    let s = -offset + 0.1 * rng.nextGaussian();
    let on = 0;
    for (let j = 0; j < d; j++) {
      s += X[i * d + j] * beta[j];
      on += X[i * d + j];
    }
    y[i] = 1 / (1 + Math.exp(-s));
    // Cosine distance of a 0/1 mask to the all-ones row: 1 − on/√(on·d); the empty mask is at 1.
    const dist = on === 0 ? 1 : 1 - Math.sqrt(on / d);
    sampleWeight[i] = Math.sqrt(Math.exp(-(dist * dist) / 0.25 ** 2));
  }
  return { X, n, d, y, sampleWeight };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Times every surrogate at every size and reports one row each. */
export function benchSurrogates(report: (row: SurrogateBenchRow) => void, sizes = SURROGATE_BENCH_SIZES): void {
  for (const [n, d] of sizes) {
    const problem = limeShapedProblem(n, d);
    for (const [name, make] of SURROGATES) {
      const surrogate = make();
      for (let i = 0; i < WARMUP; i++) surrogate.fit(problem);
      const times: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        const t = performance.now();
        surrogate.fit(problem);
        times.push(performance.now() - t);
      }
      report({ surrogate: name, n, d, msPerFit: +median(times).toFixed(3), minMs: +Math.min(...times).toFixed(3), maxMs: +Math.max(...times).toFixed(3) });
    }
  }
}

/** Formats a row as a fixed-width table line. */
export function formatSurrogateRow(r: SurrogateBenchRow): string {
  return `${r.surrogate.padEnd(15)} ${`${r.n}×${r.d}`.padEnd(9)} ${r.msPerFit.toFixed(2).padStart(9)} ms  (min ${r.minMs.toFixed(2)}, max ${r.maxMs.toFixed(2)})`;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(`# surrogates — ms per fit, median of ${RUNS} after ${WARMUP} warm-up fits, default options`);
  benchSurrogates((r) => console.log(formatSurrogateRow(r)));
}
