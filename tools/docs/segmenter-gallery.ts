// Renders the segmenter gallery of docs/algorithms/segmenters.md:
//   node --conditions=@limekit/source --import tsx tools/docs/segmenter-gallery.ts
// Photos: the 224×224 reference crops of skimage.data's chelsea and coffee kept in
// packages/segmenter-slic/test/fixtures (PNG). Writes docs/algorithms/img/<photo>-<setting>.png and
// prints a Markdown table with segment counts and times.
import { mkdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRng, type Segmenter } from '@limekit/core';
import { loadImage, renderBoundaries, writeImageAtomic } from '@limekit/image';
import { FelzenszwalbSegmenter } from '@limekit/segmenter-felzenszwalb';
import { GridSegmenter } from '@limekit/segmenter-grid';
import { QuickshiftSegmenter } from '@limekit/segmenter-quickshift';
import { SlicSegmenter } from '@limekit/segmenter-slic';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const out = join(root, 'docs/algorithms/img');
const settings: [string, string, Segmenter][] = [
  ['quickshift-lime', 'quickshift, lime (kernelSize 4, maxDist 200, ratio 0.2)', new QuickshiftSegmenter({ kernelSize: 4, maxDist: 200, ratio: 0.2 })],
  ['quickshift-k2', 'quickshift, kernelSize 2, maxDist 200, ratio 0.2', new QuickshiftSegmenter({ kernelSize: 2, maxDist: 200, ratio: 0.2 })],
  ['quickshift-skimage', 'quickshift, scikit-image defaults (5, 10, 1)', new QuickshiftSegmenter()],
  ['slic-50', 'SLIC, nSegments 50, compactness 10, sigma 1', new SlicSegmenter({ nSegments: 50, compactness: 10, sigma: 1 })],
  ['slic-100-c30', 'SLIC, nSegments 100, compactness 30, sigma 1', new SlicSegmenter({ nSegments: 100, compactness: 30, sigma: 1 })],
  ['slic-100-c3', 'SLIC, nSegments 100, compactness 3, sigma 1', new SlicSegmenter({ nSegments: 100, compactness: 3, sigma: 1 })],
  ['felzenszwalb-100', 'felzenszwalb, scale 100, sigma 0.5, minSize 50', new FelzenszwalbSegmenter({ scale: 100, sigma: 0.5, minSize: 50 })],
  ['felzenszwalb-300', 'felzenszwalb, scale 300, sigma 0.5, minSize 50', new FelzenszwalbSegmenter({ scale: 300, sigma: 0.5, minSize: 50 })],
  ['grid-8', 'grid, 8 × 8', new GridSegmenter({ nRows: 8, nCols: 8 })],
];
await mkdir(out, { recursive: true });
console.log('| setting | ' + ['chelsea', 'coffee'].map((p) => `${p}`).join(' | ') + ' |');
console.log('| --- | --- | --- |');
for (const [slug, title, seg] of settings) {
  const cells: string[] = [];
  for (const photo of ['chelsea_224', 'coffee_224']) {
    const img = await loadImage(join(root, 'packages/segmenter-slic/test/fixtures', `${photo}.png`));
    const t = performance.now();
    const s = await seg.segment(img, { rng: createRng(42).fork('segmenter') });
    const ms = performance.now() - t;
    const file = `${photo.replace('_224', '')}-${slug}.png`;
    await writeImageAtomic(join(out, file), renderBoundaries(img, s.labels));
    cells.push(`![${title}](img/${file})<br>${s.count} segments, ${ms.toFixed(0)} ms`);
  }
  console.log(`| ${title} | ${cells.join(' | ')} |`);
}
