import { PerturbationWriter, createRng } from '@limekit/core';
import { loadImage, preprocessToView } from '@limekit/image';
import { SlicSegmenter } from '@limekit/segmenter-slic';
import { QuickshiftSegmenter } from '@limekit/segmenter-quickshift';
import { SegmentMeanBaseline } from '@limekit/baselines';
const img = await loadImage('/work/wt/overhead/demo/images/circle-1.png');
const spec = { width: 224, height: 224, channels: 3, layout: 'NCHW', normalization: { scale: 1/255, mean: [0.485,0.456,0.406], std: [0.229,0.224,0.225], channelOrder: 'RGB' } } as any;
const { view } = await preprocessToView(img, { ...spec, resize: 'center-crop' } as any);
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
for (const seg of [new SlicSegmenter({ nSegments: 50, compactness: 10, sigma: 1 }), new QuickshiftSegmenter()]) {
  const rng = createRng(0);
  const segments = await seg.segment(view, { rng: rng.fork('s') } as any);
  const fill = await new SegmentMeanBaseline().fill(view, segments, { rng } as any);
  const w = new PerturbationWriter(view, fill, segments, spec);
  console.log('runs', (w as any).runStart.length);
  const M = segments.count, B = 50;
  const rows = new Uint8Array(1000 * M); const r2 = createRng(1).fork('x');
  for (let i = 0; i < rows.length; i++) rows[i] = r2.nextFloat() < 0.5 ? 1 : 0;
  for (let i = 0; i < M; i++) rows[i] = 1;
  const out = new Float32Array(B * w.imageSize);
  const ref = new Float32Array(B * w.imageSize);
  const masks = new Uint8Array(B * M); const filled = new Uint8Array(B);
  const res: string[] = [];
  for (let rep = 0; rep < 5; rep++) {
    let t = cpu();
    for (let s = 0; s < 1000; s++) w.write(rows, s * M, ref, (s % B) * w.imageSize);
    const tw = cpu() - t;
    t = cpu();
    masks.fill(0); filled.fill(0);
    for (let s = 0; s < 1000; s++) { const slot = s % B; if (filled[slot]) w.update(masks, slot * M, rows, s * M, out, slot * w.imageSize); else w.write(rows, s*M, out, slot*w.imageSize); filled[slot]=1; masks.set(rows.subarray(s*M, s*M+M), slot*M); }
    const tu = cpu() - t;
    let same = true; for (let i = 0; i < out.length; i++) if (out[i] !== ref[i]) { same = false; break; }
    res.push(`write ${tw.toFixed(0)} update ${tu.toFixed(0)} ${same ? 'same' : 'DIFF'}`);
  }
  console.log(seg.id, 'M', M, 'cpu ms per 1000:', res.join(' | '));
}
