import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { DEFAULT_INPAINT_RADIUS, inpaintTelea } from './inpaint-telea.js';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '../test/fixtures');

interface Case {
  case: string;
  image: string;
  mask_rule: string;
  radius: number;
  call: string;
  cv2_version: string;
  masked_pixels: number;
  height: number;
  width: number;
}

async function png(file: string, channels: 1 | 3): Promise<{ data: Uint8Array; width: number; height: number }> {
  const img = sharp(join(FIXTURES, file));
  const { data, info } = await (channels === 3 ? img.removeAlpha().toColourspace('srgb') : img.extractChannel(0))
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data: new Uint8Array(data), width: info.width, height: info.height };
}

describe('inpaintTelea vs OpenCV 4.6.0 cv2.inpaint(..., INPAINT_TELEA)', () => {
  // Reference outputs: tools/fixtures/inpaint_telea.py (Debian bookworm python3-opencv 4.6.0);
  // each case's call, radius and mask rule are in test/fixtures/cases.json.
  const cases = JSON.parse(readFileSync(join(FIXTURES, 'cases.json'), 'utf8')) as Case[];
  for (const c of cases) {
    it(`${c.case}: ${c.call} on ${c.image} (${c.mask_rule})`, async () => {
      expect(c.cv2_version).toBe('4.6.0');
      const img = await png(`${c.image}.png`, 3);
      const mask = await png(`${c.case}.mask.png`, 1);
      const ref = await png(`${c.case}.opencv.png`, 3);
      expect([img.width, img.height]).toEqual([c.width, c.height]);
      const m = mask.data.map((v) => (v ? 1 : 0));
      expect(m.reduce((a, b) => a + b, 0)).toBe(c.masked_pixels);
      const ours = inpaintTelea(img.data, img.width, img.height, m, { radius: c.radius });
      let maxDiff = 0, sumDiff = 0, differing = 0;
      for (let i = 0; i < ours.length; i++) {
        const d = Math.abs(ours[i] - ref.data[i]);
        maxDiff = Math.max(maxDiff, d);
        sumDiff += d;
        if (d) differing++;
      }
      // Identical, pixel for pixel and channel for channel.
      expect(differing).toBe(0);
      expect(maxDiff).toBe(0);
      expect(sumDiff / ours.length).toBeLessThan(1e-12);
      // Outside the mask the input is untouched.
      let changedOutside = 0;
      for (let p = 0; p < m.length; p++) {
        if (!m[p]) for (let ch = 0; ch < 3; ch++) if (ours[3 * p + ch] !== img.data[3 * p + ch]) changedOutside++;
      }
      expect(changedOutside).toBe(0);
    });
  }
});

describe('inpaintTelea on small known cases', () => {
  it('fills a vertical step edge as OpenCV does (values from cv2 4.6.0)', () => {
    // /usr/bin/python3 -c "import cv2, numpy as np; img=np.zeros((12,12,3),np.uint8); img[:,6:]=200;
    //   m=np.zeros((12,12),np.uint8); m[4:8,4:8]=1; print(cv2.inpaint(img,m,3,cv2.INPAINT_TELEA)[3:9,3:9,0].tolist())"
    const ref = [
      [0, 0, 0, 200, 200, 200],
      [0, 7, 34, 147, 172, 200],
      [0, 21, 53, 121, 165, 200],
      [0, 18, 69, 111, 170, 200],
      [0, 12, 49, 140, 178, 200],
      [0, 0, 0, 200, 200, 200],
    ];
    const img = new Uint8Array(12 * 12 * 3);
    const mask = new Uint8Array(12 * 12);
    for (let y = 0; y < 12; y++) {
      for (let x = 0; x < 12; x++) {
        if (x >= 6) img.fill(200, (y * 12 + x) * 3, (y * 12 + x) * 3 + 3);
        if (y >= 4 && y < 8 && x >= 4 && x < 8) mask[y * 12 + x] = 1;
      }
    }
    const out = inpaintTelea(img, 12, 12, mask);
    for (let y = 0; y < 6; y++) {
      for (let x = 0; x < 6; x++) {
        for (let c = 0; c < 3; c++) expect(out[((y + 3) * 12 + x + 3) * 3 + c]).toBe(ref[y][x]);
      }
    }
  });

  it('returns the input unchanged for an empty mask and for a mask that covers every pixel', () => {
    const img = Uint8Array.from({ length: 5 * 4 * 3 }, (_, i) => (i * 37) % 256);
    expect(Array.from(inpaintTelea(img, 5, 4, new Uint8Array(20)))).toEqual(Array.from(img));
    expect(Array.from(inpaintTelea(img, 5, 4, new Uint8Array(20).fill(1)))).toEqual(Array.from(img));
  });

  it('writes into `out`, which may be the input itself, with the same result', () => {
    const img = Uint8Array.from({ length: 16 * 9 * 3 }, (_, i) => (i * 53 + 7) % 256);
    const mask = Uint8Array.from({ length: 16 * 9 }, (_, i) => (i % 5 === 0 || (i > 40 && i < 60) ? 1 : 0));
    const fresh = inpaintTelea(img, 16, 9, mask);
    const out = new Uint8Array(img.length);
    expect(inpaintTelea(img, 16, 9, mask, { out })).toBe(out);
    expect(Array.from(out)).toEqual(Array.from(fresh));
    const inPlace = img.slice();
    inpaintTelea(inPlace, 16, 9, mask, { out: inPlace });
    expect(Array.from(inPlace)).toEqual(Array.from(fresh));
  });

  it('rounds and clamps the radius as OpenCV does', () => {
    expect(DEFAULT_INPAINT_RADIUS).toBe(3);
    const img = Uint8Array.from({ length: 20 * 20 * 3 }, (_, i) => (i * 31) % 256);
    const mask = Uint8Array.from({ length: 400 }, (_, i) => (i % 20 > 5 && i % 20 < 12 && i > 100 && i < 300 ? 1 : 0));
    const r3 = Array.from(inpaintTelea(img, 20, 20, mask, { radius: 3 }));
    expect(Array.from(inpaintTelea(img, 20, 20, mask, { radius: 2.6 }))).toEqual(r3);
    expect(Array.from(inpaintTelea(img, 20, 20, mask, { radius: 0 }))).toEqual(Array.from(inpaintTelea(img, 20, 20, mask, { radius: 1 })));
    expect(Array.from(inpaintTelea(img, 20, 20, mask, { radius: 1 }))).not.toEqual(r3);
  });

  it('rejects mismatched sizes and a non-finite radius with errors that say what to pass', () => {
    const img = new Uint8Array(4 * 3 * 3);
    expect(() => inpaintTelea(img, 4, 3, new Uint8Array(11))).toThrow(/mask must have width·height = 12 values, got 11/);
    expect(() => inpaintTelea(img.subarray(1), 4, 3, new Uint8Array(12))).toThrow(RangeError);
    expect(() => inpaintTelea(img, 1, 36, new Uint8Array(36))).toThrow(/width and height must be integers >= 2/);
    expect(() => inpaintTelea(img, 4, 3, new Uint8Array(12), { radius: Number.NaN })).toThrow(/radius must be a finite number/);
    expect(() => inpaintTelea(img, 4, 3, new Uint8Array(12), { out: new Uint8Array(3) })).toThrow(/out must have 36 values/);
  });
});
