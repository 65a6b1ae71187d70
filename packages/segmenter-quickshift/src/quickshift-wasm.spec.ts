import { createRng, rgbImage, type RgbImage } from '@limekit/core';
import { flatImage } from '@limekit/testing';
import { describe, expect, it } from 'vitest';
import { loadFixtureImage } from '../test/fixtures.js';
import { quickshift, quickshiftFeatures, type QuickshiftOptions } from './quickshift.js';
import { accumulateDensity } from './quickshift-js.js';
import { DEFAULT_QUICKSHIFT_OPTIONS } from './quickshift-segmenter.js';
import { accumulateDensityWasm, quickshiftWasmAvailable } from './quickshift-wasm.js';

/** Photo-like noise: random colour blobs plus pixel noise, from a seeded generator. */
function randomPhoto(width: number, height: number, seed: number): RgbImage {
  const rng = createRng(seed);
  const img = rgbImage(width, height);
  const blobs = Array.from({ length: 10 }, () => [rng.nextFloat() * width, rng.nextFloat() * height, 5 + rng.nextFloat() * 30, rng.nextFloat() * 255, rng.nextFloat() * 255, rng.nextFloat() * 255]);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let best = Infinity, c = blobs[0];
      for (const b of blobs) {
        const d = Math.hypot(x - b[0], y - b[1]) / b[2];
        if (d < best) [best, c] = [d, b];
      }
      for (let ch = 0; ch < 3; ch++) img.data[3 * (y * width + x) + ch] = Math.max(0, Math.min(255, Math.round(c[3 + ch] + (rng.nextFloat() - 0.5) * 50)));
    }
  }
  return img;
}

const SETTINGS: [string, Partial<QuickshiftOptions>][] = [
  ['lime (4, 200, 0.2)', { kernelSize: 4, maxDist: 200, ratio: 0.2 }],
  ["scikit-image's defaults (5, 10, 1)", {}],
  ['kernelSize 2, sigma 1', { kernelSize: 2, maxDist: 200, ratio: 0.2, sigma: 1 }],
  ['RGB, kernelSize 3, maxDist 6', { kernelSize: 3, maxDist: 6, ratio: 0.5, convert2lab: false }],
];

function expectSameLabels(image: RgbImage, options: Partial<QuickshiftOptions>, seed = 1): void {
  const p = { ...DEFAULT_QUICKSHIFT_OPTIONS, ...options };
  const js = quickshift(image, p, createRng(seed), 'js');
  const wasm = quickshift(image, p, createRng(seed), 'wasm');
  expect(wasm.count).toBe(js.count);
  let differing = 0;
  for (let i = 0; i < js.labels.length; i++) if (js.labels[i] !== wasm.labels[i]) differing++;
  expect(differing).toBe(0);
}

// The WebAssembly kernels (wasm/quickshift.as.ts) against the JavaScript loops they replace
// (quickshift-js.ts, the implementation the scikit-image parity fixtures were first matched with):
// identical labels and counts, not merely close ones.
describe.skipIf(!quickshiftWasmAvailable())('quickshift WebAssembly kernels: identical labels to the JavaScript implementation', () => {
  for (const name of ['chelsea_224.png', 'coffee_224.png', 'chelsea_160x120.png', 'coffee_gray_160x120.png']) {
    it(`on ${name}, under ${SETTINGS.length} settings`, async () => {
      const image = await loadFixtureImage(name);
      for (const [, options] of SETTINGS) expectSameLabels(image, options);
    });
  }

  it('on random photo-like images of odd sizes, a flat image and a 1×1 image', () => {
    [[97, 61], [300, 40], [31, 157]].forEach(([w, h], i) => {
      const image = randomPhoto(w, h, 200 + i);
      for (const [, options] of SETTINGS.slice(0, 2)) expectSameLabels(image, options, i + 3);
    });
    expectSameLabels(flatImage(40, 30), { kernelSize: 4, maxDist: 200, ratio: 0.2 });
    expectSameLabels(flatImage(1, 1), {});
  });

  // The density pass runs two pixels per SIMD vector: its sums must be the scalar loop's, double
  // for double (equal labels alone could hide a difference in the last bit).
  it('computes the density double for double as the JavaScript loop, on odd and even widths', async () => {
    const cases: [RgbImage, Partial<QuickshiftOptions>][] = [
      [await loadFixtureImage('chelsea_224.png'), { kernelSize: 4, maxDist: 200, ratio: 0.2 }],
      [await loadFixtureImage('coffee_224.png'), {}],
      [randomPhoto(97, 61, 7), { kernelSize: 3, maxDist: 6, ratio: 0.5, convert2lab: false }],
      [randomPhoto(31, 157, 8), { kernelSize: 2, maxDist: 200, ratio: 0.2 }],
      [randomPhoto(300, 40, 9), { kernelSize: 0.5, maxDist: 10, ratio: 1 }],
    ];
    for (const [image, options] of cases) {
      const p = { ...DEFAULT_QUICKSHIFT_OPTIONS, ...options };
      const f = quickshiftFeatures(image, p);
      const rng = createRng(5);
      const start = Float64Array.from({ length: image.width * image.height }, () => rng.nextGaussian() * 1e-5 + 1);
      const kernelWidth = Math.ceil(3 * p.kernelSize);
      const inv = -0.5 / (p.kernelSize * p.kernelSize);
      const js = start.slice();
      accumulateDensity(f, js, image.height, image.width, kernelWidth, inv);
      const wasm = accumulateDensityWasm(f, start, image.height, image.width, kernelWidth, inv);
      const a = new BigUint64Array(js.buffer), b = new BigUint64Array(wasm.buffer);
      let differing = 0;
      for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) differing++;
      expect(differing).toBe(0);
      // and the pass did add terms (not a copy of the start values)
      expect(js.some((v, i) => v - start[i] > 1e-3)).toBe(true);
    }
  });
});
