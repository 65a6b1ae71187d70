import { ModelError } from '@limekit/core';

// A minimal protobuf reader for the few ModelProto fields limekit needs: the opset imports, the
// producer, metadata_props, and from the graph its inputs and outputs (names, element types,
// shapes), initializer names and each node's op type, inputs and outputs. Every other field is
// skipped by its wire type; tensors' weights are never decoded. Field numbers are those of
// onnx/onnx.proto3 (stable since IR version 3, ONNX 1.0).

/** A dimension: a number when fixed, the symbol's name (or `?`) when not. */
export type OnnxDim = number | string;

/** A graph input or output. */
export interface OnnxValueInfo {
  readonly name: string;
  /** ONNX `TensorProto.DataType` name (`float32`, `uint8`, …); undefined for non-tensor values. */
  readonly elemType?: string;
  /** Undefined when the graph declares no shape. */
  readonly shape?: readonly OnnxDim[];
}

/** A graph node, reduced to its wiring. */
export interface OnnxNode {
  readonly opType: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
}

/** What {@link readModelProto} finds in an ONNX file. */
export interface OnnxModelInfo {
  /** `ir_version`, when present. */
  irVersion?: number;
  /** `ai.onnx` opset version (default domain), when declared. */
  opset?: number;
  producer?: string;
  /** `metadata_props` key/value pairs. */
  metadata: Record<string, string>;
  /** Graph inputs that are not initializers (what a session must be fed), in order. */
  inputs: OnnxValueInfo[];
  outputs: OnnxValueInfo[];
  nodes: OnnxNode[];
  /** Whether a `graph` field was present. */
  hasGraph: boolean;
}

// TensorProto.DataType, named as onnxruntime-common names tensor types.
const ELEM_TYPES: Record<number, string> = {
  1: 'float32', 2: 'uint8', 3: 'int8', 4: 'uint16', 5: 'int16', 6: 'int32', 7: 'int64', 8: 'string',
  9: 'bool', 10: 'float16', 11: 'float64', 12: 'uint32', 13: 'uint64', 14: 'complex64', 15: 'complex128', 16: 'bfloat16',
};

/** A reader error: the bytes are not well-formed protobuf. The caller names the file. */
function malformed(what: string, offset: number): ModelError {
  return new ModelError(`not well-formed protobuf: ${what} at byte ${offset}`);
}

class Reader {
  pos: number;
  constructor(readonly buf: Uint8Array, start = 0, readonly end = buf.length) {
    this.pos = start;
  }
  varint(): number {
    let result = 0, shift = 0, b: number;
    do {
      if (this.pos >= this.end) throw malformed('truncated varint', this.pos);
      if (shift > 63) throw malformed('varint longer than 10 bytes', this.pos);
      b = this.buf[this.pos++];
      result += (b & 0x7f) * 2 ** shift;
      shift += 7;
    } while (b & 0x80);
    // int64 fields (dims) are two's complement: -1 arrives as 2^64 − 1.
    return result >= 2 ** 63 ? result - 2 ** 64 : result;
  }
  /** Reads a length prefix and returns [start, end) of the payload. */
  span(): [number, number] {
    const at = this.pos;
    const len = this.varint();
    if (len < 0 || this.pos + len > this.end) throw malformed(`field of ${len} bytes runs past the end of its message`, at);
    const start = this.pos;
    this.pos += len;
    return [start, this.pos];
  }
  skip(wire: number): void {
    if (wire === 0) this.varint();
    else if (wire === 2) this.span();
    else if (wire === 1 || wire === 5) {
      this.pos += wire === 1 ? 8 : 4;
      if (this.pos > this.end) throw malformed('truncated fixed-width field', this.pos);
    } else {
      throw malformed(`invalid wire type ${wire}`, this.pos);
    }
  }
  /** Iterates (field, wire) keys until the end of the message. */
  *fields(): Generator<[number, number]> {
    while (this.pos < this.end) {
      const key = this.varint();
      const field = Math.floor(key / 8);
      if (field === 0) throw malformed('field number 0', this.pos);
      yield [field, key & 7];
    }
  }
  text(): string {
    const [s, e] = this.span();
    return decoder.decode(this.buf.subarray(s, e));
  }
  sub(): Reader {
    const [s, e] = this.span();
    return new Reader(this.buf, s, e);
  }
}

const decoder = new TextDecoder();

function readDim(r: Reader): OnnxDim {
  let dim: OnnxDim = '?';
  for (const [f, w] of r.fields()) {
    if (f === 1 && w === 0) dim = r.varint();
    else if (f === 2 && w === 2) dim = r.text();
    else r.skip(w);
  }
  return dim;
}

function readValueInfo(r: Reader): OnnxValueInfo {
  let name = '';
  let elemType: string | undefined;
  let shape: OnnxDim[] | undefined;
  for (const [f, w] of r.fields()) {
    if (f === 1 && w === 2) name = r.text();
    else if (f === 2 && w === 2) {
      // TypeProto: tensor_type = 1 → { elem_type = 1, shape = 2 → { dim = 1 } }
      const type = r.sub();
      for (const [tf, tw] of type.fields()) {
        if (tf !== 1 || tw !== 2) {
          type.skip(tw);
          continue;
        }
        const tensor = type.sub();
        for (const [ff, fw] of tensor.fields()) {
          if (ff === 1 && fw === 0) elemType = ELEM_TYPES[tensor.varint()] ?? 'unknown';
          else if (ff === 2 && fw === 2) {
            shape = [];
            const sh = tensor.sub();
            for (const [sf, sw] of sh.fields()) {
              if (sf === 1 && sw === 2) shape.push(readDim(sh.sub()));
              else sh.skip(sw);
            }
          } else tensor.skip(fw);
        }
      }
    } else r.skip(w);
  }
  return { name, ...(elemType ? { elemType } : {}), ...(shape ? { shape } : {}) };
}

function readNode(r: Reader): OnnxNode {
  const inputs: string[] = [], outputs: string[] = [];
  let opType = '';
  for (const [f, w] of r.fields()) {
    if (f === 1 && w === 2) inputs.push(r.text());
    else if (f === 2 && w === 2) outputs.push(r.text());
    else if (f === 4 && w === 2) opType = r.text();
    else r.skip(w);
  }
  return { opType, inputs, outputs };
}

function readTensorName(r: Reader): string {
  let name = '';
  for (const [f, w] of r.fields()) {
    if (f === 8 && w === 2) name = r.text();
    else r.skip(w);
  }
  return name;
}

function readGraph(r: Reader, info: OnnxModelInfo): void {
  const inputs: OnnxValueInfo[] = [];
  const initializers = new Set<string>();
  for (const [f, w] of r.fields()) {
    if (w !== 2) r.skip(w);
    else if (f === 1) info.nodes.push(readNode(r.sub()));
    else if (f === 5) initializers.add(readTensorName(r.sub()));
    else if (f === 11) inputs.push(readValueInfo(r.sub()));
    else if (f === 12) info.outputs.push(readValueInfo(r.sub()));
    else r.skip(w);
  }
  // Before IR version 4 every initializer was also listed as a graph input.
  info.inputs = inputs.filter((v) => !initializers.has(v.name));
}

/**
 * Reads the structure of ONNX ModelProto bytes (see {@link OnnxModelInfo}).
 * @throws ModelError (`not well-formed protobuf: …`) when the bytes are not well-formed protobuf (truncated, corrupt, or
 *   another format); a well-formed message without a graph comes back with `hasGraph: false`.
 */
export function readModelProto(bytes: Uint8Array): OnnxModelInfo {
  const r = new Reader(bytes);
  const info: OnnxModelInfo = { metadata: {}, inputs: [], outputs: [], nodes: [], hasGraph: false };
  for (const [field, wire] of r.fields()) {
    if (field === 1 && wire === 0) info.irVersion = r.varint();
    else if (field === 2 && wire === 2) info.producer = r.text();
    else if (field === 7 && wire === 2) {
      info.hasGraph = true;
      readGraph(r.sub(), info);
    } else if (field === 8 && wire === 2) {
      // OperatorSetIdProto { domain = 1, version = 2 }
      const op = r.sub();
      let domain = '', version: number | undefined;
      for (const [f, w] of op.fields()) {
        if (f === 1 && w === 2) domain = op.text();
        else if (f === 2 && w === 0) version = op.varint();
        else op.skip(w);
      }
      if ((domain === '' || domain === 'ai.onnx') && version !== undefined) info.opset = version;
    } else if (field === 14 && wire === 2) {
      // StringStringEntryProto { key = 1, value = 2 }
      const kv = r.sub();
      let key: string | undefined, value = '';
      for (const [f, w] of kv.fields()) {
        if (f === 1 && w === 2) key = kv.text();
        else if (f === 2 && w === 2) value = kv.text();
        else kv.skip(w);
      }
      if (key !== undefined) info.metadata[key] = value;
    } else r.skip(wire);
  }
  return info;
}

// Ops that only move or relabel values: the op that really produced an output lies behind them.
const PASS_THROUGH = new Set(['Identity', 'Flatten', 'Reshape', 'Squeeze', 'Unsqueeze', 'Dropout', 'Cast']);

/**
 * The op type that computes a graph output, looking through reshapes, identities and casts
 * (`Softmax`, `Sigmoid`, `Gemm`, …); undefined when no node produces it.
 */
export function producingOp(info: Pick<OnnxModelInfo, 'nodes'>, output: string): string | undefined {
  const byOutput = new Map<string, OnnxNode>();
  for (const n of info.nodes) for (const o of n.outputs) byOutput.set(o, n);
  let name = output;
  for (let hops = 0; hops < 64; hops++) {
    const node = byOutput.get(name);
    if (!node) return undefined;
    if (!PASS_THROUGH.has(node.opType) || node.inputs.length === 0) return node.opType;
    name = node.inputs[0];
  }
  return undefined;
}

/** A float32 initializer (a weight tensor) and where its values lie in the file's bytes. */
export interface OnnxInitializer {
  readonly name: string;
  readonly dims: readonly number[];
  /** Byte offset and length of its little-endian float32 values (`raw_data`, or packed `float_data`). */
  readonly offset: number;
  readonly byteLength: number;
  /** Index in the graph's (topologically sorted) node list of the first node that reads it; −1 when none does. */
  readonly firstUse: number;
}

function readInitializer(r: Reader): Omit<OnnxInitializer, 'firstUse'> | undefined {
  let name = '', dataType = 0, offset = -1, byteLength = 0, external = false;
  const dims: number[] = [];
  for (const [f, w] of r.fields()) {
    if (f === 1 && w === 0) dims.push(r.varint());
    else if (f === 1 && w === 2) {
      const sub = r.sub();
      while (sub.pos < sub.end) dims.push(sub.varint());
    } else if (f === 2 && w === 0) dataType = r.varint();
    else if (f === 8 && w === 2) name = r.text();
    else if ((f === 9 || f === 4) && w === 2) [offset, byteLength] = ((s) => [s[0], s[1] - s[0]])(r.span());
    else if (f === 14 && w === 0) external = r.varint() === 1;
    else r.skip(w);
  }
  if (dataType !== 1 || external || offset < 0 || byteLength === 0) return undefined;
  return { name, dims, offset, byteLength };
}

/**
 * The float32 initializers stored inside an ONNX file (not external data), with the byte range of
 * their values, so that a copy of the bytes can be given other weights without re-encoding the
 * protobuf (model parameter randomisation, Adebayo et al. 2018).
 * @throws ModelError when the bytes are not well-formed protobuf.
 */
export function readInitializers(bytes: Uint8Array): OnnxInitializer[] {
  const r = new Reader(bytes);
  const found: Omit<OnnxInitializer, 'firstUse'>[] = [];
  const nodes: OnnxNode[] = [];
  for (const [field, wire] of r.fields()) {
    if (field === 7 && wire === 2) {
      const g = r.sub();
      for (const [f, w] of g.fields()) {
        if (f === 1 && w === 2) nodes.push(readNode(g.sub()));
        else if (f === 5 && w === 2) {
          const t = readInitializer(g.sub());
          if (t) found.push(t);
        } else g.skip(w);
      }
    } else r.skip(wire);
  }
  return found.map((t) => ({ ...t, firstUse: nodes.findIndex((n) => n.inputs.includes(t.name)) }));
}

/**
 * The model's layers for parameter randomisation: the initializers grouped by the node that first
 * reads them (weights and bias of one Conv or Gemm together), ordered from the output down
 * (the cascade order of Adebayo et al.); layers whose tensors have fewer than 2 values in all
 * (scalars, shape constants) are left out.
 */
export function randomisableLayers(bytes: Uint8Array): { node: number; initializers: OnnxInitializer[] }[] {
  const groups = new Map<number, OnnxInitializer[]>();
  for (const t of readInitializers(bytes)) {
    if (t.firstUse < 0 || t.byteLength < 8) continue;
    groups.set(t.firstUse, [...(groups.get(t.firstUse) ?? []), t]);
  }
  return [...groups.entries()].sort((a, b) => b[0] - a[0]).map(([node, initializers]) => ({ node, initializers }));
}

/**
 * A copy of the ONNX bytes whose given initializers hold random values: i.i.d. normal with the
 * mean and standard deviation of each tensor's own values (so activations keep their scale), drawn
 * from `nextGaussian`. The protobuf layout is unchanged (same byte lengths); the input is not modified.
 */
export function randomiseInitializers(bytes: Uint8Array, initializers: readonly OnnxInitializer[], nextGaussian: () => number): Uint8Array {
  const out = Uint8Array.from(bytes);
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
  for (const t of initializers) {
    const n = t.byteLength / 4;
    let s = 0, ss = 0;
    for (let i = 0; i < n; i++) {
      const v = view.getFloat32(t.offset + 4 * i, true);
      s += v;
      ss += v * v;
    }
    const mean = s / n, sd = Math.sqrt(Math.max(0, ss / n - mean * mean)) || 1e-2;
    for (let i = 0; i < n; i++) view.setFloat32(t.offset + 4 * i, mean + sd * nextGaussian(), true);
  }
  return out;
}

function encodeVarint(value: number): number[] {
  const out: number[] = [];
  let v = value;
  while (v >= 0x80) {
    out.push((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  out.push(v);
  return out;
}

/** The parts, one after another, in one new array. */
function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** A length-delimited field: key (field, wire type 2), length, payload. */
function lengthDelimited(field: number, payload: Uint8Array): Uint8Array {
  return concatBytes([Uint8Array.from([...encodeVarint(field * 8 + 2), ...encodeVarint(payload.length)]), payload]);
}

/**
 * A copy of ONNX ModelProto bytes whose graph lists `names` as extra graph outputs (a
 * `ValueInfoProto` with only a name, whose type ONNX Runtime infers), so that a session can fetch
 * intermediate tensors such as an embedding: ONNX Runtime only returns graph outputs. The new
 * entries are appended to the graph message (protobuf allows a repeated field's entries
 * anywhere in the message); every other byte is kept. The input is not modified.
 * @throws ModelError when the bytes are not well-formed protobuf or hold no graph.
 */
export function withGraphOutputs(bytes: Uint8Array, names: readonly string[]): Uint8Array {
  const r = new Reader(bytes);
  let graph: [number, number, number] | undefined; // key start, payload start, payload end
  while (r.pos < r.end) {
    const keyAt = r.pos;
    const key = r.varint();
    const [field, wire] = [Math.floor(key / 8), key & 7];
    if (field === 0) throw malformed('field number 0', keyAt);
    if (field === 7 && wire === 2) {
      const [s, e] = r.span();
      graph = [keyAt, s, e];
    } else r.skip(wire);
  }
  if (!graph) throw new ModelError('the ONNX bytes hold no graph, so no output can be added.');
  const encoder = new TextEncoder();
  const extra = names.map((n) => lengthDelimited(12, lengthDelimited(1, encoder.encode(n))));
  const field = lengthDelimited(7, concatBytes([bytes.subarray(graph[1], graph[2]), ...extra]));
  return concatBytes([bytes.subarray(0, graph[0]), field, bytes.subarray(graph[2])]);
}

/**
 * Random access to a model's bytes: {@link readInto} copies the bytes from `position` on into
 * `target` and returns how many it copied (fewer than `target.length` only at the end).
 */
export interface ByteSource {
  readonly size: number;
  readInto(target: Uint8Array, position: number): number;
}

/** A {@link ByteSource} over bytes in memory. */
export function memorySource(bytes: Uint8Array): ByteSource {
  return {
    size: bytes.length,
    readInto(target, position) {
      const part = bytes.subarray(position, position + target.length);
      target.set(part);
      return part.length;
    },
  };
}

/** A source's bytes through one reused window, so that reading small fields near each other costs one real read. */
class SourceWindow {
  private readonly buf: Uint8Array;
  private start = 0;
  private length = 0;
  constructor(
    private readonly src: ByteSource,
    chunk = 1 << 16,
  ) {
    this.buf = new Uint8Array(chunk);
  }
  private load(pos: number): void {
    this.start = pos;
    this.length = this.src.readInto(this.buf, pos);
  }
  byte(pos: number): number {
    if (pos < this.start || pos >= this.start + this.length) {
      this.load(pos);
      if (this.length === 0) throw malformed('unexpected end of file', pos);
    }
    return this.buf[pos - this.start];
  }
  /** A copy of bytes [pos, pos + len). */
  copy(pos: number, len: number): Uint8Array {
    if (len > this.buf.length) {
      const out = new Uint8Array(len);
      if (this.src.readInto(out, pos) !== len) throw malformed('unexpected end of file', pos);
      return out;
    }
    if (pos < this.start || pos + len > this.start + this.length) this.load(pos);
    if (pos + len > this.start + this.length) throw malformed('unexpected end of file', pos);
    return this.buf.slice(pos - this.start, pos - this.start + len);
  }
  /** Reads a varint at `pos` (not past `end`): [value, position after it]. */
  varint(pos: number, end: number): [number, number] {
    let result = 0, shift = 0, b: number, p = pos;
    do {
      if (p >= end) throw malformed('truncated varint', p);
      if (shift > 63) throw malformed('varint longer than 10 bytes', p);
      b = this.byte(p++);
      result += (b & 0x7f) * 2 ** shift;
      shift += 7;
    } while (b & 0x80);
    return [result, p];
  }
  /**
   * Walks the fields of the message at [start, end), calling `each(field, wire, keyAt, payloadStart, payloadEnd)`;
   * for a varint field the payload is the varint itself.
   */
  fields(start: number, end: number, each: (field: number, wire: number, keyAt: number, from: number, to: number) => void): void {
    let pos = start;
    while (pos < end) {
      const keyAt = pos;
      const [key, p] = this.varint(pos, end);
      const field = Math.floor(key / 8), wire = key % 8;
      if (field === 0) throw malformed('field number 0', keyAt);
      let from = p, to: number;
      if (wire === 0) to = this.varint(p, end)[1];
      else if (wire === 2) {
        const [len, q] = this.varint(p, end);
        from = q;
        to = q + len;
        if (to > end) throw malformed(`field of ${len} bytes runs past the end of its message`, p);
      } else if (wire === 1 || wire === 5) {
        to = p + (wire === 1 ? 8 : 4);
        if (to > end) throw malformed('truncated fixed-width field', p);
      } else throw malformed(`invalid wire type ${wire}`, p);
      each(field, wire, keyAt, from, to);
      pos = to;
    }
  }
}

/**
 * The part of an ONNX file that {@link readModelProto} reads, without the weights: a well-formed
 * ModelProto holding the file's ir_version, producer, opset imports, metadata and, from its graph,
 * the nodes, the inputs and outputs, and each initializer reduced to its name — so that
 * `readModelProto(readModelSkeleton(source))` equals `readModelProto(bytes)`. Large payloads are
 * skipped by position, never read: for MobileNetV2 (14 MB) this reads about 0.1 MB, where reading the
 * whole file cost ~50 ms in a fresh process, most of it first touching the memory it was read into.
 * @throws ModelError (`not well-formed protobuf: …`) where the bytes are not well-formed protobuf.
 */
export function readModelSkeleton(src: ByteSource): Uint8Array {
  const w = new SourceWindow(src);
  const parts: Uint8Array[] = [];
  w.fields(0, src.size, (field, wire, keyAt, from, to) => {
    if (field === 7 && wire === 2) parts.push(lengthDelimited(7, graphSkeleton(w, from, to)));
    else if ((field === 1 && wire === 0) || ((field === 2 || field === 8 || field === 14) && wire === 2)) parts.push(w.copy(keyAt, to - keyAt));
  });
  return concatBytes(parts);
}

/** A GraphProto's nodes, inputs and outputs as they are, and its initializers as names only. */
function graphSkeleton(w: SourceWindow, start: number, end: number): Uint8Array {
  const parts: Uint8Array[] = [];
  w.fields(start, end, (field, wire, keyAt, from, to) => {
    if (wire !== 2) return;
    if (field === 1 || field === 11 || field === 12) parts.push(w.copy(keyAt, to - keyAt));
    else if (field === 5) {
      // TensorProto: keep only `name` (8); dims, data and the rest are skipped unread.
      const names: Uint8Array[] = [];
      w.fields(from, to, (f, fw, k, _s, e) => {
        if (f === 8 && fw === 2) names.push(w.copy(k, e - k));
      });
      parts.push(lengthDelimited(5, concatBytes(names)));
    }
  });
  return concatBytes(parts);
}
