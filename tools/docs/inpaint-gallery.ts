// Renders the inpainting comparison of docs/algorithms/fills.md:
//   node --conditions=@limekit/source --import tsx tools/docs/inpaint-gallery.ts
// Inputs: the parity fixtures of @limekit/imgproc (packages/imgproc/test/fixtures: photos,
// segment-shaped masks and OpenCV 4.6.0's cv2.inpaint(..., INPAINT_TELEA) outputs, made by
// tools/fixtures/inpaint_telea.py). For each case writes docs/algorithms/img/inpaint-<case>.png,
// a strip: the photo with the masked pixels shown in magenta | limekit's inpaintTelea | OpenCV,
// and prints a Markdown table with the differences (timings: packages/imgproc/bench/run.ts).
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RgbImage } from '@limekit/core';
import { loadImage, writeImageAtomic } from '@limekit/image';
import { inpaintTelea } from '@limekit/imgproc';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const fixtures = join(root, 'packages/imgproc/test/fixtures');
const out = join(root, 'docs/algorithms/img');
const GAP = 4;

interface Case { case: string; image: string; radius: number; mask_rule: string; masked_pixels: number }

function strip(parts: RgbImage[]): RgbImage {
  const h = parts[0].height;
  const w = parts.reduce((a, p) => a + p.width, 0) + GAP * (parts.length - 1);
  const data = new Uint8Array(w * h * 3).fill(255);
  let x0 = 0;
  for (const p of parts) {
    for (let y = 0; y < h; y++) data.set(p.data.subarray(y * p.width * 3, (y + 1) * p.width * 3), (y * w + x0) * 3);
    x0 += p.width + GAP;
  }
  return { width: w, height: h, data };
}

const cases = JSON.parse(await readFile(join(fixtures, 'cases.json'), 'utf8')) as Case[];
console.log('| case | mask | radius | masked | max \\|limekit − OpenCV\\| | differing values |');
console.log('| --- | --- | --- | --- | --- | --- |');
for (const c of cases) {
  const img = await loadImage(join(fixtures, `${c.image}.png`));
  const maskImg = await loadImage(join(fixtures, `${c.case}.mask.png`));
  const ref = await loadImage(join(fixtures, `${c.case}.opencv.png`));
  const mask = new Uint8Array(img.width * img.height);
  for (let p = 0; p < mask.length; p++) mask[p] = maskImg.data[3 * p] ? 1 : 0;
  const ours = inpaintTelea(img.data, img.width, img.height, mask, { radius: c.radius });
  let max = 0, differing = 0;
  for (let i = 0; i < ours.length; i++) {
    const d = Math.abs(ours[i] - ref.data[i]);
    max = Math.max(max, d);
    if (d) differing++;
  }
  const shown = img.data.slice();
  for (let p = 0; p < mask.length; p++) if (mask[p]) shown.set([255, 0, 255], 3 * p);
  const file = `inpaint-${c.case}.png`;
  await writeImageAtomic(join(out, file), strip([{ ...img, data: shown }, { ...img, data: ours }, ref]));
  console.log(`| [${c.case}](img/${file}) | ${c.mask_rule} | ${c.radius} | ${((100 * c.masked_pixels) / mask.length).toFixed(0)} % | ${max} | ${differing} |`);
}
