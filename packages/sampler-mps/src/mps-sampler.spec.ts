import { areAdjacent, createRng, InvalidOptionError, isConnectedSet, segmentGeometry, ShapeMismatchError, type SegmentGeometry } from '@limekit/core';
import { describeSamplerContract, gridGeometry, segmentFixtureReader, testContext } from '@limekit/testing';
import { describe, expect, it } from 'vitest';
import { cliquesBySize, randomConnectedSet } from './cliques.js';
import { MpsSampler } from './mps-sampler.js';

describeSamplerContract('MpsSampler', () => new MpsSampler(), { firstRowAllOnes: true, exactBudget: false });
describeSamplerContract("MpsSampler (whenExhausted: 'connected')", () => new MpsSampler({ whenExhausted: 'connected' }), { firstRowAllOnes: true });

// A real segmentation: scikit-image 0.19.3's slic(chelsea 224², n_segments=100, compactness=10,
// sigma=1, start_label=0) — 90 segments — the reference labels of the SLIC parity fixture
// (packages/segmenter-slic/test/fixtures/PROVENANCE.md).
const { loadSegmentFixtures } = segmentFixtureReader(new URL('../../segmenter-slic/test/fixtures/', import.meta.url));
const chelsea = loadSegmentFixtures('slic').find((f) => f.name === 'chelsea_224.slic100');

function realGeometry(): SegmentGeometry {
  if (!chelsea) throw new Error('the SLIC fixture chelsea_224.slic100 is missing from packages/segmenter-slic/test/fixtures');
  const labels = chelsea.labels;
  return segmentGeometry({ width: chelsea.width, height: chelsea.height, labels, count: Math.max(...labels) + 1 });
}

function drawAll(sampler: MpsSampler, geometry: SegmentGeometry, budget: number, maxRows = 64, seed = 3): Uint8Array[] {
  const M = geometry.count;
  const session = sampler.start(M, budget, testContext(seed, 'sampler'), geometry);
  const rows: Uint8Array[] = [];
  let b;
  while ((b = session.next(maxRows))) for (let r = 0; r < b.count; r++) rows.push(b.rows.slice(r * M, (r + 1) * M));
  return rows;
}
const offSet = (row: Uint8Array): number[] => Array.from(row.keys()).filter((j) => row[j] === 0);

describe('MpsSampler', () => {
  it('switches off only cliques of the adjacency graph of a real SLIC segmentation, every clique once, smaller first', () => {
    const g = realGeometry();
    expect(g.count).toBeGreaterThan(50);
    const rows = drawAll(new MpsSampler(), g, 100000);
    expect(offSet(rows[0])).toEqual([]);
    const seen = new Set<string>();
    let lastSize = 1;
    for (const row of rows.slice(1)) {
      const off = offSet(row);
      expect(off.length).toBeGreaterThanOrEqual(1);
      // The paper's definition: a clique — every two switched-off segments are adjacent.
      for (let a = 0; a < off.length; a++) for (let b = a + 1; b < off.length; b++) expect(areAdjacent(g.adjacency, off[a], off[b])).toBe(true);
      expect(isConnectedSet(g.adjacency, off)).toBe(true);
      expect(off.length).toBeGreaterThanOrEqual(lastSize);
      lastSize = off.length;
      const key = off.join(',');
      expect(seen.has(key)).toBe(false);
      seen.add(key);
    }
    // Every single segment and every adjacent pair (edge) appears.
    const edges = g.adjacency.neighbours.length / 2;
    const singles = [...seen].filter((k) => !k.includes(',')).length;
    const pairs = [...seen].filter((k) => k.split(',').length === 2).length;
    expect(singles).toBe(g.count);
    expect(pairs).toBe(edges);
    expect(rows).toHaveLength(1 + 90 + 233 + 148 + 4);
    // Connected segments, planar adjacency: no clique above 4 segments (counted: 90/233/148/4).
    expect(Math.max(...[...seen].map((k) => k.split(',').length))).toBeLessThanOrEqual(4);
  });

  it("keeps every switched-off set connected on the real segmentation with whenExhausted: 'connected'", () => {
    const g = realGeometry();
    const rows = drawAll(new MpsSampler({ whenExhausted: 'connected', maxSetSize: 12 }), g, 1500);
    expect(rows).toHaveLength(1500);
    let larger = 0;
    for (const row of rows.slice(1)) {
      const off = offSet(row);
      expect(off.length).toBeGreaterThanOrEqual(1);
      expect(off.length).toBeLessThanOrEqual(12);
      expect(isConnectedSet(g.adjacency, off)).toBe(true);
      if (off.length > 4) larger++;
    }
    expect(larger).toBeGreaterThan(100);
  });

  it('lists the cliques of hand-drawn graphs: K4 and a path', () => {
    // 0 0 1
    // 0 2 1   — 0 touches 1 (top row), 2 (middle row), 3 (left column); 1 touches 2 and 3;
    // 3 3 3     2 touches 3: the complete graph K4 (4 singles, 6 pairs, 4 triangles, 1 quadruple).
    const g = segmentGeometry({ width: 3, height: 3, labels: Int32Array.from([0, 0, 1, 0, 2, 1, 3, 3, 3]), count: 4 });
    const levels = cliquesBySize(g.adjacency, 4, 4);
    expect(levels.map((l) => l.length)).toEqual([4, 6, 4, 1]);
    expect(levels[3]).toEqual([[0, 1, 2, 3]]);
    // A path 0–1–2–3 has no triangles.
    const path = segmentGeometry({ width: 4, height: 1, labels: Int32Array.from([0, 1, 2, 3]), count: 4 });
    expect(cliquesBySize(path.adjacency, 4, 4)).toEqual([[[0], [1], [2], [3]], [[0, 1], [1, 2], [2, 3]]]);
    expect(cliquesBySize(path.adjacency, 4, 1)).toEqual([[[0], [1], [2], [3]]]);
  });

  it("draws 1 + (number of cliques) rows with 'stop', and exactly the budget when it is smaller", () => {
    const g = gridGeometry(9); // 3×3 grid graph: 9 vertices, 12 edges, no triangles
    expect(drawAll(new MpsSampler(), g, 1000)).toHaveLength(22);
    const few = drawAll(new MpsSampler(), g, 8);
    expect(few).toHaveLength(8);
    for (const row of few.slice(1)) expect(offSet(row)).toHaveLength(1);
    const session = new MpsSampler().start(9, 1000, testContext(1), g);
    while (session.next(7));
    expect(session.summary?.()).toEqual({ samples: 22, cliques: 21, cliquesBySize: [9, 12], exhausted: true });
  });

  it('random connected sets grow along edges and stop at the component', () => {
    const path = segmentGeometry({ width: 5, height: 1, labels: Int32Array.from([0, 1, 2, 3, 4]), count: 5 });
    const rng = createRng(4);
    for (let t = 0; t < 50; t++) {
      const set = randomConnectedSet(path.adjacency, 5, 3, rng);
      expect(set).toHaveLength(3);
      expect(isConnectedSet(path.adjacency, set)).toBe(true);
    }
    expect(randomConnectedSet(path.adjacency, 5, 9, rng).sort()).toEqual([0, 1, 2, 3, 4]);
  });

  it('needs a geometry of the right size and rejects bad options with messages naming them', () => {
    expect(() => new MpsSampler().start(4, 10, testContext(1))).toThrow(InvalidOptionError);
    expect(() => new MpsSampler().start(4, 10, testContext(1))).toThrow(/geometry must be given/);
    expect(() => new MpsSampler().start(5, 10, testContext(1), gridGeometry(4))).toThrow(ShapeMismatchError);
    expect(() => new MpsSampler({ maxCliqueSize: 0 })).toThrow(/maxCliqueSize must be an integer >= 1, got 0/);
    expect(() => new MpsSampler({ whenExhausted: 'repeat' as never })).toThrow(/whenExhausted/);
    expect(() => new MpsSampler({ q: 1 } as never)).toThrow(/unknown option "q"/);
  });
});
