import { InvalidOptionError, requireOption, resolveOptions, rowByRowSession, type RunContext, type Sampler, type SamplerSession } from '@limekit/core';

/**
 * Options of {@link OcclusionSampler}. The defaults switch off one segment at a time; a window
 * larger than one cell (or `gridCols` set) slides a window of grid cells over the segments of a
 * `grid` segmenter, row-major with `gridCols` columns.
 */
export interface OcclusionOptions {
  /** Window height in grid cells (an integer ≥ 1). captum: `sliding_window_shapes[1] / stride`. */
  windowRows: number;
  /** Window width in grid cells (an integer ≥ 1). */
  windowCols: number;
  /** Vertical step between windows in cells (an integer ≥ 1). */
  strideRows: number;
  /** Horizontal step between windows in cells (an integer ≥ 1). */
  strideCols: number;
  /**
   * Columns of the grid the segments form (the grid segmenter's `nCols`; rows = M / gridCols), or
   * null to treat segments as unordered (only a 1 × 1 window, stride 1, is then allowed).
   */
  gridCols: number | null;
}

/** Defaults of {@link OcclusionOptions}: one segment off at a time. */
export const DEFAULT_OCCLUSION_OPTIONS: Readonly<OcclusionOptions> = { windowRows: 1, windowCols: 1, strideRows: 1, strideCols: 1, gridCols: null };

const WHO = 'OcclusionSampler';

/** The windows of an occlusion run: for each, the segments it switches off. */
export function occlusionWindows(numFeatures: number, options: Readonly<OcclusionOptions>): number[][] {
  const { windowRows: wr, windowCols: wc, strideRows: sr, strideCols: sc, gridCols } = options;
  if (gridCols === null) {
    if (wr !== 1 || wc !== 1 || sr !== 1 || sc !== 1) {
      throw new InvalidOptionError(`${WHO}: gridCols must be set (the grid segmenter's nCols) for a window or stride other than 1 × 1, got null. Use the grid segmenter and give its nCols.`);
    }
    return Array.from({ length: numFeatures }, (_, j) => [j]);
  }
  if (numFeatures % gridCols !== 0) {
    throw new InvalidOptionError(`${WHO}: the number of segments must be a multiple of gridCols, got ${numFeatures} segments for gridCols ${gridCols}. Set gridCols to the grid segmenter's nCols (and use that segmenter).`);
  }
  const rows = numFeatures / gridCols;
  for (const [name, win, stride, size] of [['rows', wr, sr, rows], ['columns', wc, sc, gridCols]] as const) {
    if (win > size || (size - win) % stride !== 0) {
      throw new InvalidOptionError(
        `${WHO}: windows must tile the grid's ${name}: (${size} − window ${win}) must be a non-negative multiple of the stride ${stride}. Change the window, the stride or the grid so every cell is covered.`,
      );
    }
  }
  const windows: number[][] = [];
  for (let r0 = 0; r0 + wr <= rows; r0 += sr) {
    for (let c0 = 0; c0 + wc <= gridCols; c0 += sc) {
      const cells: number[] = [];
      for (let r = r0; r < r0 + wr; r++) for (let c = c0; c < c0 + wc; c++) cells.push(r * gridCols + c);
      windows.push(cells);
    }
  }
  return windows;
}

/**
 * Occlusion's sampler: the instance (all ones), then one row per window with the window's
 * segments switched off. With the defaults a window is one segment; on a `grid` segmenter whose
 * cells are the stride, a window of k × l cells is captum's `Occlusion` with
 * `sliding_window_shapes = (k·stride, l·stride)` and `strides = stride`.
 *
 * @remarks Deterministic; the run's `numSamples` is ignored (M + 1 rows for single segments, one
 * per window plus the instance otherwise), and the summary says how many rows were drawn.
 * @see Zeiler & Fergus, "Visualizing and Understanding Convolutional Networks", ECCV 2014, arXiv:1311.2901
 */
export class OcclusionSampler implements Sampler {
  readonly id = 'occlusion';
  readonly options: Readonly<OcclusionOptions>;

  /** @throws InvalidOptionError for sizes that are not integers ≥ 1 or an unknown option. */
  constructor(options: Partial<OcclusionOptions> = {}) {
    const o = (this.options = resolveOptions(WHO, DEFAULT_OCCLUSION_OPTIONS, options));
    for (const name of ['windowRows', 'windowCols', 'strideRows', 'strideCols'] as const) {
      requireOption(Number.isInteger(o[name]) && o[name] >= 1, WHO, name, 'an integer >= 1', o[name], 'Sizes are in grid cells.');
    }
    requireOption(o.gridCols === null || (Number.isInteger(o.gridCols) && o.gridCols >= 1), WHO, 'gridCols', 'null or an integer >= 1', o.gridCols, "It is the grid segmenter's nCols.");
  }

  start(numFeatures: number, budget: number, _ctx: RunContext): SamplerSession {
    const M = numFeatures;
    const windows = occlusionWindows(M, this.options);
    const total = windows.length + 1;
    return rowByRowSession({
      total,
      numFeatures: M,
      firstRowIsInstance: true,
      drawRow(row, i) {
        row.fill(1);
        for (const j of windows[i - 1]) row[j] = 0;
      },
      summary: () => ({ windows: windows.length, requested: budget }),
    });
  }
}
