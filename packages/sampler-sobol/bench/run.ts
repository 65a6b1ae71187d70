// Rows per second of the scrambled Sobol sampler (1000 rows, lime's default budget), including the
// per-run scrambling of the direction numbers. Median of 5 runs, this machine.
import { pathToFileURL } from 'node:url';
import { SobolSampler } from '../src/index.js';
import { timeSampler } from '@limekit/testing/bench';

export default async function bench(report: (row: Record<string, unknown>) => void): Promise<void> {
  for (const M of [50, 300, 1024]) {
    const sampler = new SobolSampler();
    report({ sampler: 'sobol', M, ...timeSampler(sampler, M) });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) await bench((r) => console.log(JSON.stringify(r)));
