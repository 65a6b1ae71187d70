import { createRng, type SampleBlock, type Sampler } from '@limekit/core';
import { builtinRegistry } from '@limekit/lime/catalogue';
import { describe, expect, it } from 'vitest';
import { aggregateStability, formatSummary, imageStability, markdownTable, meanCI, pairedDifference, parseConfigName, roundNumbers, type ResultRow } from './aggregate.js';
import { binomialPmf, coalitionSizes, distinctRows, drawDesign, kishEffectiveSize, sizeHistogram, sizeMoments, toShares } from './coalitions.js';

const close = (a: number, b: number, tol = 1e-12) => expect(Math.abs(a - b)).toBeLessThan(tol);

function row(config: string, image: string, seed: number, weights: number[], extra: Partial<ResultRow> = {}): ResultRow {
  return { model: 'toy', image, config, seed, weights, metrics: { samples: parseConfigName(config).numSamples, 'wall-time': 10 * (seed + 1) }, ...extra };
}

// Handmade weights over 7 segments. Top-5 by |weight|:
//   seed 0: {0,1,2,3,4}; seed 1 (segments 4 and 5 swapped): {0,1,2,3,5}; seed 2 (segment 0 negative, still largest |w|): {0,1,2,3,4}.
// Jaccard: J01 = 4/6, J02 = 1, J12 = 4/6 → mean 7/9.
// Kendall τ-b over 21 pairs: τ01 = (20 − 1)/21; τ02 = (15 − 6)/21 (segment 0 moves from first to last);
// τ12 = (14 − 7)/21 → mean (19 + 9 + 7)/63 = 5/9.
const W0 = [7, 6, 5, 4, 3, 2, 1];
const W1 = [7, 6, 5, 4, 2, 3, 1];
const W2 = [-7, 6, 5, 4, 3, 2, 1];

describe('meanCI', () => {
  // The exact quantile t(0.975; 2) = 4.302652729749464 (scipy.stats.t.ppf), no longer a 3-digit table's 4.303.
  it('gives the Student-t interval: [1, 2, 3] → 2 ± 4.302653 / √3', () => {
    const ci = meanCI([1, 2, 3])!;
    close(ci.mean, 2);
    close(ci.half, 4.302652729749464 / Math.sqrt(3), 1e-9);
    close(ci.hi - ci.lo, 2 * ci.half);
    expect(ci.n).toBe(3);
  });
  it('leaves out non-finite values, gives one value a zero-width interval and none null', () => {
    expect(meanCI([0.5, NaN])).toEqual({ n: 1, mean: 0.5, lo: 0.5, hi: 0.5, half: 0 });
    expect(meanCI([NaN])).toBeNull();
  });
});

describe('parseConfigName', () => {
  it('splits at the last dash', () => {
    expect(parseConfigName('kernelshap-2000')).toEqual({ sampler: 'kernelshap', numSamples: 2000 });
    expect(parseConfigName('lime-slic-100')).toEqual({ sampler: 'lime-slic', numSamples: 100 });
  });
  it('rejects names without a sample count', () => {
    expect(() => parseConfigName('bernoulli')).toThrow(/<sampler>-<numSamples>/);
  });
});

describe('imageStability / aggregateStability', () => {
  const rows: ResultRow[] = [
    row('x-100', 'a.png', 0, W0),
    row('x-100', 'a.png', 1, W1),
    row('x-100', 'a.png', 2, W2),
    row('x-100', 'b.png', 0, W0),
    row('x-100', 'b.png', 1, W0),
    // A different segmentation: left out of b's group, as limekit evaluate's groupMetrics does.
    row('x-100', 'b.png', 2, [1, 2, 3]),
    // A failed run: left out, counted.
    { model: 'toy', image: 'b.png', config: 'x-100', seed: 3, error: 'boom' },
    // Only one seed: no stability for this group.
    row('x-100', 'c.png', 0, W0),
  ];

  it('computes the per-image Jaccard and Kendall τ-b across seeds', () => {
    const per = imageStability(rows);
    expect(per.map((p) => p.image)).toEqual(['a.png', 'b.png']);
    close(per[0].jaccard, 7 / 9);
    close(per[0].kendall, 5 / 9);
    expect(per[0].seeds).toBe(3);
    expect(per[1]).toMatchObject({ seeds: 2, jaccard: 1, kendall: 1, segments: 7 });
  });

  it('averages over images with a t-interval across images', () => {
    const [cell] = aggregateStability(rows);
    expect(cell).toMatchObject({ config: 'x-100', sampler: 'x', numSamples: 100, failedRows: 1 });
    close(cell.jaccard!.mean, (7 / 9 + 1) / 2);
    // Two values: sd = |a − b| / √2, half = t(1) · sd / √2 = 12.706205 · (2/9) / 2 (t(0.975; 1) = tan(0.475 π)).
    close(cell.jaccard!.half, (Math.tan(0.475 * Math.PI) * (2 / 9)) / 2, 1e-9);
    close(cell.kendall!.mean, (5 / 9 + 1) / 2);
    expect(cell.images).toHaveLength(2);
  });

  it('reports the samples actually used and orders cells by sampler, then numSamples', () => {
    const more: ResultRow[] = [
      row('b-250', 'a.png', 0, W0, { metrics: { samples: 200, 'wall-time': 5 } }),
      row('b-250', 'a.png', 1, W0, { metrics: { samples: 300, 'wall-time': 7 } }),
      row('a-100', 'a.png', 0, W0),
      row('a-100', 'a.png', 1, W1),
      row('b-100', 'a.png', 0, W0),
      row('b-100', 'a.png', 1, W0),
    ];
    const cells = aggregateStability(more);
    expect(cells.map((c) => c.config)).toEqual(['b-100', 'b-250', 'a-100']);
    expect(cells[1].samplesUsed).toEqual({ mean: 250, min: 200, max: 300 });
    expect(cells[1].wallTimeMs).toBe(6);
    close(cells[2].jaccard!.mean, 4 / 6);
    const table = markdownTable(cells);
    expect(table.split('\n')[0]).toBe('| sampler | 100 | 250 |');
    expect(table).toContain('| b | 1.00 ± 0.00 | 1.00 ± 0.00 |');
    expect(table).toContain('| a | 0.67 ± 0.00 | – |');
    // Mean samples used shown where they differ from the request.
    const adaptive = aggregateStability([row('d-500', 'a.png', 0, W0, { metrics: { samples: 300 } }), row('d-500', 'a.png', 1, W0, { metrics: { samples: 300 } })]);
    expect(markdownTable(adaptive)).toContain('1.00 ± 0.00 (300)');
  });

  it('pairs images when comparing with a reference sampler', () => {
    const cells = aggregateStability([
      row('ref-100', 'a.png', 0, W0),
      row('ref-100', 'a.png', 1, W1), // a: 4/6
      row('ref-100', 'b.png', 0, W0),
      row('ref-100', 'b.png', 1, W0), // b: 1
      row('new-100', 'a.png', 0, W0),
      row('new-100', 'a.png', 1, W0), // a: 1
      row('new-100', 'b.png', 0, W0),
      row('new-100', 'b.png', 1, W0), // b: 1
    ]);
    const [d] = pairedDifference(cells, 'new', 'ref');
    expect(d.numSamples).toBe(100);
    close(d.diff.mean, (1 - 4 / 6 + 0) / 2);
    expect(d.diff.n).toBe(2);
  });
});

describe('formatSummary', () => {
  it('writes JSON that reads back as the same summary, one line per image', () => {
    const cells = aggregateStability([row('x-100', 'a.png', 0, W0), row('x-100', 'a.png', 1, W1), row('x-100', 'b.png', 0, W0), row('x-100', 'b.png', 1, W0)]);
    const summary = roundNumbers({ description: 'd', commands: ['c'], k: 5, models: ['toy'], images: ['a.png', 'b.png'], seeds: [0, 1], cells });
    const text = formatSummary(summary);
    expect(JSON.parse(text)).toEqual(summary);
    expect(text.split('\n').filter((l) => l.includes('"image":"a.png"'))).toHaveLength(1);
  });
});

describe('roundNumbers', () => {
  it('rounds nested numbers and turns NaN into null', () => {
    expect(roundNumbers({ a: 1 / 3, b: [2 / 3, NaN], c: 'x' }, 4)).toEqual({ a: 0.3333, b: [0.6667, null], c: 'x' });
  });
});

describe('coalition sizes', () => {
  // Four rows over M = 3 segments: all on, all off, {0, 2}, {1}.
  const rows = Uint8Array.from([1, 1, 1, 0, 0, 0, 1, 0, 1, 0, 1, 0]);

  it('counts the segments kept in every row', () => {
    expect([...coalitionSizes(rows, 4, 3)]).toEqual([3, 0, 2, 1]);
    expect(() => coalitionSizes(rows, 5, 3)).toThrow(RangeError);
    expect(distinctRows(Uint8Array.from([1, 0, 1, 0, 0, 1]), 3, 2)).toBe(2);
  });

  it('builds histograms of rows and of weights per size', () => {
    const sizes = [3, 0, 2, 1, 2];
    expect([...sizeHistogram(sizes, 3)]).toEqual([1, 1, 2, 1]);
    expect([...sizeHistogram(sizes, 3, [0.5, 1, 2, 1, 1])]).toEqual([1, 1, 3, 0.5]);
    expect([...toShares([1, 1, 2, 0])]).toEqual([0.25, 0.25, 0.5, 0]);
    expect(() => sizeHistogram([4], 3)).toThrow(RangeError);
    expect(() => sizeHistogram([1, 2], 3, [1])).toThrow(RangeError);
  });

  it('has the binomial law and moments right', () => {
    const p = binomialPmf(4, 0.5);
    [1, 4, 6, 4, 1].forEach((c, k) => close(p[k], c / 16));
    const m = sizeMoments(binomialPmf(50, 0.5));
    close(m.mean, 25, 1e-9);
    close(m.sd, Math.sqrt(50) / 2, 1e-9);
  });

  it("computes Kish's effective sample size", () => {
    close(kishEffectiveSize([1, 1, 1, 1]), 4);
    close(kishEffectiveSize([1, 0, 0, 0]), 1);
    close(kishEffectiveSize([2, 1, 1]), 16 / 6);
    expect(kishEffectiveSize([0, 0])).toBe(0);
  });
});

describe('drawDesign', () => {
  it('concatenates blocks, fills missing weights with 1 and observes every block', () => {
    const observed: number[] = [];
    const blocks: SampleBlock[] = [
      { rows: Uint8Array.from([1, 1, 0, 1]), count: 2 },
      { rows: Uint8Array.from([0, 0]), count: 1, weights: Float64Array.from([3]) },
    ];
    const stub: Sampler = {
      id: 'stub',
      start: () => {
        let i = 0;
        return {
          firstRowIsInstance: true,
          needsObservations: true,
          next: () => blocks[i++] ?? null,
          observe: (o) => observed.push(o.block.count, o.predictions.length),
          summary: () => ({ blocks: i }),
        };
      },
    };
    const d = drawDesign(stub, 2, 3, { rng: createRng(0) });
    expect(d.count).toBe(3);
    expect([...d.rows]).toEqual([1, 1, 0, 1, 0, 0]);
    expect([...d.weights!]).toEqual([1, 1, 3]);
    expect(observed).toEqual([2, 2, 1, 1]);
    expect(d.summary).toEqual({ blocks: 3 });
  });

  const sampler = (id: string, options: Record<string, unknown> = {}) => builtinRegistry().get('sampler', id).create(options) as Sampler;
  const interiorShares = (M: number, design: ReturnType<typeof drawDesign>) => {
    const sizes = coalitionSizes(design.rows, design.count, M);
    const w = Float64Array.from(sizes, (k, r) => (k === 0 || k === M ? 0 : design.weights![r]));
    return toShares(sizeHistogram(sizes, M, w));
  };

  it("weights stratified rows back to lime's Binomial(M, ½) sizes (what the figure's orange line shows)", () => {
    const M = 12;
    const design = drawDesign(sampler('stratified'), M, 1000, { rng: createRng(0).fork('sampler') });
    const rowsPerSize = sizeHistogram(coalitionSizes(design.rows, design.count, M), M);
    // Equal allocation: sizes 1..M−1 get 998/11 = 90 or 91 rows.
    for (let k = 1; k < M; k++) expect(rowsPerSize[k] === 90 || rowsPerSize[k] === 91).toBe(true);
    const shares = interiorShares(M, design);
    const b = binomialPmf(M, 0.5);
    const interior = 1 - b[0] - b[M];
    for (let k = 1; k < M; k++) close(shares[k], b[k] / interior, 1e-9);
  });

  it('gives KernelSHAP sizes the Shapley kernel mass (M − 1)/(k(M − k)) when it enumerates every coalition', () => {
    const M = 6;
    const design = drawDesign(sampler('kernelshap'), M, 2 ** M, { rng: createRng(0).fork('sampler') });
    expect(distinctRows(design.rows, design.count, M)).toBe(2 ** M);
    const shares = interiorShares(M, design);
    const mass = Array.from({ length: M + 1 }, (_, k) => (k === 0 || k === M ? 0 : (M - 1) / (k * (M - k))));
    const total = mass.reduce((a, b) => a + b, 0);
    for (let k = 1; k < M; k++) close(shares[k], mass[k] / total, 1e-9);
  });

  it('drives the adaptive sampler through observe() to the whole budget when minSamples = budget', () => {
    const design = drawDesign(sampler('adaptive', { minSamples: 300 }), 8, 300, { rng: createRng(0).fork('sampler') });
    expect(design.count).toBe(300);
    const bernoulli = drawDesign(sampler('bernoulli'), 8, 300, { rng: createRng(0).fork('sampler') });
    // Both draw lime's rows from the same stream in the same order.
    expect([...design.rows]).toEqual([...bernoulli.rows]);
  });
});
