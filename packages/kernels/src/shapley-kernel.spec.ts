import { describeKernelContract } from '@limekit/testing';
import { describe, expect, it } from 'vitest';
import { kernelComponents, shapleyKernelComponent } from './components.js';
import { ShapleyKernel, logBinomialRow, shapleyKernelTable } from './shapley-kernel.js';

describeKernelContract('ShapleyKernel', () => new ShapleyKernel());

/** All 2^M coalitions, row-major, in binary counting order. */
function allCoalitions(M: number): Uint8Array {
  const rows = new Uint8Array(2 ** M * M);
  for (let r = 0; r < 2 ** M; r++) for (let j = 0; j < M; j++) rows[r * M + j] = (r >> j) & 1;
  return rows;
}

describe('ShapleyKernel', () => {
  it('gives (M−1)/(C(M,k)·k·(M−k)) for M = 6: 1/6, 1/24, 1/36, 1/24, 1/6', () => {
    // C(6, k) = 1, 6, 15, 20, 15, 6, 1 by hand.
    const M = 6;
    const rows = allCoalitions(M);
    const out = new Float64Array(64);
    new ShapleyKernel().weigh({ rows, count: 64 }, M, out);
    const expected = [1e6, 1 / 6, 1 / 24, 1 / 36, 1 / 24, 1 / 6, 1e6];
    for (let r = 0; r < 64; r++) {
      let k = 0;
      for (let j = 0; j < M; j++) k += rows[r * M + j];
      expect(Math.abs(out[r] - expected[k]) / expected[k]).toBeLessThan(1e-13);
    }
  });

  it('sums to (M−1)/(k(M−k)) over each coalition size, the size weights KernelSHAP samples from', () => {
    for (const M of [5, 12, 40]) {
      const table = shapleyKernelTable(M, 1e6);
      const logC = logBinomialRow(M);
      for (let k = 1; k < M; k++) {
        const total = Math.exp(logC[k]) * table[k];
        expect(Math.abs(total - (M - 1) / (k * (M - k))) / total).toBeLessThan(1e-12);
      }
    }
  });

  it('stays finite and non-negative for thousands of segments (log-space binomials)', () => {
    const M = 3000;
    const table = shapleyKernelTable(M, 1e6);
    for (const w of table) expect(Number.isFinite(w) && w >= 0).toBe(true);
    // k = 1: (M−1)/(M·1·(M−1)) = 1/M exactly.
    expect(Math.abs(table[1] - 1 / M) * M).toBeLessThan(1e-12);
    expect(table[M - 1]).toBe(table[1]);
    // C(40, 20) = 137846528820 exactly.
    expect(Math.abs(Math.exp(logBinomialRow(40)[20]) / 137846528820 - 1)).toBeLessThan(1e-13);
  });

  it('weighs the all-ones and all-zeros rows with endpointWeight', () => {
    const out = new Float64Array(3);
    new ShapleyKernel({ endpointWeight: 50 }).weigh({ rows: new Uint8Array([1, 1, 1, 0, 0, 0, 1, 0, 0]), count: 3 }, 3, out);
    expect(out[0]).toBe(50);
    expect(out[1]).toBe(50);
    expect(Math.abs(out[2] - 2 / (3 * 1 * 2))).toBeLessThan(1e-15);
  });

  it('rejects a non-positive or infinite endpointWeight and unknown options', () => {
    expect(() => new ShapleyKernel({ endpointWeight: 0 })).toThrow(/endpointWeight must be a positive finite number, got 0/);
    expect(() => new ShapleyKernel({ endpointWeight: Infinity })).toThrow(/endpointWeight must be a positive finite number/);
    expect(() => new ShapleyKernel({ width: 1 } as never)).toThrow(/unknown option "width"/);
  });

  it('is component "shapley"', () => {
    expect(kernelComponents).toContain(shapleyKernelComponent);
    expect(shapleyKernelComponent.create({}).id).toBe('shapley');
  });
});
