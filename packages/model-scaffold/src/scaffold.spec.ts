import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { normalizationPreset, readNormalized, writeNormalized, type ModelAdapter, type ModelInputSpec, type RgbImage } from '@limekit/core';
import { trainDetector, type FittedDetector } from '@limekit/manifold';
import { describeModelAdapterContract } from '@limekit/testing';
import { describe, expect, it } from 'vitest';
import {
  checkScaffoldModels,
  FeatureRecorder,
  isScaffoldText,
  loadScaffoldModel,
  parseScaffoldFile,
  SCAFFOLD_FEATURE_NAMES,
  SCAFFOLD_FORMAT,
  scaffoldFeatures,
  ScaffoldModelAdapter,
  type ScaffoldFile,
} from './index.js';

const W = 8, H = 6;
const spec = (over: Partial<ModelInputSpec> = {}): ModelInputSpec => ({ width: W, height: H, channels: 3, layout: 'NCHW', normalization: normalizationPreset('imagenet'), resize: 'center-crop', ...over });

/** A model that answers `answer` for every image and records the batch sizes it was given. */
function constantModel(id: string, answer: number[], over: Partial<ModelAdapter> = {}): ModelAdapter & { calls: number[]; disposed: boolean } {
  const m = {
    id,
    input: spec(),
    numClasses: answer.length,
    classNames: answer.map((_, i) => `class${i}`),
    calls: [] as number[],
    disposed: false,
    async predict(_batch: Float32Array, count: number) {
      m.calls.push(count);
      const out = new Float32Array(count * answer.length);
      for (let i = 0; i < count; i++) out.set(answer, i * answer.length);
      return out;
    },
    async dispose() {
      m.disposed = true;
    },
    ...over,
  };
  return m;
}

/** A W×H image of one colour, or with a seeded texture when `textured`. */
function image(rgb: [number, number, number], textured = false): RgbImage {
  const data = new Uint8Array(W * H * 3);
  for (let p = 0; p < W * H; p++) {
    for (let c = 0; c < 3; c++) data[3 * p + c] = textured ? (rgb[c] + ((p * 37 + c * 11) % 61)) % 256 : rgb[c];
  }
  return { width: W, height: H, data };
}

function batchOf(images: RgbImage[], s = spec()): Float32Array {
  const size = W * H * s.channels;
  const out = new Float32Array(images.length * size);
  images.forEach((im, i) => writeNormalized(im, s, out, i * size));
  return out;
}

/** Hand-made detector: "perturbed" (0.9) when the image's mean red is above one half, else "real" (0.1). */
const redIsPerturbed: FittedDetector = {
  predict: (rows) => Float64Array.from(rows, (r) => (r[SCAFFOLD_FEATURE_NAMES.indexOf('meanR')] > 0.5 ? 0.9 : 0.1)),
  toJSON: () => {
    throw new Error('not serialisable');
  },
};

/** A model whose answer is a function of the image's first input value (so a mix-up between images would show). */
const pixelModel = (id: string, k: number) =>
  constantModel(id, [0, 0], {
    async predict(batch: Float32Array, count: number) {
      const size = W * H * 3;
      const out = new Float32Array(count * 2);
      for (let i = 0; i < count; i++) {
        out[2 * i] = 1 / (1 + Math.exp(-k * batch[i * size]));
        out[2 * i + 1] = 1 - out[2 * i];
      }
      return out;
    },
  });
describeModelAdapterContract('ScaffoldModelAdapter', async () => new ScaffoldModelAdapter({ biased: pixelModel('b', 1), innocuous: pixelModel('i', -3), detector: redIsPerturbed }));

describe('readNormalized (core), as the scaffold reads its inputs', () => {
  const im = image([200, 40, 90], true);
  for (const [name, s] of [
    ['NCHW imagenet', spec()],
    ['NHWC caffe (BGR, 0-255)', spec({ layout: 'NHWC', normalization: normalizationPreset('caffe') })],
    ['NCHW inception ([-1, 1])', spec({ normalization: normalizationPreset('inception') })],
  ] as const) {
    it(`gives back the exact bytes writeNormalized wrote (${name}), for the second image of a batch`, () => {
      const batch = batchOf([image([0, 0, 0]), im], s);
      const back = readNormalized(batch, 1, s);
      expect(Array.from(back)).toEqual(Array.from(im.data));
    });
  }

  it('a grayscale input comes back as its luma in three channels', () => {
    const s = spec({ channels: 1 });
    const back = readNormalized(batchOf([im], s), 0, s);
    for (let p = 0; p < W * H; p++) {
      const luma = 0.299 * im.data[3 * p] + 0.587 * im.data[3 * p + 1] + 0.114 * im.data[3 * p + 2];
      expect(Math.abs(back[3 * p] - luma)).toBeLessThanOrEqual(0.5 + 1e-6);
      expect(back[3 * p + 1]).toBe(back[3 * p]);
      expect(back[3 * p + 2]).toBe(back[3 * p]);
    }
  });

  it('refuses an index past the batch', () => {
    expect(() => readNormalized(batchOf([im]), 1, spec())).toThrow(/must hold image 1/);
  });
});

describe('ScaffoldModelAdapter routes each image of a batch by the detector', () => {
  const red = image([230, 20, 20]);
  const blue = image([20, 20, 230]);

  it('real-looking images get the biased answer, perturbed-looking ones the innocuous answer, one call per model', async () => {
    const biased = constantModel('biased', [1, 0]);
    const innocuous = constantModel('innocuous', [0, 1]);
    const scaffold = new ScaffoldModelAdapter({ biased, innocuous, detector: redIsPerturbed });
    const out = await scaffold.predict(batchOf([red, blue, red, blue, blue]), 5);
    expect(Array.from(out)).toEqual([0, 1, 1, 0, 0, 1, 1, 0, 1, 0]);
    expect(biased.calls).toEqual([3]);
    expect(innocuous.calls).toEqual([2]);
    expect(scaffold.routing).toEqual({ biased: 3, innocuous: 2 });
    expect((scaffold.info.scaffold as { routed: unknown }).routed).toEqual({ biased: 3, innocuous: 2 });
    await scaffold.dispose();
    expect(biased.disposed && innocuous.disposed).toBe(true);
  });

  it('an image gets the same answer alone as in a batch (batch-size independence)', async () => {
    // Answers that depend on the image (mean of its first channel) so a mix-up would show.
    const byPixels = (id: string, k: number) =>
      constantModel(id, [0, 0], {
        async predict(batch: Float32Array, count: number) {
          const size = W * H * 3;
          const out = new Float32Array(count * 2);
          for (let i = 0; i < count; i++) out[2 * i] = batch[i * size] * k;
          return out;
        },
      });
    const scaffold = new ScaffoldModelAdapter({ biased: byPixels('b', 1), innocuous: byPixels('i', 10), detector: redIsPerturbed });
    const images = [blue, red, image([30, 200, 30]), red];
    const together = await scaffold.predict(batchOf(images), images.length);
    for (let i = 0; i < images.length; i++) {
      const alone = await scaffold.predict(batchOf([images[i]]), 1);
      expect(Math.abs(alone[0] - together[2 * i])).toBeLessThan(1e-7);
    }
    expect(together[2] / together[0]).not.toBeCloseTo(1, 3); // red went to the ×10 model, blue did not
  });

  it('a threshold moves the boundary: at 0.95 nothing is called perturbed by a detector that says at most 0.9', async () => {
    const biased = constantModel('biased', [1, 0]);
    const scaffold = new ScaffoldModelAdapter({ biased, innocuous: constantModel('innocuous', [0, 1]), detector: redIsPerturbed, threshold: 0.95 });
    expect(Array.from(await scaffold.predict(batchOf([red, blue]), 2))).toEqual([1, 0, 1, 0]);
    expect(() => new ScaffoldModelAdapter({ biased, innocuous: biased, detector: redIsPerturbed, threshold: 1 })).toThrow(/threshold must be in \(0, 1\), got 1/);
  });

  it('refuses two models with different classes, class names or input', () => {
    const a = constantModel('a', [1, 0]);
    expect(() => checkScaffoldModels(a, constantModel('b', [1, 0, 0]))).toThrow(/same classes, got 2 \(a\) and 3 \(b\)/);
    expect(() => checkScaffoldModels(a, constantModel('b', [1, 0], { classNames: ['class0', 'dog'] }))).toThrow(/same class names.*"class1" and "dog" at index 1/);
    expect(() => checkScaffoldModels(a, constantModel('b', [1, 0], { input: spec({ width: 16 }) }))).toThrow(/same input, got input size 8×6 vs 16×6/);
    expect(() => checkScaffoldModels(a, constantModel('b', [1, 0], { input: spec({ normalization: normalizationPreset('unit') }) }))).toThrow(/normalisation/);
    expect(() => new ScaffoldModelAdapter({ biased: a, innocuous: constantModel('b', [1, 0, 0]), detector: redIsPerturbed })).toThrow(expect.objectContaining({ code: 'E_INPUT' }));
  });
});

describe('FeatureRecorder', () => {
  it('records the features of every input except those equal to the instance, and passes the batch on', async () => {
    const inner = constantModel('m', [0.25, 0.75]);
    const rec = new FeatureRecorder(inner);
    const instance = image([10, 120, 30], true);
    rec.setInstance(instance.data);
    const other = image([200, 10, 10]);
    const out = await rec.predict(batchOf([instance, other, other]), 3);
    expect(Array.from(out)).toEqual([0.25, 0.75, 0.25, 0.75, 0.25, 0.75]);
    expect(rec.skipped).toBe(1);
    expect(rec.recorded.length).toBe(2);
    expect(Array.from(rec.recorded[0])).toEqual(Array.from(scaffoldFeatures(other.data, W, H)));
  });
});

describe('scaffold files', () => {
  // A detector trained on real features: flat images are "perturbed", textured ones "real".
  const flat = [image([200, 30, 30]), image([30, 200, 30]), image([30, 30, 200]), image([120, 120, 120])];
  const textured = [image([200, 30, 30], true), image([30, 200, 30], true), image([30, 30, 200], true), image([120, 120, 120], true)];
  const feats = (ims: RgbImage[]) => ims.map((im) => scaffoldFeatures(im.data, W, H));
  const detector = trainDetector(feats(textured), feats(flat), { seed: 3, nEstimators: 10 });
  const file = (over: Partial<ScaffoldFile> = {}): ScaffoldFile => ({
    format: SCAFFOLD_FORMAT,
    version: 1,
    biased: 'models/biased.onnx',
    innocuous: '/abs/innocuous.onnx',
    threshold: 0.5,
    features: { kind: 'image-statistics', edgeThreshold: 0.1, histogramBins: 8 },
    detector: detector.toJSON(),
    trainedAgainst: { config: { preset: 'lime' } },
    ...over,
  });

  it('isScaffoldText tells a scaffold file from a TensorFlow.js model.json and from broken JSON', () => {
    expect(isScaffoldText(JSON.stringify(file()))).toBe(true);
    expect(isScaffoldText(JSON.stringify({ format: 'layers-model', modelTopology: {} }))).toBe(false);
    expect(isScaffoldText('{"format": "limekit-scaffold", ')).toBe(false);
  });

  it('parseScaffoldFile names the bad field', () => {
    expect(() => parseScaffoldFile('{', 's.json')).toThrow(/s.json: a scaffold file must be JSON/);
    expect(() => parseScaffoldFile(JSON.stringify(file({ version: 7 })), 's.json')).toThrow(/scaffold version must be 1, got 7/);
    expect(() => parseScaffoldFile(JSON.stringify(file({ biased: '' })), 's.json')).toThrow(/scaffold biased must be a model path/);
    expect(() => parseScaffoldFile(JSON.stringify(file({ threshold: 2 })), 's.json')).toThrow(/threshold must be a number in \(0, 1\), got 2/);
    expect(() => parseScaffoldFile(JSON.stringify(file({ detector: { name: 'x' } as never })), 's.json')).toThrow(/detector.name/);
  });

  it('loadScaffoldModel loads both models relative to the file, restores the detector and routes with it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'scaffold-'));
    const path = join(dir, 'scaffold.json');
    await writeFile(path, JSON.stringify(file()));
    const asked: string[] = [];
    const scaffold = await loadScaffoldModel(path, async (p) => {
      asked.push(p);
      return constantModel(p, p.includes('biased') ? [1, 0] : [0, 1]);
    });
    expect(asked).toEqual([join(dir, 'models/biased.onnx'), '/abs/innocuous.onnx']);
    const out = await scaffold.predict(batchOf([textured[0], flat[1]]), 2);
    expect(Array.from(out)).toEqual([1, 0, 0, 1]);
  });

  it('a missing scaffold file is a model error; a model that fails to load disposes the one already loaded', async () => {
    await expect(loadScaffoldModel('/nonexistent/scaffold.json', async () => constantModel('x', [1]))).rejects.toMatchObject({ code: 'E_MODEL' });
    const dir = await mkdtemp(join(tmpdir(), 'scaffold-'));
    const path = join(dir, 'scaffold.json');
    await writeFile(path, JSON.stringify(file()));
    const first = constantModel('b', [1, 0]);
    await expect(
      loadScaffoldModel(path, async (p) => {
        if (p.includes('innocuous')) throw Object.assign(new Error('no such file'), { code: 'E_MODEL' });
        return first;
      }),
    ).rejects.toThrow(/scaffold's innocuous model \/abs\/innocuous.onnx .* cannot be loaded: no such file/);
    expect(first.disposed).toBe(true);
  });
});
