import { createRng, InvalidOptionError, type RgbImage, type SegmentMap } from '@limekit/core';
import { inpaintTelea } from '@limekit/imgproc';
import { describe, expect, it } from 'vitest';
import { DatasetBaseline } from './dataset-baseline.js';
import { InpaintBaseline } from './inpaint-baseline.js';

const W = 24, H = 20;
/** A textured image: smooth gradients plus a checker, so inpainting has something to propagate. */
function texture(): RgbImage {
  const data = new Uint8Array(W * H * 3);
  for (let y = 0; y < H; y++)
    for (let x = 0; x < W; x++) {
      const i = 3 * (y * W + x);
      data[i] = (x * 10) % 256;
      data[i + 1] = (y * 12) % 256;
      data[i + 2] = ((x >> 2) + (y >> 2)) % 2 ? 200 : 40;
    }
  return { width: W, height: H, data };
}
/** 6×5-pixel... cells: 4 columns × 4 rows = 16 segments. */
function grid(): SegmentMap {
  const labels = new Int32Array(W * H);
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) labels[y * W + x] = Math.floor(y / 5) * 4 + Math.floor(x / 6);
  return { width: W, height: H, labels, count: 16 };
}
const ctx = (i = 0) => ({ rng: createRng(3).fork('baseline').fork(`sample:${i}`) });

describe('InpaintBaseline', () => {
  it('fills exactly the switched-off segments with inpaintTelea on that mask (radius 3)', () => {
    const image = texture(), segments = grid();
    const row = Uint8Array.from([1, 0, 1, 1, 0, 0, 1, 1, 1, 1, 0, 1, 1, 1, 1, 0]);
    const out = new Uint8Array(W * H * 3);
    new InpaintBaseline().startSamples(image, segments).fillSample(row, 0, ctx(), out);
    const mask = new Uint8Array(W * H);
    for (let p = 0; p < W * H; p++) mask[p] = row[segments.labels[p]] === 0 ? 1 : 0;
    const expected = inpaintTelea(image.data, W, H, mask, { radius: 3 });
    expect(Array.from(out)).toEqual(Array.from(expected));
    // kept pixels are the image's own; hidden ones were changed
    let changed = 0;
    for (let p = 0; p < W * H; p++)
      for (let c = 0; c < 3; c++) {
        if (!mask[p]) expect(out[3 * p + c]).toBe(image.data[3 * p + c]);
        else if (out[3 * p + c] !== image.data[3 * p + c]) changed++;
      }
    expect(changed).toBeGreaterThan(100);
  });

  it('reads the row at its offset and honours the radius option', () => {
    const image = texture(), segments = grid();
    const rows = new Uint8Array(32).fill(1);
    rows.set([0, 0, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1], 16);
    const a = new Uint8Array(W * H * 3), b = new Uint8Array(W * H * 3);
    new InpaintBaseline({ radius: 7 }).startSamples(image, segments).fillSample(rows, 16, ctx(), a);
    const mask = new Uint8Array(W * H);
    for (let p = 0; p < W * H; p++) mask[p] = rows[16 + segments.labels[p]] === 0 ? 1 : 0;
    expect(Array.from(a)).toEqual(Array.from(inpaintTelea(image.data, W, H, mask, { radius: 7 })));
    new InpaintBaseline({ radius: 3 }).startSamples(image, segments).fillSample(rows, 16, ctx(), b);
    expect(Array.from(a)).not.toEqual(Array.from(b));
  });

  it('gives the image for an all-on row and its mean colour for an all-off row', () => {
    const image = texture(), segments = grid();
    const fill = new InpaintBaseline().startSamples(image, segments);
    const out = new Uint8Array(W * H * 3);
    fill.fillSample(new Uint8Array(16).fill(1), 0, ctx(), out);
    expect(Array.from(out)).toEqual(Array.from(image.data));
    fill.fillSample(new Uint8Array(16), 0, ctx(), out);
    const mean = [0, 1, 2].map((c) => {
      let s = 0;
      for (let p = 0; p < W * H; p++) s += image.data[3 * p + c];
      return Math.round(s / (W * H));
    });
    for (let p = 0; p < W * H; p++) for (let c = 0; c < 3; c++) expect(out[3 * p + c]).toBe(mean[c]);
    expect(Array.from(new InpaintBaseline().fill(image).data.subarray(0, 3))).toEqual(mean);
  });

  it('rejects a radius below 1', () => {
    expect(() => new InpaintBaseline({ radius: 0 })).toThrow(/InpaintBaseline: radius must be a number >= 1/);
  });
});

describe('DatasetBaseline', () => {
  const colours = [
    [10, 200, 30],
    [250, 5, 120],
    [60, 60, 255],
  ];
  const folder = (): RgbImage[] =>
    colours.map(([r, g, b]) => {
      const data = new Uint8Array(W * H * 3);
      for (let p = 0; p < W * H; p++) data.set([r, g, b], 3 * p);
      return { width: W, height: H, data };
    });

  it('takes switched-off pixels from one folder image per sample, kept pixels from the image, seeded', async () => {
    let loads = 0;
    const baseline = new DatasetBaseline({ dir: 'bg' }, async (dir, w, h) => {
      expect([dir, w, h]).toEqual(['bg', W, H]);
      loads++;
      return folder();
    });
    const image = texture(), segments = grid();
    const row = Uint8Array.from([0, 1, 1, 0, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1, 1]);
    const fill = await baseline.startSamples(image, segments);
    await baseline.startSamples(image, segments);
    expect(loads).toBe(1); // loaded once, kept
    const picked = new Set<number>();
    for (let i = 0; i < 30; i++) {
      const out = new Uint8Array(W * H * 3);
      fill.fillSample(row, 0, ctx(i), out);
      const again = new Uint8Array(W * H * 3);
      fill.fillSample(row, 0, ctx(i), again);
      expect(Array.from(again)).toEqual(Array.from(out)); // same stream, same sample
      const k = colours.findIndex((c) => c[0] === out[0] && c[1] === out[1] && c[2] === out[2]);
      expect(k).toBeGreaterThanOrEqual(0); // pixel 0 is in segment 0 (off): a folder colour
      picked.add(k);
      for (let p = 0; p < W * H; p++) {
        const want = row[segments.labels[p]] === 0 ? colours[k] : Array.from(image.data.subarray(3 * p, 3 * p + 3));
        expect(Array.from(out.subarray(3 * p, 3 * p + 3))).toEqual(want);
      }
    }
    expect(picked.size).toBe(3); // every folder image is drawn over 30 samples
  });

  it('needs a folder, a loader, and at least one image', async () => {
    expect(() => new DatasetBaseline({}, async () => folder())).toThrow(/DatasetBaseline: dir must be a folder of images/);
    expect(() => new DatasetBaseline({ dir: 'x' })).toThrow(InvalidOptionError);
    const empty = new DatasetBaseline({ dir: 'empty' }, async () => []);
    await expect(empty.startSamples(texture(), grid())).rejects.toThrow(/dir must hold at least one image, got none in empty/);
  });
});
