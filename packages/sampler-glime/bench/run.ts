// Rows per second of the GLIME-Binomial sampler (1000 rows, lime's default budget) for a few
// segment counts and kernel widths. Median of 5 runs, this machine.
import { pathToFileURL } from 'node:url';
import { GlimeSampler } from '../src/index.js';
import { timeSampler } from '@limekit/testing/bench';

export default async function bench(report: (row: Record<string, unknown>) => void): Promise<void> {
  for (const [M, kernelWidth] of [[50, 0.25], [50, 2], [300, 2]] as const) {
    const sampler = new GlimeSampler({ kernelWidth });
    report({ sampler: 'glime', M, kernelWidth, ...timeSampler(sampler, M) });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) await bench((r) => console.log(JSON.stringify(r)));
