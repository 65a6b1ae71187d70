// Vega-Lite → SVG (vega's headless renderer, as apps/cli's evaluate report) → PNG (sharp).
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { writeFileAtomic } from '@limekit/image';
import sharp from 'sharp';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

/** Renders a Vega-Lite specification to an SVG string. */
export async function toSvg(spec: TopLevelSpec): Promise<string> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/**
 * Renders a Vega-Lite specification to a PNG file, written atomically (`writeFileAtomic`), so a
 * failed run never leaves half a picture.
 * @param density SVG rasterisation density in dpi (72 = 1 px per SVG unit; 144 doubles the size).
 */
export async function writePng(spec: TopLevelSpec, file: string, density = 144): Promise<void> {
  const svg = await toSvg(spec);
  const png = await sharp(Buffer.from(svg), { density }).flatten({ background: '#ffffff' }).png().toBuffer();
  await mkdir(dirname(file), { recursive: true });
  await writeFileAtomic(file, png);
}
