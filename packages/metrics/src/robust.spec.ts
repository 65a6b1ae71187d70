import { createRng, rgbImage } from '@limekit/core';
import { describe, expect, it } from 'vitest';
import { deletionCurve } from './curves.js';
import { infidelity, irof, maxSensitivity, noisyLinearImputation, roadCurve, segmentMeanFill, symmetricRelevanceGain } from './robust.js';
import { linearRedModel, solid } from './synthetic.test-util.js';

// The view of curves.spec.ts: 10×2, four vertical strips of unequal width:
//   segment 0 = columns 0–1 (4 px), 1 = columns 2–5 (8 px), 2 = column 6 (2 px), 3 = columns 7–9 (6 px).
// Model: p(label 0) = Σ over R (columns 1–3, 6 px) of red/255 / 6.
const W = 10, H = 2;
const colSegment = [0, 0, 1, 1, 1, 1, 2, 3, 3, 3];
const segments = { width: W, height: H, labels: Int32Array.from({ length: W * H }, (_, p) => colSegment[p % W]), count: 4 };
const inR = (p: number) => p % W >= 1 && p % W <= 3;
const model = () => linearRedModel(W, H, Float64Array.from({ length: W * H }, (_, p) => (inR(p) ? 1 / 6 : 0)));
const white = solid(W, H, 255), black = solid(W, H, 0);
const weights = [0.5, 0.9, -0.2, 0.1]; // MoRF order 1, 0, 3, 2

describe('symmetric relevance gain', () => {
  it('AUC(LeRF) − AUC(MoRF) = 0.7 − 0.3 = 0.4 by hand', async () => {
    // MoRF (curves.spec): AUC 0.3. LeRF removes 2, 3, 0, 1: x = 0.1, 0.4, 0.6, 1 with y = 1, 1, 2/3, 0:
    // AUC = 0.1 + 0.3 + 0.2·(1 + 2/3)/2 + 0.4·(2/3)/2 = 0.4 + 1/6 + 2/15 = 0.7.
    const r = await symmetricRelevanceGain(model(), white, black, segments, weights, 0);
    expect(r.lerf.order).toEqual([2, 3, 0, 1]);
    expect(Math.abs(r.morf.auc - 0.3)).toBeLessThan(1e-6);
    expect(Math.abs(r.lerf.auc - 0.7)).toBeLessThan(1e-6);
    expect(Math.abs(r.srg - 0.4)).toBeLessThan(1e-6);
  });
  it('is antisymmetric: reversing the explanation negates SRG', async () => {
    const a = await symmetricRelevanceGain(model(), white, black, segments, weights, 0);
    const b = await symmetricRelevanceGain(model(), white, black, segments, weights.map((w) => -w), 0);
    expect(Math.abs(a.srg + b.srg)).toBeLessThan(1e-6);
  });
});

describe('IROF', () => {
  it('segment-mean fill and the normalised area over the curve, by hand', async () => {
    // Image: columns 1–3 white, the rest black. Segment means: 0 → 127.5 → 128, 1 → 128, 2, 3 → 0.
    const img = rgbImage(W, H, Uint8Array.from({ length: W * H * 3 }, (_, i) => (inR(Math.floor(i / 3)) ? 255 : 0)));
    const fill = segmentMeanFill(img, segments);
    expect(fill.data[0]).toBe(128);
    expect(fill.data[3 * 6]).toBe(0);
    // p = 1; remove 1: columns 2, 3 → a = 128/255: p1 = (2 + 4a)/6; remove 0: p = a; then a, a.
    const a = 128 / 255, p1 = (2 + 4 * a) / 6;
    const auc = 0.25 * ((1 + p1) / 2 + (p1 + a) / 2 + a + a);
    const r = await irof(model(), img, segments, weights, 0);
    expect(r.curve.xs).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(Math.abs(r.irof - (1 - auc))).toBeLessThan(1e-6);
  });
});

describe('infidelity', () => {
  // Removing segment j from the white image (black fill) lowers p by exactly C_j = (2/6, 4/6, 0, 0).
  const C = [2 / 6, 4 / 6, 0, 0];
  it('is 0 for the exact additive explanation', async () => {
    expect(await infidelity(model(), white, black, segments, C, 0, 5)).toBeLessThan(1e-12);
  });
  it('is E[(Σ C_j B_j)²] = ¼ Σ C_j² + (½ Σ C_j)² = 7/18 for φ = 0 and, symmetrically, for φ = 2C', async () => {
    const zero = await infidelity(model(), white, black, segments, [0, 0, 0, 0], 0, 5, { nPerturbations: 4000 });
    const twice = await infidelity(model(), white, black, segments, C.map((c) => 2 * c), 0, 5, { nPerturbations: 4000 });
    expect(Math.abs(zero - twice)).toBeLessThan(1e-6); // float32 model output; same perturbations, (Iᵀφ − Δ)² = Δ² both ways
    expect(Math.abs(zero - 7 / 18)).toBeLessThan(0.02); // sampling error of 4000 draws ≈ 0.005
  });
});

describe('ROAD noisy linear imputation', () => {
  const ramp = rgbImage(12, 12, Uint8Array.from({ length: 12 * 12 * 3 }, (_, i) => (i % 3 === 0 ? 10 * (Math.floor(i / 3) % 12) : 50)));
  const block = Uint8Array.from({ length: 144 }, (_, p) => (Math.floor(p / 12) >= 4 && Math.floor(p / 12) < 8 && p % 12 >= 4 && p % 12 < 8 ? 1 : 0));
  it('reproduces a linear ramp and a constant exactly inside the image (no noise)', () => {
    const out = noisyLinearImputation(ramp, block, createRng(1), { noise: 0 });
    for (let p = 0; p < 144; p++) {
      expect(out.data[p * 3]).toBe(10 * (p % 12));
      expect(out.data[p * 3 + 1]).toBe(50);
    }
  });
  it('adds seeded Gaussian noise of the given size to imputed pixels only', () => {
    const a = noisyLinearImputation(ramp, block, createRng(1), { noise: 20 });
    const b = noisyLinearImputation(ramp, block, createRng(1), { noise: 20 });
    expect(a.data).toEqual(b.data);
    let changed = 0;
    for (let p = 0; p < 144; p++) {
      if (!block[p]) expect(a.data[p * 3 + 1]).toBe(50);
      else if (a.data[p * 3 + 1] !== 50) changed++;
    }
    expect(changed).toBeGreaterThan(12);
  });
  it('ROAD leaves a model of a smooth image unmoved where a black fill moves it (no leakage)', async () => {
    // Model: mean red/255 over the central 4×4 block; the ramp there is recovered exactly.
    const m = linearRedModel(12, 12, Float64Array.from({ length: 144 }, (_, p) => (block[p] ? 1 / 16 : 0)));
    const seg = { width: 12, height: 12, labels: Int32Array.from(block), count: 2 };
    const c = await roadCurve(m, ramp, seg, [0, 1], 0, 3, { noise: 0, steps: 2 });
    const p0 = (10 * (4 + 5 + 6 + 7) * 4) / 16 / 255;
    for (const y of c.ys.slice(0, 2)) expect(Math.abs(y - p0)).toBeLessThan(1e-6);
    const del = await deletionCurve(m, ramp, solid(12, 12, 0), seg, [0, 1], 0);
    expect(del.ys[1]).toBe(0);
  });
});

describe('max-sensitivity', () => {
  const img = solid(4, 4, 100);
  it('is 0 for an explanation that ignores the input', async () => {
    const ref = Float64Array.from({ length: 16 }, (_, p) => p);
    expect(await maxSensitivity(async () => ref, img, ref, 1)).toBe(0);
  });
  it('is the largest relative change: an explainer returning the mean pixel value, by hand', async () => {
    // Φ(x) = mean(x)·1 (16 equal entries): ‖Φ(x+δ) − Φ(x)‖/‖Φ(x)‖ = |mean(x+δ) − 100|/100.
    const meanMap = async (im: { data: Uint8Array }) => new Float64Array(16).fill(im.data.reduce((a, b) => a + b, 0) / im.data.length);
    const ref = await meanMap(img);
    const seen: number[] = [];
    const v = await maxSensitivity(async (im) => { const m = await meanMap(im); seen.push(Math.abs(m[0] - 100) / 100); return m; }, img, ref, 7, { nSamples: 5, radius: 0.2 });
    expect(seen).toHaveLength(5);
    expect(Math.abs(v - Math.max(...seen))).toBeLessThan(1e-12);
    expect(v).toBeGreaterThan(0);
    expect(v).toBeLessThanOrEqual(0.2 * 255 / 100 + 1e-9); // |δ| ≤ r·255 everywhere
  });
});
