import { ShapeMismatchError } from './errors.js';
import type { SegmentMap } from './image.js';

/**
 * The region adjacency graph of a segmentation in compressed sparse row form: the neighbours of
 * segment i are `neighbours[offsets[i] .. offsets[i+1])`, in increasing order, without i itself.
 * Every edge appears in both directions.
 */
export interface SegmentAdjacency {
  /** M + 1 offsets into {@link neighbours}. */
  readonly offsets: Int32Array;
  /** 2·E segment ids (E undirected edges). */
  readonly neighbours: Int32Array;
}

/**
 * What samplers may know about the segmentation besides the number of segments M: sizes,
 * centroids, bounding boxes and 4-connectivity adjacency. Computed once per explanation by
 * {@link segmentGeometry} and passed to {@link Sampler.start}.
 */
export interface SegmentGeometry {
  /** Number of segments M. */
  readonly count: number;
  /** Image size in pixels. */
  readonly width: number;
  readonly height: number;
  /** M pixel counts. */
  readonly sizes: Int32Array;
  /** 2·M numbers: (row, col) of each segment's centroid, the mean of its pixel coordinates. */
  readonly centroids: Float64Array;
  /** 4·M integers: minRow, minCol, maxRow, maxCol of each segment (inclusive). */
  readonly bboxes: Int32Array;
  /** Two segments are adjacent when a pixel of one is a 4-neighbour (up, down, left, right) of a pixel of the other. */
  readonly adjacency: SegmentAdjacency;
}

/**
 * Sizes, centroids, bounding boxes and the 4-connectivity region adjacency graph of a segment
 * map, in one pass over the pixels plus a sort of the edges (O(pixels + E log E)).
 *
 * @param segments ids 0..M−1, every id used (see {@link validateSegmentMap}).
 * @returns the geometry; a segment touching no other (M = 1) has no neighbours.
 * @throws ShapeMismatchError when the labels do not cover `width × height` or an id is outside 0..M−1.
 */
export function segmentGeometry(segments: SegmentMap): SegmentGeometry {
  const { width: W, height: H, labels, count: M } = segments;
  if (labels.length !== W * H) {
    throw new ShapeMismatchError(`segmentGeometry: labels must have width*height = ${W * H} entries, got ${labels.length}.`);
  }
  const sizes = new Int32Array(M);
  const sumRow = new Float64Array(M);
  const sumCol = new Float64Array(M);
  const bboxes = new Int32Array(4 * M);
  for (let i = 0; i < M; i++) {
    bboxes[4 * i] = H;
    bboxes[4 * i + 1] = W;
    bboxes[4 * i + 2] = -1;
    bboxes[4 * i + 3] = -1;
  }
  // Edges as a set of keys a·M + b with a < b (exact in a double for any realistic M).
  const edges = new Set<number>();
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const p = y * W + x;
      const a = labels[p];
      if (!(a >= 0 && a < M)) {
        throw new ShapeMismatchError(`segmentGeometry: segment id ${a} at pixel ${p} is outside 0..${M - 1}. Number segments 0..M-1 (see relabelSequential).`);
      }
      sizes[a]++;
      sumRow[a] += y;
      sumCol[a] += x;
      const bb = 4 * a;
      if (y < bboxes[bb]) bboxes[bb] = y;
      if (x < bboxes[bb + 1]) bboxes[bb + 1] = x;
      if (y > bboxes[bb + 2]) bboxes[bb + 2] = y;
      if (x > bboxes[bb + 3]) bboxes[bb + 3] = x;
      // Right and down neighbours cover every 4-connected pair once.
      if (x + 1 < W) {
        const b = labels[p + 1];
        if (b !== a) edges.add(a < b ? a * M + b : b * M + a);
      }
      if (y + 1 < H) {
        const b = labels[p + W];
        if (b !== a) edges.add(a < b ? a * M + b : b * M + a);
      }
    }
  }
  const centroids = new Float64Array(2 * M);
  for (let i = 0; i < M; i++) {
    centroids[2 * i] = sizes[i] ? sumRow[i] / sizes[i] : NaN;
    centroids[2 * i + 1] = sizes[i] ? sumCol[i] / sizes[i] : NaN;
  }
  const degree = new Int32Array(M);
  for (const key of edges) {
    degree[Math.floor(key / M)]++;
    degree[key % M]++;
  }
  const offsets = new Int32Array(M + 1);
  for (let i = 0; i < M; i++) offsets[i + 1] = offsets[i] + degree[i];
  const neighbours = new Int32Array(offsets[M]);
  const fill = offsets.slice(0, M);
  for (const key of edges) {
    const a = Math.floor(key / M), b = key % M;
    neighbours[fill[a]++] = b;
    neighbours[fill[b]++] = a;
  }
  for (let i = 0; i < M; i++) neighbours.subarray(offsets[i], offsets[i + 1]).sort();
  return { count: M, width: W, height: H, sizes, centroids, bboxes, adjacency: { offsets, neighbours } };
}

/** The neighbours of segment `i` in a {@link SegmentAdjacency} (a view, in increasing order). */
export function neighboursOf(adjacency: SegmentAdjacency, i: number): Int32Array {
  return adjacency.neighbours.subarray(adjacency.offsets[i], adjacency.offsets[i + 1]);
}

/** Whether segments `a` and `b` are adjacent (binary search in a's sorted neighbour list). */
export function areAdjacent(adjacency: SegmentAdjacency, a: number, b: number): boolean {
  let lo = adjacency.offsets[a], hi = adjacency.offsets[a + 1] - 1;
  const nb = adjacency.neighbours;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (nb[mid] === b) return true;
    if (nb[mid] < b) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}

/**
 * Whether the segments in `set` induce a connected subgraph of the adjacency graph (the empty
 * set and single segments are connected).
 */
export function isConnectedSet(adjacency: SegmentAdjacency, set: readonly number[]): boolean {
  if (set.length <= 1) return true;
  const inSet = new Set(set);
  const seen = new Set<number>([set[0]]);
  const stack = [set[0]];
  while (stack.length) {
    const v = stack.pop()!;
    for (const u of neighboursOf(adjacency, v)) {
      if (inSet.has(u) && !seen.has(u)) {
        seen.add(u);
        stack.push(u);
      }
    }
  }
  return seen.size === inSet.size;
}
