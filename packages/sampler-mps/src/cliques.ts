import { areAdjacent, neighboursOf, type Rng, type SegmentAdjacency } from '@limekit/core';

/**
 * Every clique of an undirected graph with at most `maxSize` vertices, by increasing size: the
 * single vertices, then the edges, then the triangles, … Each clique is listed once, its vertices
 * in increasing order; a (k+1)-clique is a k-clique extended by a common neighbour larger than
 * its largest vertex (so no clique is found twice).
 *
 * @remarks When every segment is connected, the region adjacency graph is planar, so its cliques
 * have at most 4 vertices and there are O(M) of them (fewer than M + 3M + 3M + M).
 * @param adjacency CSR adjacency with sorted neighbour lists (see `segmentGeometry`).
 * @param count the number of vertices M.
 * @param maxSize largest clique size listed (≥ 1).
 * @returns the cliques, grouped by size: `levels[k-1]` holds the k-cliques.
 */
export function cliquesBySize(adjacency: SegmentAdjacency, count: number, maxSize: number): number[][][] {
  const levels: number[][][] = [];
  let current: number[][] = Array.from({ length: count }, (_, v) => [v]);
  for (let size = 1; size <= maxSize && current.length > 0; size++) {
    levels.push(current);
    if (size === maxSize) break;
    const next: number[][] = [];
    for (const clique of current) {
      const last = clique[clique.length - 1];
      // Candidates: neighbours of the first vertex larger than the last one, adjacent to all others.
      for (const u of neighboursOf(adjacency, clique[0])) {
        if (u <= last) continue;
        let ok = true;
        for (let i = 1; i < clique.length && ok; i++) ok = areAdjacent(adjacency, clique[i], u);
        if (ok) next.push([...clique, u]);
      }
    }
    current = next;
  }
  return levels;
}

/** Fisher–Yates shuffle in place, drawing `list.length − 1` bounded integers from `rng`. */
export function shuffleInPlace<T>(list: T[], rng: Rng): void {
  for (let i = list.length - 1; i > 0; i--) {
    const j = rng.nextInt(i + 1);
    const t = list[i];
    list[i] = list[j];
    list[j] = t;
  }
}

/**
 * A random connected set of `size` vertices (fewer when the start vertex's component is smaller):
 * starts at a uniformly drawn vertex and repeatedly adds a uniformly drawn vertex of the set's
 * frontier (vertices outside the set adjacent to it, each counted once).
 *
 * @param out receives the vertices in the order they were added.
 */
export function randomConnectedSet(adjacency: SegmentAdjacency, count: number, size: number, rng: Rng, out: number[] = []): number[] {
  out.length = 0;
  const inSet = new Uint8Array(count);
  const onFrontier = new Uint8Array(count);
  const frontier: number[] = [];
  const add = (v: number): void => {
    inSet[v] = 1;
    out.push(v);
    for (const u of neighboursOf(adjacency, v)) {
      if (!inSet[u] && !onFrontier[u]) {
        onFrontier[u] = 1;
        frontier.push(u);
      }
    }
  };
  add(rng.nextInt(count));
  while (out.length < size && frontier.length > 0) {
    const k = rng.nextInt(frontier.length);
    const v = frontier[k];
    frontier[k] = frontier[frontier.length - 1];
    frontier.pop();
    onFrontier[v] = 0;
    add(v);
  }
  return out;
}
