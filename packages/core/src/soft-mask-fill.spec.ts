import { describe, expect, it } from 'vitest';
import type { Baseline, RegressionProblem, SampleFill, Surrogate } from './components.js';
import { Explainer } from './explainer.js';
import type { RgbImage, SegmentMap } from './image.js';
import { bernoulli, blackFill, gridSegmenter, rectangleModel, redImage, ridge, uniformKernel } from './test-components.test-util.js';

// Continuous-mask fills (SampleFill.softMask, decision 0025): the fill's per-segment mask values
// become the rows of X, the instance is the image itself, and the fill's design reaches the surrogate.
const W = 16, H = 16;

/** Darkens every pixel by a factor drawn from the row's stream; reports that factor as every segment's visibility. */
function dimmer(calls: { count: number }): Baseline {
  return {
    id: 'test-soft',
    perSample: true,
    fill: blackFill.fill,
    startSamples(image: RgbImage, segments: SegmentMap): SampleFill {
      return {
        softMask: true,
        design: { keepProbability: 0.5 },
        fillSample(_rows, _offset, ctx, out, visibility) {
          calls.count++;
          const m = ctx.rng.nextFloat();
          for (let i = 0; i < out.length; i++) out[i] = Math.round(m * image.data[i]);
          visibility!.fill(m, 0, segments.count);
        },
      };
    },
  };
}

describe('continuous-mask fills (SampleFill.softMask)', () => {
  it('record the reported mask values as X, write the instance unmasked, and pass the fill design to the surrogate', async () => {
    const calls = { count: 0 };
    let seen: RegressionProblem | undefined;
    const spy: Surrogate = { id: 'spy', fit: (p, ctx) => ((seen = p), ridge.fit(p, ctx)) };
    const exp = await new Explainer({ segmenter: gridSegmenter(4), sampler: bernoulli(false), kernel: uniformKernel, surrogate: spy, baseline: dimmer(calls), model: rectangleModel(W, H, [4, 4, 8, 8]) }).explain(
      redImage(W, H),
      { numSamples: 30, seed: 2, batchSize: 7, labels: [0], keepNeighbourhood: true },
    );
    expect(calls.count).toBe(30); // never called for the instance
    expect(seen!.X).toBeInstanceOf(Float64Array);
    for (let i = 0; i < 30; i++) {
      const v = seen!.X[i * 16];
      expect(v > 0 && v < 1).toBe(true);
      for (let j = 1; j < 16; j++) expect(seen!.X[i * 16 + j]).toBe(v);
    }
    expect(seen!.design?.fill).toEqual({ keepProbability: 0.5 });
    expect(exp.neighbourhood?.X).toBeInstanceOf(Float64Array);
    // The instance's prediction is the unperturbed image's, as with a static fill.
    const plain = await new Explainer({ segmenter: gridSegmenter(4), sampler: bernoulli(false), kernel: uniformKernel, surrogate: ridge, baseline: blackFill, model: rectangleModel(W, H, [4, 4, 8, 8]) }).explain(redImage(W, H), { numSamples: 5, labels: [0] });
    expect(exp.labels[0].probability).toBe(plain.labels[0].probability);
  });

  it('refuse a sampler whose row 0 is the instance, naming the fix', async () => {
    await expect(
      new Explainer({ segmenter: gridSegmenter(4), sampler: bernoulli(true), kernel: uniformKernel, surrogate: ridge, baseline: dimmer({ count: 0 }), model: rectangleModel(W, H, [4, 4, 8, 8]) }).explain(redImage(W, H), { numSamples: 10 }),
    ).rejects.toThrow(/declares firstRowIsInstance, but the fill applies continuous masks of its own/);
  });
});
