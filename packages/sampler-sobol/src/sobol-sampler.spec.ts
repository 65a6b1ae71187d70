import { InputError, InvalidOptionError, createRng } from '@limekit/core';
import { describeSamplerContract, testContext } from '@limekit/testing';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { sobolComponent } from './component.js';
import { MAX_SOBOL_DIMENSIONS } from './joe-kuo-directions.js';
import { SobolSequence, sobolDirections } from './sobol.js';
import { SobolSampler } from './sobol-sampler.js';

describeSamplerContract('SobolSampler', () => new SobolSampler(), { firstRowAllOnes: true });
describeSamplerContract('SobolSampler (p = 0.3)', () => new SobolSampler({ p: 0.3 }), { firstRowAllOnes: true });

// scipy 1.10.1 qmc.Sobol(d=1024, scramble=False) points and direction numbers; see test/fixtures/PROVENANCE.md.
const scipy: {
  dims: number[];
  points: Record<string, number[]>;
  sums: number[];
  directions: Record<string, number[]>;
  directionSums: number[];
} = JSON.parse(readFileSync(new URL('../test/fixtures/scipy_sobol.json', import.meta.url), 'utf8'));

describe('Sobol sequence parity with scipy 1.10.1 qmc.Sobol(scramble=False)', () => {
  it('has scipy’s (Joe–Kuo) direction numbers in all 1024 dimensions', () => {
    const v = sobolDirections(MAX_SOBOL_DIMENSIONS);
    for (let d = 0; d < MAX_SOBOL_DIMENSIONS; d++) {
      let sum = 0;
      for (let j = 0; j < 30; j++) sum += v[d * 32 + j] >>> 2; // scipy keeps 30 bits
      expect(sum).toBe(scipy.directionSums[d]);
    }
    for (const d of scipy.dims) expect(Array.from({ length: 30 }, (_, j) => v[d * 32 + j] >>> 2)).toEqual(scipy.directions[String(d)]);
  });

  it('gives scipy’s first 256 points, in Gray-code order, in every dimension', () => {
    const seq = new SobolSequence(MAX_SOBOL_DIMENSIONS);
    const point = new Uint32Array(MAX_SOBOL_DIMENSIONS);
    const sums = new Array(MAX_SOBOL_DIMENSIONS).fill(0);
    const shown: Record<string, number[]> = Object.fromEntries(scipy.dims.map((d) => [String(d), []]));
    for (let i = 0; i < 256; i++) {
      seq.next(point);
      for (let d = 0; d < MAX_SOBOL_DIMENSIONS; d++) sums[d] += point[d] >>> 2;
      for (const d of scipy.dims) shown[String(d)].push(point[d] >>> 2);
    }
    expect(sums).toEqual(scipy.sums);
    for (const d of scipy.dims) expect(shown[String(d)]).toEqual(scipy.points[String(d)]);
  });
});

function rowsOf(sampler: SobolSampler, M: number, n: number, seed: number, maxRows = 64): number[][] {
  const s = sampler.start(M, n, testContext(seed, 'sampler'));
  const rows: number[][] = [];
  let b;
  while ((b = s.next(maxRows))) for (let r = 0; r < b.count; r++) rows.push(Array.from(b.rows.subarray(r * M, (r + 1) * M)));
  return rows;
}

/** Largest deviation of a column mean from p over the design rows (all but the instance). */
function columnDiscrepancy(rows: number[][], p: number): number {
  const M = rows[0].length;
  let worst = 0;
  for (let j = 0; j < M; j++) {
    let s = 0;
    for (let i = 1; i < rows.length; i++) s += rows[i][j];
    worst = Math.max(worst, Math.abs(s / (rows.length - 1) - p));
  }
  return worst;
}

/** lime's Bernoulli design for comparison: instance first, then M uint32 draws per row. */
function bernoulliRows(M: number, n: number, p: number, seed: number): number[][] {
  const rng = testContext(seed, 'sampler').rng;
  const rows = [new Array(M).fill(1)];
  for (let i = 1; i < n; i++) rows.push(Array.from({ length: M }, () => (rng.nextUint32() < p * 4294967296 ? 1 : 0)));
  return rows;
}

describe('SobolSampler', () => {
  it('with p = 0.5 keeps every segment in exactly half of the first 2^m rows after the instance', () => {
    for (const seed of [1, 2, 3]) {
      const rows = rowsOf(new SobolSampler(), 37, 257, seed);
      expect(columnDiscrepancy(rows, 0.5)).toBe(0);
    }
  });

  it('column means converge faster than Bernoulli’s: at n = 256 the discrepancy is < 1/4 of Bernoulli’s, averaged over 20 seeds', () => {
    // Bernoulli's column means have s.e. sqrt(p(1−p)/256) ≈ 0.03, its worst of 40 columns ≈ 0.07;
    // scrambled Sobol's are within a few 1/256.
    for (const p of [0.5, 0.3]) {
      let sobol = 0, bernoulli = 0;
      for (let seed = 1; seed <= 20; seed++) {
        sobol += columnDiscrepancy(rowsOf(new SobolSampler({ p }), 40, 257, seed), p) / 20;
        bernoulli += columnDiscrepancy(bernoulliRows(40, 257, p, seed), p) / 20;
      }
      expect(sobol).toBeLessThan(bernoulli / 4);
    }
  });

  it('pairs of segments are kept together about p² of the time, closer than Bernoulli on average', () => {
    const M = 16, p = 0.5;
    const pairDiscrepancy = (rows: number[][]) => {
      let total = 0, pairs = 0;
      for (let a = 0; a < M; a++) {
        for (let b = a + 1; b < M; b++) {
          let s = 0;
          for (let i = 1; i < rows.length; i++) s += rows[i][a] * rows[i][b];
          total += Math.abs(s / (rows.length - 1) - p * p);
          pairs++;
        }
      }
      return total / pairs;
    };
    let sobol = 0, bernoulli = 0;
    for (let seed = 1; seed <= 10; seed++) {
      sobol += pairDiscrepancy(rowsOf(new SobolSampler({ p }), M, 257, seed)) / 10;
      bernoulli += pairDiscrepancy(bernoulliRows(M, 257, p, seed)) / 10;
    }
    expect(sobol).toBeLessThan(bernoulli / 2);
  });

  it('scrambling randomises each coordinate (point 0 is uniform over seeds)', () => {
    // 400 seeds × 10 segments of the first design row: keep frequency 0.5 ± 0.04 (5 s.e.).
    let kept = 0;
    for (let seed = 0; seed < 400; seed++) kept += rowsOf(new SobolSampler(), 10, 2, seed)[1].reduce((a, b) => a + b, 0);
    expect(Math.abs(kept / 4000 - 0.5)).toBeLessThan(0.04);
  });

  it('without scrambling gives the same rows for every seed, the first Sobol point repeating the instance', () => {
    const a = rowsOf(new SobolSampler({ scramble: false }), 5, 6, 1);
    expect(rowsOf(new SobolSampler({ scramble: false }), 5, 6, 2)).toEqual(a);
    expect(a.slice(0, 3)).toEqual([[1, 1, 1, 1, 1], [1, 1, 1, 1, 1], [0, 0, 0, 0, 0]]);
  });

  it('refuses more segments than it has direction numbers for', () => {
    const start = () => new SobolSampler().start(MAX_SOBOL_DIMENSIONS + 1, 10, { rng: createRng(1) });
    expect(start).toThrow(InputError);
    expect(start).toThrow(/number of segments must be <= 1024 .*, got 1025\. Use fewer segments or the bernoulli sampler/);
    expect(rowsOf(new SobolSampler(), MAX_SOBOL_DIMENSIONS, 3, 1)).toHaveLength(3);
  });

  it('rejects a bad p and unknown options with a message naming them', () => {
    expect(() => new SobolSampler({ p: -0.1 })).toThrow(/p must be in \[0, 1\], got -0.1/);
    expect(() => new SobolSampler({ scramble: 1 } as never)).toThrow(InvalidOptionError);
    expect(() => new SobolSampler({ skip: 1 } as never)).toThrow(/unknown option "skip"/);
  });

  it('is component "sobol"', () => {
    expect(sobolComponent.create({}).id).toBe('sobol');
  });
});
