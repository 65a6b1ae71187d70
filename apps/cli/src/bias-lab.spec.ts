import { readdirSync } from 'node:fs';
import { writeNormalized, type ModelAdapter, type RgbImage } from '@limekit/core';
import { loadImage, loadMask, maskToView, preprocessToView } from '@limekit/image';
import { createExperimentContainer, explainerFrom, explainOptionsFrom, loadModel, resolveConfig } from '@limekit/lime';
import { OnnxModelAdapter } from '@limekit/model-onnx';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, demo } from '../test/helpers.js';

// The bias lab (demo/bias-lab/, made by tools/demo-model/bias_lab.py): two copies of one small
// CNN that tell a circle from a square. `biased.onnx` was trained where 97 % of circles lie on
// snow and 97 % of squares on grass; `unbiased.onnx` on the same kind of images with the
// background independent of the class. Held-out accuracies are in demo/bias-lab/metrics.json.
//
// Claims checked here, through limekit's public API and CLI:
//   1. on a reversed image (a square on snow) the biased model answers by the background
//      ("circle") and the unbiased one by the object ("square");
//   2. LIME shows it: over the shipped images, the share of the top-5 positive segments' area
//      that lies on the background mask is larger for the biased model than for the unbiased one.
const lab = (p: string) => demo(`bias-lab/${p}`);
const LABELS = ['circle', 'square'];
const images = readdirSync(lab('images')).filter((f) => f.endsWith('.png')).sort();

interface LabImage {
  view: RgbImage;
  background: Uint8Array;
}
const models = new Map<string, ModelAdapter>();
const inputs = new Map<string, LabImage>();

beforeAll(async () => {
  for (const name of ['biased', 'unbiased']) {
    models.set(name, await OnnxModelAdapter.load(lab(`${name}.onnx`), { labels: lab('labels.json'), intraOpNumThreads: 1 }));
  }
  const input = models.get('biased')!.input;
  for (const file of images) {
    const { view, transform } = await preprocessToView(await loadImage(lab(`images/${file}`)), input);
    const background = maskToView((await loadMask(lab(`masks/background/${file}`))).data, transform);
    inputs.set(file, { view, background });
  }
});
afterAll(async () => {
  for (const m of models.values()) await m.dispose();
});

async function probabilities(model: ModelAdapter, view: RgbImage): Promise<Float32Array> {
  const input = new Float32Array(model.input.width * model.input.height * model.input.channels);
  writeNormalized(view, model.input, input);
  return model.predict(input, 1);
}

describe('bias lab: the models', () => {
  it('ships images of both classes on both backgrounds, reversed pairs included', () => {
    for (const pair of ['circle-on-snow', 'square-on-grass', 'circle-on-grass', 'square-on-snow']) {
      expect(images.filter((f) => f.startsWith(pair)).length, pair).toBeGreaterThanOrEqual(2);
    }
  });

  it('on every shipped image the biased model follows the background, the unbiased one the object', async () => {
    for (const file of images) {
      const [object, background] = file.replace('.png', '').split('-on-');
      const byBackground = background.startsWith('snow') ? 'circle' : 'square';
      for (const [model, expected] of [['biased', byBackground], ['unbiased', object]]) {
        const p = await probabilities(models.get(model)!, inputs.get(file)!.view);
        expect(LABELS[p.indexOf(Math.max(...p))], `${model} on ${file}`).toBe(expected);
      }
    }
  });

  it('the TensorFlow.js exports give the ONNX models\' probabilities (within 1e-4) on every image', async () => {
    for (const name of ['biased', 'unbiased']) {
      const tfjs = await loadModel(lab(`tfjs/${name}/model.json`));
      try {
        for (const file of images) {
          const a = await probabilities(models.get(name)!, inputs.get(file)!.view);
          const b = await probabilities(tfjs, inputs.get(file)!.view);
          for (let k = 0; k < LABELS.length; k++) expect(Math.abs(a[k] - b[k]), `${name} ${file} class ${k}`).toBeLessThan(1e-4);
        }
      } finally {
        await tfjs.dispose();
      }
    }
  });

  for (const [model, expected] of [['biased', 'circle'], ['unbiased', 'square']] as const) {
    it(`limekit predict: the ${model} model calls a square on snow a ${expected}`, async () => {
      for (const file of images.filter((f) => f.startsWith('square-on-snow'))) {
        const r = await cli(['predict', '--model', lab(`${model}.onnx`), '--labels', lab('labels.json'), '--image', lab(`images/${file}`), '--json']);
        expect(r.code, r.stderr).toBe(0);
        const out = JSON.parse(r.stdout) as { top: { name: string; probability: number }[] };
        expect(out.top[0].name, `${model} on ${file}`).toBe(expected);
      }
    });
  }
});

/**
 * Share of the top-5 positive segments' area that lies on the background mask (view pixels), for
 * the model's top class; by default with the `lime-slic` preset and a Gaussian-blur fill (σ = 5 px).
 */
async function backgroundShare(model: string, file: string, preset = 'lime-slic', fill: Record<string, unknown> = BLUR): Promise<{ share: number; label: string }> {
  const m = models.get(model)!;
  const { view, background } = inputs.get(file)!;
  const resolved = await resolveConfig({ preset, baseline: fill as never, numSamples: NUM_SAMPLES, seed: 0 });
  const exp = await explainerFrom(createExperimentContainer(resolved, m)).explain(view, { ...explainOptionsFrom(resolved), topLabels: 1 });
  const { weights } = exp.labels[0];
  const order = Array.from(weights, (_, i) => i).sort((a, b) => weights[b] - weights[a] || a - b);
  const top = new Set(order.slice(0, 5).filter((s) => weights[s] > 0));
  let area = 0;
  let onBackground = 0;
  exp.segments.labels.forEach((s, p) => {
    if (top.has(s)) {
      area++;
      if (background[p]) onBackground++;
    }
  });
  return { share: area ? onBackground / area : 0, label: exp.labels[0].name ?? LABELS[exp.labels[0].index] };
}

// Measured (seed 0, 500 samples, the 12 shipped images, the 64 px view; lime-slic gives about 43
// segments there): mean background share biased 0.900, unbiased 0.593. Thresholds leave margin:
// biased ≥ 0.80, unbiased ≤ 0.70, and the gap ≥ 0.15. Other fills, measured the same way (not
// asserted; docs/guides/bias-lab.md): segment-mean 0.835 / 0.691, grey constant 0.946 / 0.489.
// lime's own quickshift defaults (the `lime` preset) give only about 4 segments on a 64 px view,
// too few for "top 5" to mean anything (0.951 / 0.867 with its segment-mean fill).
const NUM_SAMPLES = 500;
const BLUR = { use: 'blur', options: { sigma: 5 } };

async function meanShares(preset: string, fill: Record<string, unknown>): Promise<Record<string, number>> {
  const mean: Record<string, number> = {};
  for (const model of ['biased', 'unbiased']) {
    const shares: string[] = [];
    let sum = 0;
    for (const file of images) {
      const { share, label } = await backgroundShare(model, file, preset, fill);
      sum += share;
      shares.push(`${file}→${label} ${share.toFixed(2)}`);
    }
    mean[model] = sum / images.length;
    console.log(`${preset}, ${JSON.stringify(fill)}, ${model}: mean background share ${mean[model].toFixed(3)}; ${shares.join(', ')}`);
  }
  return mean;
}
describe('bias lab: LIME points at the background for the biased model, at the object for the control', () => {
  it('lime-slic with a blurred fill: background share of the top-5 positive segments', async () => {
    const mean = await meanShares('lime-slic', BLUR);
    expect(mean.biased).toBeGreaterThanOrEqual(0.8);
    expect(mean.unbiased).toBeLessThanOrEqual(0.7);
    expect(mean.biased - mean.unbiased).toBeGreaterThanOrEqual(0.15);
  }, 180_000);
});

// The other rows of docs/guides/bias-lab.md, measured (not asserted) on request, since they
// cost four times the asserted test: BIAS_LAB_MEASURE=1 npx vitest run apps/cli/src/bias-lab.spec.ts
const MEASURE = Boolean(process.env.BIAS_LAB_MEASURE);
describe.runIf(MEASURE)('bias lab: the walkthrough table, other segmenters and fills (BIAS_LAB_MEASURE=1)', () => {
  const rows: [string, Record<string, unknown>][] = [
    ['lime-slic', { use: 'segment-mean' }],
    ['lime-slic', { use: 'constant', options: { color: [124, 116, 104] } }],
    ['lime', { use: 'segment-mean' }],
    ['lime', BLUR],
  ];
  for (const [preset, fill] of rows) {
    it(`${preset}, ${fill.use}`, async () => {
      const mean = await meanShares(preset, fill);
      expect(Number.isFinite(mean.biased) && Number.isFinite(mean.unbiased)).toBe(true);
    }, 300_000);
  }
});
if (!MEASURE) console.log('bias-lab.spec: the walkthrough table\'s unasserted rows are skipped; set BIAS_LAB_MEASURE=1 to measure them');
