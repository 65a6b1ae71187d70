import { describe, expect, it } from 'vitest';
import { sampleStreamName, type Baseline, type SampleFill } from './components.js';
import { InvalidOptionError } from './errors.js';
import { Explainer } from './explainer.js';
import type { RgbImage, SegmentMap } from './image.js';
import { createRng } from './rng.js';
import { STREAMS } from './run-options.js';
import { bernoulli, blackFill, gridSegmenter, rectangleModel, redImage, ridge, uniformKernel } from './test-components.test-util.js';

// 16×16 image, 4×4-pixel cells → 16 segments; the evidence rectangle is cell (1, 1) exactly.
const W = 16, H = 16;
const parts = (baseline: Baseline) => ({
  segmenter: gridSegmenter(4),
  sampler: bernoulli(),
  kernel: uniformKernel,
  surrogate: ridge,
  baseline,
  model: rectangleModel(W, H, [4, 4, 8, 8]),
});

/** A per-sample fill: each switched-off pixel gets one grey drawn from the row's own stream; it records what it saw. */
function noisyPerSample(seen?: { rows: number[][]; draws: number[] }): Baseline {
  return {
    id: 'test-per-sample',
    perSample: true,
    fill: blackFill.fill,
    startSamples(image: RgbImage, segments: SegmentMap): SampleFill {
      return {
        fillSample(rows, rowOffset, ctx, out) {
          const u = ctx.rng.nextFloat();
          seen?.rows.push(Array.from(rows.subarray(rowOffset, rowOffset + segments.count)));
          seen?.draws.push(u);
          const grey = Math.floor(u * 256);
          for (let p = 0; p < segments.labels.length; p++) {
            const off = rows[rowOffset + segments.labels[p]] === 0;
            for (let c = 0; c < 3; c++) out[3 * p + c] = off ? grey : image.data[3 * p + c];
          }
        },
      };
    },
  };
}

const strip = (e: { labels: readonly { weights: Float64Array; intercept: number; score: number }[] }) =>
  JSON.stringify(e.labels.map((l) => [Array.from(l.weights), l.intercept, l.score]));

describe('sample-dependent fills (Baseline.perSample)', () => {
  it('sees each sample’s own mask row, in order, with the row’s own stream', async () => {
    const seen = { rows: [] as number[][], draws: [] as number[] };
    const exp = await new Explainer(parts(noisyPerSample(seen))).explain(redImage(W, H), { numSamples: 40, seed: 5, batchSize: 7, keepNeighbourhood: true });
    const nb = exp.neighbourhood!;
    expect(seen.rows).toHaveLength(nb.n);
    for (let i = 0; i < nb.n; i++) {
      expect(seen.rows[i]).toEqual(Array.from(nb.X.subarray(i * 16, (i + 1) * 16)));
      const expected = createRng(5).fork(STREAMS.baseline).fork(sampleStreamName(i)).nextFloat();
      expect(seen.draws[i]).toBe(expected);
    }
  });

  it('gives bit-identical explanations at batch sizes 1, 7 and 64', async () => {
    const run = (batchSize: number) => new Explainer(parts(noisyPerSample())).explain(redImage(W, H), { numSamples: 150, seed: 11, batchSize });
    const [a, b, c] = [strip(await run(1)), strip(await run(7)), strip(await run(64))];
    expect(b).toBe(a);
    expect(c).toBe(a);
    // and the fill does change the result: a different seed's fills give other weights
    const other = strip(await new Explainer(parts(noisyPerSample())).explain(redImage(W, H), { numSamples: 150, seed: 12, batchSize: 64 }));
    expect(other).not.toBe(a);
  });

  it('computes what the static fast path computes when the per-sample fill is a static one', async () => {
    const blackPerSample: Baseline = {
      id: 'test-black-per-sample',
      perSample: true,
      fill: blackFill.fill,
      startSamples: (image, segments) => ({
        fillSample(rows, rowOffset, _ctx, out) {
          for (let p = 0; p < segments.labels.length; p++) {
            const off = rows[rowOffset + segments.labels[p]] === 0;
            for (let c = 0; c < 3; c++) out[3 * p + c] = off ? 0 : image.data[3 * p + c];
          }
        },
      }),
    };
    const opts = { numSamples: 120, seed: 2, batchSize: 16 };
    const viaStatic = await new Explainer(parts(blackFill)).explain(redImage(W, H), opts);
    const viaSample = await new Explainer(parts(blackPerSample)).explain(redImage(W, H), opts);
    expect(strip(viaSample)).toBe(strip(viaStatic));
  });

  it('rejects a baseline that declares perSample without startSamples', async () => {
    const broken: Baseline = { id: 'broken', perSample: true, fill: blackFill.fill };
    await expect(new Explainer(parts(broken)).explain(redImage(W, H), { numSamples: 10 })).rejects.toThrow(InvalidOptionError);
    await expect(new Explainer(parts(broken)).explain(redImage(W, H), { numSamples: 10 })).rejects.toThrow(/declares perSample but has no startSamples/);
  });
});
