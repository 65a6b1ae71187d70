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
  const w = new PerturbationWriter(view, fill, segments, spec) as any;
  const M = segments.count, B = 50, N = w.imageSize;
  const rows = new Uint8Array(1000 * M); const r2 = createRng(1).fork('x');
  for (let i = 0; i < rows.length; i++) rows[i] = r2.nextFloat() < 0.5 ? 1 : 0;
  const ref = new Float32Array(B * N);
  for (let s = 0; s < 1000; s++) w.write(rows, s * M, ref, (s % B) * N);
  // V1: cached views, set for len>=L
  const { runStart, runLength, segmentRuns, instance, fill: fl } = w;
  const nR = runStart.length;
  const instViews = Array.from({ length: nR }, (_, k) => instance.subarray(runStart[k], runStart[k] + runLength[k]));
  const fillViews = Array.from({ length: nR }, (_, k) => fl.subarray(runStart[k], runStart[k] + runLength[k]));
  const v1 = (L: number) => (rows: Uint8Array, ro: number, out: Float32Array, oo: number) => {
    let kept = 0;
    for (let s = 0; s < M; s++) if (rows[ro + s] !== 0) kept += w.segmentElements[s];
    const fromFill = kept <= N / 2;
    out.set(fromFill ? fl : instance, oo);
    const src = fromFill ? instance : fl; const views = fromFill ? instViews : fillViews;
    const want = fromFill ? 1 : 0;
    for (let s = 0; s < M; s++) {
      if ((rows[ro + s] !== 0 ? 1 : 0) !== want) continue;
      for (let k = segmentRuns[s]; k < segmentRuns[s + 1]; k++) {
        const a = runStart[k], len = runLength[k];
        if (len >= L) out.set(views[k], oo + a);
        else { const o = oo + a; for (let t = 0; t < len; t++) out[o + t] = src[a + t]; }
      }
    }
  };
  // V2: bit select per element with Int32 views, plane-wise segment ids
  const hw = 224*224; const segId = segments.labels;
  const i32i = new Int32Array(instance.buffer, instance.byteOffset, N), i32f = new Int32Array(fl.buffer, fl.byteOffset, N);
  const mask = new Int32Array(M);
  const v2 = (rows: Uint8Array, ro: number, out: Float32Array, oo: number) => {
    for (let s = 0; s < M; s++) mask[s] = -rows[ro + s];
    const o32 = new Int32Array(out.buffer, out.byteOffset + oo * 4, N);
    for (let c = 0; c < 3; c++) { const base = c * hw; for (let p = 0; p < hw; p++) { const m = mask[segId[p]]; const i = base + p; o32[i] = (i32i[i] & m) | (i32f[i] & ~m); } }
  };
  const variants: [string, any][] = [["v1 L=16", v1(16)], ["new update", null]];
  for (const [name, f] of variants) {
    const out = new Float32Array(B * N); const ts: number[] = [];
    for (let rep = 0; rep < 4; rep++) { const t = cpu(); for (let s = 0; s < 1000; s++) f(rows, s * M, out, (s % B) * N); ts.push(cpu() - t); }
    let same = true; for (let i = 0; i < out.length; i++) if (out[i] !== ref[i] && !(isNaN(out[i]) && isNaN(ref[i]))) { same = false; break; }
    console.log(seg.id, name, ts.map((x) => x.toFixed(0)).join(' '), same ? 'same' : 'DIFF');
  }
  const ts: number[] = [];
  for (let rep = 0; rep < 4; rep++) { const t = cpu(); for (let s = 0; s < 1000; s++) w.write(rows, s * M, ref, (s % B) * N); ts.push(cpu() - t); }
  console.log(seg.id, 'current write', ts.map((x) => x.toFixed(0)).join(' '));
}
