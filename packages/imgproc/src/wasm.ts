/** The parts of the WebAssembly API the kernels use (the project's TypeScript libs do not declare it). */
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { readonly exports: object };
}

/** Instances whose memory grew beyond this are not kept between calls, so that memory is returned. */
const KEEP_BYTES = 64 << 20;

/**
 * A WebAssembly kernel module, compiled on first use, with one instance kept for small inputs.
 * The segmenters' kernels (packages/segmenter-{slic,felzenszwalb,quickshift}/wasm/*.as.ts, built
 * by tools/wasm/build.mjs) import nothing and export their memory.
 *
 * @remarks Compiles with V8's optimising compiler straight away where Node allows it. By default
 * V8 compiles each WebAssembly function on its first call, with its baseline compiler (Liftoff),
 * and optimises it only after it has run a while, in a background thread, for its later calls —
 * too late for kernels that run once per image for a few milliseconds (a cold `limekit segment`
 * spent a third of its time there). Turning Liftoff and lazy compilation off for the duration of
 * this one synchronous compilation (milliseconds for these few kilobytes) and back on afterwards
 * (Node 20's defaults) leaves every other module, such as TensorFlow.js's, to V8's defaults.
 * See docs/decisions/0014-webassembly-segmenter-kernels.md.
 */
export class WasmKernels<K extends { readonly memory: WasmMemory }> {
  private compiled: object | null | undefined;
  private kept: K | undefined;

  /** @param base64 the module's bytes, base64-encoded (a generated `*-wasm.generated.ts`). */
  constructor(private readonly base64: string) {}

  /** Whether WebAssembly can run here (not under `node --jitless`, for instance). */
  available(): boolean {
    return this.module() !== null;
  }

  /**
   * An instance whose memory holds at least `bytes`: the kept one when small enough, else a fresh one.
   * @throws Error when WebAssembly is unavailable: check {@link available} first.
   */
  instance(bytes: number): K {
    const mod = this.module();
    if (!mod) throw new Error('WasmKernels: WebAssembly is unavailable here; the JavaScript path should have been taken.');
    const keep = bytes <= KEEP_BYTES;
    const api = wasmApi() as WasmApi;
    const k = (keep && this.kept) || (new api.Instance(mod).exports as K);
    const have = k.memory.buffer.byteLength;
    if (have < bytes) k.memory.grow(Math.ceil((bytes - have) / 65536));
    if (keep) this.kept = k;
    return k;
  }

  private module(): object | null {
    if (this.compiled === undefined) {
      const api = wasmApi();
      try {
        this.compiled = api ? compileOptimised(api, base64Bytes(this.base64)) : null;
      } catch {
        this.compiled = null;
      }
    }
    return this.compiled;
  }
}

function wasmApi(): WasmApi | undefined {
  return (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
}

function compileOptimised(api: WasmApi, bytes: Uint8Array): object {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  const v8 = proc?.getBuiltinModule?.('node:v8') as { setFlagsFromString?: (flags: string) => void } | undefined;
  if (!v8?.setFlagsFromString) return new api.Module(bytes);
  v8.setFlagsFromString('--no-liftoff');
  v8.setFlagsFromString('--no-wasm-lazy-compilation');
  try {
    return new api.Module(bytes);
  } finally {
    v8.setFlagsFromString('--liftoff');
    v8.setFlagsFromString('--wasm-lazy-compilation');
  }
}

function base64Bytes(text: string): Uint8Array {
  const b = (globalThis as { Buffer?: { from(s: string, enc: string): Uint8Array } }).Buffer;
  if (b) return new Uint8Array(b.from(text, 'base64'));
  return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
}

/** Rounds a byte count up to a multiple of 8 (every array in kernel memory is 8-byte aligned). */
export const align8 = (n: number): number => (n + 7) & ~7;
