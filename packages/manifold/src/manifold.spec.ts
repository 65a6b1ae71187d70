import { createRng, InvalidOptionError, ShapeMismatchError } from '@limekit/core';
import { describe, expect, it } from 'vitest';
import {
  crossValidateDetector, DEFAULT_DETECTOR_OPTIONS, loadDetector, trainDetector, IMAGE_STATISTIC_NAMES, imageStatistics, outputFeatures,
  pcaProjection, rocAuc, stratifiedKFold,
} from './index.js';

/** n rows of d standard normal values from a seeded stream, plus `shift` on feature 0. */
function gaussianRows(seed: number, n: number, d: number, shift = 0): number[][] {
  const rng = createRng(seed);
  return Array.from({ length: n }, () => Array.from({ length: d }, (_, j) => rng.nextGaussian() + (j === 0 ? shift : 0)));
}

describe('rocAuc (Mann–Whitney with mid-ranks)', () => {
  it('matches a hand-computed case with ties (and scikit-learn 1.2.1 roc_auc_score)', () => {
    // Positives 0.35, 0.8, 0.4 against negatives 0.1, 0.4, 0.4: 0.35 beats 1, 0.8 beats 3,
    // 0.4 beats 1 and ties 2 (½ each) → 6 of 9 pairs. roc_auc_score gives 0.6666666666666667.
    expect(Math.abs(rocAuc([0, 0, 1, 1, 0, 1], [0.1, 0.4, 0.35, 0.8, 0.4, 0.4]) - 2 / 3)).toBeLessThan(1e-12);
    // All scores tied: 0.5 exactly.
    expect(rocAuc([1, 0, 1, 0], [0.5, 0.5, 0.5, 0.5])).toBe(0.5);
    // Perfect and reversed separation.
    expect(rocAuc([0, 0, 1, 1], [0.1, 0.2, 0.3, 0.4])).toBe(1);
    expect(rocAuc([1, 1, 0, 0], [0.1, 0.2, 0.3, 0.4])).toBe(0);
  });

  it('rejects one-class input, bad labels and length mismatches', () => {
    expect(() => rocAuc([1, 1], [0.1, 0.2])).toThrow(/both classes must be present, got 0 of label 0 and 2 of label 1/);
    expect(() => rocAuc([0, 2], [0.1, 0.2])).toThrow(InvalidOptionError);
    expect(() => rocAuc([0, 1], [0.1])).toThrow(ShapeMismatchError);
    expect(() => rocAuc([0, 1], [0.1, Number.NaN])).toThrow(/scores must be finite/);
  });
});

describe('stratifiedKFold', () => {
  it('deals each class evenly over the folds, the same way for the same seed', () => {
    const labels = [...Array(23).fill(0), ...Array(41).fill(1)];
    const a = stratifiedKFold(labels, 5, createRng(3));
    expect(Array.from(a)).toEqual(Array.from(stratifiedKFold(labels, 5, createRng(3))));
    expect(Array.from(a)).not.toEqual(Array.from(stratifiedKFold(labels, 5, createRng(4))));
    for (let k = 0; k < 5; k++) {
      const real = labels.filter((y, i) => y === 0 && a[i] === k).length;
      const pert = labels.filter((y, i) => y === 1 && a[i] === k).length;
      expect(real === 4 || real === 5).toBe(true);
      expect(pert === 8 || pert === 9).toBe(true);
    }
  });

  it('fails with fewer than 2 samples per class per fold, naming the fix', () => {
    const labels = [...Array(6).fill(0), ...Array(40).fill(1)];
    expect(() => stratifiedKFold(labels, 5, createRng(0))).toThrow(InvalidOptionError);
    expect(() => stratifiedKFold(labels, 5, createRng(0))).toThrow(
      'stratifiedKFold: each class must have at least folds × 2 = 10 samples so that every fold holds 2 of each, got 6 real (label 0) and 40 perturbed (label 1). Use at most 3 folds, or more samples.',
    );
    expect(() => stratifiedKFold([0, 0, 0, 1, 1, 1], 2, createRng(0))).toThrow(/Use more samples: at least 4 of each class for 2 folds/);
    expect(() => stratifiedKFold(labels, 1, createRng(0))).toThrow(/folds must be an integer >= 2, got 1/);
  });
});

describe('crossValidateDetector', () => {
  // Known answers on synthetic features: 150 real and 150 perturbed vectors of 6 standard
  // normal features from seeded createRng streams. With 30 + 30 held-out samples per fold, the
  // standard error of one fold's AUC under no signal is sqrt(61/(12·30·30)) ≈ 0.075 and of the
  // 5-fold mean ≈ 0.034, so ±0.1 is about ±3σ. Measured with these seeds (default detector
  // settings, 8 replicates): logistic 0.449–0.532, mean 0.497; random forest 0.445–0.568, mean
  // 0.495. The test runs the first few replicates (smaller forests, to keep it quick).
  const realRows = gaussianRows(1, 150, 6);
  const farRows = gaussianRows(2, 150, 6, 3);

  for (const [detector, replicates] of [['logistic', 4], ['random-forest', 3]] as const) {
    it(`${detector}: identical distributions give AUC near 0.5 (${replicates} replicates: each within 0.5 ± 0.1, mean within 0.5 ± 0.05)`, () => {
      const aucs: number[] = [];
      for (let s = 0; s < replicates; s++) {
        const r = crossValidateDetector(gaussianRows(100 + s, 150, 6), gaussianRows(200 + s, 150, 6), { detector, seed: s, nEstimators: 10, maxDepth: 6, numSteps: 300 });
        expect(r.folds).toHaveLength(5);
        expect(r.chanceAccuracy).toBe(0.5);
        expect(Math.abs(r.auc - 0.5)).toBeLessThan(0.1);
        expect(Math.abs(r.pooledAuc - 0.5)).toBeLessThan(0.1);
        expect(Math.abs(r.accuracy - 0.5)).toBeLessThan(0.1);
        aucs.push(r.auc);
      }
      expect(Math.abs(aucs.reduce((a, b) => a + b, 0) / replicates - 0.5)).toBeLessThan(0.05);
    });

    it(`${detector}: a 3σ shift of one feature gives AUC near 1 (seed 0, > 0.95)`, () => {
      const r = crossValidateDetector(realRows, farRows, { detector, seed: 0, nEstimators: 20 });
      expect(r.auc).toBeGreaterThan(0.95);
      expect(r.pooledAuc).toBeGreaterThan(0.95);
      expect(r.accuracy).toBeGreaterThan(0.88);
      for (const f of r.folds) {
        expect(f.nTest).toBe(60);
        expect(f.nTrain).toBe(240);
        expect(f.auc).toBeGreaterThan(0.9);
      }
    });
  }

  it('is reproducible: the same seed gives the same scores, another seed other folds', () => {
    const a = crossValidateDetector(realRows.slice(0, 40), farRows.slice(0, 60), { seed: 7, nEstimators: 10 });
    const b = crossValidateDetector(realRows.slice(0, 40), farRows.slice(0, 60), { seed: 7, nEstimators: 10 });
    const c = crossValidateDetector(realRows.slice(0, 40), farRows.slice(0, 60), { seed: 8, nEstimators: 10 });
    expect(Array.from(a.scores)).toEqual(Array.from(b.scores));
    expect(Array.from(a.scores)).not.toEqual(Array.from(c.scores));
    expect(a.options).toEqual({ ...DEFAULT_DETECTOR_OPTIONS, seed: 7, nEstimators: 10 });
    const viaRng = crossValidateDetector(realRows.slice(0, 40), farRows.slice(0, 60), { rng: createRng(7), nEstimators: 10 });
    expect(Array.from(viaRng.scores)).toEqual(Array.from(a.scores));
  });

  it('fails clearly on too few images for the folds, ragged or non-finite features and bad options', () => {
    expect(() => crossValidateDetector(realRows.slice(0, 6), farRows.slice(0, 40))).toThrow(/at least folds × 2 = 10 samples .* got 6 real .* Use at most 3 folds/);
    expect(() => crossValidateDetector([[1, 2], [3]], [[1, 2]])).toThrow(ShapeMismatchError);
    expect(() => crossValidateDetector([[1, Number.NaN]], [[1, 2]])).toThrow(/features must be finite/);
    expect(() => crossValidateDetector(realRows, farRows, { detector: 'svm' as never })).toThrow(/detector must be 'random-forest' or 'logistic'/);
    expect(() => crossValidateDetector(realRows, farRows, { maxFeatures: 0 })).toThrow(/maxFeatures must be in \(0, 1\]/);
  });
});

describe('crossValidateDetector with many more perturbed samples than real ones', () => {
  it('balance: true makes the 0.5 threshold useful (balanced accuracy), groups keep whole groups together', () => {
    // 30 real vs 300 perturbed rows, a 3σ shift of feature 0; group g holds real row g and perturbed rows 10g..10g+9.
    const real = gaussianRows(21, 30, 4);
    const perturbed = gaussianRows(22, 300, 4, 3);
    const groups = [...real.map((_, i) => i), ...perturbed.map((_, i) => Math.floor(i / 10))];
    const plain = crossValidateDetector(real, perturbed, { detector: 'logistic', folds: 5, seed: 0, groups });
    const bal = crossValidateDetector(real, perturbed, { detector: 'logistic', folds: 5, seed: 0, groups, balance: true });
    expect(bal.auc).toBeGreaterThan(0.95);
    expect(bal.balancedAccuracy).toBeGreaterThan(0.85);
    expect(bal.balancedAccuracy).toBeGreaterThanOrEqual(plain.balancedAccuracy);
    // Each fold holds 6 groups: 6 real and 60 perturbed rows.
    for (const f of bal.folds) expect(f.nTest).toBe(66);
    expect(() => crossValidateDetector(real, perturbed, { groups: groups.slice(1) })).toThrow(ShapeMismatchError);
  });
});

describe('trainDetector / loadDetector', () => {
  for (const detector of ['random-forest', 'logistic'] as const) {
    it(`${detector}: scores held-out shifted rows high and real rows low, and survives a JSON round trip`, () => {
      const real = gaussianRows(1, 120, 4), shifted = gaussianRows(2, 120, 4, 3);
      const det = trainDetector(real.slice(0, 100), shifted.slice(0, 100), { detector, seed: 3, nEstimators: 20, numSteps: 300 });
      const test = [...real.slice(100), ...shifted.slice(100)];
      const p = det.predict(test);
      // Bayes-optimal AUC for a 3σ shift is Φ(3/√2) ≈ 0.983; a 20-tree forest on 200 rows gets 0.935.
      expect(rocAuc(test.map((_, i) => (i < 20 ? 0 : 1)), p)).toBeGreaterThan(0.9);
      const again = loadDetector(JSON.parse(JSON.stringify(det.toJSON())));
      expect(Array.from(again.predict(test))).toEqual(Array.from(p));
      expect(() => det.predict([[1, 2]])).toThrow(/must have 4 values \(as in training\), got 2/);
    });
  }

  it('rejects an empty class and a foreign JSON', () => {
    expect(() => trainDetector([], [[1, 2]])).toThrow(/needs samples of both kinds, got 0 real and 1 perturbed/);
    expect(() => loadDetector({ name: 'RFClassifier' } as never)).toThrow(/json must be a saved detector/);
  });
});

describe('imageStatistics', () => {
  it('has known values on a constant image and on a checkerboard', () => {
    expect(IMAGE_STATISTIC_NAMES).toHaveLength(12);
    const flat = new Uint8Array(8 * 6 * 3).fill(51); // 0.2 everywhere
    const s = imageStatistics(flat, 8, 6);
    const v = Object.fromEntries(IMAGE_STATISTIC_NAMES.map((n, i) => [n, s[i]]));
    expect(Math.abs(v.meanR - 0.2)).toBeLessThan(1e-12);
    expect(v.stdG).toBeLessThan(1e-7);
    expect(v.gradientEnergy).toBe(0);
    expect(v.edgeDensity).toBe(0);
    expect(v.flatFraction).toBe(1);
    expect(v.laplacianVariance).toBe(0);
    expect(v.colourEntropy).toBe(0);
    expect(v.meanSaturation).toBe(0);

    // 4×4 black/white checkerboard: half the pixels in each of two histogram cells → 1 bit.
    const cb = new Uint8Array(4 * 4 * 3);
    for (let y = 0; y < 4; y++) for (let x = 0; x < 4; x++) if ((x + y) % 2) cb.fill(255, (y * 4 + x) * 3, (y * 4 + x) * 3 + 3);
    const c = imageStatistics(cb, 4, 4);
    const w = Object.fromEntries(IMAGE_STATISTIC_NAMES.map((n, i) => [n, c[i]]));
    expect(Math.abs(w.meanB - 0.5)).toBeLessThan(1e-12);
    expect(Math.abs(w.stdR - 0.5)).toBeLessThan(1e-12);
    expect(Math.abs(w.colourEntropy - 1)).toBeLessThan(1e-12);
    // Forward differences with the edge replicated: interior pixels have |gx| = |gy| = 1 (e = 2),
    // the last column has gx = 0, the last row gy = 0, the corner neither: (9·2 + 3·1 + 3·1 + 0)/16.
    expect(Math.abs(w.gradientEnergy - 24 / 16)).toBeLessThan(1e-9);
    expect(w.edgeDensity).toBe(15 / 16);
    expect(w.flatFraction).toBe(1 / 16);
  });

  it('rejects a buffer of the wrong size', () => {
    expect(() => imageStatistics(new Uint8Array(10), 2, 2)).toThrow(/rgb must have width·height·3 values for a 2×2 image, got 10/);
  });
});

describe('outputFeatures', () => {
  it('returns top probability, margin, entropy (nats) and the probabilities', () => {
    const f = outputFeatures([0.25, 0.5, 0.25]);
    expect(f[0]).toBe(0.5);
    expect(f[1]).toBe(0.25);
    expect(Math.abs(f[2] - (0.5 * Math.log(2) + 0.5 * Math.log(4)))).toBeLessThan(1e-12);
    expect(Array.from(f.slice(3))).toEqual([0.25, 0.5, 0.25]);
    expect(outputFeatures([1, 0], false)).toHaveLength(3);
    expect(outputFeatures([1, 0])[2]).toBe(0);
    expect(() => outputFeatures([0.5, -1])).toThrow(/Pass probabilities, not logits/);
  });
});

describe('pcaProjection', () => {
  it('puts two separated clusters apart on the first component', () => {
    const r = pcaProjection(gaussianRows(1, 40, 5), gaussianRows(2, 40, 5, 8), { scale: false });
    expect(r.real[0]).toHaveLength(2);
    // Variance 8² + 1 along the shift against 1 in each of 4 others: about 65/69 ≈ 0.94 expected.
    expect(r.explainedVariance[0]).toBeGreaterThan(0.7);
    const m = (rows: number[][]) => rows.reduce((a, p) => a + p[0], 0) / rows.length;
    expect(Math.abs(m(r.real) - m(r.perturbed))).toBeGreaterThan(7);
  });

  it('rejects a component count beyond the data', () => {
    expect(() => pcaProjection([[1, 2]], [[3, 4]], { nComponents: 3 })).toThrow(/nComponents must be an integer in \[1, min\(features, samples\)\] = \[1, 2\], got 3/);
  });
});
