// Time to build KernelSHAP's coalition design (enumeration, paired draws, duplicate merging) at
// shap's automatic sample count 2M + 2048 (+ the two endpoint rows). Median of 5 runs, this machine.
import { createRng } from '@limekit/core';
import { pathToFileURL } from 'node:url';
import { kernelShapDesign } from '../src/index.js';
import { median } from '@limekit/testing/bench';

export default async function bench(report: (row: Record<string, unknown>) => void): Promise<void> {
  for (const M of [12, 50, 150, 400]) {
    const budget = 2 * M + 2048 + 2;
    const times: number[] = [];
    let rows = 0;
    for (let run = 0; run < 6; run++) {
      const t = performance.now();
      const d = kernelShapDesign(M, budget, createRng(run), { paired: true, endpointWeight: 1e6 });
      if (run > 0) times.push((performance.now() - t) / 1000);
      rows = d.count;
    }
    const seconds = median(times);
    report({ sampler: 'kernelshap', M, budget, rows, seconds: +seconds.toFixed(5), rowsPerSecond: Math.round(rows / seconds) });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) await bench((r) => console.log(JSON.stringify(r)));
