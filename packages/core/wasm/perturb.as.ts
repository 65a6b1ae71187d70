// The perturbation writer's inner loop (packages/core/src/perturb.ts, PerturbationWriter), compiled
// to WebAssembly by `node tools/wasm/build.mjs`. One sample: every maximal run of one segment in
// the model's layout, in memory order, copied from the normalised instance when the mask keeps the
// segment, else from the fill — one bulk `memory.copy` per run, with none of the per-call cost of
// a JavaScript `TypedArray.set`. Floats are copied, never computed, so the sample is bit for bit
// what the JavaScript writer makes. All pointers are byte offsets into this module's memory, laid
// out by the JavaScript side; nothing is allocated here.

/**
 * @param rows M mask bytes (non-zero: keep the segment).
 * @param out the sample's first float.
 * @param instance, fill the normalised instance and fill, imageSize floats each.
 * @param runStart, runLength, runSegment nRuns i32 each: run k is floats [start, start + length) of segment runSegment[k].
 */
export function writeSample(rows: usize, out: usize, instance: usize, fill: usize, runStart: usize, runLength: usize, runSegment: usize, nRuns: i32): void {
  for (let k = 0; k < nRuns; k++) {
    const at = <usize>k << 2;
    const a = <usize>load<i32>(runStart + at) << 2;
    const src = load<u8>(rows + <usize>load<i32>(runSegment + at)) != 0 ? instance : fill;
    memory.copy(out + a, src + a, <usize>load<i32>(runLength + at) << 2);
  }
}
