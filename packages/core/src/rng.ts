/**
 * Seeded pseudo-random numbers for every random stage of an explanation.
 *
 * Algorithm: xoshiro128** 1.1 (Blackman & Vigna, 2018, https://prng.di.unimi.it/), a 32-bit
 * generator with 128 bits of state and period 2^128 − 1. Its state is seeded with SplitMix32
 * from a 32-bit seed. Independent streams come from {@link Rng.fork}: a stream's seed is a hash
 * (FNV-1a, then SplitMix32 finalisation) of the parent's seed and the stream's name, so the
 * numbers a stage draws never depend on how many numbers another stage drew.
 */
export interface Rng {
  /** The seed this stream was created from (a 32-bit unsigned integer). */
  readonly seed: number;
  /** Next uniformly distributed 32-bit unsigned integer. */
  nextUint32(): number;
  /** Next double, uniform on [0, 1), with 53 random bits. */
  nextFloat(): number;
  /** Uniform integer on [0, n), without modulo bias. n must be in [1, 2^32]. */
  nextInt(n: number): number;
  /** Standard normal deviate (Box–Muller on two {@link nextFloat} draws, no caching). */
  nextGaussian(): number;
  /** A new independent stream, named: the same parent seed and name always give the same stream. */
  fork(name: string): Rng;
}

function splitmix32(state: number): [number, number] {
  const s = (state + 0x9e3779b9) >>> 0;
  let z = s;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
  z = (z ^ (z >>> 16)) >>> 0;
  return [s, z];
}

function fnv1a(text: string, basis: number): number {
  let h = (0x811c9dc5 ^ basis) >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

/** xoshiro128** stream; see {@link Rng}. */
export class Xoshiro128 implements Rng {
  readonly seed: number;
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  constructor(seed: number) {
    if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
      throw new RangeError(`Rng: seed must be an integer in [0, 4294967295], got ${seed}. Pass a non-negative 32-bit integer.`);
    }
    this.seed = seed >>> 0;
    let st = this.seed;
    const words: number[] = [];
    for (let i = 0; i < 4; i++) {
      const [next, out] = splitmix32(st);
      st = next;
      words.push(out);
    }
    if ((words[0] | words[1] | words[2] | words[3]) === 0) words[0] = 1;
    [this.s0, this.s1, this.s2, this.s3] = words as [number, number, number, number];
  }

  /**
   * A stream with an explicit 128-bit state (four uint32 words, not all zero), for checking the
   * generator against the reference implementation's output.
   */
  static fromState(s0: number, s1: number, s2: number, s3: number): Xoshiro128 {
    const g = new Xoshiro128(0);
    g.s0 = s0 >>> 0;
    g.s1 = s1 >>> 0;
    g.s2 = s2 >>> 0;
    g.s3 = s3 >>> 0;
    return g;
  }

  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5) >>> 0, 7), 9) >>> 0;
    const t = (this.s1 << 9) >>> 0;
    this.s2 = (this.s2 ^ this.s0) >>> 0;
    this.s3 = (this.s3 ^ this.s1) >>> 0;
    this.s1 = (this.s1 ^ this.s2) >>> 0;
    this.s0 = (this.s0 ^ this.s3) >>> 0;
    this.s2 = (this.s2 ^ t) >>> 0;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  nextFloat(): number {
    const hi = this.nextUint32() >>> 5; // 27 bits
    const lo = this.nextUint32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  nextInt(n: number): number {
    if (!(n >= 1 && n <= 0x100000000) || !Number.isInteger(n)) {
      throw new RangeError(`Rng: nextInt bound must be an integer in [1, 2^32], got ${n}.`);
    }
    // Rejection sampling removes the modulo bias; all arithmetic here is exact in doubles.
    const limit = 0x100000000 - (0x100000000 % n);
    for (;;) {
      const x = this.nextUint32();
      if (x < limit) return x % n;
    }
  }

  nextGaussian(): number {
    let u = this.nextFloat();
    while (u === 0) u = this.nextFloat();
    const v = this.nextFloat();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  fork(name: string): Rng {
    const [, mixed] = splitmix32(fnv1a(name, this.seed));
    return new Xoshiro128(mixed);
  }
}

/** Creates the root generator of a run from its seed. */
export function createRng(seed: number): Rng {
  return new Xoshiro128(seed);
}

/**
 * Writes a uniformly random mask with exactly k ones into `row` (partial Fisher–Yates shuffle of
 * the smaller side: min(k, M − k) `nextInt` draws, so the draw is exact and cheap at any k).
 * `perm` is scratch space of length M. Used by samplers that draw a subset size first (GLIME,
 * stratified).
 */
export function uniformSubset(row: Uint8Array, k: number, rng: Rng, perm: Int32Array): void {
  const M = row.length;
  const pick = Math.min(k, M - k);
  const on = k === pick ? 1 : 0;
  row.fill(1 - on);
  for (let j = 0; j < M; j++) perm[j] = j;
  for (let t = 0; t < pick; t++) {
    const r = t + rng.nextInt(M - t);
    const tmp = perm[t];
    perm[t] = perm[r];
    perm[r] = tmp;
    row[perm[t]] = on;
  }
}
