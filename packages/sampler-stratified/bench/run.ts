// Rows per second of the stratified sampler (1000 rows, lime's default budget), both allocations.
// Median of 5 runs, this machine.
import { pathToFileURL } from 'node:url';
import { StratifiedSampler, type StratifiedAllocation } from '../src/index.js';
import { timeSampler } from '@limekit/testing/bench';

export default async function bench(report: (row: Record<string, unknown>) => void): Promise<void> {
  for (const allocation of ['equal', 'random'] as StratifiedAllocation[]) {
    for (const M of [50, 300]) {
      const sampler = new StratifiedSampler({ allocation });
      report({ sampler: 'stratified', allocation, M, ...timeSampler(sampler, M) });
    }
  }
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) await bench((r) => console.log(JSON.stringify(r)));
