// The JavaScript k-means and connectivity steps of SLIC: the implementation before the
// WebAssembly kernels (wasm/slic.as.ts), kept as the fallback where WebAssembly is unavailable
// (`node --jitless`) and as the reference the tests compare the kernels with, label for label.

/**
 * `_slic_cython` for depth 1, no mask, unit spacing; updates `centroids` in place.
 *
 * scikit-image loops over seeds, then over each seed's window; a pixel ends with the first seed
 * (in index order) at the smallest distance. Here rows are the outer loop and, within a row, the
 * seeds whose window covers it in index order: every pixel sees the same comparisons in the same
 * order, so the result is identical, while each image row stays in cache for all its seeds.
 * Where the spatial term alone already reaches a pixel's best distance the colour term is skipped:
 * it is ≥ 0, so that seed could not have won.
 */
export function kmeansJs(
  img: Float64Array,
  height: number,
  width: number,
  centroids: Float64Array,
  K: number,
  stepY: number,
  stepX: number,
  spatialWeight: number,
  maxNumIter: number,
  slicZero: boolean,
): Int32Array {
  const N = height * width;
  const nearest = new Int32Array(N).fill(-1);
  const distance = new Float64Array(width);
  const counts = new Float64Array(K);
  const maxDistColor = new Float64Array(K).fill(1);
  const xMins = new Int32Array(K), xMaxs = new Int32Array(K), yMins = new Int32Array(K), yMaxs = new Int32Array(K);
  const rowStart = new Int32Array(height + 1);
  let rowSeeds = new Int32Array(0);
  for (let iter = 0; iter < maxNumIter; iter++) {
    // Windows of this round, and for every row the seeds covering it, in index order.
    let change = false;
    rowStart.fill(0);
    let entries = 0;
    for (let k = 0; k < K; k++) {
      const cy = centroids[5 * k], cx = centroids[5 * k + 1];
      // C casts truncate towards zero; an empty cluster's NaN centroid gets an empty window, as in C.
      const yMin = Math.trunc(Math.max(cy - 2 * stepY, 0)), yMax = Math.trunc(Math.min(cy + 2 * stepY + 1, height));
      const xMin = Math.trunc(Math.max(cx - 2 * stepX, 0)), xMax = Math.trunc(Math.min(cx + 2 * stepX + 1, width));
      const empty = !(yMax > yMin && xMax > xMin);
      yMins[k] = empty ? 0 : yMin;
      yMaxs[k] = empty ? 0 : yMax;
      xMins[k] = xMin;
      xMaxs[k] = xMax;
      if (empty) continue;
      change = true;
      for (let y = yMin; y < yMax; y++) rowStart[y + 1]++;
      entries += yMax - yMin;
    }
    if (rowSeeds.length < entries) rowSeeds = new Int32Array(entries);
    for (let y = 0; y < height; y++) rowStart[y + 1] += rowStart[y];
    const fill = rowStart.slice(0, height);
    for (let k = 0; k < K; k++) for (let y = yMins[k]; y < yMaxs[k]; y++) rowSeeds[fill[y]++] = k;

    for (let y = 0; y < height; y++) {
      distance.fill(Number.MAX_VALUE);
      const row = y * width;
      for (let s = rowStart[y]; s < rowStart[y + 1]; s++) {
        const k = rowSeeds[s], b = 5 * k;
        const cy = centroids[b], cx = centroids[b + 1];
        const c0 = centroids[b + 2], c1 = centroids[b + 3], c2 = centroids[b + 4];
        const dy = (cy - y) * (cy - y);
        const xMin = xMins[k], xMax = xMaxs[k];
        if (slicZero) {
          sweepRowZero(img, row, xMin, xMax, cx, dy, c0, c1, c2, spatialWeight, maxDistColor[k], k, distance, nearest);
        } else {
          sweepRow(img, row, xMin, xMax, cx, dy, c0, c1, c2, spatialWeight, k, distance, nearest);
        }
      }
    }
    if (!change) break;
    counts.fill(0);
    centroids.fill(0);
    for (let y = 0, q = 0; y < height; y++) {
      for (let x = 0; x < width; x++, q++) {
        const k = nearest[q], b = 5 * k, o = 3 * q;
        counts[k]++;
        centroids[b] += y;
        centroids[b + 1] += x;
        centroids[b + 2] += img[o];
        centroids[b + 3] += img[o + 1];
        centroids[b + 4] += img[o + 2];
      }
    }
    for (let k = 0; k < K; k++) for (let c = 0; c < 5; c++) centroids[5 * k + c] /= counts[k];
    if (slicZero) {
      for (let q = 0; q < N; q++) {
        const k = nearest[q], b = 5 * k, o = 3 * q;
        const t0 = img[o] - centroids[b + 2], t1 = img[o + 1] - centroids[b + 3], t2 = img[o + 2] - centroids[b + 4];
        const dc = t0 * t0 + t1 * t1 + t2 * t2;
        if (maxDistColor[k] < dc) maxDistColor[k] = dc;
      }
    }
  }
  return nearest;
}

/**
 * One seed over its window's part of one row: the distance `(dy + dx²) · weight + ‖Δcolour‖²`
 * (the Cython order, dz = 0 in 2-D) replaces `distance[x]` when strictly smaller.
 */
function sweepRow(
  img: Float64Array,
  row: number,
  xMin: number,
  xMax: number,
  cx: number,
  dy: number,
  c0: number,
  c1: number,
  c2: number,
  spatialWeight: number,
  k: number,
  distance: Float64Array,
  nearest: Int32Array,
): void {
  for (let x = xMin; x < xMax; x++) {
    const dx = cx - x;
    const spatial = (dy + dx * dx) * spatialWeight;
    const best = distance[x];
    // Adding a colour distance >= 0 cannot bring the sum below `best`: skip the colour.
    if (spatial >= best) continue;
    const o = 3 * (row + x);
    const t0 = img[o] - c0, t1 = img[o + 1] - c1, t2 = img[o + 2] - c2;
    const d = spatial + (t0 * t0 + t1 * t1 + t2 * t2);
    if (best > d) {
      nearest[row + x] = k;
      distance[x] = d;
    }
  }
}

/** {@link sweepRow} for SLIC-zero: the colour distance is divided by the cluster's largest. */
function sweepRowZero(
  img: Float64Array,
  row: number,
  xMin: number,
  xMax: number,
  cx: number,
  dy: number,
  c0: number,
  c1: number,
  c2: number,
  spatialWeight: number,
  colourScale: number,
  k: number,
  distance: Float64Array,
  nearest: Int32Array,
): void {
  for (let x = xMin; x < xMax; x++) {
    const dx = cx - x;
    const spatial = (dy + dx * dx) * spatialWeight;
    const best = distance[x];
    if (spatial >= best) continue;
    const o = 3 * (row + x);
    const t0 = img[o] - c0, t1 = img[o + 1] - c1, t2 = img[o + 2] - c2;
    const d = spatial + (t0 * t0 + t1 * t1 + t2 * t2) / colourScale;
    if (best > d) {
      nearest[row + x] = k;
      distance[x] = d;
    }
  }
}

/**
 * scikit-image's `_enforce_label_connectivity_cython` (2-D, `start_label=0`): breadth-first
 * search of each connected component in raster order (neighbours +x, −x, +y, −y), stopping at
 * `maxSize` pixels; a component smaller than `minSize` takes the label of the last already
 * relabelled neighbour met during its search.
 *
 * @param labels H·W cluster labels (−1 = unlabelled, skipped).
 * @param minSize `int(minSizeFactor · H·W / K)`.
 * @param maxSize `int(maxSizeFactor · H·W / K)`.
 * @returns new labels 0..M−1 in raster order of first appearance.
 */
export function enforceConnectivity(labels: Int32Array, height: number, width: number, minSize: number, maxSize: number): Int32Array {
  const out = new Int32Array(labels.length).fill(-1);
  const queue = new Int32Array(Math.max(1, maxSize));
  let current = 0;
  for (let q0 = 0; q0 < labels.length; q0++) {
    if (labels[q0] === -1 || out[q0] > -1) continue;
    let adjacent = current;
    const label = labels[q0];
    out[q0] = current;
    let size = 1, visited = 0;
    queue[0] = q0;
    while (visited < size && size < maxSize) {
      const q = queue[visited];
      const qy = Math.floor(q / width), qx = q - qy * width;
      for (let i = 0; i < 4; i++) {
        // ddx = (1, -1, 0, 0), ddy = (0, 0, 1, -1)
        const xx = i === 0 ? qx + 1 : i === 1 ? qx - 1 : qx;
        const yy = i === 2 ? qy + 1 : i === 3 ? qy - 1 : qy;
        if (xx < 0 || xx >= width || yy < 0 || yy >= height) continue;
        const r = yy * width + xx;
        if (labels[r] === label && out[r] === -1) {
          out[r] = current;
          queue[size++] = r;
          if (size >= maxSize) break;
        } else if (out[r] > -1 && out[r] !== current) {
          adjacent = out[r];
        }
      }
      visited++;
    }
    if (size < minSize) {
      for (let i = 0; i < size; i++) out[queue[i]] = adjacent;
    } else {
      current++;
    }
  }
  return out;
}
