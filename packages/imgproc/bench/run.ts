// Telea inpainting (inpaintTelea) at the size LIME samples have: 224×224, about half the pixels
// masked in segment-shaped regions, radius 3 (shap's inpaint_telea) — the cost of the `inpaint`
// fill per perturbed sample. Next to OpenCV 4.6.0's cv2.inpaint on the same inputs
// (`cpu_seconds` in test/fixtures/cases.json, median process time of 7 calls, one thread,
// measured by tools/fixtures/inpaint_telea.py). Median CPU time of 15 runs here.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import sharp from 'sharp';
import { inpaintTelea } from '../src/index.js';
import { median } from '@limekit/testing/bench';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '../test/fixtures');

interface Case { case: string; image: string; radius: number; masked_pixels: number; width: number; height: number; cpu_seconds?: number }

export default async function bench(report: (row: Record<string, unknown>) => void): Promise<void> {
  const cases = JSON.parse(readFileSync(join(FIXTURES, 'cases.json'), 'utf8')) as Case[];
  for (const c of cases) {
    const { data } = await sharp(join(FIXTURES, `${c.image}.png`)).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    const maskPng = await sharp(join(FIXTURES, `${c.case}.mask.png`)).extractChannel(0).raw().toBuffer();
    const rgb = new Uint8Array(data);
    const mask = new Uint8Array(maskPng).map((v) => (v ? 1 : 0));
    const out = new Uint8Array(rgb.length);
    for (let i = 0; i < 3; i++) inpaintTelea(rgb, c.width, c.height, mask, { radius: c.radius, out });
    // Process CPU time, as OpenCV's reference is (wall time on a shared machine mostly measures
    // the other processes).
    const ts: number[] = [];
    for (let i = 0; i < 15; i++) {
      const t = process.cpuUsage();
      inpaintTelea(rgb, c.width, c.height, mask, { radius: c.radius, out });
      const d = process.cpuUsage(t);
      ts.push((d.user + d.system) / 1000);
    }
    const ms = median(ts);
    report({
      inpaintTelea: c.case, size: `${c.width}x${c.height}`, radius: c.radius,
      maskedFraction: +(c.masked_pixels / (c.width * c.height)).toFixed(3),
      cpuMs: +ms.toFixed(2), secondsPer1000Samples: +ms.toFixed(2),
      ...(c.cpu_seconds ? { opencvMs: +(c.cpu_seconds * 1000).toFixed(2), ratioToOpencv: +(ms / (c.cpu_seconds * 1000)).toFixed(2) } : {}),
    });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) await bench((r) => console.log(JSON.stringify(r)));
