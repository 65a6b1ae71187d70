import { describe, expect, it } from 'vitest';
import { errorToExact } from './error.js';

describe('errorToExact', () => {
  it('matches hand-computed values', () => {
    const e = errorToExact([1, 2, 3, 5], [1, 2, 3, 4], 2);
    expect(Math.abs(e.l2 - 1)).toBeLessThan(1e-12);
    expect(Math.abs(e.relativeL2 - 1 / Math.sqrt(30))).toBeLessThan(1e-12);
    expect(e.maxAbs).toBe(1);
    expect(e.topKRecovery).toBe(1);
    expect(Math.abs(e.spearman - 1)).toBeLessThan(1e-12);
    // Reversed order: rank correlation −1; top-2 of |exact| = {3, 2}, of |estimate| = {0, 1}.
    const r = errorToExact([4, 3, 2, 1], [1, 2, 3, 4], 2);
    expect(Math.abs(r.spearman + 1)).toBeLessThan(1e-12);
    expect(r.topKRecovery).toBe(0);
    // Ties take average ranks: ranks (1.5, 1.5, 3) against (1, 2, 3) give r = 1.5 / √3.
    expect(Math.abs(errorToExact([1, 1, 2], [1, 2, 3]).spearman - 1.5 / Math.sqrt(3))).toBeLessThan(1e-12);
    // Top-k uses |value|: the exact top-1 is segment 0 (−5).
    expect(errorToExact([-4, 1, 0], [-5, 1, 0], 1).topKRecovery).toBe(1);
  });

  it('rejects mismatched lengths and bad k', () => {
    expect(() => errorToExact([1, 2], [1, 2, 3])).toThrow(/estimate has 2 values but the exact answer has 3/);
    expect(() => errorToExact([1], [1], 0)).toThrow(/k must be an integer >= 1, got 0/);
  });
});
