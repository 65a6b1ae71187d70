// The metrics' own cost, apart from the model: a 224×224 view in 196 segments (16×16 blocks)
// and a stand-in model that reads one float per image, so the times are writing the perturbed
// images into the model's input (core's PerturbationWriter) and the bookkeeping. Median of 5
// runs after 2 warm-ups, this machine.
import { pathToFileURL } from 'node:url';
import { createRng, type ModelAdapter, type RgbImage, type SegmentMap } from '@limekit/core';
import { deletionCurve, faithfulnessCorrelation, insertionCurve, pointingGame, relevanceMass, relevanceRank, stability } from '../src/index.js';
import { medianWallAsync } from '@limekit/testing/bench';

const S = 224, CELL = 16;

/** Median milliseconds of 5 calls after 2 warm-ups. */
const time = async (fn: () => unknown): Promise<number> => 1000 * (await medianWallAsync(fn, { warmups: 2 }));

function image(seed: number): RgbImage {
  const rng = createRng(seed);
  return { width: S, height: S, data: Uint8Array.from({ length: S * S * 3 }, () => rng.nextInt(256)) };
}

const cols = S / CELL;
const segments: SegmentMap = { width: S, height: S, labels: Int32Array.from({ length: S * S }, (_, p) => Math.floor(Math.floor(p / S) / CELL) * cols + Math.floor((p % S) / CELL)), count: cols * cols };
const M = segments.count;

const model: ModelAdapter = {
  id: 'stand-in',
  input: { width: S, height: S, channels: 3, layout: 'NCHW', resize: 'stretch', normalization: { scale: 1 / 255, mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225], channelOrder: 'RGB' } },
  numClasses: 2,
  async predict(batch, count) {
    const out = new Float32Array(2 * count);
    for (let b = 0; b < count; b++) out[2 * b] = 1 / (1 + Math.exp(-batch[b * 3 * S * S]));
    return out;
  },
  async dispose() {},
};

export default async function bench(report: (row: Record<string, unknown>) => void): Promise<void> {
  const view = image(1), fill = image(2);
  const rng = createRng(3);
  const weights = Float64Array.from({ length: M }, () => rng.nextGaussian());
  for (const batchSize of [16, 64]) {
    const ms = await time(() => deletionCurve(model, view, fill, segments, weights, 0, { batchSize }));
    report({ metric: 'deletion', view: `${S}x${S}`, segments: M, images: M + 1, batchSize, ms: +ms.toFixed(2), imagesPerSecond: Math.round(((M + 1) / ms) * 1000) });
  }
  const ins = await time(() => insertionCurve(model, view, fill, segments, weights, 0, { steps: 20 }));
  report({ metric: 'insertion', view: `${S}x${S}`, segments: M, images: 21, batchSize: 64, ms: +ins.toFixed(2) });
  const faith = await time(() => faithfulnessCorrelation(model, view, fill, segments, weights, 0, 7));
  report({ metric: 'faithfulness', view: `${S}x${S}`, segments: M, images: 101, batchSize: 64, ms: +faith.toFixed(2), imagesPerSecond: Math.round((101 / faith) * 1000) });

  const seeds = Array.from({ length: 10 }, (_, s) => {
    const r = createRng(100 + s);
    return Float64Array.from(weights, (w) => w + 0.3 * r.nextGaussian());
  });
  const st = await time(() => stability(seeds, 5));
  report({ metric: 'stability', segments: M, seeds: 10, pairs: 45, ms: +st.toFixed(3) });

  const mask = Uint8Array.from({ length: S * S }, (_, p) => (Math.abs((p % S) - 100) < 40 && Math.abs(Math.floor(p / S) - 120) < 50 ? 1 : 0));
  const loc = await time(() => {
    pointingGame(segments, weights, mask);
    relevanceMass(segments, weights, mask);
    relevanceRank(segments, weights, mask);
  });
  report({ metric: 'pointing-game + relevance-mass + relevance-rank', view: `${S}x${S}`, segments: M, ms: +loc.toFixed(3) });
  const tol = await time(() => pointingGame(segments, weights, mask, { tolerance: 15 }));
  report({ metric: 'pointing-game (tolerance 15 px)', view: `${S}x${S}`, segments: M, ms: +tol.toFixed(3) });
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) await bench((r) => console.log(JSON.stringify(r)));
