import { describe, expect, it } from 'vitest';
import { pairedComparisons } from './comparisons.js';

const units = (vals: number[]) => new Map(vals.map((v, i) => [`img${i}`, v] as [string, number]));

describe('pairedComparisons', () => {
  // a beats b on all 8 images: exact two-sided p = 2/2⁸ = 0.0078125, r = +1.
  // a vs c and b vs c: identical differences of alternating sign → not significant.
  const a = [0.9, 0.8, 0.85, 0.7, 0.95, 0.75, 0.88, 0.92];
  const b = a.map((v, i) => v - 0.1 - i * 0.01);
  const c = a.map((v, i) => v + (i % 2 ? 0.05 + i * 0.001 : -0.05 - i * 0.001));
  const values = new Map([['a', units(a)], ['b', units(b)], ['c', units(c)]]);
  const cmp = pairedComparisons(['a', 'b', 'c'], values, true);
  it('gives every pair once with exact p, Holm over the three pairs and r', () => {
    expect(cmp.map((p) => `${p.a}-${p.b}`)).toEqual(['a-b', 'a-c', 'b-c']);
    const ab = cmp[0];
    expect(ab.n).toBe(8);
    expect(Math.abs(ab.pvalue - 2 / 256)).toBeLessThan(1e-15);
    expect(Math.abs(ab.pHolm - 3 * (2 / 256))).toBeLessThan(1e-15); // smallest of three → × 3
    expect(ab.effectSize).toBe(1);
    expect(ab.better).toBe('a');
    expect(cmp[1].better).toBeNull();
  });
  it('names the lower configuration better when lower is better', () => {
    expect(pairedComparisons(['a', 'b'], values, false)[0].better).toBe('b');
  });
  it('pairs by unit key and skips configurations without common units', () => {
    const v = new Map([['a', units(a)], ['d', new Map([['other', 1]])]]);
    expect(pairedComparisons(['a', 'd'], v, true)).toEqual([]);
  });
});
