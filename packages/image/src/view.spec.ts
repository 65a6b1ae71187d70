import { readFileSync } from 'node:fs';
import { InvalidOptionError, rgbImage, ShapeMismatchError, type RgbImage, type SegmentMap } from '@limekit/core';
import { describe, expect, it } from 'vitest';
import { maskToView, originalToViewIndex, preprocessToView, segmentsToOriginal, viewTransform, type ViewTransform } from './view.js';

// torchvision Resize(S) + CenterCrop(S) on PIL images (Pillow 9.4.0); see test/fixtures/PROVENANCE.md.
const fixture = JSON.parse(readFileSync(new URL('../test/fixtures/resample.json', import.meta.url), 'utf8')) as {
  views: { width: number; height: number; size: number; call: string; input: number[]; geometry: Partial<ViewTransform>; data: number[] }[];
};

describe('viewTransform', () => {
  it('is torchvision Resize(S) + CenterCrop(S) for square views, crop offsets rounded half to even', () => {
    for (const v of fixture.views) {
      expect(viewTransform(v.width, v.height, { width: v.size, height: v.size, resize: 'center-crop' })).toMatchObject(v.geometry);
    }
    // 320×240 → shorter side 128, longer int(128·320/240) = 170, offset round(21) = 21.
    expect(viewTransform(320, 240, { width: 128, height: 128, resize: 'center-crop' })).toMatchObject({ resizedWidth: 170, resizedHeight: 128, left: 21, top: 0 });
    expect(viewTransform(240, 320, { width: 128, height: 128, resize: 'center-crop' })).toMatchObject({ resizedWidth: 128, resizedHeight: 170, left: 0, top: 21 });
  });

  it('scales non-square views by the binding side and crops the centre', () => {
    // 400×100 into 100×50: width binds if 100·100 >= 50·400 — no, height binds: 50/100 = 0.5 → 200×50.
    expect(viewTransform(400, 100, { width: 100, height: 50, resize: 'center-crop' })).toMatchObject({ resizedWidth: 200, resizedHeight: 50, left: 50, top: 0 });
    // 100×400 into 100×50: width binds (scale 1) → 100×400, crop rows 175..224.
    expect(viewTransform(100, 400, { width: 100, height: 50, resize: 'center-crop' })).toMatchObject({ resizedWidth: 100, resizedHeight: 400, left: 0, top: 175 });
    // Same aspect ratio: no crop.
    expect(viewTransform(300, 150, { width: 100, height: 50, resize: 'center-crop' })).toMatchObject({ resizedWidth: 100, resizedHeight: 50, left: 0, top: 0 });
  });

  it('resizeTo: torchvision Resize(256) + CenterCrop(224) — the shorter side first, then the centre', () => {
    // torchvision.transforms.functional._compute_resized_output_size: short → 256, long → int(256 · long / short);
    // CenterCrop: int(round((size − 224) / 2.)). 640×480 → 341×256, crop at round(58.5) = 58 (half to even), round(16) = 16.
    expect(viewTransform(640, 480, { width: 224, height: 224, resize: 'center-crop', resizeTo: 256 })).toMatchObject({ resizedWidth: 341, resizedHeight: 256, left: 58, top: 16 });
    expect(viewTransform(480, 640, { width: 224, height: 224, resize: 'center-crop', resizeTo: 256 })).toMatchObject({ resizedWidth: 256, resizedHeight: 341, left: 16, top: 58 });
    // 500×375 (a typical ImageNet photo) → 341×256, round(58.5) = 58.
    expect(viewTransform(500, 375, { width: 224, height: 224, resize: 'center-crop', resizeTo: 256 })).toMatchObject({ resizedWidth: 341, resizedHeight: 256, left: 58, top: 16 });
    // resizeTo equal to the view is the default rule.
    expect(viewTransform(640, 480, { width: 224, height: 224, resize: 'center-crop', resizeTo: 224 })).toEqual(viewTransform(640, 480, { width: 224, height: 224, resize: 'center-crop' }));
    expect(() => viewTransform(640, 480, { width: 224, height: 224, resize: 'center-crop', resizeTo: 200 })).toThrow(/resizeTo must be an integer >= the view's larger side 224, got 200/);
  });

  it('resizeTo: the view is the centre of the image resized to the shorter side', async () => {
    const w = 40, h = 30;
    const img = rgbImage(w, h, Uint8Array.from({ length: w * h * 3 }, (_, i) => (i * 37) % 251));
    const { view, transform } = await preprocessToView(img, { width: 16, height: 16, resize: 'center-crop', resizeTo: 20 });
    expect(transform).toMatchObject({ resizedWidth: 26, resizedHeight: 20, left: 5, top: 2 });
    const full = await preprocessToView(img, { width: 26, height: 20, resize: 'stretch' });
    for (let y = 0; y < 16; y++) {
      for (let x = 0; x < 16; x++) {
        for (let c = 0; c < 3; c++) expect(view.data[(y * 16 + x) * 3 + c]).toBe(full.view.data[((y + 2) * 26 + x + 5) * 3 + c]);
      }
    }
  });

  it('stretches to exactly the view', () => {
    expect(viewTransform(320, 240, { width: 100, height: 50, resize: 'stretch' })).toEqual({
      originalWidth: 320, originalHeight: 240, resizedWidth: 100, resizedHeight: 50, left: 0, top: 0, viewWidth: 100, viewHeight: 50,
    });
  });

  it('rejects bad sizes and modes', () => {
    expect(() => viewTransform(10, 10, { width: 0, height: 5, resize: 'stretch' })).toThrow(InvalidOptionError);
    expect(() => viewTransform(10, 10, { width: 5, height: 5, resize: 'pad' as never })).toThrow(/resize must be "center-crop" or "stretch", got "pad"/);
    expect(() => viewTransform(10.5, 10, { width: 5, height: 5, resize: 'stretch' })).toThrow(/image size must be integers >= 1/);
  });
});

describe('preprocessToView', () => {
  it.each(fixture.views.map((v) => [v.call, v] as const))('matches torchvision on PIL byte for byte: %s', async (_, v) => {
    const img: RgbImage = { width: v.width, height: v.height, data: Uint8Array.from(v.input) };
    const { view } = await preprocessToView(img, { width: v.size, height: v.size, resize: 'center-crop' });
    expect([view.width, view.height]).toEqual([v.size, v.size]);
    expect(Buffer.from(view.data).equals(Buffer.from(v.data))).toBe(true);
  });

  it('passes an image already at the view size through unchanged, with the identity transform', async () => {
    const img = rgbImage(8, 6, new Uint8Array(144).map((_, i) => i));
    for (const resize of ['center-crop', 'stretch'] as const) {
      const { view, transform } = await preprocessToView(img, { width: 8, height: 6, resize });
      expect(view).toBe(img);
      expect(transform).toEqual({ originalWidth: 8, originalHeight: 6, resizedWidth: 8, resizedHeight: 6, left: 0, top: 0, viewWidth: 8, viewHeight: 6 });
      expect(Array.from(originalToViewIndex(transform))).toEqual(Array.from({ length: 48 }, (_, i) => i));
    }
  });

  it('centre-crops: of red | green | blue thirds only green is left', async () => {
    const img = rgbImage(300, 100);
    for (let p = 0; p < 300 * 100; p++) img.data.set(p % 300 < 100 ? [255, 0, 0] : p % 300 < 200 ? [0, 255, 0] : [0, 0, 255], 3 * p);
    const { view, transform } = await preprocessToView(img, { width: 50, height: 50, resize: 'center-crop' });
    expect(transform).toMatchObject({ resizedWidth: 150, resizedHeight: 50, left: 50 });
    for (let y = 0; y < 50; y++) {
      for (let x = 1; x < 49; x++) expect(Array.from(view.data.subarray(3 * (y * 50 + x), 3 * (y * 50 + x) + 3))).toEqual([0, 255, 0]);
    }
  });

  it('stretch keeps all three thirds', async () => {
    const img = rgbImage(300, 100);
    for (let p = 0; p < 300 * 100; p++) img.data.set(p % 300 < 100 ? [255, 0, 0] : p % 300 < 200 ? [0, 255, 0] : [0, 0, 255], 3 * p);
    const { view } = await preprocessToView(img, { width: 30, height: 30, resize: 'stretch' });
    expect(Array.from(view.data.subarray(3 * (15 * 30 + 2), 3 * (15 * 30 + 2) + 3))).toEqual([255, 0, 0]);
    expect(Array.from(view.data.subarray(3 * (15 * 30 + 15), 3 * (15 * 30 + 15) + 3))).toEqual([0, 255, 0]);
    expect(Array.from(view.data.subarray(3 * (15 * 30 + 27), 3 * (15 * 30 + 27) + 3))).toEqual([0, 0, 255]);
  });

  it('uses the requested filter', async () => {
    const img: RgbImage = { width: fixture.views[0].width, height: fixture.views[0].height, data: Uint8Array.from(fixture.views[0].input) };
    const a = await preprocessToView(img, { width: 10, height: 10, resize: 'center-crop' });
    const b = await preprocessToView(img, { width: 10, height: 10, resize: 'center-crop', interpolation: 'lanczos' });
    expect(Buffer.from(a.view.data).equals(Buffer.from(b.view.data))).toBe(false);
  });

  it('rejects data of the wrong length', async () => {
    await expect(preprocessToView({ width: 4, height: 4, data: new Uint8Array(10) }, { width: 2, height: 2, resize: 'stretch' })).rejects.toThrow(ShapeMismatchError);
  });
});

describe('segmentsToOriginal and maskToView', () => {
  const t = viewTransform(8, 4, { width: 4, height: 4, resize: 'center-crop' });
  const seg: SegmentMap = { width: 4, height: 4, labels: Int32Array.from({ length: 16 }, (_, i) => i % 4), count: 4 };

  it('maps each original pixel to the view segment under it, −1 outside the crop', () => {
    expect(t).toMatchObject({ resizedWidth: 8, resizedHeight: 4, left: 2, top: 0 });
    const orig = segmentsToOriginal(seg, t, 8, 4);
    for (let y = 0; y < 4; y++) expect(Array.from(orig.subarray(8 * y, 8 * y + 8))).toEqual([-1, -1, 0, 1, 2, 3, -1, -1]);
  });

  it('maps a shrunken view back by nearest neighbour (each view pixel covers a 2×2 block)', () => {
    const t2 = viewTransform(8, 6, { width: 4, height: 3, resize: 'stretch' });
    const s2: SegmentMap = { width: 4, height: 3, labels: Int32Array.from({ length: 12 }, (_, i) => i), count: 12 };
    const orig = segmentsToOriginal(s2, t2, 8, 6);
    for (let y = 0; y < 6; y++) for (let x = 0; x < 8; x++) expect(orig[y * 8 + x]).toBe(Math.floor(y / 2) * 4 + Math.floor(x / 2));
  });

  it('maps masks to the view', () => {
    const mask = new Uint8Array(32);
    mask[8 + 4] = 1; // original (4, 1) → view (2, 1)
    const m = maskToView(mask, t);
    expect(m[1 * 4 + 2]).toBe(1);
    expect(m.reduce((a, b) => a + b, 0)).toBe(1);
  });

  it('rejects mismatched sizes', () => {
    expect(() => segmentsToOriginal(seg, t, 8, 5)).toThrow(/transform is for a 8×4 image, not 8×5/);
    expect(() => segmentsToOriginal({ ...seg, width: 2, height: 8 }, t, 8, 4)).toThrow(/segments are 2×8 but the view is 4×4/);
    expect(() => maskToView(new Uint8Array(3), t)).toThrow(/mask has 3 values but the image has 8×4 = 32 pixels/);
  });
});
