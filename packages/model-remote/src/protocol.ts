// The Open Inference Protocol's REST inference messages (KServe v2, Triton, MLServer, OpenVINO
// Model Server), with Triton's binary tensor data extension. Pure functions over bytes, shared
// by the client (RemoteModelAdapter) and the server (createInferenceServer).
//
// Spec: https://github.com/kserve/open-inference-protocol/blob/main/specification/protocol/inference_rest.md
// Binary extension: https://github.com/triton-inference-server/server/blob/main/docs/protocol/extension_binary_data.md

/** The HTTP header that gives the length of the JSON part of a body that carries binary tensors. */
export const INFERENCE_HEADER = 'Inference-Header-Content-Length';

/** Bytes per element of the datatypes this module reads and writes. */
const ELEMENT_BYTES: Readonly<Record<string, number>> = { FP32: 4, FP64: 8, INT8: 1, UINT8: 1, INT16: 2, UINT16: 2, INT32: 4, UINT32: 4, BOOL: 1 };

/** A tensor in a request or response: name, datatype, shape and its values. */
export interface Tensor {
  readonly name: string;
  /** `FP32`, `FP64`, `INT8` … `UINT32`, `BOOL` (BYTES, INT64 and FP16 are not read). */
  readonly datatype: string;
  readonly shape: readonly number[];
  /** Values in row-major order; a typed array of the datatype (BOOL as 0/1 bytes). */
  readonly data: Float32Array | Float64Array | Int8Array | Uint8Array | Int16Array | Uint16Array | Int32Array | Uint32Array;
}

/** A requested output: its name and whether it should come back as binary data. */
export interface RequestedOutput {
  readonly name: string;
  /** `parameters.binary_data` of the output; undefined when not given. */
  readonly binary?: boolean;
}

/** An inference request as the protocol carries it. */
export interface InferRequest {
  readonly id?: string;
  readonly inputs: readonly Tensor[];
  /** Requested outputs; undefined: all outputs. */
  readonly outputs?: readonly RequestedOutput[];
  /** `parameters.binary_data_output` of the request: every output as binary unless an output says otherwise. */
  readonly binaryOutput?: boolean;
}

/** An inference response as the protocol carries it. */
export interface InferResponse {
  readonly modelName?: string;
  readonly id?: string;
  readonly outputs: readonly Tensor[];
}

/** A message that breaks the protocol; `status` is the HTTP status a server answers with (400). */
export class ProtocolError extends Error {
  constructor(
    message: string,
    readonly status = 400,
  ) {
    super(message);
    this.name = 'ProtocolError';
  }
}

/** An encoded body and the headers that go with it. */
export interface EncodedBody {
  readonly body: Buffer;
  readonly headers: Record<string, string>;
}

/** Number of elements of a shape (1 for a scalar). */
export function elementCount(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

function typedArrayFor(datatype: string, n: number): Tensor['data'] {
  switch (datatype) {
    case 'FP32':
      return new Float32Array(n);
    case 'FP64':
      return new Float64Array(n);
    case 'INT8':
      return new Int8Array(n);
    case 'UINT8':
    case 'BOOL':
      return new Uint8Array(n);
    case 'INT16':
      return new Int16Array(n);
    case 'UINT16':
      return new Uint16Array(n);
    case 'INT32':
      return new Int32Array(n);
    case 'UINT32':
      return new Uint32Array(n);
    default:
      throw new ProtocolError(`datatype must be one of ${Object.keys(ELEMENT_BYTES).join(', ')}, got ${JSON.stringify(datatype)}.`);
  }
}

/** Reads little-endian binary tensor data (copied: the slice of a body need not be aligned). */
function fromBinary(datatype: string, bytes: Uint8Array): Tensor['data'] {
  const size = ELEMENT_BYTES[datatype];
  const out = typedArrayFor(datatype, bytes.length / size);
  new Uint8Array(out.buffer, out.byteOffset, out.byteLength).set(bytes);
  return out;
}

/** The tensor's bytes, little-endian (the host's order on every platform Node ships for but s390x). */
function toBinary(t: Tensor): Uint8Array {
  return new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength);
}

/** Flattens `data` (flat, or nested in row-major order as the spec allows) into `out`; returns the count written. */
function flattenInto(data: unknown, out: Tensor['data'], datatype: string, where: string): number {
  let n = 0;
  const visit = (v: unknown, depth: number): void => {
    if (Array.isArray(v)) {
      if (depth > 32) throw new ProtocolError(`${where}: data is nested deeper than 32 levels.`);
      for (const x of v) visit(x, depth + 1);
      return;
    }
    if (n >= out.length) {
      n++;
      return;
    }
    if (datatype === 'BOOL') {
      if (typeof v !== 'boolean') throw new ProtocolError(`${where}: BOOL data must hold true or false, got ${JSON.stringify(v)} at element ${n}.`);
      out[n++] = v ? 1 : 0;
    } else {
      if (typeof v !== 'number') throw new ProtocolError(`${where}: ${datatype} data must hold numbers, got ${JSON.stringify(v)?.slice(0, 40)} at element ${n}.`);
      out[n++] = v;
    }
  };
  visit(data, 0);
  return n;
}

function checkShape(shape: unknown, where: string): number[] {
  if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) {
    throw new ProtocolError(`${where}: shape must be an array of integers >= 0, got ${JSON.stringify(shape)?.slice(0, 80)}.`);
  }
  return shape as number[];
}

/** Splits a body into its JSON object and the binary data after it. */
function splitBody(body: Uint8Array, headerLength: number | undefined, what: string): { json: Record<string, unknown>; rest: Uint8Array } {
  let jsonBytes = body;
  let rest: Uint8Array = new Uint8Array(0);
  if (headerLength !== undefined) {
    if (!Number.isInteger(headerLength) || headerLength < 0 || headerLength > body.length) {
      throw new ProtocolError(`${what}: ${INFERENCE_HEADER} must be an integer between 0 and the body length ${body.length}, got ${headerLength}.`);
    }
    jsonBytes = body.subarray(0, headerLength);
    rest = body.subarray(headerLength);
  }
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(jsonBytes.buffer, jsonBytes.byteOffset, jsonBytes.length).toString('utf8'));
  } catch (err) {
    const hint = headerLength === undefined && body.length > 0 ? ` A body with binary tensors needs the ${INFERENCE_HEADER} header.` : '';
    throw new ProtocolError(`${what}: the body is not a JSON object (${(err as Error).message}).${hint}`);
  }
  if (!json || typeof json !== 'object' || Array.isArray(json)) throw new ProtocolError(`${what}: the body must be a JSON object.`);
  return { json: json as Record<string, unknown>, rest };
}

/** Reads the tensors of `list` in order, taking binary data from `rest` as their `binary_data_size` says. */
function readTensors(list: unknown, rest: Uint8Array, key: 'inputs' | 'outputs', what: string): Tensor[] {
  if (!Array.isArray(list)) throw new ProtocolError(`${what}: "${key}" must be an array of tensors.`);
  let offset = 0;
  const tensors: Tensor[] = [];
  for (const [i, raw] of list.entries()) {
    const where = `${what}: ${key}[${i}]`;
    if (!raw || typeof raw !== 'object') throw new ProtocolError(`${where} must be an object.`);
    const t = raw as Record<string, unknown>;
    if (typeof t.name !== 'string') throw new ProtocolError(`${where}: "name" must be a string.`);
    const datatype = t.datatype;
    if (typeof datatype !== 'string' || !(datatype in ELEMENT_BYTES)) {
      throw new ProtocolError(`${where} (${t.name}): datatype must be one of ${Object.keys(ELEMENT_BYTES).join(', ')}, got ${JSON.stringify(datatype)}.`);
    }
    const shape = checkShape(t.shape, `${where} (${t.name})`);
    const count = elementCount(shape);
    const params = (t.parameters ?? {}) as Record<string, unknown>;
    const size = params.binary_data_size;
    let data: Tensor['data'];
    if (size !== undefined) {
      if (!Number.isInteger(size) || (size as number) < 0) throw new ProtocolError(`${where} (${t.name}): binary_data_size must be an integer >= 0, got ${JSON.stringify(size)}.`);
      const expected = count * ELEMENT_BYTES[datatype];
      if (size !== expected) throw new ProtocolError(`${where} (${t.name}): binary_data_size is ${size} bytes, but shape ${JSON.stringify(shape)} of ${datatype} needs ${expected}.`);
      if (offset + expected > rest.length) throw new ProtocolError(`${where} (${t.name}): the body holds ${rest.length - offset} bytes of binary data for it, fewer than binary_data_size ${expected}.`);
      data = fromBinary(datatype, rest.subarray(offset, offset + expected));
      offset += expected;
    } else {
      if (t.data === undefined) throw new ProtocolError(`${where} (${t.name}): neither "data" nor parameters.binary_data_size is given.`);
      data = typedArrayFor(datatype, count);
      const n = flattenInto(t.data, data, datatype, `${where} (${t.name})`);
      if (n !== count) throw new ProtocolError(`${where} (${t.name}): data holds ${n} values, but shape ${JSON.stringify(shape)} needs ${count}.`);
    }
    tensors.push({ name: t.name, datatype, shape, data });
  }
  if (offset !== rest.length) throw new ProtocolError(`${what}: ${rest.length - offset} bytes of binary data follow the tensors that no binary_data_size accounts for.`);
  return tensors;
}

function optionalId(json: Record<string, unknown>, what: string): { id?: string } {
  if (json.id === undefined) return {};
  if (typeof json.id !== 'string') throw new ProtocolError(`${what}: "id" must be a string, got ${JSON.stringify(json.id)}.`);
  return { id: json.id };
}

/** Whether a tensor goes as binary data, as the request and output parameters say. */
function wantsBinary(output: RequestedOutput | undefined, binaryOutput: boolean | undefined): boolean {
  return output?.binary ?? binaryOutput ?? false;
}

/** Builds the body: JSON, then the binary tensors in order, with the header the extension requires. */
function assemble(json: Record<string, unknown>, binaries: Uint8Array[]): EncodedBody {
  const head = Buffer.from(JSON.stringify(json), 'utf8');
  if (!binaries.length) return { body: head, headers: { 'Content-Type': 'application/json' } };
  const body = Buffer.concat([head, ...binaries]);
  return { body, headers: { 'Content-Type': 'application/octet-stream', [INFERENCE_HEADER]: String(head.length) } };
}

function tensorJson(t: Tensor, binary: boolean, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const base = { name: t.name, shape: [...t.shape], datatype: t.datatype };
  if (binary) return { ...base, parameters: { ...extra, binary_data_size: t.data.byteLength } };
  const data = t.datatype === 'BOOL' ? Array.from(t.data, (v) => v !== 0) : Array.from(t.data);
  return { ...base, ...(Object.keys(extra).length ? { parameters: extra } : {}), data };
}

/**
 * Encodes an inference request.
 * @param binary send the inputs as binary data (Triton's extension) rather than JSON numbers.
 *   JSON keeps float32 values exact too: each is written as the shortest decimal of its double.
 */
export function encodeInferRequest(request: InferRequest, binary: boolean): EncodedBody {
  const json: Record<string, unknown> = {
    ...(request.id !== undefined ? { id: request.id } : {}),
    ...(request.binaryOutput !== undefined ? { parameters: { binary_data_output: request.binaryOutput } } : {}),
    inputs: request.inputs.map((t) => tensorJson(t, binary)),
    ...(request.outputs ? { outputs: request.outputs.map((o) => ({ name: o.name, ...(o.binary !== undefined ? { parameters: { binary_data: o.binary } } : {}) })) } : {}),
  };
  return assemble(json, binary ? request.inputs.map(toBinary) : []);
}

/**
 * Decodes an inference request body.
 * @param headerLength the {@link INFERENCE_HEADER} value, when the request had it.
 * @throws ProtocolError (status 400) naming what is malformed.
 */
export function decodeInferRequest(body: Uint8Array, headerLength: number | undefined): InferRequest {
  const what = 'inference request';
  const { json, rest } = splitBody(body, headerLength, what);
  const inputs = readTensors(json.inputs, rest, 'inputs', what);
  let outputs: RequestedOutput[] | undefined;
  if (json.outputs !== undefined) {
    if (!Array.isArray(json.outputs)) throw new ProtocolError(`${what}: "outputs" must be an array.`);
    outputs = json.outputs.map((o, i) => {
      if (!o || typeof o !== 'object' || typeof (o as { name?: unknown }).name !== 'string') throw new ProtocolError(`${what}: outputs[${i}] must be an object with a "name".`);
      const b = ((o as { parameters?: Record<string, unknown> }).parameters ?? {}).binary_data;
      return { name: (o as { name: string }).name, ...(typeof b === 'boolean' ? { binary: b } : {}) };
    });
  }
  const params = (json.parameters ?? {}) as Record<string, unknown>;
  return {
    ...optionalId(json, what),
    inputs,
    ...(outputs ? { outputs } : {}),
    ...(typeof params.binary_data_output === 'boolean' ? { binaryOutput: params.binary_data_output } : {}),
  };
}

/**
 * Encodes an inference response; each output goes as binary data when the request asked for it
 * (`binary_data` on the output, else `binary_data_output` on the request).
 */
export function encodeInferResponse(response: InferResponse, request: Pick<InferRequest, 'outputs' | 'binaryOutput'>): EncodedBody {
  const binaries: Uint8Array[] = [];
  const outputs = response.outputs.map((t) => {
    const binary = wantsBinary(request.outputs?.find((o) => o.name === t.name), request.binaryOutput);
    if (binary) binaries.push(toBinary(t));
    return tensorJson(t, binary);
  });
  const json = {
    ...(response.modelName !== undefined ? { model_name: response.modelName } : {}),
    ...(response.id !== undefined ? { id: response.id } : {}),
    outputs,
  };
  return assemble(json, binaries);
}

/**
 * Decodes an inference response body (JSON, or JSON plus binary tensors).
 * @throws ProtocolError naming what is malformed.
 */
export function decodeInferResponse(body: Uint8Array, headerLength: number | undefined): InferResponse {
  const what = 'inference response';
  const { json, rest } = splitBody(body, headerLength, what);
  const outputs = readTensors(json.outputs, rest, 'outputs', what);
  return {
    ...(typeof json.model_name === 'string' ? { modelName: json.model_name } : {}),
    ...optionalId(json, what),
    outputs,
  };
}

/** One tensor of a model's metadata: `shape` has -1 for variable dimensions. */
export interface MetadataTensor {
  readonly name: string;
  readonly datatype: string;
  readonly shape: readonly number[];
}

/** `GET /v2/models/{name}`: the model's inputs and outputs. */
export interface ModelMetadata {
  readonly name: string;
  readonly versions?: readonly string[];
  readonly platform: string;
  readonly inputs: readonly MetadataTensor[];
  readonly outputs: readonly MetadataTensor[];
  /** Not in the spec's schema: limekit serve puts hints here (`limekit_output_op`); other servers omit it. */
  readonly parameters?: Readonly<Record<string, unknown>>;
}

/**
 * Checks a model metadata response.
 * @throws ProtocolError naming the field that is missing or malformed.
 */
export function parseModelMetadata(json: unknown, where: string): ModelMetadata {
  const fail = (m: string): never => {
    throw new ProtocolError(`${where}: ${m}`);
  };
  if (!json || typeof json !== 'object' || Array.isArray(json)) fail('model metadata must be a JSON object.');
  const m = json as Record<string, unknown>;
  if (typeof m.name !== 'string') fail('model metadata has no "name".');
  const tensors = (key: 'inputs' | 'outputs'): MetadataTensor[] => {
    const list = m[key];
    if (!Array.isArray(list)) return fail(`model metadata has no "${key}" array.`);
    return list.map((t, i) => {
      const x = (t ?? {}) as Record<string, unknown>;
      if (typeof x.name !== 'string' || typeof x.datatype !== 'string' || !Array.isArray(x.shape) || !x.shape.every((d) => Number.isInteger(d) && d >= -1)) {
        fail(`${key}[${i}] must have a name, a datatype and a shape of integers (-1 for variable), got ${JSON.stringify(t)?.slice(0, 120)}.`);
      }
      return { name: x.name as string, datatype: x.datatype as string, shape: x.shape as number[] };
    });
  };
  return {
    name: m.name as string,
    ...(Array.isArray(m.versions) ? { versions: m.versions.map(String) } : {}),
    platform: typeof m.platform === 'string' ? m.platform : '',
    inputs: tensors('inputs'),
    outputs: tensors('outputs'),
    ...(m.parameters && typeof m.parameters === 'object' ? { parameters: m.parameters as Record<string, unknown> } : {}),
  };
}
