import { segmentGeometry, type SampleBlock, type Sampler, type SegmentGeometry, type SegmentMap } from '@limekit/core';
import { describe, expect, it } from 'vitest';
import { testContext } from './fixtures.js';

/**
 * A segment map of M square blocks (`block` × `block` pixels) laid out row by row on a grid
 * ⌈√M⌉ blocks wide; a short last row is padded by stretching its last block to the right edge.
 * Its adjacency graph is the grid graph: what the sampler contract passes as geometry.
 */
export function gridSegmentMap(M: number, block = 2): SegmentMap {
  const cols = Math.ceil(Math.sqrt(M));
  const gridRows = Math.ceil(M / cols);
  const width = cols * block, height = gridRows * block;
  const labels = new Int32Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) labels[y * width + x] = Math.min(Math.floor(y / block) * cols + Math.floor(x / block), M - 1);
  }
  return { width, height, labels, count: M };
}

/** The geometry of {@link gridSegmentMap}. */
export function gridGeometry(M: number): SegmentGeometry {
  return segmentGeometry(gridSegmentMap(M));
}

/** Options of {@link describeSamplerContract}. */
export interface SamplerContractOptions {
  /** The sampler's first row is the instance itself (all ones), as lime's is. */
  firstRowAllOnes?: boolean;
  /** The sampler produces exactly the requested budget (false for adaptive samplers). */
  exactBudget?: boolean;
}

function drain(sampler: Sampler, M: number, budget: number, maxRows: number, seed = 5): { rows: number[][]; weights: number[] } {
  const session = sampler.start(M, budget, testContext(seed, 'sampler'), gridGeometry(M));
  const rows: number[][] = [];
  const weights: number[] = [];
  let block: SampleBlock | null;
  let guard = 0;
  while ((block = session.next(maxRows)) !== null) {
    if (++guard > 100000) throw new Error('sampler never finished');
    expect(block.count).toBeGreaterThanOrEqual(1);
    expect(block.count).toBeLessThanOrEqual(maxRows);
    for (let r = 0; r < block.count; r++) {
      rows.push(Array.from(block.rows.subarray(r * M, (r + 1) * M)));
      weights.push(block.weights ? block.weights[r] : 1);
    }
    // Feed back uniform predictions so adaptive samplers can progress.
    const C = 2;
    const predictions = new Float32Array(block.count * C).fill(0.5);
    session.observe?.({ block, predictions, numClasses: C, labels: [0] });
  }
  return { rows, weights };
}

/**
 * The contract every {@link Sampler} keeps: 0/1 rows of the right width, blocks within the
 * batch limit, the same rows for the same seed whatever the batch size, finite non-negative
 * row weights. Every `start` gets the geometry of a grid segmentation ({@link gridGeometry}), as
 * the explainer passes the real segmentation's.
 */
export function describeSamplerContract(name: string, create: () => Sampler, options: SamplerContractOptions = {}): void {
  const { firstRowAllOnes = false, exactBudget = true } = options;
  describe(`${name} keeps the Sampler contract`, () => {
    it('draws 0/1 rows of width M within the batch limit', () => {
      const { rows, weights } = drain(create(), 9, 50, 16);
      expect(rows.length).toBeGreaterThan(1);
      if (exactBudget) expect(rows.length).toBe(50);
      for (const row of rows) {
        expect(row).toHaveLength(9);
        for (const v of row) expect(v === 0 || v === 1).toBe(true);
      }
      for (const w of weights) expect(Number.isFinite(w) && w >= 0).toBe(true);
    });

    it('gives the same rows for the same seed at any batch size', () => {
      const a = drain(create(), 7, 40, 1);
      const b = drain(create(), 7, 40, 64);
      const c = drain(create(), 7, 40, 13);
      expect(b.rows).toEqual(a.rows);
      expect(c.rows).toEqual(a.rows);
      expect(b.weights).toEqual(a.weights);
    });

    it('gives different rows for different seeds', () => {
      const a = drain(create(), 12, 30, 8, 1);
      const b = drain(create(), 12, 30, 8, 2);
      expect(b.rows).not.toEqual(a.rows);
    });

    it('declares its protocol: firstRowIsInstance and needsObservations are booleans, and row 0 is all ones when it says so', () => {
      const session = create().start(5, 8, testContext(5, 'sampler'), gridGeometry(5));
      expect(typeof session.firstRowIsInstance).toBe('boolean');
      expect(typeof session.needsObservations).toBe('boolean');
      if (firstRowAllOnes) expect(session.firstRowIsInstance).toBe(true);
      const { rows } = drain(create(), 5, 8, 4);
      if (session.firstRowIsInstance) expect(rows[0]).toEqual([1, 1, 1, 1, 1]);
    });

    if (firstRowAllOnes) {
      it('starts with the instance itself (all ones)', () => {
        const { rows } = drain(create(), 6, 10, 4);
        expect(rows[0]).toEqual([1, 1, 1, 1, 1, 1]);
      });
    }
  });
}
