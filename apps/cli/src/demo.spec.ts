import { readdirSync } from 'node:fs';
import type { ModelAdapter, RgbImage } from '@limekit/core';
import { loadImage, loadMask, maskToView, preprocessToView } from '@limekit/image';
import { createExperimentContainer, explainerFrom, explainOptionsFrom, resolveConfig } from '@limekit/lime';
import { OnnxModelAdapter } from '@limekit/model-onnx';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demo } from '../test/helpers.js';

// The claim of demo/README.md, measured there for Python lime (tools/demo-model/check_evidence.py:
// lime 0.2's LimeImageExplainer restated with scikit-image 0.19.3 and scikit-learn 1.2.1), and
// checked here for limekit with the same settings: each demo image's true class explained with
// 1000 samples and a Gaussian-blur fill (σ = 5 px), quickshift (lime preset) and SLIC
// (lime-slic preset) segments, seeds 0, 1, 2:
//   1. the top-weighted segment is on the shape: ≥ half of its pixels on the shape, or it holds
//      ≥ half of the shape;
//   2. the (at most five) top positive segments hold ≥ 90 % of the shape's pixels.
// Smallest values over images and seeds — Python lime: quickshift 0.95 / 0.98, SLIC 0.90 / 0.95;
// limekit: quickshift 0.942 / 0.994, SLIC 0.915 / 0.961.
//
// Cost: 56 explanations of 1000 samples; the model's 56 000 predictions are nearly all of it. So
// that a busy machine does not turn this into a timeout, each blurred-fill run is its own test
// (one explanation against the default 60 s budget), the model is loaded once with one ONNX
// Runtime thread (on a shared 2-core machine a second thread mostly waits for a core; the
// predictions are the same), and each image, its view and its mask are read once.
const CLASSES = ['circle', 'square', 'triangle', 'star'];
const SEEDS = [0, 1, 2];
const images = readdirSync(demo('images')).filter((f) => f.endsWith('.png')).sort();
/** Per explanation, the budget a single test has: the segment-mean test runs one per image. */
const BUDGET_PER_EXPLANATION_MS = 60_000;

interface DemoImage {
  view: RgbImage;
  mask: Uint8Array;
  truth: number;
}
let model: ModelAdapter;
const inputs = new Map<string, DemoImage>();

beforeAll(async () => {
  model = await OnnxModelAdapter.load(demo('model/shapes.onnx'), { labels: demo('model/labels.json'), intraOpNumThreads: 1 });
  for (const file of images) {
    const { view, transform } = await preprocessToView(await loadImage(demo(`images/${file}`)), model.input);
    const mask = maskToView((await loadMask(demo(`masks/${file}`))).data, transform);
    inputs.set(file, { view, mask, truth: CLASSES.indexOf(file.split('-')[0]) });
  }
});
afterAll(async () => {
  await model?.dispose();
});

async function evidence(preset: string, fill: Record<string, unknown>, seed: number, file: string): Promise<{ topOnShape: number; top5Coverage: number }> {
  const { view, mask, truth } = inputs.get(file)!;
  const resolved = await resolveConfig({ preset, baseline: fill as never, seed });
  const exp = await explainerFrom(createExperimentContainer(resolved, model)).explain(view, { ...explainOptionsFrom(resolved), labels: [truth] });
  const w = exp.labels[0].weights;
  const order = Array.from(w, (_, i) => i).sort((a, b) => w[b] - w[a] || a - b);
  const shape = mask.reduce((a, b) => a + b, 0);
  const count = (set: number[]) => {
    let area = 0, on = 0;
    exp.segments.labels.forEach((s, p) => {
      if (set.includes(s)) {
        area++;
        on += mask[p];
      }
    });
    return { area, on };
  };
  const top = count([order[0]]);
  const top5 = count(order.slice(0, 5).filter((s) => w[s] > 0));
  return { topOnShape: Math.max(top.on / top.area, top.on / shape), top5Coverage: top5.on / shape };
}

describe('the demo explanations point at the evidence, at least as well as Python lime', () => {
  it('runs on the eight demo images', () => {
    expect(images.length).toBeGreaterThanOrEqual(8);
  });

  for (const preset of ['lime', 'lime-slic']) {
    describe(`${preset} with a blurred fill: both claims on every image and seed`, () => {
      let min1 = 1, min2 = 1, runs = 0;
      afterAll(() => {
        if (runs) console.log(`${preset} + blur: smallest top-segment-on-shape ${min1.toFixed(3)}, smallest top-5 coverage ${min2.toFixed(3)} (${runs} runs)`);
      });
      for (const seed of SEEDS) {
        for (const file of images) {
          it(`${file}, seed ${seed}`, async () => {
            const e = await evidence(preset, { use: 'blur', options: { sigma: 5 } }, seed, file);
            min1 = Math.min(min1, e.topOnShape);
            min2 = Math.min(min2, e.top5Coverage);
            runs++;
            expect(e.topOnShape, `${file}, seed ${seed}: top segment on the shape`).toBeGreaterThanOrEqual(0.5);
            expect(e.top5Coverage, `${file}, seed ${seed}: top-5 positive segments cover the shape`).toBeGreaterThanOrEqual(0.9);
          });
        }
      }
    });
  }

  it(
    "lime's own segment-mean fill misses most shapes, as Python lime does (recorded, not claimed)",
    async () => {
      let hits = 0;
      for (const file of images) if ((await evidence('lime', { use: 'segment-mean' }, 0, file)).topOnShape >= 0.5) hits++;
      console.log(`lime preset as it is (segment-mean fill): top segment on the shape in ${hits}/${images.length} images (Python lime: 3/8)`);
      // "Most are missed": fewer than half are hits (measured: 3 of 8). If the fill stopped hiding
      // the evidence, the hits would reach the blurred fill's (every image) and this would fail.
      expect(hits).toBeLessThan(images.length / 2);
    },
    BUDGET_PER_EXPLANATION_MS * images.length,
  );
});
