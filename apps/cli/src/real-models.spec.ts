import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadImage, maskToView, viewTransform } from '@limekit/image';
import { decodeNpyInt32 } from '@limekit/lime';
import { describe, expect, it } from 'vitest';
import { cli, demo, IMAGENET_MODELS as SHARED, tempDir } from '../test/helpers.js';

// Real pretrained ImageNet classifiers, kept OUTSIDE the repository (../shared/models/imagenet,
// see its README: SqueezeNet 1.1 as ONNX and TensorFlow.js, SqueezeNet 1.0 NHWC with 1001
// outputs); IMAGENET_MODELS in test/helpers.ts (LIMEKIT_IMAGENET_MODELS points elsewhere).
const have = existsSync(join(SHARED, 'squeezenet1.1_imagenet_nchw.onnx'));
if (!have) console.warn(`SKIPPED real-model tests: no pretrained SqueezeNets at ${SHARED} (they are not part of the repository; set LIMEKIT_IMAGENET_MODELS to their folder).`);

const S = (p: string) => join(SHARED, p);
const CHELSEA = demo('real/chelsea.png'); // scikit-image's public-domain cat photo, 451×300
const CAT_MASK = demo('real/chelsea.cat-mask.png'); // hand-drawn polygon (tools/real/chelsea_cat_mask.py)

type Top = { index: number; name: string; probability: number }[];
const predict = async (args: string[]) => {
  const r = await cli(['predict', '--image', CHELSEA, '--json', '--quiet', ...args]);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as { top: Top; probabilities: number[] };
};

describe.skipIf(!have)('real ImageNet classifiers on a public-domain photo', () => {
  // torchvision's evaluation transform: Resize(256) + CenterCrop(224), ImageNet mean/std.
  const squeezenet11 = ['--labels', S('imagenet_labels1000.txt'), '--preprocess', 'imagenet', '--resize-to', '256', '--top', '3'];

  it('SqueezeNet 1.1 (ONNX and TensorFlow.js) says "Egyptian cat", and both agree', async () => {
    const onnx = await predict(['--model', S('squeezenet1.1_imagenet_nchw.onnx'), ...squeezenet11]);
    // onnxruntime-node, shared README: Egyptian cat 0.55, tiger cat 0.23, tabby 0.21.
    expect(onnx.top.map((t) => t.index)).toEqual([285, 282, 281]);
    expect(onnx.top[0].name).toBe('Egyptian cat');
    expect(Math.abs(onnx.top[0].probability - 0.5502)).toBeLessThan(5e-3);
    const tfjs = await predict(['--model', S('tfjs_squeezenet1.1_imagenet'), ...squeezenet11]);
    expect(tfjs.top[0].name).toBe('Egyptian cat');
    let worst = 0;
    for (let i = 0; i < 1000; i++) worst = Math.max(worst, Math.abs(onnx.probabilities[i] - tfjs.probabilities[i]));
    expect(worst).toBeLessThan(1e-4); // the shared README measured 1.3e-6
  }, 120_000);

  it('SqueezeNet 1.0 with 1001 outputs (index 0 = background) reads the 1000-class labels with --label-offset 1', async () => {
    const args = ['--labels', S('imagenet_labels1000.txt'), '--label-offset', '1', '--preprocess', 'inception', '--resize-to', '256', '--top', '1'];
    for (const model of ['squeezenet1.0_imagenet1001_nhwc.onnx', 'tfjs_squeezenet1.0_imagenet1001']) {
      const r = await predict(['--model', S(model), ...args]);
      expect(r.probabilities).toHaveLength(1001);
      expect(r.top[0]).toMatchObject({ index: 286, name: 'Egyptian cat' });
    }
  }, 120_000);

  it("the explanation's top segments lie on the cat", async () => {
    // Criterion: with the whole photo in view (--resize stretch; the cat covers 75.9 % of it), each
    // of the five segments with the largest positive weight for "Egyptian cat" has >= 90 % of its
    // pixels on the hand-drawn cat mask. lime's defaults (quickshift 4/200/0.2, ridge), 300 samples.
    const out = join(await tempDir(), 'cat');
    const r = await cli([
      'explain', '--model', S('squeezenet1.1_imagenet_nchw.onnx'), '--labels', S('imagenet_labels1000.txt'), '--preprocess', 'imagenet',
      '--image', CHELSEA, '--resize', 'stretch', '--label', 'Egyptian cat', '--samples', '300', '--seed', '0', '--out', out, '--quiet',
    ]);
    expect(r.code).toBe(0);
    const json = JSON.parse(await readFile(join(out, 'explanation.json'), 'utf8'));
    expect(json.labels[0].name).toBe('Egyptian cat');
    const weights = json.labels[0].weights as number[];
    const seg = decodeNpyInt32(await readFile(join(out, 'segments.npy')));
    const [H, W] = seg.shape;
    const maskImage = await loadImage(CAT_MASK);
    const mask = Uint8Array.from({ length: maskImage.width * maskImage.height }, (_, p) => (maskImage.data[3 * p] > 127 ? 1 : 0));
    const onCat = maskToView(mask, viewTransform(maskImage.width, maskImage.height, { width: W, height: H, resize: 'stretch' }));
    const share = onCat.reduce((a, b) => a + b, 0) / onCat.length;
    expect(Math.abs(share - 0.759)).toBeLessThan(0.01);
    const top = weights.map((w, s) => [w, s]).filter(([w]) => w > 0).sort((a, b) => b[0] - a[0]).slice(0, 5).map(([, s]) => s);
    expect(top).toHaveLength(5);
    for (const s of top) {
      let inside = 0, total = 0;
      for (let p = 0; p < seg.data.length; p++) if (seg.data[p] === s) {
        total++;
        inside += onCat[p];
      }
      expect(inside / total, `segment ${s}`).toBeGreaterThanOrEqual(0.9);
    }
  }, 180_000);
});
