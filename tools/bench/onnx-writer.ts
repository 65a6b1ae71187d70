// A minimal ONNX (protobuf) writer: enough of ModelProto to write a feed-forward image classifier
// with float32 initializers. Field numbers are those of onnx/onnx.proto3 (stable since IR
// version 3, ONNX 1.0); every message is length-delimited, numbers are varints, weights go in
// TensorProto.raw_data (little-endian float32). Used by the bench to build a MobileNetV2-sized
// model from seeded random weights, so that the project never reads a model it does not own.

/** Protobuf bytes under construction. */
class Pb {
  private chunks: Uint8Array[] = [];
  private size = 0;

  private push(b: Uint8Array): void {
    this.chunks.push(b);
    this.size += b.length;
  }

  private varint(v: number | bigint): void {
    let x = BigInt.asUintN(64, BigInt(v));
    const out: number[] = [];
    while (x >= 0x80n) {
      out.push(Number(x & 0x7fn) | 0x80);
      x >>= 7n;
    }
    out.push(Number(x));
    this.push(Uint8Array.from(out));
  }

  /** Varint field (wire type 0). */
  int(field: number, v: number): this {
    this.varint((field << 3) | 0);
    this.varint(v);
    return this;
  }

  /** Length-delimited field (wire type 2): bytes, a string or a nested message. */
  bytes(field: number, b: Uint8Array | string | Pb): this {
    const data = typeof b === 'string' ? new TextEncoder().encode(b) : b instanceof Pb ? b.finish() : b;
    this.varint((field << 3) | 2);
    this.varint(data.length);
    this.push(data);
    return this;
  }

  /** 32-bit float field (wire type 5). */
  float(field: number, v: number): this {
    this.varint((field << 3) | 5);
    const b = new Uint8Array(4);
    new DataView(b.buffer).setFloat32(0, v, true);
    this.push(b);
    return this;
  }

  finish(): Uint8Array {
    const out = new Uint8Array(this.size);
    let o = 0;
    for (const c of this.chunks) {
      out.set(c, o);
      o += c.length;
    }
    return out;
  }
}

/** An attribute value: an integer, a float, a list of integers or a string. */
export type OnnxAttribute = number | { float: number } | number[] | string;

/** One node of the graph. */
export interface OnnxNodeSpec {
  op: string;
  inputs: string[];
  outputs: string[];
  attributes?: Record<string, OnnxAttribute>;
}

/** A float32 weight tensor. */
export interface OnnxInitializer {
  name: string;
  dims: number[];
  data: Float32Array;
}

/** A graph input or output: float32 with dimensions (a string is a symbolic dimension). */
export interface OnnxValueSpec {
  name: string;
  dims: (number | string)[];
}

/** Everything {@link encodeOnnxModel} writes. */
export interface OnnxModelSpec {
  opset: number;
  producer: string;
  graphName: string;
  inputs: OnnxValueSpec[];
  outputs: OnnxValueSpec[];
  initializers: OnnxInitializer[];
  nodes: OnnxNodeSpec[];
}

const FLOAT = 1; // TensorProto.DataType.FLOAT

function attribute(name: string, v: OnnxAttribute): Pb {
  const a = new Pb().bytes(1, name);
  if (typeof v === 'number') a.int(3, v).int(20, 2); // i, type INT
  else if (typeof v === 'string') a.bytes(4, v).int(20, 3); // s, type STRING
  else if (Array.isArray(v)) {
    for (const x of v) a.int(8, x); // ints (unpacked is always accepted)
    a.int(20, 7); // INTS
  } else a.float(2, v.float).int(20, 1); // f, FLOAT
  return a;
}

function valueInfo(v: OnnxValueSpec): Pb {
  const shape = new Pb();
  for (const d of v.dims) shape.bytes(1, typeof d === 'number' ? new Pb().int(1, d) : new Pb().bytes(2, d));
  const tensorType = new Pb().int(1, FLOAT).bytes(2, shape);
  return new Pb().bytes(1, v.name).bytes(2, new Pb().bytes(1, tensorType));
}

/** Encodes a model as ONNX protobuf bytes (IR version 8). */
export function encodeOnnxModel(spec: OnnxModelSpec): Uint8Array {
  const graph = new Pb();
  spec.nodes.forEach((n, i) => {
    const node = new Pb();
    for (const x of n.inputs) node.bytes(1, x);
    for (const x of n.outputs) node.bytes(2, x);
    node.bytes(3, `${n.op.toLowerCase()}_${i}`).bytes(4, n.op);
    for (const [k, v] of Object.entries(n.attributes ?? {})) node.bytes(5, attribute(k, v));
    graph.bytes(1, node);
  });
  graph.bytes(2, spec.graphName);
  for (const t of spec.initializers) {
    const tensor = new Pb();
    for (const d of t.dims) tensor.int(1, d);
    tensor.int(2, FLOAT).bytes(8, t.name).bytes(9, new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength));
    graph.bytes(5, tensor);
  }
  for (const v of spec.inputs) graph.bytes(11, valueInfo(v));
  for (const v of spec.outputs) graph.bytes(12, valueInfo(v));
  return new Pb()
    .int(1, 8) // ir_version
    .bytes(2, spec.producer)
    .bytes(7, graph)
    .bytes(8, new Pb().bytes(1, '').int(2, spec.opset))
    .finish();
}
