// KernelSHAP's constrained least-squares fit at shap's automatic sample count (2M + 2048 coalitions
// plus the two endpoint rows) for M = 12, 50, 150 segments. Median of 5 runs, this machine.
import { createRng, type RegressionProblem } from '@limekit/core';
import { pathToFileURL } from 'node:url';
import { KernelShapSurrogate } from '../src/index.js';
import { median } from '@limekit/testing/bench';

function problem(M: number, n: number): RegressionProblem {
  const rng = createRng(M);
  const X = new Float64Array(n * M);
  const y = new Float64Array(n);
  const w = new Float64Array(n).fill(1);
  X.fill(1, 0, M);
  for (let i = 2; i < n; i++) for (let j = 0; j < M; j++) X[i * M + j] = rng.nextUint32() & 1;
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < M; j++) s += X[i * M + j] * Math.sin(j);
    y[i] = 1 / (1 + Math.exp(-s));
  }
  return { X, n, d: M, y, sampleWeight: w };
}

export default async function bench(report: (row: Record<string, unknown>) => void): Promise<void> {
  for (const M of [12, 50, 150]) {
    const n = 2 * M + 2048 + 2;
    const p = problem(M, n);
    const s = new KernelShapSurrogate();
    for (let i = 0; i < 2; i++) s.fit(p);
    const times: number[] = [];
    for (let run = 0; run < 5; run++) {
      const t = performance.now();
      s.fit(p);
      times.push((performance.now() - t) / 1000);
    }
    report({ surrogate: 'kernelshap', M, n, seconds: +median(times).toFixed(5) });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) await bench((r) => console.log(JSON.stringify(r)));
