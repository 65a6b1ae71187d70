import { describe, expect, it } from 'vitest';
import { ShapeMismatchError } from './errors.js';
import { areAdjacent, isConnectedSet, neighboursOf, segmentGeometry } from './geometry.js';
import type { SegmentMap } from './image.js';

const map = (rows: number[][]): SegmentMap => {
  const labels = Int32Array.from(rows.flat());
  return { width: rows[0].length, height: rows.length, labels, count: Math.max(...labels) + 1 };
};
const lists = (g: ReturnType<typeof segmentGeometry>) => Array.from({ length: g.count }, (_, i) => Array.from(neighboursOf(g.adjacency, i)));

describe('segmentGeometry', () => {
  it('computes sizes, centroids, boxes and 4-adjacency of a hand-drawn 4×4 map', () => {
    // 0 0 1 1
    // 0 0 1 1
    // 2 2 3 3
    // 2 2 3 3   — a 2×2 grid of 2×2 blocks: 0–1, 0–2, 1–3, 2–3 touch; the diagonals 0–3 and 1–2 only at a corner.
    const g = segmentGeometry(map([[0, 0, 1, 1], [0, 0, 1, 1], [2, 2, 3, 3], [2, 2, 3, 3]]));
    expect(Array.from(g.sizes)).toEqual([4, 4, 4, 4]);
    expect(Array.from(g.centroids)).toEqual([0.5, 0.5, 0.5, 2.5, 2.5, 0.5, 2.5, 2.5]);
    expect(Array.from(g.bboxes)).toEqual([0, 0, 1, 1, 0, 2, 1, 3, 2, 0, 3, 1, 2, 2, 3, 3]);
    expect(lists(g)).toEqual([[1, 2], [0, 3], [0, 3], [1, 2]]);
    expect(Array.from(g.adjacency.offsets)).toEqual([0, 2, 4, 6, 8]);
    expect(areAdjacent(g.adjacency, 0, 3)).toBe(false);
    expect(areAdjacent(g.adjacency, 3, 1)).toBe(true);
  });

  it('handles a ring around a hole, a one-pixel segment and non-convex shapes', () => {
    // 0 0 0 0 0
    // 0 1 1 1 0
    // 0 1 2 1 0
    // 0 1 1 1 0
    // 0 0 0 3 3   — 2 touches only 1; 3 touches 0 and 1 (above it at (3,3)).
    const g = segmentGeometry(map([[0, 0, 0, 0, 0], [0, 1, 1, 1, 0], [0, 1, 2, 1, 0], [0, 1, 1, 1, 0], [0, 0, 0, 3, 3]]));
    expect(Array.from(g.sizes)).toEqual([14, 8, 1, 2]);
    expect(lists(g)).toEqual([[1, 3], [0, 2, 3], [1], [0, 1]]);
    expect(Array.from(g.centroids.subarray(4, 6))).toEqual([2, 2]);
    expect(Array.from(g.bboxes.subarray(12, 16))).toEqual([4, 3, 4, 4]);
    // Centroid of the ring: rows 1..3 and cols 1..3 minus the centre, mean (2, 2).
    expect(Math.abs(g.centroids[2] - 2)).toBeLessThan(1e-12);
    expect(Math.abs(g.centroids[3] - 2)).toBeLessThan(1e-12);
    // Centroid of segment 0 computed by hand: 14 pixels, row sum 0·5 + 1·2 + 2·2 + 3·2 + 4·3 = 24.
    expect(Math.abs(g.centroids[0] - 24 / 14)).toBeLessThan(1e-12);
  });

  it('gives one segment no neighbours and every edge in both directions', () => {
    const one = segmentGeometry(map([[0, 0], [0, 0]]));
    expect(Array.from(one.adjacency.neighbours)).toEqual([]);
    expect(Array.from(one.adjacency.offsets)).toEqual([0, 0]);
    const stripes = segmentGeometry(map([[0, 1, 2, 3, 4]]));
    expect(lists(stripes)).toEqual([[1], [0, 2], [1, 3], [2, 4], [3]]);
  });

  it('tells connected sets from disconnected ones', () => {
    const g = segmentGeometry(map([[0, 1, 2, 3, 4]]));
    expect(isConnectedSet(g.adjacency, [1, 2, 3])).toBe(true);
    expect(isConnectedSet(g.adjacency, [3, 1, 2])).toBe(true);
    expect(isConnectedSet(g.adjacency, [0, 2])).toBe(false);
    expect(isConnectedSet(g.adjacency, [4])).toBe(true);
  });

  it('rejects labels outside 0..M-1 and a wrong label count', () => {
    expect(() => segmentGeometry({ width: 2, height: 1, labels: Int32Array.from([0, 2]), count: 2 })).toThrow(ShapeMismatchError);
    expect(() => segmentGeometry({ width: 2, height: 2, labels: Int32Array.from([0, 1]), count: 2 })).toThrow(/width\*height = 4/);
  });
});
