import { describe, expect, it } from 'vitest';
import { ProgressBar } from '../progress.js';
import type { CliIo } from '../io.js';
import { METRIC_INFO } from './metrics.js';
import { bestOf, chartSpecs, renderReport } from './report.js';
import type { ResultRow } from './results.js';
import { summarize } from './summary.js';

const info = (id: string) => METRIC_INFO.find((m) => m.id === id)!;

/** Rows of `n` images × 1 seed; `value(config, i)` gives each metric value. */
function rows(configs: string[], n: number, value: (config: string, i: number) => Record<string, number>): ResultRow[] {
  return configs.flatMap((config) => Array.from({ length: n }, (_, i) => ({ model: 'm', image: `set/${i}.png`, config, seed: 0, metrics: value(config, i) })));
}

describe('report honesty', () => {
  it('stars the best mean only when it is significantly better than every other configuration', () => {
    const m = [info('insertion')];
    // 10 images: a beats b by 0.1 on every image (exact p = 2/1024, Holm ×1) → ★.
    const clear = summarize(rows(['a', 'b'], 10, (c, i) => ({ insertion: 0.5 + i * 0.01 + (c === 'a' ? 0.1 + i * 0.001 : 0) })), ['a', 'b'], m);
    expect(bestOf(m[0], clear.cells, clear.comparisons.get('insertion')!)).toEqual({ config: 'a', significant: true });
    // a is higher on average but only on 6 of 10 images, by alternating amounts → not significant: no ★.
    const noisy = summarize(rows(['a', 'b'], 10, (c, i) => ({ insertion: 0.5 + (c === 'a' ? (i % 5 === 0 ? -0.02 : i % 2 ? 0.03 : -0.01) : 0) })), ['a', 'b'], m);
    const b = bestOf(m[0], noisy.cells, noisy.comparisons.get('insertion')!);
    expect(b?.significant).toBe(false);
  });

  it('keeps every interval inside the metric range (a skewed Jaccard near 1)', () => {
    const jac = info('stability-jaccard');
    const values = [1, 1, 1, 1, 1, 1, 1, 0.2, 1, 1];
    const s = summarize([], ['a'], [jac], values.map((v, i) => ({ config: 'a', unit: `m · ${i}`, metric: 'stability-jaccard', value: v })));
    const ci = s.cells[0].ci!;
    expect(ci.hi).toBeLessThanOrEqual(1);
    expect(ci.lo).toBeGreaterThanOrEqual(0);
  });

  it('draws quality vs time on the metric range and time from zero, not on the spread of the means', () => {
    const metrics = [info('insertion'), info('wall-time')];
    const r = rows(['a', 'b'], 4, (c, i) => ({ insertion: 0.6148 + (c === 'a' ? 0.001 : 0) + i * 1e-5, 'wall-time': 1000 + (c === 'a' ? 50 : 0) }));
    const s = summarize(r, ['a', 'b'], metrics);
    const spec = chartSpecs(r, ['a', 'b'], metrics, s.cells).find((x) => x.title.startsWith('Quality'))!.spec as unknown as { layer: { encoding: { x: { scale?: unknown }; y: { scale?: unknown } } }[] };
    const point = spec.layer[1].encoding;
    expect(point.y.scale).toEqual({ domain: [0, 1] });
    expect(point.x.scale).toEqual({ zero: true });
  });

  it('describes mask metrics only when masks were given, and says why they are missing', async () => {
    const metrics = [info('deletion'), info('pointing-game')];
    const r = rows(['a', 'b'], 3, () => ({ deletion: 0.3 }));
    const html = await renderReport({ plan: {}, rows: r, configs: ['a', 'b'], metrics, summary: summarize(r, ['a', 'b'], metrics), masksGiven: false, generatedAt: 'now' });
    expect(html).not.toMatch(/<dt>pointing-game/);
    expect(html).toMatch(/pointing-game \(no ground-truth masks were given\)/);
    expect(html).toMatch(/<dt>deletion/);
  });

  it('the evaluate progress bar counts explanations', () => {
    let text = '';
    const io = { stderr: { isTTY: false, write: (s: string) => ((text += s), true) }, stdout: { write: () => true }, cwd: '.' } as unknown as CliIo;
    new ProgressBar(io, 'evaluate', false, undefined, 'explanations').update({ phase: 'sample', done: 3, total: 10 });
    expect(text).toMatch(/3\/10 explanations/);
    expect(text).not.toMatch(/samples/);
  });
});
