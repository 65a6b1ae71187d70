// Surrogate fit time: ms per `fit` of each built-in surrogate (ridge, linear, lasso, bayesian-ridge,
// kernelshap) with its default options, on a LIME-shaped problem of n samples × d segments:
//
//   npm run bench -- --only surrogates
//   node --conditions=@limekit/source --import tsx tools/bench/surrogates.ts [--compare OTHER_CHECKOUT]
//
// --compare loads the same five surrogates from another checkout of this repository (one with its
// own node_modules, e.g. a `git worktree` of main after `npm ci`) into this process and times the
// two alternately, batch by batch: a before/after comparison that no other process's load or JIT
// state can bias (the numbers in docs/decisions/0010-linalg-on-ml-matrix.md were measured so).
//
// The problem: row 0 all ones (the instance), row 1 all zeros (KernelSHAP needs both), the other
// rows Bernoulli(½) masks; y = sigmoid(X·β − ½Σβ + noise), weights lime's exponential similarity
// kernel of the cosine distance to row 0 (width 0.25). Seeded, so every run fits the same numbers.
// Each row: median over RUNS timed batches (after WARMUP untimed fits) of the time per fit, as wall
// time and as this process's CPU time (user + system). CPU time is the steadier of the two on a
// shared, loaded machine, where wall time also counts the time spent waiting for a core.
import { createRng, type RegressionProblem, type Surrogate } from '@limekit/core';
import { BayesianRidgeSurrogate } from '@limekit/surrogate-bayesian-ridge';
import { KernelShapSurrogate } from '@limekit/surrogate-kernelshap';
import { LassoSurrogate } from '@limekit/surrogate-lasso';
import { LinearSurrogate } from '@limekit/surrogate-linear';
import { RidgeSurrogate } from '@limekit/surrogate-ridge';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

/** Problem sizes, n × d: the issue's 1000 × 100, and lime's typical 1000 samples × ~50 segments. */
export const SURROGATE_BENCH_SIZES: readonly (readonly [number, number])[] = [
  [1000, 100],
  [1000, 50],
];
const WARMUP = 5;
const RUNS = 15;
/** Fits per timed batch: at least this many ms of work per batch, so CPU-time ticks do not dominate. */
const BATCH_MS = 20;

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
  /** Median wall time per fit, ms. */
  msPerFit: number;
  /** Median CPU time (user + system) per fit, ms. */
  cpuMsPerFit: number;
  /** Fastest and slowest batch, wall ms per fit, to show how noisy the machine was. */
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

/** Wall and CPU ms per fit of each surrogate on `problem`, one entry per timed batch, the surrogates taking turns. */
function timeFits(surrogates: readonly Surrogate[], problem: RegressionProblem): { wall: number[]; cpu: number[] }[] {
  const out = surrogates.map(() => ({ wall: [] as number[], cpu: [] as number[] }));
  let t = performance.now();
  for (let i = 0; i < WARMUP; i++) for (const s of surrogates) s.fit(problem);
  const batch = Math.max(1, Math.ceil((BATCH_MS * surrogates.length) / ((performance.now() - t) / WARMUP)));
  for (let r = 0; r < RUNS; r++) {
    // Alternate which one goes first, so a slow spell of the machine hits both alike.
    const order = r % 2 ? [...surrogates.keys()].reverse() : [...surrogates.keys()];
    for (const k of order) {
      const c = process.cpuUsage();
      t = performance.now();
      for (let i = 0; i < batch; i++) surrogates[k].fit(problem);
      out[k].wall.push((performance.now() - t) / batch);
      const dc = process.cpuUsage(c);
      out[k].cpu.push((dc.user + dc.system) / 1000 / batch);
    }
  }
  return out;
}

function row(surrogate: string, n: number, d: number, times: { wall: number[]; cpu: number[] }): SurrogateBenchRow {
  const { wall, cpu } = times;
  return { surrogate, n, d, msPerFit: +median(wall).toFixed(3), cpuMsPerFit: +median(cpu).toFixed(3), minMs: +Math.min(...wall).toFixed(3), maxMs: +Math.max(...wall).toFixed(3) };
}

/** Times every surrogate at every size and reports one row each. */
export function benchSurrogates(report: (row: SurrogateBenchRow) => void, sizes = SURROGATE_BENCH_SIZES): void {
  for (const [n, d] of sizes) {
    const problem = limeShapedProblem(n, d);
    for (const [name, make] of SURROGATES) report(row(name, n, d, timeFits([make()], problem)[0]));
  }
}

/**
 * Times each surrogate of this checkout against the same surrogate loaded from `otherRoot` (another
 * checkout, with its own node_modules), alternately in this process; reports both rows.
 */
export async function compareSurrogates(otherRoot: string, report: (before: SurrogateBenchRow, after: SurrogateBenchRow) => void, sizes = SURROGATE_BENCH_SIZES): Promise<void> {
  const load = async (pkg: string): Promise<Record<string, new () => Surrogate>> => import(pathToFileURL(resolve(otherRoot, 'packages', pkg, 'src/index.ts')).href);
  const other: Record<string, () => Surrogate> = {
    ridge: await load('surrogate-ridge').then((m) => () => new m.RidgeSurrogate()),
    linear: await load('surrogate-linear').then((m) => () => new m.LinearSurrogate()),
    lasso: await load('surrogate-lasso').then((m) => () => new m.LassoSurrogate()),
    'bayesian-ridge': await load('surrogate-bayesian-ridge').then((m) => () => new m.BayesianRidgeSurrogate()),
    kernelshap: await load('surrogate-kernelshap').then((m) => () => new m.KernelShapSurrogate()),
  };
  for (const [n, d] of sizes) {
    const problem = limeShapedProblem(n, d);
    for (const [name, make] of SURROGATES) {
      const [before, after] = timeFits([other[name](), make()], problem);
      report(row(name, n, d, before), row(name, n, d, after));
    }
  }
}

/** Formats a row as a fixed-width table line. */
export function formatSurrogateRow(r: SurrogateBenchRow): string {
  return `${r.surrogate.padEnd(15)} ${`${r.n}×${r.d}`.padEnd(9)} wall ${r.msPerFit.toFixed(2).padStart(8)} ms  cpu ${r.cpuMsPerFit.toFixed(2).padStart(8)} ms  (wall min ${r.minMs.toFixed(2)}, max ${r.maxMs.toFixed(2)})`;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({ options: { compare: { type: 'string' } } });
  if (values.compare) {
    console.log(`# surrogates — CPU ms per fit, median of ${RUNS} batches; before = ${values.compare}, after = this checkout`);
    await compareSurrogates(values.compare, (b, a) =>
      console.log(`${b.surrogate.padEnd(15)} ${`${b.n}×${b.d}`.padEnd(9)} before ${b.cpuMsPerFit.toFixed(2).padStart(7)} ms  after ${a.cpuMsPerFit.toFixed(2).padStart(7)} ms  ${(100 * (a.cpuMsPerFit / b.cpuMsPerFit - 1)).toFixed(0).padStart(4)} %`),
    );
  } else {
    console.log(`# surrogates — ms per fit, median of ${RUNS} batches after ${WARMUP} warm-up fits, default options`);
    benchSurrogates((r) => console.log(formatSurrogateRow(r)));
  }
}
