// The shared shape of the SLIC and felzenszwalb benchmarks: the 224² fixtures scikit-image was
// timed on, a 512² tiled photo, and (LIMEKIT_BENCH_LARGE=1) one run on 4000×3000, each against
// scikit-image 0.19.3's seconds, wall-clock and process CPU.
import { createRng, type RgbImage, type RunContext, type SegmentMap } from '@limekit/core';
import { recordedSeconds, tile, timeMedian, timeOnce, versus } from './timing.js';

/** One scikit-image fixture as the segmenter packages' test helpers load it. */
export interface TimedFixture {
  readonly name: string;
  readonly image: string;
  readonly options: Readonly<Record<string, unknown>>;
  /** scikit-image's seconds on this call. */
  readonly seconds: number;
}

export interface SegmenterBenchCase {
  /** Reported as `segmenter`. */
  readonly id: string;
  readonly make: (options: Readonly<Record<string, unknown>>) => { readonly options: unknown; segment(image: RgbImage, ctx: RunContext): SegmentMap };
  /** The 224² fixtures to time. */
  readonly fixtures: readonly TimedFixture[];
  readonly loadImage: (name: string) => Promise<RgbImage>;
  /** Options for the tiled photos. */
  readonly tiledOptions: Readonly<Record<string, unknown>>;
  /** test/fixtures/skimage_timings.json of the package. */
  readonly timings: URL;
}

export async function benchSegmenter(c: SegmenterBenchCase, report: (row: Record<string, unknown>) => void): Promise<void> {
  const ctx = { rng: createRng(0) };
  // Let V8 finish optimising the hot loops before anything is measured: its background compiler
  // threads count in this process's CPU time.
  const first = await c.loadImage(c.fixtures[0].image);
  for (let i = 0; i < 10; i++) c.make(c.fixtures[0].options).segment(first, ctx);
  for (const fx of c.fixtures) {
    const img = await c.loadImage(fx.image);
    const s = c.make(fx.options);
    report({ segmenter: c.id, fixture: fx.name, size: '224x224', options: fx.options, ...versus(timeMedian(() => void s.segment(img, ctx)), fx.seconds) });
  }
  const photo = await c.loadImage('chelsea_224.png');
  const s = c.make(c.tiledOptions);
  const big = tile(photo, 512, 512);
  report({ segmenter: c.id, fixture: 'chelsea tiled', size: '512x512', options: s.options, ...versus(timeMedian(() => void s.segment(big, ctx)), recordedSeconds(c.timings, 512, 512)) });
  if (process.env.LIMEKIT_BENCH_LARGE === '1') {
    const huge = tile(photo, 4000, 3000);
    let count = 0;
    const t = timeOnce(() => void (count = s.segment(huge, ctx).count));
    report({ segmenter: c.id, fixture: 'chelsea tiled', size: '4000x3000', runs: 1, ...versus(t, recordedSeconds(c.timings, 4000, 3000)), segments: count, peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024) });
  }
}
