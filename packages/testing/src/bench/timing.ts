// The timing helpers every benchmark uses (tools/bench/*.ts and packages/*/bench/run.ts), so that
// "median of 5 runs after warm-up" means the same thing in every row `npm run bench` prints.
import { readFileSync } from 'node:fs';
import { rgbImage, type RgbImage } from '@limekit/core';

/** The median (the mean of the two middle values for an even count); `xs` is not modified. */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const k = s.length >> 1;
  return s.length % 2 ? s[k] : (s[k - 1] + s[k]) / 2;
}

/** This process's CPU seconds (user + system, all threads) so far. */
export function cpuSeconds(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

/** Wall-clock and CPU seconds of something. */
export interface Timing {
  readonly wall: number;
  readonly cpu: number;
}

/** Times one call. */
export function timeOnce(fn: () => void): Timing {
  const t = performance.now(), c = cpuSeconds();
  fn();
  return { wall: (performance.now() - t) / 1000, cpu: cpuSeconds() - c };
}

/** How many calls {@link timeMedian} and {@link timeMedianAsync} make. */
export interface TimeOptions {
  /** Timed calls; the median is reported. Default 5. */
  readonly runs?: number;
  /** Untimed calls first (V8 optimises hot loops during the first calls). Default 3. */
  readonly warmups?: number;
}

/**
 * Median wall-clock and CPU seconds of `runs` calls after `warmups` untimed ones. On a shared
 * machine the CPU time is the fairer comparison with a single-threaded reference.
 */
export function timeMedian(fn: () => void, { runs = 5, warmups = 3 }: TimeOptions = {}): Timing {
  for (let i = 0; i < warmups; i++) fn();
  const wall: number[] = [], cpu: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = timeOnce(fn);
    wall.push(t.wall);
    cpu.push(t.cpu);
  }
  return { wall: median(wall), cpu: median(cpu) };
}

/** {@link timeMedian} for asynchronous work (awaits each call before timing the next). */
export async function timeMedianAsync(fn: () => unknown, { runs = 5, warmups = 3 }: TimeOptions = {}): Promise<Timing> {
  for (let i = 0; i < warmups; i++) await fn();
  const wall: number[] = [], cpu: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now(), c = cpuSeconds();
    await fn();
    wall.push((performance.now() - t) / 1000);
    cpu.push(cpuSeconds() - c);
  }
  return { wall: median(wall), cpu: median(cpu) };
}

/** The report fields of one measurement against a reference's seconds (scikit-image, scikit-learn…). */
export function versus(t: Timing, reference: number, name = 'skimage'): Record<string, number> {
  const cap = name[0].toUpperCase() + name.slice(1);
  return {
    seconds: +t.wall.toFixed(4),
    cpuSeconds: +t.cpu.toFixed(4),
    [`${name}Seconds`]: +reference.toFixed(4),
    [`ratioTo${cap}`]: +(t.wall / reference).toFixed(3),
    [`cpuRatioTo${cap}`]: +(t.cpu / reference).toFixed(3),
  };
}

/** Repeats a photo, mirrored at every copy so that tiles join without seams, to w×h. */
export function tile(img: RgbImage, w: number, h: number): RgbImage {
  const out = rgbImage(w, h);
  for (let y = 0; y < h; y++) {
    const ty = Math.floor(y / img.height) % 2 ? img.height - 1 - (y % img.height) : y % img.height;
    for (let x = 0; x < w; x++) {
      const tx = Math.floor(x / img.width) % 2 ? img.width - 1 - (x % img.width) : x % img.width;
      const s = 3 * (ty * img.width + tx);
      out.data.set(img.data.subarray(s, s + 3), 3 * (y * w + x));
    }
  }
  return out;
}

/** A recorded reference time for a `width × height` image from a JSON list of `{ width, height, seconds }`. */
export function recordedSeconds(file: URL | string, width: number, height: number): number {
  const rows = JSON.parse(readFileSync(file, 'utf8')) as { width: number; height: number; seconds: number }[];
  const row = rows.find((r) => r.width === width && r.height === height);
  if (!row) throw new RangeError(`bench: no recorded time for ${width}x${height} in ${String(file)}`);
  return row.seconds;
}

/** Median wall-clock seconds of {@link timeMedian}. */
export function medianWall(fn: () => void, options?: TimeOptions): number {
  return timeMedian(fn, options).wall;
}

/** Median wall-clock seconds of {@link timeMedianAsync}. */
export async function medianWallAsync(fn: () => unknown, options?: TimeOptions): Promise<number> {
  return (await timeMedianAsync(fn, options)).wall;
}
