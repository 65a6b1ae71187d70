import { readdir } from 'node:fs/promises';
import { InputError, type Explanation, type ModelInputSpec } from '@limekit/core';
import type { ViewTransform } from '@limekit/image';

/** Files `limekit explain` writes into `--out`; anything else there is someone else's. */
export const EXPLANATION_FILE_PATTERNS: readonly RegExp[] = [
  /^explanation\.json$/,
  /^explanation\.html$/,
  /^segments\.npy$/,
  /^neighbourhood\.json$/,
  /^attribution-\d+\.npy$/,
  /^label-\d+(-[A-Za-z0-9._-]*)?\.(overlay|heatmap|hide-rest)\.png$/,
];

const isOurs = (name: string) => EXPLANATION_FILE_PATTERNS.some((p) => p.test(name));

/**
 * What is already in `--out`, checked before any work: nothing (or a missing folder) is fine; an
 * earlier explanation's files are returned, to be removed when the new one is committed (so no
 * stale overlay stays beside new ones); any other file makes the command refuse.
 * @throws InputError naming the foreign files and the fix.
 */
export async function previousExplanationFiles(outDir: string, flag = '--out'): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(outDir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    if ((err as NodeJS.ErrnoException).code === 'ENOTDIR') throw new InputError(`explain: ${flag} ${outDir} is a file, not a folder. Give a folder for the explanation's files.`);
    throw err;
  }
  const visible = names.filter((n) => !n.startsWith('.'));
  const foreign = visible.filter((n) => !isOurs(n));
  if (foreign.length) {
    const shown = foreign.slice(0, 5).join(', ') + (foreign.length > 5 ? `, … (${foreign.length} in all)` : '');
    throw new InputError(
      `explain: ${flag} ${outDir} is not empty and holds files limekit explain did not write (${shown}). Choose an empty or new folder, or one that holds only an earlier explanation (its files are then replaced).`,
    );
  }
  return visible;
}

/** Where the model's view lies on the original image, in original pixels. */
export interface CropBox {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/**
 * How the image became the model's view, for explanation.json's `viewFromImage`: the resize rule,
 * the shorter side before the crop, the filter, the resized size, and the crop box on the original
 * image (the region the model saw; the whole image for `stretch`).
 */
export function viewRecord(t: ViewTransform, spec: ModelInputSpec): Record<string, unknown> {
  const sx = t.originalWidth / t.resizedWidth;
  const sy = t.originalHeight / t.resizedHeight;
  const round = (v: number) => Math.round(v * 1000) / 1000;
  const cropBox: CropBox = { x: round(t.left * sx), y: round(t.top * sy), width: round(t.viewWidth * sx), height: round(t.viewHeight * sy) };
  return {
    resize: spec.resize,
    ...(spec.resizeTo !== undefined ? { resizeTo: spec.resizeTo } : {}),
    interpolation: spec.interpolation ?? 'bilinear',
    resized: { width: t.resizedWidth, height: t.resizedHeight },
    cropBox,
  };
}

/** A label's per-pixel attribution at the model's view: each pixel carries its segment's weight (float32, H × W, row-major). */
export function attributionMap(exp: Explanation, index: number): Float32Array {
  const label = exp.labels.find((l) => l.index === index);
  if (!label) throw new RangeError(`attributionMap: label ${index} was not explained.`);
  const { labels } = exp.segments;
  const out = new Float32Array(labels.length);
  for (let p = 0; p < labels.length; p++) out[p] = label.weights[labels[p]];
  return out;
}
