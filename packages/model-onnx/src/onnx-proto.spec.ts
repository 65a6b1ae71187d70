import { readdir, readFile } from 'node:fs/promises';
import { ModelError } from '@limekit/core';
import { describe, expect, it } from 'vitest';
import { fixture } from '../test/reference.js';
import { memorySource, producingOp, readModelProto, readModelSkeleton, type ByteSource } from './onnx-proto.js';

describe('readModelProto', () => {
  it('reads opset, inputs, outputs and metadata of models written by torch.onnx.export', async () => {
    for (const [name, opset, ir] of [['nchw_logits_opset7', 7, 3], ['nchw_logits_opset9', 9, 4], ['nchw_logits', 13, 7], ['nchw_logits_opset17', 17, 8]] as const) {
      const info = readModelProto(await readFile(fixture(`${name}.onnx`)));
      expect(info).toMatchObject({ opset, irVersion: ir, hasGraph: true });
      // IR 3 lists the weights as graph inputs too; only the image input is fed.
      expect(info.inputs).toEqual([{ name: 'input', elemType: 'float32', shape: ['batch', 3, 16, 16] }]);
      expect(info.outputs).toEqual([{ name: 'output', elemType: 'float32', shape: ['batch', 5] }]);
      expect(producingOp(info, 'output')).toBe('Gemm');
    }
    const meta = readModelProto(await readFile(fixture('metadata_names.onnx')));
    expect(meta.metadata).toEqual({ classes: '["cat", "dog", "bird"]' });
    expect(meta.producer).toMatch(/^limekit tools\/fixtures\/onnx_models\.py/);
    const nhwc = readModelProto(await readFile(fixture('nhwc_probs.onnx')));
    expect(nhwc.inputs[0].shape).toEqual(['batch', 16, 16, 3]);
    expect(producingOp(nhwc, 'output')).toBe('Softmax');
    expect(readModelProto(await readFile(fixture('fixed_batch4.onnx'))).inputs[0].shape).toEqual([4, 3, 16, 16]);
    expect(readModelProto(await readFile(fixture('uint8_input.onnx'))).inputs[0].elemType).toBe('uint8');
  });

  it('looks through reshapes and identities to the op that computes an output', () => {
    const nodes = [
      { opType: 'Gemm', inputs: ['x'], outputs: ['logits'] },
      { opType: 'Softmax', inputs: ['logits'], outputs: ['p'] },
      { opType: 'Reshape', inputs: ['p', 'shape'], outputs: ['p2'] },
      { opType: 'Identity', inputs: ['p2'], outputs: ['out'] },
    ];
    expect(producingOp({ nodes }, 'out')).toBe('Softmax');
    expect(producingOp({ nodes }, 'logits')).toBe('Gemm');
    expect(producingOp({ nodes }, 'x')).toBeUndefined();
  });

  it('rejects truncated bytes and invalid wire types', async () => {
    const bytes = await readFile(fixture('nchw_logits.onnx'));
    expect(() => readModelProto(bytes.subarray(0, bytes.length - 40))).toThrow(ModelError);
    expect(() => readModelProto(bytes.subarray(0, bytes.length - 40))).toThrow(/not well-formed protobuf: field of \d+ bytes runs past the end of its message at byte \d+/);
    expect(() => readModelProto(Uint8Array.from([0x0b]))).toThrow(/invalid wire type 3/);
    expect(readModelProto(Uint8Array.from([0x08, 0x07])).hasGraph).toBe(false);
  });
});

/** Protobuf encoding helpers for hand-made messages. */
const varint = (v: number): number[] => (v < 0x80 ? [v] : [(v % 0x80) | 0x80, ...varint(Math.floor(v / 0x80))]);
const cat = (...parts: (Uint8Array | number[])[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
};
const field = (n: number, payload: Uint8Array | number[]): Uint8Array => cat(varint(n * 8 + 2), varint(payload.length), payload);

/** A source that counts the bytes it hands out. */
function counting(bytes: Uint8Array): ByteSource & { readonly bytesRead: number } {
  const inner = memorySource(bytes);
  let bytesRead = 0;
  return {
    size: bytes.length,
    get bytesRead() {
      return bytesRead;
    },
    readInto(target, position) {
      const n = inner.readInto(target, position);
      bytesRead += n;
      return n;
    },
  };
}

/** A fixture whose graph message gets `extra` (encoded graph fields) appended, the file's other bytes kept. */
function extendGraph(bytes: Uint8Array, extra: Uint8Array): Uint8Array {
  const readVarint = (at: number): [number, number] => {
    let v = 0, shift = 0, b: number;
    do {
      b = bytes[at++];
      v += (b & 0x7f) * 2 ** shift;
      shift += 7;
    } while (b & 0x80);
    return [v, at];
  };
  for (let pos = 0; pos < bytes.length; ) {
    const [key, p] = readVarint(pos);
    if (key % 8 === 0) {
      pos = readVarint(p)[1];
      continue;
    }
    const [len, q] = readVarint(p);
    if (key === 7 * 8 + 2) return cat(bytes.subarray(0, pos), field(7, cat(bytes.subarray(q, q + len), extra)), bytes.subarray(q + len));
    pos = q + len;
  }
  throw new Error('no graph');
}

/** An initializer of `floats` float32 values (raw_data) named `name`, as a graph field. */
function bigInitializer(name: string, floats: number): Uint8Array {
  return field(5, cat([0x08], varint(floats), [0x10, 0x01], field(8, new TextEncoder().encode(name)), field(9, new Uint8Array(4 * floats).fill(0x3f))));
}

describe('readModelSkeleton', () => {
  it('keeps everything readModelProto reads, for every fixture model (IR 3 to 8, metadata, NHWC, uint8, ORT-format aside)', async () => {
    const dir = fixture('');
    const names = (await readdir(dir)).filter((n) => n.endsWith('.onnx'));
    expect(names.length).toBeGreaterThan(15);
    for (const n of names) {
      const bytes = await readFile(fixture(n));
      const skeleton = readModelSkeleton(memorySource(bytes));
      expect(readModelProto(skeleton), n).toEqual(readModelProto(bytes));
    }
    const demo = await readFile(new URL('../../../demo/model/shapes.onnx', import.meta.url));
    const skeleton = readModelSkeleton(memorySource(demo));
    expect(readModelProto(skeleton)).toEqual(readModelProto(demo));
    // The demo's weights are most of its file: the skeleton holds the structure only.
    expect(skeleton.length).toBeLessThan(demo.length / 4);
  });

  it('skips the weights unread: a 4 MB initializer costs a few bytes of reading', async () => {
    const bytes = extendGraph(await readFile(fixture('nchw_logits.onnx')), bigInitializer('big_weight', 1 << 20));
    const src = counting(bytes);
    const skeleton = readModelSkeleton(src);
    const info = readModelProto(skeleton);
    expect(info).toEqual(readModelProto(bytes));
    expect(src.bytesRead).toBeLessThan(3 * 65536);
    expect(skeleton.length).toBeLessThan(4096);
    // IR 3 lists initializers as graph inputs: the big one's name must survive for the filter.
    const ir3 = await readFile(fixture('nchw_logits_opset7.onnx'));
    const withInput = extendGraph(ir3, cat(bigInitializer('big_weight', 1 << 20), field(11, field(1, new TextEncoder().encode('big_weight')))));
    const inputs = readModelProto(readModelSkeleton(memorySource(withInput))).inputs.map((v) => v.name);
    expect(inputs).toEqual(readModelProto(withInput).inputs.map((v) => v.name));
    expect(inputs).toEqual(readModelProto(ir3).inputs.map((v) => v.name));
    expect(inputs).toEqual(['input']);
  });

  it('rejects what readModelProto rejects: truncated files and invalid wire types', async () => {
    const bytes = extendGraph(await readFile(fixture('nchw_logits.onnx')), bigInitializer('big_weight', 1 << 16));
    expect(() => readModelSkeleton(memorySource(bytes.subarray(0, bytes.length - 40)))).toThrow(ModelError);
    expect(() => readModelSkeleton(memorySource(bytes.subarray(0, bytes.length - 40)))).toThrow(/not well-formed protobuf: field of \d+ bytes runs past the end of its message/);
    expect(() => readModelSkeleton(memorySource(Uint8Array.from([0x0b])))).toThrow(/invalid wire type 3/);
    expect(() => readModelSkeleton(memorySource(Uint8Array.from([0x08, 0x87])))).toThrow(/truncated varint/);
    // A source shorter than it claims (a file cut while being read).
    const short: ByteSource = { size: bytes.length, readInto: (t, p) => memorySource(bytes.subarray(0, 1000)).readInto(t, p) };
    expect(() => readModelSkeleton(short)).toThrow(/not well-formed protobuf/);
  });
});
