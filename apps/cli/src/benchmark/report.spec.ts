import { describe, expect, it } from 'vitest';
import { benchCsv, summarizeBenchmark, wilson } from './report.js';
import type { BenchRow } from './run.js';

const row = (seed: number, relL2: number, covered?: number, withStd?: number): BenchRow => ({ game: 'g', config: 'c', budget: 64, seed, relL2, topK: 1, spearman: 1, modelCalls: 64, ...(withStd ? { covered, withStd } : {}) });

describe('benchmark summary', () => {
  it('pools coverage over segments × runs with a Wilson interval', () => {
    const cells = summarizeBenchmark([row(0, 0.1, 9, 10), row(1, 0.2, 10, 10)], ['g'], ['c'], [64]);
    const c = cells.find((x) => x.game === 'g')!;
    expect(c.coverage!.n).toBe(20);
    expect(Math.abs(c.coverage!.coverage - 0.95)).toBeLessThan(1e-12);
    // Wilson (1927) 95 % score interval for 19/20, by hand (Python: p=.95, z=1.959964, centre (p + z²/2n)/(1 + z²/n)): (0.763869, 0.991119).
    expect(Math.abs(c.coverage!.lo - 0.763869)).toBeLessThan(1e-6);
    expect(Math.abs(c.coverage!.hi - 0.991119)).toBeLessThan(1e-6);
    expect(cells.find((x) => x.game === 'all')!.runs).toBe(2);
  });

  it('cuts the t interval of an error at 0 and leaves cells without standard errors without coverage', () => {
    const cells = summarizeBenchmark([row(0, 0.01), row(1, 0.5), row(2, 0.02)], ['g'], ['c'], [64]);
    const s = cells[0].metrics.relL2!;
    expect(s.lo).toBe(0);
    expect(Math.abs(s.mean - 0.53 / 3)).toBeLessThan(1e-12);
    expect(cells[0].coverage).toBeUndefined();
    expect(wilson(0, 0).lo).toBeNaN();
  });

  it('writes one CSV line per run with the run coverage', () => {
    const csv = benchCsv([row(0, 0.1, 9, 10), { game: 'g', config: 'c', budget: 64, seed: 1, error: 'boom, "bad"' }]).trim().split('\n');
    expect(csv).toHaveLength(3);
    expect(csv[1]).toMatch(/^g,c,,,64,0,64,,0.1,,,1,1,0.9,10,,$/);
    expect(csv[2]).toMatch(/"boom, ""bad"""$/);
  });
});
