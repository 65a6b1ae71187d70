import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createRng } from '@limekit/core';
import { randomLogit, spearman, ssim } from './similarity.js';

// scikit-image 0.19.3 structural_similarity and SciPy 1.10.1 spearmanr, from
// tools/fixtures/metrics_statistics.py; see test/fixtures/PROVENANCE.md.
const ref = JSON.parse(readFileSync(new URL('../test/fixtures/statistics.json', import.meta.url), 'utf8')) as {
  ssim: { width: number; height: number; winSize: number; a: number[]; b: number[]; ssim: number }[];
  spearman: { x: number[]; y: number[]; rho: number }[];
};

describe('SSIM against skimage.metrics.structural_similarity', () => {
  for (const c of ref.ssim) {
    it(`${c.width}×${c.height}, win ${c.winSize}`, () => {
      expect(Math.abs(ssim(c.a, c.b, c.width, c.height, { winSize: c.winSize }) - c.ssim)).toBeLessThan(1e-12);
    });
  }
  it('is 1 for equal maps and for two constant maps; rejects a window larger than the map', () => {
    const a = Array.from({ length: 64 }, (_, i) => Math.sin(i));
    expect(Math.abs(ssim(a, a, 8, 8) - 1)).toBeLessThan(1e-12);
    expect(ssim(new Array(64).fill(2), new Array(64).fill(2), 8, 8)).toBe(1);
    expect(() => ssim(a.slice(0, 16), a.slice(0, 16), 4, 4)).toThrow(/winSize must be an odd integer from 3 to min\(width, height\) = 4, got 7/);
  });
});

describe('Spearman against scipy.stats.spearmanr', () => {
  for (const c of ref.spearman) {
    it(`[${c.x.join(', ')}]`, () => expect(Math.abs(spearman(c.x, c.y) - c.rho)).toBeLessThan(1e-12));
  }
});

describe('random-logit', () => {
  const ref = Array.from({ length: 100 }, (_, i) => ((i % 10) - 5) * (Math.floor(i / 10) - 4));
  it('is 1 when the explanation ignores the class, and draws another class, seeded', async () => {
    const seen: number[] = [];
    const r = await randomLogit(async (l) => (seen.push(l), ref), ref, 2, 5, createRng(4), 10, 10);
    expect(r.ssim).toBe(1);
    expect(r.other).not.toBe(2);
    expect(seen).toEqual([r.other]);
    expect((await randomLogit(async () => ref, ref, 2, 5, createRng(4), 10, 10)).other).toBe(r.other);
  });
  it('is the SSIM of the two maps: low for a class-specific explanation', async () => {
    const other = ref.map((v, i) => (i % 7) - v);
    const r = await randomLogit(async () => other, ref, 0, 2, createRng(1), 10, 10);
    expect(r.other).toBe(1); // the only other class
    expect(Math.abs(r.ssim - ssim(ref, other, 10, 10))).toBeLessThan(1e-15);
    expect(r.ssim).toBeLessThan(0.2);
  });
});
