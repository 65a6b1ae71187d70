import { describe, expect, it } from 'vitest';
import { decodeInferRequest, decodeInferResponse, encodeInferRequest, encodeInferResponse, INFERENCE_HEADER, parseModelMetadata, ProtocolError } from './protocol.js';

// Conformance with the protocol's documented examples. The JSON texts below are the examples of
// - the Open Inference Protocol REST spec, "Inference Request Examples"
//   (kserve/open-inference-protocol, specification/protocol/inference_rest.md, commit 011728e), and
// - Triton's binary tensor data extension, "Examples"
//   (triton-inference-server/server, docs/protocol/extension_binary_data.md, commit 02c5c95),
// retyped with their field values unchanged.

const bytes = (s: string) => new Uint8Array(Buffer.from(s, 'utf8'));

describe('Open Inference Protocol: the documented JSON examples', () => {
  it('decodes the spec\'s inference request, and reports the inconsistency in its BOOL input', () => {
    // The spec's example gives input1 shape [3] with one value; a conforming reader must refuse it.
    const asDocumented = `{
      "id" : "42",
      "inputs" : [
        { "name" : "input0", "shape" : [ 2, 2 ], "datatype" : "UINT32", "data" : [ 1, 2, 3, 4 ] },
        { "name" : "input1", "shape" : [ 3 ], "datatype" : "BOOL", "data" : [ true ] }
      ],
      "outputs" : [ { "name" : "output0" } ]
    }`;
    expect(() => decodeInferRequest(bytes(asDocumented), undefined)).toThrow(/inputs\[1\] \(input1\): data holds 1 values, but shape \[3\] needs 3/);
    const corrected = asDocumented.replace('"data" : [ true ]', '"data" : [ true, false, true ]');
    const r = decodeInferRequest(bytes(corrected), undefined);
    expect(r.id).toBe('42');
    expect(r.inputs.map((t) => [t.name, t.datatype, t.shape])).toEqual([['input0', 'UINT32', [2, 2]], ['input1', 'BOOL', [3]]]);
    expect(Array.from(r.inputs[0].data)).toEqual([1, 2, 3, 4]);
    expect(r.inputs[0].data).toBeInstanceOf(Uint32Array);
    expect(Array.from(r.inputs[1].data)).toEqual([1, 0, 1]);
    expect(r.outputs).toEqual([{ name: 'output0' }]);
  });

  it('decodes the spec\'s inference response, and writes one of the same shape', () => {
    const documented = `{
      "id" : "42",
      "outputs" : [ { "name" : "output0", "shape" : [ 3, 2 ], "datatype"  : "FP32", "data" : [ 1.0, 1.1, 2.0, 2.1, 3.0, 3.1 ] } ]
    }`;
    const r = decodeInferResponse(bytes(documented), undefined);
    expect(r.id).toBe('42');
    const [out] = r.outputs;
    expect([out.name, out.datatype, out.shape]).toEqual(['output0', 'FP32', [3, 2]]);
    expect(Array.from(out.data)).toEqual(Array.from(Float32Array.from([1.0, 1.1, 2.0, 2.1, 3.0, 3.1])));

    const written = encodeInferResponse({ id: '42', outputs: [out] }, {});
    expect(written.headers['Content-Type']).toBe('application/json');
    expect(written.headers[INFERENCE_HEADER]).toBeUndefined();
    const json = JSON.parse(written.body.toString('utf8'));
    expect(Object.keys(json).sort()).toEqual(['id', 'outputs']);
    expect(json.outputs[0]).toMatchObject({ name: 'output0', shape: [3, 2], datatype: 'FP32' });
    // float32 values are written as the shortest decimal of their double: they read back exactly.
    expect(Float32Array.from(json.outputs[0].data)).toEqual(out.data);
  });

  it('reads nested (row-major) JSON data as the spec allows', () => {
    const r = decodeInferRequest(bytes('{"inputs":[{"name":"x","shape":[2,2],"datatype":"FP32","data":[[1,2],[3,4]]}]}'), undefined);
    expect(Array.from(r.inputs[0].data)).toEqual([1, 2, 3, 4]);
  });

  it('reads a model metadata response of the documented schema', () => {
    const m = parseModelMetadata({ name: 'mymodel', versions: ['1'], platform: 'onnxruntime_onnx', inputs: [{ name: 'input', datatype: 'FP32', shape: [-1, 3, 224, 224] }], outputs: [{ name: 'logits', datatype: 'FP32', shape: [-1, 1000] }] }, 'test');
    expect(m.inputs[0].shape).toEqual([-1, 3, 224, 224]);
    expect(() => parseModelMetadata({ name: 'm', inputs: [{ name: 'x', shape: [1] }], outputs: [] }, 'test')).toThrow(/inputs\[0\] must have a name, a datatype and a shape/);
  });
});

describe('Binary tensor data extension: the documented example', () => {
  // Request: input0 UINT32 [2, 2] (16 bytes) and input1 BOOL [3] (3 bytes) after the JSON;
  // output0 requested as binary. Response: output0 FP32 [3, 2] as 24 bytes after the JSON.
  const requestJson = `{
    "model_name" : "mymodel",
    "inputs" : [
      { "name" : "input0", "shape" : [ 2, 2 ], "datatype" : "UINT32", "parameters" : { "binary_data_size" : 16 } },
      { "name" : "input1", "shape" : [ 3 ], "datatype" : "BOOL", "parameters" : { "binary_data_size" : 3 } }
    ],
    "outputs" : [ { "name" : "output0", "parameters" : { "binary_data" : true } } ]
  }`;
  const input0 = Uint32Array.from([1, 2, 3, 4]);
  const input1 = Uint8Array.from([1, 0, 1]);

  it('decodes the documented request: JSON of Inference-Header-Content-Length bytes, then 19 bytes', () => {
    const head = Buffer.from(requestJson, 'utf8');
    const body = Buffer.concat([head, Buffer.from(input0.buffer), Buffer.from(input1.buffer)]);
    expect(body.length - head.length).toBe(19);
    const r = decodeInferRequest(body, head.length);
    expect(Array.from(r.inputs[0].data)).toEqual([1, 2, 3, 4]);
    expect(Array.from(r.inputs[1].data)).toEqual([1, 0, 1]);
    expect(r.outputs).toEqual([{ name: 'output0', binary: true }]);
    // Without the header the body is not JSON: the message says which header is missing.
    expect(() => decodeInferRequest(body, undefined)).toThrow(/needs the Inference-Header-Content-Length header/);
    // One byte short of what binary_data_size declares.
    expect(() => decodeInferRequest(body.subarray(0, body.length - 1), head.length)).toThrow(/inputs\[1\] \(input1\): the body holds 2 bytes/);
  });

  it('writes the documented response: 24 bytes of FP32 after the JSON, with the header', () => {
    const values = Float32Array.from([1, 1.1, 2, 2.1, 3, 3.1]);
    const enc = encodeInferResponse({ outputs: [{ name: 'output0', datatype: 'FP32', shape: [3, 2], data: values }] }, { outputs: [{ name: 'output0', binary: true }] });
    expect(enc.headers['Content-Type']).toBe('application/octet-stream');
    const headLength = Number(enc.headers[INFERENCE_HEADER]);
    expect(enc.body.length - headLength).toBe(24);
    const json = JSON.parse(enc.body.subarray(0, headLength).toString('utf8'));
    expect(json).toEqual({ outputs: [{ name: 'output0', shape: [3, 2], datatype: 'FP32', parameters: { binary_data_size: 24 } }] });
    const back = decodeInferResponse(enc.body, headLength);
    expect(back.outputs[0].data).toEqual(values);
  });

  it('round-trips a request written by our encoder, binary and JSON, bit for bit', () => {
    const data = Float32Array.from([0.1, -3.4028234663852886e38, 1e-45, Math.PI, -0, 2 / 3]);
    for (const binary of [true, false]) {
      const enc = encodeInferRequest({ id: 'a', inputs: [{ name: 'x', datatype: 'FP32', shape: [1, 6], data }], outputs: [{ name: 'y', binary: true }] }, binary);
      const h = enc.headers[INFERENCE_HEADER];
      expect(h === undefined).toBe(!binary);
      const r = decodeInferRequest(enc.body, h === undefined ? undefined : Number(h));
      const got = new Uint8Array(r.inputs[0].data.buffer);
      const want = new Uint8Array(data.buffer);
      // JSON has no negative zero (JSON.stringify(-0) is "0"); every other float32 is exact.
      if (binary) expect(got).toEqual(want);
      else expect(Array.from(r.inputs[0].data)).toEqual(Array.from(data).map((v) => (Object.is(v, -0) ? 0 : v)));
    }
  });

  it('refuses malformed messages with a ProtocolError naming the field', () => {
    const bad = (s: string, re: RegExp) => {
      let err: unknown;
      try {
        decodeInferRequest(bytes(s), undefined);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(ProtocolError);
      expect((err as ProtocolError).status).toBe(400);
      expect((err as Error).message).toMatch(re);
    };
    bad('not json', /not a JSON object/);
    bad('[1]', /must be a JSON object/);
    bad('{"inputs": 3}', /"inputs" must be an array/);
    bad('{"inputs":[{"name":"x","shape":[2],"datatype":"FP32","data":[1,"a"]}]}', /FP32 data must hold numbers, got "a" at element 1/);
    bad('{"inputs":[{"name":"x","shape":[-2],"datatype":"FP32","data":[]}]}', /shape must be an array of integers >= 0/);
    bad('{"inputs":[{"name":"x","shape":[1],"datatype":"FP16","data":[1]}]}', /datatype must be one of/);
    bad('{"inputs":[{"name":"x","shape":[2],"datatype":"FP32","parameters":{"binary_data_size":8}}]}', /the body holds 0 bytes/);
    expect(() => decodeInferRequest(bytes('{"inputs":[]}'), 99)).toThrow(/Inference-Header-Content-Length must be an integer between 0 and the body length 13, got 99/);
  });
});
