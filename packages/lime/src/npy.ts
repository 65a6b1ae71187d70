/**
 * Encodes an int32 array as a NumPy `.npy` file (format version 1.0, little-endian `<i4`,
 * C order), loadable with `numpy.load`.
 * @see https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html
 */
export function encodeNpyInt32(data: Int32Array, shape: readonly number[]): Buffer {
  const count = shape.reduce((a, b) => a * b, 1);
  if (count !== data.length) throw new RangeError(`encodeNpyInt32: shape ${shape.join('×')} holds ${count} values, data has ${data.length}.`);
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let header = `{'descr': '<i4', 'fortran_order': False, 'shape': ${shapeText}, }`;
  // magic (6) + version (2) + header length (2) + header, padded with spaces and a final \n to a multiple of 64.
  const unpadded = 10 + header.length + 1;
  header += ' '.repeat((64 - (unpadded % 64)) % 64) + '\n';
  const buf = Buffer.alloc(10 + header.length + data.length * 4);
  buf.write('\x93NUMPY', 0, 'latin1');
  buf[6] = 1;
  buf[7] = 0;
  buf.writeUInt16LE(header.length, 8);
  buf.write(header, 10, 'latin1');
  const at = 10 + header.length;
  if (LITTLE_ENDIAN) {
    // The values' bytes as they are in memory: one copy instead of a call per value.
    buf.set(new Uint8Array(data.buffer, data.byteOffset, 4 * data.length), at);
  } else {
    for (let i = 0; i < data.length; i++) buf.writeInt32LE(data[i], at + 4 * i);
  }
  return buf;
}

/** Whether typed arrays hold their values little-endian here (every platform Node ships for but s390x). */
const LITTLE_ENDIAN = new Uint8Array(Uint32Array.of(1).buffer)[0] === 1;

/** Decodes a `.npy` file written by {@link encodeNpyInt32} (or numpy, for `<i4` C-order arrays). */
export function decodeNpyInt32(buf: Buffer): { data: Int32Array; shape: number[] } {
  if (buf.subarray(0, 6).toString('latin1') !== '\x93NUMPY') throw new RangeError('decodeNpyInt32: not a .npy file (bad magic).');
  const major = buf[6];
  const headerLen = major === 1 ? buf.readUInt16LE(8) : buf.readUInt32LE(8);
  const start = major === 1 ? 10 : 12;
  const header = buf.subarray(start, start + headerLen).toString('latin1');
  if (!header.includes("'<i4'") || header.includes("'fortran_order': True")) throw new RangeError(`decodeNpyInt32: expected a C-order <i4 array, header ${header.trim()}.`);
  const m = /'shape': \(([^)]*)\)/.exec(header);
  const shape = (m?.[1] ?? '').split(',').map((s) => s.trim()).filter(Boolean).map(Number);
  const offset = start + headerLen;
  const n = shape.reduce((a, b) => a * b, 1);
  const data = new Int32Array(n);
  for (let i = 0; i < n; i++) data[i] = buf.readInt32LE(offset + 4 * i);
  return { data, shape };
}

/**
 * Encodes a float32 array as a NumPy `.npy` file (format version 1.0, little-endian `<f4`,
 * C order), loadable with `numpy.load`.
 */
export function encodeNpyFloat32(data: Float32Array, shape: readonly number[]): Buffer {
  const count = shape.reduce((a, b) => a * b, 1);
  if (count !== data.length) throw new RangeError(`encodeNpyFloat32: shape ${shape.join('×')} holds ${count} values, data has ${data.length}.`);
  const asInt = new Int32Array(data.buffer, data.byteOffset, data.length);
  const buf = encodeNpyInt32(asInt, shape);
  const at = buf.indexOf("'<i4'", 0, 'latin1');
  buf.write("'<f4'", at, 'latin1');
  return buf;
}

/** Decodes a `.npy` file written by {@link encodeNpyFloat32} (or numpy, for `<f4` C-order arrays). */
export function decodeNpyFloat32(buf: Buffer): { data: Float32Array; shape: number[] } {
  const at = buf.indexOf("'<f4'", 0, 'latin1');
  if (at < 0 || at > 200) throw new RangeError('decodeNpyFloat32: expected a C-order <f4 array.');
  const copy = Buffer.from(buf);
  copy.write("'<i4'", at, 'latin1');
  const { data, shape } = decodeNpyInt32(copy);
  return { data: new Float32Array(data.buffer, data.byteOffset, data.length), shape };
}
