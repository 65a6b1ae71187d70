import { relabelSequential, rgbImage, validateSegmentMap } from '@limekit/core';
import { adjustedRandIndex, describeSegmenterContract, flatImage, syntheticImage, testContext } from '@limekit/testing';
import { describe, expect, it } from 'vitest';
import { loadFixtureImage, loadSegmentFixtures, loadTinyCases } from '../test/fixtures.js';
import { slicComponent } from './component.js';
import { gaussianKernel } from '@limekit/imgproc';
import { enforceConnectivity, regularGrid, slic } from './slic.js';
import { DEFAULT_SLIC_OPTIONS, SlicSegmenter } from './slic-segmenter.js';

describeSegmenterContract('SlicSegmenter', () => new SlicSegmenter({ nSegments: 20 }));

// Each fixture is one scikit-image 0.19.3 call (its `call` field, e.g. `slic(img, n_segments=100,
// compactness=10, sigma=1, start_label=0)`), written by tools/fixtures/slic_felzenszwalb.py; the
// 224×224 slic50/slic100 ones equal limekit's shared references (test/fixtures/PROVENANCE.md).
describe('SlicSegmenter parity with scikit-image 0.19.3', () => {
  for (const fx of loadSegmentFixtures('slic')) {
    it(`${fx.name} (${fx.call}): adjusted Rand index >= 0.95, segment count within 10 %`, async () => {
      const image = await loadFixtureImage(fx.image);
      expect([image.width, image.height]).toEqual([fx.width, fx.height]);
      const seg = new SlicSegmenter(fx.options).segment(image, testContext());
      expect(adjustedRandIndex(seg.labels, fx.labels)).toBeGreaterThanOrEqual(0.95);
      expect(Math.abs(seg.count - fx.nSegments) / fx.nSegments).toBeLessThanOrEqual(0.1);
      // Stronger than required, and true on every fixture today: the same partition, pixel for
      // pixel (scikit-image's raw cluster indices renumbered in raster order, as ours are).
      const ref = relabelSequential(fx.width, fx.height, fx.labels);
      let differing = 0;
      for (let i = 0; i < ref.labels.length; i++) if (seg.labels[i] !== ref.labels[i]) differing++;
      expect(differing).toBe(0);
    });
  }
});

// Tiny random images from tools/fixtures/slic_felzenszwalb.py (numpy.random.default_rng(5)), each
// with scikit-image 0.19.3's labels for the call named in the test.
describe('SlicSegmenter on tiny images, as scikit-image 0.19.3', () => {
  for (const c of loadTinyCases()) {
    it(`${c.image.width}×${c.image.height}: ${c.call}`, () => {
      const seg = new SlicSegmenter(c.options).segment(c.image, testContext());
      expect(Array.from(seg.labels)).toEqual(Array.from(relabelSequential(c.image.width, c.image.height, c.labels).labels));
    });
  }
});

describe('regularGrid', () => {
  it("places seeds as scikit-image's regular_grid does", () => {
    // skimage.util.regular_grid((1, 224, 224), 100) == (slice(0, None, 1), slice(11, None, 22), slice(11, None, 22))
    expect(regularGrid([1, 224, 224], 100)).toEqual([{ start: 0, step: 1 }, { start: 11, step: 22 }, { start: 11, step: 22 }]);
    // regular_grid((1, 40, 300), 30) == (slice(0, None, 1), slice(10, None, 20), slice(10, None, 20))
    expect(regularGrid([1, 40, 300], 30)).toEqual([{ start: 0, step: 1 }, { start: 10, step: 20 }, { start: 10, step: 20 }]);
    // regular_grid((1, 3, 200), 10) == (slice(0, None, 1), slice(1, None, 3), slice(10, None, 20)):
    // axes shorter than the ideal step take their whole length as step, the longest the rest.
    expect(regularGrid([1, 3, 200], 10)).toEqual([{ start: 0, step: 1 }, { start: 1, step: 3 }, { start: 10, step: 20 }]);
    // No more points than pixels: every pixel is a seed.
    expect(regularGrid([1, 2, 2], 100)).toEqual([{ start: 0, step: 1 }, { start: 0, step: 1 }, { start: 0, step: 1 }]);
  });
});

describe('gaussianKernel', () => {
  it("has scipy's radius int(4σ + 0.5), is symmetric and sums to 1", () => {
    for (const [sigma, radius] of [[0.5, 2], [1, 4], [2.3, 9]]) {
      const w = gaussianKernel(sigma);
      expect(w.length).toBe(2 * radius + 1);
      let sum = 0;
      for (let i = 0; i < w.length; i++) {
        sum += w[i];
        expect(w[i]).toBe(w[w.length - 1 - i]);
      }
      expect(Math.abs(sum - 1)).toBeLessThan(1e-15);
    }
    // scipy 1.10: _gaussian_kernel1d(1, 0, 4)[4] == 0.39894346935609776 (the truncated kernel's centre).
    expect(Math.abs(gaussianKernel(1)[4] - 0.39894346935609776)).toBeLessThan(1e-16);
  });
});

describe('enforceConnectivity', () => {
  it('splits a disconnected cluster and merges pieces below minSize into their last neighbour', () => {
    // 5×1 row with cluster labels 0 0 1 0 0: cluster 0 is in two pieces.
    const out = enforceConnectivity(Int32Array.from([0, 0, 1, 0, 0]), 1, 5, 0, 100);
    expect(Array.from(out)).toEqual([0, 0, 1, 2, 2]);
    // minSize 2: the one-pixel piece joins the neighbour relabelled before it.
    expect(Array.from(enforceConnectivity(Int32Array.from([0, 0, 1, 0, 0]), 1, 5, 2, 100))).toEqual([0, 0, 0, 1, 1]);
  });
});

describe('SlicSegmenter', () => {
  it('gives one segment for a 1×1 image, and for a flat image with one seed', () => {
    // slic(np.full((1, 1, 3), 128, np.uint8), start_label=0) == [[0]]
    const one = new SlicSegmenter().segment(flatImage(1, 1), testContext());
    expect([one.count, Array.from(one.labels)]).toEqual([1, [0]]);
    // slic(np.full((20, 30, 3), 128, np.uint8), n_segments=1, start_label=0) is all zeros.
    const flat = new SlicSegmenter({ nSegments: 1 }).segment(flatImage(30, 20, [128, 128, 128]), testContext());
    expect(flat.count).toBe(1);
    // With more seeds a flat image is tiled by position alone: scikit-image gives 80 segments for
    // slic(np.full((16, 20, 3), [120, 130, 140], np.uint8), start_label=0).
    expect(new SlicSegmenter().segment(flatImage(20, 16), testContext()).count).toBe(80);
  });

  it('segments grayscale input (R = G = B) without straddling a strong edge', () => {
    const grey = rgbImage(40, 30);
    for (let p = 0; p < 1200; p++) grey.data.fill(p % 40 < 20 ? 30 : 220, 3 * p, 3 * p + 3);
    const seg = new SlicSegmenter({ nSegments: 4 }).segment(grey, testContext());
    expect(() => validateSegmentMap(seg, 40, 30)).not.toThrow();
    for (let y = 0; y < 30; y++) expect(seg.labels[y * 40 + 19]).not.toBe(seg.labels[y * 40 + 20]);
  });

  it('keeps cluster indices without the connectivity step, and numbers segments contiguously', () => {
    const img = syntheticImage(48, 40);
    const raw = slic(img.data, 40, 48, { ...DEFAULT_SLIC_OPTIONS, nSegments: 12, enforceConnectivity: false });
    const seg = new SlicSegmenter({ nSegments: 12, enforceConnectivity: false }).segment(img, testContext());
    expect(() => validateSegmentMap(seg, 48, 40)).not.toThrow();
    expect(adjustedRandIndex(seg.labels, raw)).toBe(1);
  });

  it('rejects bad options, naming them', () => {
    expect(() => new SlicSegmenter({ nSegments: 0 })).toThrow(/SlicSegmenter: nSegments must be an integer >= 1, got 0\./);
    expect(() => new SlicSegmenter({ compactness: 0 })).toThrow(/compactness must be a finite number > 0, got 0/);
    expect(() => new SlicSegmenter({ sigma: -1 })).toThrow(/sigma must be a finite number >= 0, got -1/);
    expect(() => new SlicSegmenter({ maxNumIter: 0 })).toThrow(/maxNumIter must be an integer >= 1, got 0/);
    expect(() => new SlicSegmenter({ maxSizeFactor: 0 })).toThrow(/maxSizeFactor must be a finite number > 0/);
    expect(() => new SlicSegmenter({ n_segments: 5 } as never)).toThrow(/unknown option "n_segments"/);
    expect(() => new SlicSegmenter({ slicZero: 'yes' } as never)).toThrow(/option "slicZero" must be a boolean/);
  });

  it('stops before working when the run is already aborted', () => {
    const controller = new AbortController();
    controller.abort();
    expect(() => new SlicSegmenter().segment(flatImage(8, 8), { ...testContext(), signal: controller.signal })).toThrow(/cancelled/);
  });
});

describe('slic registration', () => {
  it('describes the component by id', () => {
    expect([slicComponent.kind, slicComponent.id, slicComponent.defaults]).toEqual(['segmenter', 'slic', DEFAULT_SLIC_OPTIONS]);
    expect(slicComponent.create({ nSegments: 7 })).toBeInstanceOf(SlicSegmenter);
  });
});
