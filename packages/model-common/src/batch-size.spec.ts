import { describe, expect, it } from 'vitest';
import { chooseBatchSize, testInputs, type BatchSizeTrial } from './batch-size.js';

const t = (batchSize: number, msPerImage: number, withinBudget = true): BatchSizeTrial => ({ batchSize, msPerImage, memoryBytes: batchSize, withinBudget });

describe('chooseBatchSize', () => {
  it('takes the smallest batch within 5 % of the fastest time per image, within budget', () => {
    expect(chooseBatchSize([t(1, 10), t(8, 4), t(32, 3)])).toBe(32);
    expect(chooseBatchSize([t(1, 10), t(8, 3.1), t(32, 3)])).toBe(8); // 3.1 ≤ 3 × 1.05
    expect(chooseBatchSize([t(32, 3), t(1, 10), t(8, 3.2)])).toBe(32); // 3.2 > 3.15; order of trials irrelevant
    expect(chooseBatchSize([t(1, 10), t(8, 4), t(32, 3, false)])).toBe(8);
  });

  it('falls back to the smallest batch when none fits the budget', () => {
    expect(chooseBatchSize([t(8, 4, false), t(1, 10, false)])).toBe(1);
  });
});

describe('testInputs', () => {
  it('is row 0 zeros, then smooth patterns; `first` returns a later stretch of the same rows', () => {
    const all = testInputs(3, 5);
    expect(Array.from(all.subarray(0, 5))).toEqual([0, 0, 0, 0, 0]);
    expect(all[5 + 2]).toBe(Math.fround(Math.sin(0.37 * 2 + 1.3)));
    expect(testInputs(1, 5, 1)).toEqual(all.subarray(5, 10));
    expect(testInputs(2, 5, 1)).toEqual(all.subarray(5, 15));
    expect(testInputs(2, 5, 0)).toEqual(all.subarray(0, 10));
  });
});
