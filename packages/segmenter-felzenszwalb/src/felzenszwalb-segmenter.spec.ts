import { relabelSequential, rgbImage, validateSegmentMap } from '@limekit/core';
import { adjustedRandIndex, describeSegmenterContract, flatImage, testContext } from '@limekit/testing';
import { describe, expect, it } from 'vitest';
import { loadFixtureImage, loadSegmentFixtures, loadTinyCases } from '../test/fixtures.js';
import { heapsort, numpyArgsortInPlace } from './argsort.js';
import { felzenszwalbComponent } from './component.js';
import { DEFAULT_FELZENSZWALB_OPTIONS, FelzenszwalbSegmenter } from './felzenszwalb-segmenter.js';

describeSegmenterContract('FelzenszwalbSegmenter', () => new FelzenszwalbSegmenter({ scale: 100, minSize: 5 }));

// Each fixture is one scikit-image 0.19.3 call (its `call` field, e.g. `felzenszwalb(img,
// scale=100, sigma=0.5, min_size=50)`), written by tools/fixtures/slic_felzenszwalb.py; the 224×224
// felzenszwalb100/300 ones equal limekit's shared references (test/fixtures/PROVENANCE.md).
describe('FelzenszwalbSegmenter parity with scikit-image 0.19.3', () => {
  for (const fx of loadSegmentFixtures('felzenszwalb')) {
    it(`${fx.name} (${fx.call}): adjusted Rand index >= 0.95, segment count within 10 %`, async () => {
      const image = await loadFixtureImage(fx.image);
      expect([image.width, image.height]).toEqual([fx.width, fx.height]);
      const seg = new FelzenszwalbSegmenter(fx.options).segment(image, testContext());
      expect(adjustedRandIndex(seg.labels, fx.labels)).toBeGreaterThanOrEqual(0.95);
      expect(Math.abs(seg.count - fx.nSegments) / fx.nSegments).toBeLessThanOrEqual(0.1);
      // Stronger than required, and true on every fixture today: the same labels, pixel for pixel.
      let differing = 0;
      for (let i = 0; i < fx.labels.length; i++) if (seg.labels[i] !== fx.labels[i]) differing++;
      expect(differing).toBe(0);
    });
  }
});

// Tiny random images from tools/fixtures/slic_felzenszwalb.py (numpy.random.default_rng(5)), each
// with scikit-image 0.19.3's labels for the call named in the test.
describe('FelzenszwalbSegmenter on tiny images, as scikit-image 0.19.3', () => {
  for (const c of loadTinyCases()) {
    it(`${c.image.width}×${c.image.height}: ${c.call}`, () => {
      const seg = new FelzenszwalbSegmenter(c.options).segment(c.image, testContext());
      expect(Array.from(seg.labels)).toEqual(Array.from(relabelSequential(c.image.width, c.image.height, c.labels).labels));
    });
  }
});

describe("numpy's argsort", () => {
  // keys = (np.arange(40) * 7 % 5).astype(float): eight copies of each of 0..4, so the order of
  // ties is all that is tested. Reference: numpy 1.24.2, np.argsort(keys) and
  // np.argsort(keys, kind='heapsort').
  const keys = () => Float64Array.from({ length: 40 }, (_, i) => (i * 7) % 5);
  const ids = () => Int32Array.from({ length: 40 }, (_, i) => i);

  it("reproduces the default kind='quicksort' (introsort) order of equal keys", () => {
    const k = keys(), p = ids();
    numpyArgsortInPlace(k, p);
    expect(Array.from(p)).toEqual([
      0, 20, 15, 30, 10, 25, 35, 5, 23, 8, 33, 28, 13, 3, 38, 18, 6, 21, 1, 36, 16, 26, 11, 31, 34, 29, 19, 14, 9, 4, 24, 39, 27, 22, 17, 12, 32, 7, 2, 37,
    ]);
    for (let i = 1; i < 40; i++) expect(k[i]).toBeGreaterThanOrEqual(k[i - 1]);
  });

  it("reproduces kind='heapsort', its fallback for deep recursion", () => {
    const k = keys(), p = ids();
    heapsort(k, p, 0, 40);
    expect(Array.from(p)).toEqual([
      0, 30, 5, 25, 35, 10, 15, 20, 18, 33, 3, 8, 38, 13, 28, 23, 6, 26, 11, 21, 16, 36, 1, 31, 29, 14, 24, 4, 19, 9, 39, 34, 27, 12, 2, 22, 37, 17, 32, 7,
    ]);
  });

  it('handles empty and one-element input, and rejects a payload of the wrong length', () => {
    numpyArgsortInPlace(new Float64Array(0), new Int32Array(0));
    const p = Int32Array.of(9);
    numpyArgsortInPlace(Float64Array.of(3), p);
    expect(Array.from(p)).toEqual([9]);
    expect(() => numpyArgsortInPlace(new Float64Array(3), new Int32Array(2))).toThrow(/payload must have 3 entries/);
  });
});

describe('FelzenszwalbSegmenter', () => {
  it('gives one segment for a 1×1 image and for a flat image', () => {
    const one = new FelzenszwalbSegmenter().segment(flatImage(1, 1), testContext());
    expect([one.count, Array.from(one.labels)]).toEqual([1, [0]]);
    // Every edge of a flat image weighs 0 < the first threshold, so everything merges:
    // felzenszwalb(np.full((12, 20, 3), 120, np.uint8)) is all zeros.
    expect(new FelzenszwalbSegmenter().segment(flatImage(20, 12), testContext()).count).toBe(1);
  });

  it('separates two flat grayscale halves (R = G = B)', () => {
    const g = rgbImage(40, 20);
    for (let p = 0; p < 800; p++) g.data.fill(p % 40 < 20 ? 20 : 230, 3 * p, 3 * p + 3);
    const seg = new FelzenszwalbSegmenter({ scale: 10, sigma: 0, minSize: 5 }).segment(g, testContext());
    expect(() => validateSegmentMap(seg, 40, 20)).not.toThrow();
    expect(seg.count).toBe(2);
    expect(seg.labels[0]).toBe(0);
    expect(seg.labels[39]).toBe(1);
  });

  it('merges components smaller than minSize, and keeps them with minSize 0', () => {
    // One odd pixel in a flat field: its own component at scale 1e-3, absorbed when minSize is 2.
    const img = flatImage(9, 9, [100, 100, 100]);
    img.data.fill(250, 3 * 40, 3 * 40 + 3);
    expect(new FelzenszwalbSegmenter({ scale: 1e-3, sigma: 0, minSize: 0 }).segment(img, testContext()).count).toBe(2);
    expect(new FelzenszwalbSegmenter({ scale: 1e-3, sigma: 0, minSize: 2 }).segment(img, testContext()).count).toBe(1);
  });

  it('rejects bad options, naming them', () => {
    expect(() => new FelzenszwalbSegmenter({ scale: 0 })).toThrow(/FelzenszwalbSegmenter: scale must be a finite number > 0, got 0\./);
    expect(() => new FelzenszwalbSegmenter({ sigma: -0.1 })).toThrow(/sigma must be a finite number >= 0, got -0.1/);
    expect(() => new FelzenszwalbSegmenter({ minSize: -1 })).toThrow(/minSize must be an integer >= 0, got -1/);
    expect(() => new FelzenszwalbSegmenter({ min_size: 5 } as never)).toThrow(/unknown option "min_size"/);
  });

  it('stops before working when the run is already aborted', () => {
    const controller = new AbortController();
    controller.abort();
    expect(() => new FelzenszwalbSegmenter().segment(flatImage(8, 8), { ...testContext(), signal: controller.signal })).toThrow(/cancelled/);
  });
});

describe('felzenszwalb registration', () => {
  it('describes the component by id', () => {
    expect([felzenszwalbComponent.kind, felzenszwalbComponent.id, felzenszwalbComponent.defaults]).toEqual(['segmenter', 'felzenszwalb', DEFAULT_FELZENSZWALB_OPTIONS]);
    expect(felzenszwalbComponent.create({ scale: 50 })).toBeInstanceOf(FelzenszwalbSegmenter);
  });
});
