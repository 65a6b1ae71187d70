import type { Rng } from '@limekit/core';

/** Source index and weight of one output coordinate of a linear resize (scikit-image `resize`, order=1, mode='reflect'). */
interface Tap {
  readonly i0: number;
  readonly i1: number;
  readonly t: number;
}

/** ndimage's 'mirror' boundary (scikit-image's mode='reflect'): −1 → 1, n → n − 2. */
function mirror(i: number, n: number): number {
  if (n === 1) return 0;
  const period = 2 * (n - 1);
  let k = ((i % period) + period) % period;
  if (k >= n) k = period - k;
  return k;
}

/** Taps of a linear resize from `n` source samples to `out` samples (pixel centres aligned, no anti-aliasing). */
function taps(n: number, out: number): Tap[] {
  const scale = n / out;
  return Array.from({ length: out }, (_, o) => {
    const src = (o + 0.5) * scale - 0.5;
    const f = Math.floor(src);
    return { i0: mirror(f, n), i1: mirror(f + 1, n), t: src - f };
  });
}

/** The geometry of RISE masks for an H × W image and an s × s grid. */
export interface RiseGeometry {
  readonly height: number;
  readonly width: number;
  readonly gridSize: number;
  /** Cell size ⌈H / s⌉ and ⌈W / s⌉: the upsampled mask is (s + 1) cells per side, the random shift below one cell. */
  readonly cellHeight: number;
  readonly cellWidth: number;
  readonly rowTaps: readonly Tap[];
  readonly colTaps: readonly Tap[];
}

/** Precomputes the resize of an s × s grid to (s + 1)·cell pixels per side. */
export function riseGeometry(height: number, width: number, gridSize: number): RiseGeometry {
  const cellHeight = Math.ceil(height / gridSize), cellWidth = Math.ceil(width / gridSize);
  return {
    height,
    width,
    gridSize,
    cellHeight,
    cellWidth,
    rowTaps: taps(gridSize, (gridSize + 1) * cellHeight),
    colTaps: taps(gridSize, (gridSize + 1) * cellWidth),
  };
}

/**
 * One RISE mask (Petsiuk et al., BMVC 2018, as their reference `generate_masks`): s × s cells,
 * each 1 with probability p (s² draws of `rng`, row-major), resized linearly to (s + 1) cells of
 * ⌈H/s⌉ × ⌈W/s⌉ pixels (scikit-image `resize(order=1, mode='reflect', anti_aliasing=False)`), then
 * an H × W window cut at a random shift below one cell (rows first, two more draws).
 *
 * @param out H·W mask values in [0, 1], row-major; overwritten.
 */
export function riseMask(geometry: RiseGeometry, p: number, rng: Rng, out: Float32Array): void {
  const { gridSize: s, cellHeight, cellWidth } = geometry;
  const grid = new Float64Array(s * s);
  for (let i = 0; i < s * s; i++) grid[i] = rng.nextFloat() < p ? 1 : 0;
  const dy = rng.nextInt(cellHeight), dx = rng.nextInt(cellWidth);
  upsampleWindow(grid, geometry, dy, dx, out);
}

/**
 * The H × W window at (dy, dx) of an s × s grid resized linearly to (s + 1) cells per side
 * (scikit-image `resize(grid, ((s+1)·cellHeight, (s+1)·cellWidth), order=1, mode='reflect',
 * anti_aliasing=False)[dy:dy+H, dx:dx+W]`).
 * @param grid s × s values, row-major. @param out H·W values, row-major; overwritten.
 */
export function upsampleWindow(grid: Float64Array, geometry: RiseGeometry, dy: number, dx: number, out: Float32Array): void {
  const { height: H, width: W, gridSize: s, rowTaps, colTaps } = geometry;
  // Columns first: each grid row resized to the window's W columns.
  const rowsW = new Float64Array(s * W);
  for (let g = 0; g < s; g++) {
    for (let x = 0; x < W; x++) {
      const { i0, i1, t } = colTaps[x + dx];
      rowsW[g * W + x] = (1 - t) * grid[g * s + i0] + t * grid[g * s + i1];
    }
  }
  for (let y = 0; y < H; y++) {
    const { i0, i1, t } = rowTaps[y + dy];
    for (let x = 0; x < W; x++) out[y * W + x] = (1 - t) * rowsW[i0 * W + x] + t * rowsW[i1 * W + x];
  }
}
