// Raw-memory access shared by the segmenters' WebAssembly kernels: every array lives in the
// module's linear memory at an offset the JavaScript side gives (8-byte aligned); f64 arrays are
// addressed by `p + 8·i`, i32 ones by `p + 4·i`. All inlined at their call sites.

@inline export function ld(p: usize, i: i32): f64 {
  return load<f64>(p + ((<usize>i) << 3));
}
@inline export function st(p: usize, i: i32, v: f64): void {
  store<f64>(p + ((<usize>i) << 3), v);
}
@inline export function li(p: usize, i: i32): i32 {
  return load<i32>(p + ((<usize>i) << 2));
}
@inline export function si(p: usize, i: i32, v: i32): void {
  store<i32>(p + ((<usize>i) << 2), v);
}
@inline export function align8(n: usize): usize {
  return (n + 7) & ~(<usize>7);
}
