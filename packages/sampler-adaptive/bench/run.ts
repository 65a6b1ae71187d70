// Cost of the adaptive sampler's bookkeeping: accumulating 1000 scored rows into BayesLIME's
// regression and one stopping check (Cholesky, posterior widths), for M = 50, 150, 300 segments.
// Median of 5 runs, this machine. The model's inference of those rows is not included.
import { createRng } from '@limekit/core';
import { pathToFileURL } from 'node:url';
import { BayesianLinearAccumulator } from '../src/index.js';
import { median } from '@limekit/testing/bench';

export default async function bench(report: (row: Record<string, unknown>) => void): Promise<void> {
  for (const M of [50, 150, 300]) {
    const rng = createRng(M);
    const rows = Array.from({ length: 1000 }, () => Uint8Array.from({ length: M }, () => rng.nextUint32() & 1));
    const accumulate: number[] = [];
    const check: number[] = [];
    for (let run = 0; run < 6; run++) {
      const acc = new BayesianLinearAccumulator(M);
      let t = performance.now();
      for (const z of rows) acc.add(z, 0.5 + 0.01 * z[0], 0.7);
      const ta = (performance.now() - t) / 1000;
      t = performance.now();
      acc.posterior(0.95);
      const tc = (performance.now() - t) / 1000;
      if (run > 0) {
        accumulate.push(ta);
        check.push(tc);
      }
    }
    report({ sampler: 'adaptive', M, rows: 1000, accumulateSeconds: +median(accumulate).toFixed(5), checkSeconds: +median(check).toFixed(5) });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) await bench((r) => console.log(JSON.stringify(r)));
