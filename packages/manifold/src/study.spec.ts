import { createRng, InvalidOptionError, ModelError, readNormalized, writeNormalized, type Embedding, type ModelAdapter, type ModelInputSpec, type RgbImage } from '@limekit/core';
import { describe, expect, it } from 'vitest';
import { embeddingVector, FeatureRecorder, groupKFold, recordImageSamples, studyDetectability, type ImageSamples } from './index.js';

const W = 8, H = 6;

function spec(over: Partial<ModelInputSpec> = {}): ModelInputSpec {
  return { width: W, height: H, channels: 3, layout: 'NCHW', resize: 'stretch', normalization: { scale: 1 / 255, mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225], channelOrder: 'RGB' }, ...over };
}

function randomImage(seed: number): RgbImage {
  const rng = createRng(seed);
  return { width: W, height: H, data: Uint8Array.from({ length: W * H * 3 }, () => rng.nextInt(256)) };
}

/** Two classes from the mean of the first input channel; embed returns a 2×2 feature map per image (channels first or last as the layout). */
function fakeModel(input: ModelInputSpec): ModelAdapter {
  const size = input.width * input.height * input.channels;
  return {
    id: 'fake',
    input,
    numClasses: 2,
    async predict(batch, count) {
      const out = new Float32Array(2 * count);
      for (let r = 0; r < count; r++) {
        let s = 0;
        for (let i = 0; i < size; i++) s += batch[r * size + i];
        const p = 1 / (1 + Math.exp(-s / size));
        out[2 * r] = p;
        out[2 * r + 1] = 1 - p;
      }
      return out;
    },
    async embed(batch, count, name): Promise<Embedding> {
      if (name !== 'map') throw new InvalidOptionError(`fake: embedding must be "map", got ${name}.`);
      const values = new Float32Array(count * 3 * 4);
      for (let r = 0; r < count; r++) for (let i = 0; i < 12; i++) values[r * 12 + i] = batch[r * size + i];
      return { values, shape: input.layout === 'NCHW' ? [count, 3, 2, 2] : [count, 2, 2, 3] };
    },
    async dispose() {},
  };
}

describe('groupKFold', () => {
  it('keeps each group in one fold, deals the groups evenly, and is seeded', () => {
    const groups = Array.from({ length: 110 }, (_, i) => i % 11);
    const a = groupKFold(groups, 5, createRng(1));
    expect(Array.from(a)).toEqual(Array.from(groupKFold(groups, 5, createRng(1))));
    const foldOf = new Map<number, number>();
    groups.forEach((g, i) => {
      if (foldOf.has(g)) expect(a[i]).toBe(foldOf.get(g));
      foldOf.set(g, a[i]);
    });
    const perFold = [0, 0, 0, 0, 0];
    for (const f of foldOf.values()) perFold[f]++;
    expect(perFold.sort()).toEqual([2, 2, 2, 2, 3]);
  });

  it('says how many folds would do when there are too few groups', () => {
    expect(() => groupKFold([0, 1, 2, 3, 4, 5, 6], 4, createRng(0))).toThrow(/at least folds × 2 = 8 groups .* got 7\. Use at most 3 folds/);
  });
});

describe('readNormalized (core), as the recorder reads its inputs', () => {
  it('inverts writeNormalized exactly for RGB NCHW, BGR NHWC and grey inputs', () => {
    const image = randomImage(5);
    for (const s of [spec(), spec({ layout: 'NHWC', normalization: { scale: 1, mean: [103.94, 116.78, 123.68], std: [1, 1, 1], channelOrder: 'BGR' } })]) {
      const buf = new Float32Array(W * H * 3);
      writeNormalized(image, s, buf);
      const back = new Uint8Array(W * H * 3);
      readNormalized(buf, 0, s, back);
      expect(Array.from(back)).toEqual(Array.from(image.data));
    }
    const grey = spec({ channels: 1, normalization: { scale: 1 / 255, mean: [0.5], std: [0.5], channelOrder: 'RGB' } });
    const buf = new Float32Array(W * H);
    writeNormalized(image, grey, buf);
    const back = new Uint8Array(W * H * 3);
    readNormalized(buf, 0, grey, back);
    for (let p = 0; p < W * H; p++) {
      const luma = 0.299 * image.data[3 * p] + 0.587 * image.data[3 * p + 1] + 0.114 * image.data[3 * p + 2];
      expect(Math.abs(back[3 * p] - luma)).toBeLessThanOrEqual(0.5 + 1e-4);
      expect(back[3 * p + 1]).toBe(back[3 * p]);
    }
  });
});

describe('embeddingVector', () => {
  it('averages feature maps over space (channels first or last) and flattens other tensors', () => {
    const nchw: Embedding = { values: Float32Array.from([1, 2, 3, 4, 10, 20, 30, 40, /* image 1 */ 0, 0, 0, 4, 8, 8, 8, 8]), shape: [2, 2, 2, 2] };
    expect(Array.from(embeddingVector(nchw, 0, 'NCHW'))).toEqual([2.5, 25]);
    expect(Array.from(embeddingVector(nchw, 1, 'NCHW'))).toEqual([1, 8]);
    // The same numbers read channels-last: channel 0 holds 1, 3, 10, 30.
    expect(Array.from(embeddingVector(nchw, 0, 'NHWC'))).toEqual([11, 16.5]);
    const flat: Embedding = { values: Float32Array.from([1, 2, 3, 4, 5, 6]), shape: [2, 3] };
    expect(Array.from(embeddingVector(flat, 1, 'NCHW'))).toEqual([4, 5, 6]);
  });
});

describe('FeatureRecorder and recordImageSamples', () => {
  it('records features of every scored input and leaves out the extra unperturbed instance', async () => {
    const s = spec();
    const recorder = new FeatureRecorder(fakeModel(s), { embedding: 'map' });
    const image = randomImage(1);
    const size = W * H * 3;
    const result = await recordImageSamples('one.png', recorder, image, async () => {
      // What the pipeline does for a sampler whose first row is not the instance: a batch of
      // samples, then the unperturbed image alone.
      const batch = new Float32Array(3 * size);
      for (let r = 0; r < 3; r++) writeNormalized(randomImage(10 + r), s, batch, r * size);
      await recorder.predict(batch, 3);
      const alone = new Float32Array(size);
      writeNormalized(image, s, alone);
      await recorder.predict(alone, 1);
      return { numSamples: 3 };
    });
    expect(result.perturbed.length).toBe(3);
    expect(result.perturbed.every((p) => p.inputHash !== result.real.inputHash)).toBe(true);
    // 12 image statistics + 3 output features + 2 probabilities + 3 pooled channels.
    expect(result.real.features.length).toBe(12 + 3 + 2 + 3);
    expect(recorder.featureNames(3).length).toBe(20);
    expect(result.real.embedding!.length).toBe(3);
    // The image statistics are those of the image itself, read back from the buffer.
    const meanR = image.data.filter((_, i) => i % 3 === 0).reduce((a, b) => a + b, 0) / (W * H) / 255;
    expect(Math.abs(result.real.features[0] - meanR)).toBeLessThan(1e-6);
    await expect(recordImageSamples('two.png', recorder, image, async () => ({ numSamples: 5 }))).rejects.toThrow(ModelError);
  });

  it('refuses an embedding the model cannot return', () => {
    const { embed: _, ...plain } = fakeModel(spec());
    expect(() => new FeatureRecorder(plain as ModelAdapter, { embedding: 'map' })).toThrow(/embedding needs a model that can return intermediate tensors/);
  });
});

describe('studyDetectability', () => {
  const recorder = new FeatureRecorder(fakeModel(spec()), { embedding: 'map' });
  async function seq(n: number, make: (i: number) => Promise<ImageSamples>): Promise<ImageSamples[]> {
    const out: ImageSamples[] = [];
    for (let i = 0; i < n; i++) out.push(await make(i)); // one recorder: one image at a time
    return out;
  }
  async function samplesOf(seed: number, n: number, perturb: (img: RgbImage, k: number) => RgbImage): Promise<ImageSamples> {
    const image = randomImage(seed);
    const size = W * H * 3;
    return recordImageSamples(`img-${seed}`, recorder, image, async () => {
      const batch = new Float32Array(n * size);
      for (let k = 0; k < n; k++) writeNormalized(perturb(image, k), recorder.input, batch, k * size);
      await recorder.predict(batch, n);
      return { numSamples: n };
    });
  }

  it('gives AUC 0.5 exactly when the samples are the real images, and near 1 for black fills', async () => {
    const same = await seq(10, (i) => samplesOf(i, 6, (img) => img));
    const r = studyDetectability(same, { folds: 5, seed: 0 });
    expect(r.auc).toBe(0.5);
    expect(r.identicalShare).toBe(1);
    expect(Math.abs(r.confidence.shift)).toBeLessThan(1e-9);
    expect(r.confidence.flipRate).toBe(0);
    expect(r.projection.source).toBe('embedding');
    expect(r.projection.real.length).toBe(10);
    expect(r.projection.perturbed.length).toBe(60);
    const black = await seq(10, (i) => samplesOf(i, 6, (img, k) => ({ ...img, data: img.data.map((v, j) => (((j / 3) | 0) % (k + 2) === 0 ? 0 : v)) })));
    const b = studyDetectability(black, { folds: 5, seed: 0 });
    expect(b.auc).toBeGreaterThan(0.9);
    expect(b.identicalShare).toBe(0);
  });

  it('needs at least 2 images per fold', async () => {
    const seven = await seq(7, (i) => samplesOf(i, 3, (img) => img));
    expect(() => studyDetectability(seven, { folds: 4 })).toThrow(InvalidOptionError);
    expect(() => studyDetectability(seven, { folds: 4 })).toThrow(/4 folds need at least 8 images, got 7\. Use at most 3 folds/);
  });
});
