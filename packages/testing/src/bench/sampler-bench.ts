// The shared measurement of the sampler benchmarks (packages/sampler-*/bench/run.ts): drawing a
// whole budget of mask rows in blocks of 64, as the pipeline asks for them.
import { createRng, type Sampler } from '@limekit/core';
import { median } from './timing.js';

/** Median seconds of 5 runs (seeds 1…5, after one untimed run with seed 0) to draw `rows` rows over `M` features, and the rows per second that makes. */
export function timeSampler(sampler: Sampler, M: number, rows = 1000): { rows: number; seconds: number; rowsPerSecond: number } {
  const times: number[] = [];
  for (let run = 0; run < 6; run++) {
    const t = performance.now();
    const s = sampler.start(M, rows, { rng: createRng(run) });
    while (s.next(64));
    if (run > 0) times.push((performance.now() - t) / 1000);
  }
  const seconds = median(times);
  return { rows, seconds: +seconds.toFixed(5), rowsPerSecond: Math.round(rows / seconds) };
}
