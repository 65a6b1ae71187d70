import { createRng, rgbImage, type RgbImage } from '@limekit/core';
import { syntheticImage } from '@limekit/testing';
import { describe, expect, it } from 'vitest';
import { loadFixtureImage, loadTinyCases } from '../test/fixtures.js';
import { slic, type SlicOptions } from './slic.js';
import { DEFAULT_SLIC_OPTIONS } from './slic-segmenter.js';
import { slicWasmAvailable, wasmCbrt } from './slic-wasm.js';

/** Photo-like noise: smooth random blobs plus pixel noise, from a seeded generator. */
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

const SETTINGS: [string, Partial<SlicOptions>][] = [
  ['lime-slic (50, compactness 10, sigma 1)', { nSegments: 50, compactness: 10, sigma: 1 }],
  ['defaults', {}],
  ['100 segments, compactness 3, sigma 1', { nSegments: 100, compactness: 3, sigma: 1 }],
  ['SLIC-zero', { nSegments: 100, sigma: 1, slicZero: true }],
  ['RGB clustering', { nSegments: 60, compactness: 0.1, convert2lab: false }],
  ['no connectivity step, 3 iterations', { nSegments: 80, enforceConnectivity: false, maxNumIter: 3 }],
  ['200 segments, min size 0, max size 0.5', { nSegments: 200, minSizeFactor: 0, maxSizeFactor: 0.5 }],
  ['sigma 0.1 (a one-tap kernel) and sigma 3', { nSegments: 40, sigma: 0.1 }],
  ['sigma 3', { nSegments: 40, sigma: 3, compactness: 20 }],
];

function expectSameLabels(image: RgbImage, options: Partial<SlicOptions>): void {
  const p = { ...DEFAULT_SLIC_OPTIONS, ...options };
  const js = slic(image.data, image.height, image.width, p, 'js');
  const wasm = slic(image.data, image.height, image.width, p, 'wasm');
  expect(wasm.length).toBe(js.length);
  let differing = 0;
  for (let i = 0; i < js.length; i++) if (js[i] !== wasm[i]) differing++;
  expect(differing).toBe(0);
}

// The WebAssembly kernels (wasm/slic.as.ts) against the JavaScript loops they replace
// (slic-js.ts, the implementation the scikit-image parity fixtures were first matched with):
// the labels must be identical, not merely close.
describe.skipIf(!slicWasmAvailable())('SLIC WebAssembly kernels: identical labels to the JavaScript implementation', () => {
  for (const name of ['chelsea_224.png', 'coffee_224.png', 'chelsea_160x120.png', 'coffee_gray_160x120.png']) {
    it(`on ${name}, under ${SETTINGS.length} settings`, async () => {
      const image = await loadFixtureImage(name);
      for (const [, options] of SETTINGS) expectSameLabels(image, options);
    });
  }

  it('on random photo-like images of odd sizes', () => {
    const sizes = [[97, 61], [300, 200], [31, 257], [512, 384]];
    sizes.forEach(([w, h], i) => {
      const image = randomPhoto(w, h, 100 + i);
      for (const [, options] of SETTINGS.slice(0, 4)) expectSameLabels(image, options);
    });
    expectSameLabels(syntheticImage(64, 48), { nSegments: 30 });
  });

  it("on the tiny edge cases of scikit-image's fixtures (more seeds than pixels, 1×1, …)", () => {
    for (const c of loadTinyCases()) expectSameLabels(c.image, c.options as Partial<SlicOptions>);
  });

  it("computes the cube root bit for bit as V8's Math.cbrt on the Lab range and beyond", () => {
    const rng = createRng(3);
    const xs = new Float64Array(200000);
    for (let i = 0; i < xs.length; i++) {
      // Uniform over (0.008856, 1.2) — every value Lab conversion meets — and log-uniform over 1e-300 … 1e300.
      xs[i] = i % 2 ? 0.008856 + rng.nextFloat() * 1.2 : Math.pow(10, -300 + 600 * rng.nextFloat());
    }
    const ours = wasmCbrt(xs);
    let differing = 0;
    for (let i = 0; i < xs.length; i++) if (ours[i] !== Math.cbrt(xs[i])) differing++;
    expect(differing).toBe(0);
  });

  it('reuses its memory across calls of different sizes without mixing them up', () => {
    const big = randomPhoto(200, 150, 7), small = randomPhoto(20, 10, 8);
    const p = { ...DEFAULT_SLIC_OPTIONS, nSegments: 40 };
    const first = slic(small.data, 10, 20, p, 'wasm');
    slic(big.data, 150, 200, p, 'wasm');
    expect(Array.from(slic(small.data, 10, 20, p, 'wasm'))).toEqual(Array.from(first));
  });
});
