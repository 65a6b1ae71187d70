// @limekit/image speed on a 4000×3000 photo-sized picture (median of 5 runs after one warm-up):
// decoding a JPEG, bringing it to a 224×224 view (Pillow-exact resampling, and sharp's resize for
// comparison), mapping segments back, rendering the three pictures and encoding a PNG.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { rgbImage, type RgbImage, type SegmentMap } from '@limekit/core';
import sharp from 'sharp';
import { encodePng, loadImage, preprocessToView, renderHeatmap, renderHideRest, renderOverlay, segmentsToOriginal } from '../src/index.js';
import { medianWallAsync } from '@limekit/testing/bench';

const time = (fn: () => unknown): Promise<number> => medianWallAsync(fn, { warmups: 1 });

/** A smooth, textured synthetic picture (no file needed). */
function picture(w: number, h: number): RgbImage {
  const img = rgbImage(w, h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const o = 3 * (y * w + x);
      img.data[o] = 128 + 100 * Math.sin(x / 37) * Math.cos(y / 53);
      img.data[o + 1] = (255 * x) / w;
      img.data[o + 2] = ((x ^ y) & 63) * 4;
    }
  }
  return img;
}

export default async function bench(report: (row: Record<string, unknown>) => void): Promise<void> {
  const W = 4000, H = 3000, S = 224;
  const dir = await mkdtemp(join(tmpdir(), 'limekit-image-bench-'));
  try {
    const original = picture(W, H);
    const jpeg = join(dir, 'photo.jpg');
    await writeFile(jpeg, await sharp(original.data, { raw: { width: W, height: H, channels: 3 } }).jpeg({ quality: 90 }).toBuffer());
    const row = (step: string, seconds: number, extra: Record<string, unknown> = {}) => report({ package: 'image', step, size: `${W}x${H}`, seconds: +seconds.toFixed(4), ...extra });

    row('loadImage (JPEG q90)', await time(() => loadImage(jpeg)));
    const spec = { width: S, height: S, resize: 'center-crop' as const };
    row('preprocessToView bilinear (Pillow-exact)', await time(() => preprocessToView(original, spec)), { view: `${S}x${S}` });
    row('preprocessToView bicubic (Pillow-exact)', await time(() => preprocessToView(original, { ...spec, interpolation: 'bicubic' })), { view: `${S}x${S}` });
    const { transform } = await preprocessToView(original, spec);
    row('sharp resize linear + extract (for comparison)', await time(() =>
      sharp(original.data, { raw: { width: W, height: H, channels: 3 } })
        .resize(transform.resizedWidth, transform.resizedHeight, { fit: 'fill', kernel: 'linear' })
        .extract({ left: transform.left, top: transform.top, width: S, height: S })
        .raw()
        .toBuffer(),
    ), { view: `${S}x${S}` });

    // A 14×14 grid of segments on the view, weights alternating in sign.
    const labels = Int32Array.from({ length: S * S }, (_, p) => Math.floor((p % S) / 16) + 14 * Math.floor(Math.floor(p / S) / 16));
    const segments: SegmentMap = { width: S, height: S, labels, count: 196 };
    const weights = Float64Array.from({ length: 196 }, (_, i) => Math.sin(i * 1.7) * 0.1);
    row('segmentsToOriginal', await time(() => segmentsToOriginal(segments, transform, W, H)));
    const atOriginal = segmentsToOriginal(segments, transform, W, H);
    row('renderOverlay', await time(() => renderOverlay(original, atOriginal, weights)));
    row('renderHeatmap', await time(() => renderHeatmap(original, atOriginal, weights)));
    row('renderHideRest', await time(() => renderHideRest(original, atOriginal, [1, 2, 3, 4, 5])));
    const overlay = renderOverlay(original, atOriginal, weights);
    row('encodePng', await time(() => encodePng(overlay)));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) bench(console.log);
