import { createRng, rgbImage, type RgbImage } from '@limekit/core';
import { flatImage } from '@limekit/testing';
import { describe, expect, it } from 'vitest';
import { loadFixtureImage, loadTinyCases } from '../test/fixtures.js';
import { felzenszwalb, type FelzenszwalbOptions } from './felzenszwalb.js';
import { DEFAULT_FELZENSZWALB_OPTIONS } from './felzenszwalb-segmenter.js';
import { felzenszwalbWasmAvailable } from './felzenszwalb-wasm.js';

/** Photo-like noise: random colour blobs plus pixel noise, from a seeded generator. */
function randomPhoto(width: number, height: number, seed: number): RgbImage {
  const rng = createRng(seed);
  const img = rgbImage(width, height);
  const blobs = Array.from({ length: 12 }, () => [rng.nextFloat() * width, rng.nextFloat() * height, 5 + rng.nextFloat() * 40, rng.nextFloat() * 255, rng.nextFloat() * 255, rng.nextFloat() * 255]);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let best = Infinity, c = blobs[0];
      for (const b of blobs) {
        const d = Math.hypot(x - b[0], y - b[1]) / b[2];
        if (d < best) [best, c] = [d, b];
      }
      for (let ch = 0; ch < 3; ch++) img.data[3 * (y * width + x) + ch] = Math.max(0, Math.min(255, Math.round(c[3 + ch] + (rng.nextFloat() - 0.5) * 60)));
    }
  }
  return img;
}

const SETTINGS: [string, Partial<FelzenszwalbOptions>][] = [
  ['scale 100, sigma 0.5, minSize 50', { scale: 100, sigma: 0.5, minSize: 50 }],
  ['defaults (1, 0.8, 20)', {}],
  ['scale 300, sigma 1.5', { scale: 300, sigma: 1.5, minSize: 20 }],
  ['sigma 0 (many equal weights: the unstable sort order matters)', { scale: 100, sigma: 0, minSize: 20 }],
  ['sigma 0.1 (a one-tap kernel), minSize 0', { scale: 50, sigma: 0.1, minSize: 0 }],
];

function expectSameLabels(image: RgbImage, options: Partial<FelzenszwalbOptions>): void {
  const p = { ...DEFAULT_FELZENSZWALB_OPTIONS, ...options };
  const js = felzenszwalb(image.data, image.height, image.width, p, 'js');
  const wasm = felzenszwalb(image.data, image.height, image.width, p, 'wasm');
  expect(wasm.count).toBe(js.count);
  let differing = 0;
  for (let i = 0; i < js.labels.length; i++) if (js.labels[i] !== wasm.labels[i]) differing++;
  expect(differing).toBe(0);
}

// The WebAssembly kernels (wasm/felzenszwalb.as.ts) against the JavaScript they replace
// (felzenszwalb.ts and argsort.ts, the implementation the scikit-image parity fixtures were first
// matched with): identical labels and counts, not merely close ones.
describe.skipIf(!felzenszwalbWasmAvailable())('felzenszwalb WebAssembly kernels: identical labels to the JavaScript implementation', () => {
  for (const name of ['chelsea_224.png', 'coffee_224.png', 'chelsea_160x120.png', 'coffee_gray_160x120.png']) {
    it(`on ${name}, under ${SETTINGS.length} settings`, async () => {
      const image = await loadFixtureImage(name);
      for (const [, options] of SETTINGS) expectSameLabels(image, options);
    });
  }

  it('on random photo-like images of odd sizes, flat and 1-pixel-wide images', () => {
    [[97, 61], [300, 200], [31, 257], [512, 384]].forEach(([w, h], i) => {
      const image = randomPhoto(w, h, 300 + i);
      for (const [, options] of SETTINGS) expectSameLabels(image, options);
    });
    for (const [w, h] of [[40, 30], [1, 1], [1, 9], [9, 1]]) expectSameLabels(flatImage(w, h), { scale: 100, sigma: 0.5, minSize: 5 });
  });

  it("on the tiny edge cases of scikit-image's fixtures", () => {
    for (const c of loadTinyCases()) expectSameLabels(c.image, c.options as Partial<FelzenszwalbOptions>);
  });
});
