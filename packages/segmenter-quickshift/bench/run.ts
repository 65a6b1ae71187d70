// Quickshift speed next to scikit-image's reference timings (median of 5 runs, this machine),
// and how time grows with image size and kernelSize.
import { pathToFileURL } from 'node:url';
import { createRng, rgbImage, type RgbImage } from '@limekit/core';
import { adjustedRandIndex } from '@limekit/testing';
import { QuickshiftSegmenter } from '../src/index.js';
import { loadFixtureImage, loadQuickshiftFixtures } from '../test/fixtures.js';
import { timeMedian, timeOnce } from '@limekit/testing/bench';

const LIME = { kernelSize: 4, maxDist: 200, ratio: 0.2 };

function resize(img: RgbImage, w: number, h: number): RgbImage {
  const out = rgbImage(w, h);
  for (let y = 0; y < h; y++) {
    const sy = Math.min(img.height - 1, Math.max(0, ((y + 0.5) * img.height) / h - 0.5));
    const y0 = Math.floor(sy), y1 = Math.min(img.height - 1, y0 + 1), fy = sy - y0;
    for (let x = 0; x < w; x++) {
      const sx = Math.min(img.width - 1, Math.max(0, ((x + 0.5) * img.width) / w - 0.5));
      const x0 = Math.floor(sx), x1 = Math.min(img.width - 1, x0 + 1), fx = sx - x0;
      for (let c = 0; c < 3; c++) {
        const p = (yy: number, xx: number) => img.data[3 * (yy * img.width + xx) + c];
        const v = (1 - fy) * ((1 - fx) * p(y0, x0) + fx * p(y0, x1)) + fy * ((1 - fx) * p(y1, x0) + fx * p(y1, x1));
        out.data[3 * (y * w + x) + c] = Math.round(v);
      }
    }
  }
  return out;
}

function photoLike(base: RgbImage, w: number, h: number): RgbImage {
  const out = resize(base, w, h);
  const rng = createRng(2024);
  for (let i = 0; i < out.data.length; i++) out.data[i] = Math.max(0, Math.min(255, out.data[i] + ((rng.nextUint32() % 13) - 6)));
  return out;
}

export default async function bench(report: (row: Record<string, unknown>) => void): Promise<void> {
  const seconds224 = new Map<string, number>();
  for (const f of loadQuickshiftFixtures()) {
    const img = await loadFixtureImage(f.image);
    const q = new QuickshiftSegmenter(f.options);
    const seg = q.segment(img, { rng: createRng(42) });
    const t = timeMedian(() => void q.segment(img, { rng: createRng(42) }), { warmups: 1 });
    if (f.name.endsWith('_224.quickshift')) seconds224.set(f.name, t.cpu);
    report({ segmenter: 'quickshift', image: f.name, size: `${f.width}x${f.height}`, options: f.options, seconds: +t.wall.toFixed(4), cpuSeconds: +t.cpu.toFixed(4), skimageSeconds: +f.seconds.toFixed(4), ratioToSkimage: +(t.wall / f.seconds).toFixed(3), segments: seg.count, skimageSegments: f.nSegments, ari: +adjustedRandIndex(seg.labels, f.labels).toFixed(4) });
  }
  const chelsea = await loadFixtureImage('chelsea_224.png');
  const t224 = seconds224.get('chelsea_224.quickshift') ?? NaN;
  for (const side of [448, 512]) {
    const big = resize(chelsea, side, side);
    const t = timeMedian(() => void new QuickshiftSegmenter(LIME).segment(big, { rng: createRng(1) }), { runs: 3, warmups: 1 });
    const pixels = (side * side) / (224 * 224);
    report({ segmenter: 'quickshift', image: 'chelsea upscaled', size: `${side}x${side}`, options: LIME, seconds: +t.wall.toFixed(4), cpuSeconds: +t.cpu.toFixed(4), pixelsVs224: +pixels.toFixed(2), cpuTimeVs224: +(t.cpu / t224).toFixed(2) });
  }
  for (const kernelSize of [2, 4, 6]) {
    const q = new QuickshiftSegmenter({ ...LIME, kernelSize });
    const window = (2 * Math.ceil(3 * kernelSize) + 1) ** 2;
    const t = timeMedian(() => void q.segment(chelsea, { rng: createRng(1) }), { runs: 3, warmups: 1 });
    report({ segmenter: 'quickshift', image: 'chelsea_224', size: '224x224', options: { ...LIME, kernelSize }, window, seconds: +t.wall.toFixed(4), cpuSeconds: +t.cpu.toFixed(4), cpuNsPerPixelPerWindowCell: +((t.cpu * 1e9) / (224 * 224 * window)).toFixed(2) });
  }
  const huge = photoLike(chelsea, 4000, 3000);
  let count = 0;
  const t = timeOnce(() => (count = new QuickshiftSegmenter(LIME).segment(huge, { rng: createRng(1) }).count));
  report({ segmenter: 'quickshift', image: 'chelsea upscaled + grain', size: '4000x3000', options: LIME, seconds: +t.wall.toFixed(2), cpuSeconds: +t.cpu.toFixed(2), runs: 1, segments: count, rssMiB: Math.round(process.memoryUsage().rss / 2 ** 20) });
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) await bench((r) => console.log(JSON.stringify(r)));
