// Cost of writing perturbed samples per fill, at 224×224: CPU ms per 1000 samples through the
// pipeline's writers (static fills: PerturbationWriter; per-sample fills: PerSampleWriter), on a
// textured image with an 8×8 grid of segments and Bernoulli(½) rows, NCHW ImageNet normalisation.
// The static writer is timed both ways: its JavaScript loop into plain arrays and its WebAssembly
// kernel into its own buffers (allocateSlots), which the explainer uses. `npm run bench -- --only fills`.
import { InpaintBaseline, SegmentMeanBaseline } from '@limekit/baselines';
import { createRng, PerSampleWriter, PerturbationWriter, type ModelInputSpec, type RgbImage, type SampleWriter, type SegmentMap } from '@limekit/core';

const S = 224;
const spec: ModelInputSpec = {
  width: S,
  height: S,
  channels: 3,
  layout: 'NCHW',
  resize: 'stretch',
  normalization: { scale: 1 / 255, mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225], channelOrder: 'RGB' },
};

function texture(): RgbImage {
  const data = new Uint8Array(S * S * 3);
  for (let y = 0; y < S; y++)
    for (let x = 0; x < S; x++) {
      const i = 3 * (y * S + x);
      data[i] = (x * 3 + y) % 256;
      data[i + 1] = Math.round(128 + 100 * Math.sin(x / 9) * Math.cos(y / 13));
      data[i + 2] = ((x >> 3) + (y >> 3)) % 2 ? 210 : 30;
    }
  return { width: S, height: S, data };
}

function grid(cells: number): SegmentMap {
  const labels = new Int32Array(S * S);
  const c = S / cells;
  for (let y = 0; y < S; y++) for (let x = 0; x < S; x++) labels[y * S + x] = Math.floor(y / c) * cells + Math.floor(x / c);
  return { width: S, height: S, labels, count: cells * cells };
}

/** Writes `samples` Bernoulli(½) rows into the slots of a batch of 50, as the pipeline does: into the writer's own buffers when it has them (`kernel`), else plain arrays. */
function cpuMsPer1000(writer: SampleWriter, M: number, samples: number, kernel = false): number {
  const rng = createRng(0).fork('bench');
  const rows = new Uint8Array(samples * M);
  for (let i = 0; i < rows.length; i++) rows[i] = rng.nextFloat() < 0.5 ? 1 : 0;
  const batch = 50;
  const out = (kernel && writer.allocateSlots?.(1, batch * writer.imageSize)?.[0]) || new Float32Array(batch * writer.imageSize);
  const t0 = process.cpuUsage();
  for (let r = 0; r < samples; r++) writer.write(rows, r * M, out, (r % batch) * writer.imageSize, r);
  const t = process.cpuUsage(t0);
  return ((t.user + t.system) / 1000) * (1000 / samples);
}

/** Prints one line per fill. */
export async function benchFills(log: (line: string) => void): Promise<void> {
  const image = texture();
  const segments = grid(8);
  const M = segments.count;
  const mean = new SegmentMeanBaseline().fill(image, segments);
  const staticMs = cpuMsPer1000(new PerturbationWriter(image, mean, segments, spec), M, 1000);
  log(`segment-mean (static, JavaScript loop)  ${staticMs.toFixed(0).padStart(5)} ms CPU per 1000 samples at ${S}², ${M} segments, Bernoulli(1/2) rows, batch of 50`);
  const kernelMs = cpuMsPer1000(new PerturbationWriter(image, mean, segments, spec), M, 1000, true);
  log(`segment-mean (static, WebAssembly kernel, what explain uses) ${kernelMs.toFixed(0).padStart(5)} ms CPU per 1000 samples (${(staticMs / kernelMs).toFixed(2)}× faster)`);
  const inpaint = new InpaintBaseline();
  const fill = inpaint.startSamples(image, segments);
  const writer = new PerSampleWriter(image, segments, spec, fill, createRng(0).fork('baseline'));
  const inpaintMs = cpuMsPer1000(writer, M, 100);
  log(`inpaint r=3 (per sample) ${inpaintMs.toFixed(0).padStart(5)} ms CPU per 1000 samples at ${S}², ${M} segments, Bernoulli(1/2) rows (measured on 100)`);
}
