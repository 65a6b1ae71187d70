import { describe, expect, it } from 'vitest';
import type { ModelInputSpec } from './components.js';
import { normalizationPreset, writeNormalized } from './normalization.js';
import { PerturbationWriter } from './perturb.js';

const img = { width: 2, height: 1, data: new Uint8Array([255, 0, 51, 102, 204, 0]) };
const fill = { width: 2, height: 1, data: new Uint8Array([0, 0, 0, 0, 0, 0]) };
const spec = (layout: 'NCHW' | 'NHWC', preset = 'unit', channels: 1 | 3 = 3): ModelInputSpec => ({
  width: 2, height: 1, channels, layout, resize: 'stretch', normalization: normalizationPreset(preset),
});

describe('writeNormalized', () => {
  it('writes NCHW and NHWC with the preset normalisation', () => {
    const out = new Float32Array(6);
    writeNormalized(img, spec('NCHW'), out);
    expect(Array.from(out)).toEqual([1, 0.4, 0, 0.8, 0.2, 0].map((v) => Math.fround(v)));
    writeNormalized(img, spec('NHWC'), out);
    expect(Array.from(out)).toEqual([1, 0, 0.2, 0.4, 0.8, 0].map((v) => Math.fround(v)));
  });

  it('applies imagenet mean/std, caffe BGR order and grayscale luma', () => {
    const out = new Float32Array(6);
    writeNormalized(img, spec('NCHW', 'imagenet'), out);
    expect(Math.abs(out[0] - (1 - 0.485) / 0.229)).toBeLessThan(1e-6);
    writeNormalized(img, spec('NCHW', 'caffe'), out);
    expect(Math.abs(out[0] - (51 - 103.939))).toBeLessThan(1e-4); // channel 0 is blue
    const g = new Float32Array(2);
    writeNormalized(img, spec('NCHW', 'unit', 1), g);
    expect(Math.abs(g[0] - (0.299 * 255 + 0.114 * 51) / 255)).toBeLessThan(1e-6);
  });

  it('names unknown presets', () => {
    expect(() => normalizationPreset('tf')).toThrow(/preprocess must be one of imagenet, inception, unit, raw, caffe, got "tf"/);
  });
});

describe('PerturbationWriter', () => {
  it('update() rewrites only changed segments and equals a full write', () => {
    const W = 5, H = 3;
    const image = { width: W, height: H, data: new Uint8Array(W * H * 3).map((_, i) => (i * 37) % 256) };
    const black = { width: W, height: H, data: new Uint8Array(W * H * 3) };
    const seg = { width: W, height: H, labels: Int32Array.from({ length: 15 }, (_, p) => [0, 0, 1, 2, 2][p % 5] + (p >= 10 ? 3 : 0)), count: 6 };
    for (const layout of ['NCHW', 'NHWC'] as const) {
      const s = { width: W, height: H, channels: 3 as const, layout, resize: 'stretch' as const, normalization: normalizationPreset('imagenet') };
      const w = new PerturbationWriter(image, black, seg, s);
      const a = new Uint8Array([1, 0, 1, 1, 0, 0]), b = new Uint8Array([0, 0, 1, 0, 1, 1]);
      const viaUpdate = new Float32Array(45), full = new Float32Array(45);
      w.write(a, 0, viaUpdate, 0);
      w.update(a, 0, b, 0, viaUpdate, 0);
      w.write(b, 0, full, 0);
      expect(Array.from(viaUpdate)).toEqual(Array.from(full));
    }
  });

  it('switches segments between instance and fill in both layouts', () => {
    const seg = { width: 2, height: 1, labels: new Int32Array([0, 1]), count: 2 };
    for (const layout of ['NCHW', 'NHWC'] as const) {
      const w = new PerturbationWriter(img, fill, seg, spec(layout));
      const out = new Float32Array(12).fill(-1);
      w.write(new Uint8Array([1, 0, 0, 1]), 0, out, 0);
      w.write(new Uint8Array([1, 0, 0, 1]), 2, out, 6);
      const full = new Float32Array(6);
      writeNormalized(img, spec(layout), full);
      const pixelOf = (i: number) => (layout === 'NCHW' ? i % 2 : Math.floor(i / 3));
      for (let i = 0; i < 6; i++) {
        expect(out[i]).toBe(pixelOf(i) === 0 ? full[i] : 0);
        expect(out[6 + i]).toBe(pixelOf(i) === 1 ? full[i] : 0);
      }
    }
  });
});

describe('PerturbationWriter in its WebAssembly memory (allocateSlots)', () => {
  // Irregular segments (like SLIC's): blobs from a seeded walk, on a 37×23 view, both layouts,
  // 1 and 3 channels, runs of every length (1 element up to whole rows).
  const W = 37, H = 23;
  let seed = 7;
  const next = () => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32;
  const labels = new Int32Array(W * H);
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) labels[y * W + x] = (Math.floor(x / 6) + 7 * Math.floor(y / 5) + (next() < 0.15 ? 1 : 0)) % 29;
  const segments = { width: W, height: H, labels, count: 29 };
  const image = { width: W, height: H, data: Uint8Array.from({ length: W * H * 3 }, () => Math.floor(next() * 256)) };
  const fillImage = { width: W, height: H, data: Uint8Array.from({ length: W * H * 3 }, () => Math.floor(next() * 256)) };
  const viewSpec = (layout: 'NCHW' | 'NHWC', channels: 1 | 3): ModelInputSpec => ({ width: W, height: H, channels, layout, resize: 'stretch', normalization: normalizationPreset('imagenet') });

  it('writes and updates exactly what the JavaScript loop writes, for any mask, in both layouts', () => {
    for (const layout of ['NCHW', 'NHWC'] as const) {
      for (const channels of [3, 1] as const) {
        const js = new PerturbationWriter(image, fillImage, segments, viewSpec(layout, channels));
        const wasm = new PerturbationWriter(image, fillImage, segments, viewSpec(layout, channels));
        const slots = wasm.allocateSlots(2, 4 * wasm.imageSize);
        expect(slots).toHaveLength(2);
        expect(wasm.allocateSlots(1, 10)).toBeUndefined(); // once per writer: its memory never grows again
        // One memory that also holds the instance, the fill and the runs: the kernel's.
        expect(slots![1].buffer).toBe(slots![0].buffer);
        expect(slots![0].buffer.byteLength).toBeGreaterThan(4 * (2 * 4 * wasm.imageSize + 2 * wasm.imageSize));
        const plain = new Float32Array(4 * js.imageSize);
        const M = segments.count;
        const rows = new Uint8Array(60 * M);
        for (let i = 0; i < rows.length; i++) rows[i] = next() < 0.5 ? 1 : 0;
        rows.fill(1, 0, M); // all kept: the instance
        rows.fill(0, M, 2 * M); // none kept: the fill
        for (let r = 0; r < 60; r++) {
          const slot = r % 4, b = r % 2;
          js.write(rows, r * M, plain, slot * js.imageSize);
          if (r < 8) wasm.write(rows, r * M, slots![b], slot * wasm.imageSize);
          else wasm.update(rows, (r - 8) * M, rows, r * M, slots![b], slot * wasm.imageSize);
          const a = plain.subarray(slot * js.imageSize, (slot + 1) * js.imageSize);
          const w = slots![b].subarray(slot * wasm.imageSize, (slot + 1) * wasm.imageSize);
          expect(w).toEqual(a);
        }
        // The two extremes: the instance and the fill themselves.
        const instance = new Float32Array(js.imageSize), filled = new Float32Array(js.imageSize);
        writeNormalized(image, viewSpec(layout, channels), instance);
        writeNormalized(fillImage, viewSpec(layout, channels), filled);
        wasm.write(rows, 0, slots![0], 0);
        expect(slots![0].subarray(0, wasm.imageSize)).toEqual(instance);
        wasm.write(rows, M, slots![0], 0);
        expect(slots![0].subarray(0, wasm.imageSize)).toEqual(filled);
      }
    }
  });

  it('gives its memory to the next writer once its slots are released, which writes the same floats', () => {
    const M = segments.count;
    const rows = Uint8Array.from({ length: 40 * M }, () => (next() < 0.5 ? 1 : 0));
    // Another segmentation and image for the next writer: nothing of the first may leak into it.
    const labels2 = Int32Array.from(labels, (l, p) => (l + (p % 3 === 0 ? 1 : 0)) % M);
    const segments2 = { width: W, height: H, labels: labels2, count: M };
    const image2 = { width: W, height: H, data: Uint8Array.from(image.data, (v) => 255 - v) };
    const check = (w: PerturbationWriter, js: PerturbationWriter, slot: Float32Array, count: number) => {
      const plain = new Float32Array(js.imageSize);
      for (let r = 0; r < 40; r++) {
        const at = (r % count) * w.imageSize;
        w.write(rows, r * M, slot, at);
        js.write(rows, r * M, plain, 0);
        expect(slot.subarray(at, at + w.imageSize)).toEqual(plain);
      }
    };
    const first = new PerturbationWriter(image, fillImage, segments, viewSpec('NCHW', 3));
    const [a] = first.allocateSlots(1, 4 * first.imageSize)!;
    check(first, new PerturbationWriter(image, fillImage, segments, viewSpec('NCHW', 3)), a, 4);
    first.releaseSlots();
    // The next writer (other segments, image, layout) takes the same memory, already paged in.
    const second = new PerturbationWriter(image2, fillImage, segments2, viewSpec('NHWC', 3));
    const [b] = second.allocateSlots(1, 2 * second.imageSize)!;
    expect(b.buffer).toBe(a.buffer);
    check(second, new PerturbationWriter(image2, fillImage, segments2, viewSpec('NHWC', 3)), b, 2);
    // The released writer goes on with the JavaScript loop, into buffers of its own.
    const after = new Float32Array(first.imageSize), want = new Float32Array(first.imageSize);
    first.write(rows, 3 * M, after, 0);
    new PerturbationWriter(image, fillImage, segments, viewSpec('NCHW', 3)).write(rows, 3 * M, want, 0);
    expect(after).toEqual(want);
    // A writer that needs more memory grows the spare one (the old buffers are detached).
    second.releaseSlots();
    const third = new PerturbationWriter(image, fillImage, segments2, viewSpec('NCHW', 1));
    const [c] = third.allocateSlots(1, 64 * third.imageSize)!;
    expect(a.byteLength).toBe(0);
    check(third, new PerturbationWriter(image, fillImage, segments2, viewSpec('NCHW', 1)), c, 64);
    // Slots not released are never handed on: the next writer gets a memory of its own.
    const fourth = new PerturbationWriter(image, fillImage, segments, viewSpec('NCHW', 3));
    const [d] = fourth.allocateSlots(1, 4 * fourth.imageSize)!;
    expect(d.buffer).not.toBe(c.buffer);
    third.releaseSlots();
    fourth.releaseSlots();
  });
});
