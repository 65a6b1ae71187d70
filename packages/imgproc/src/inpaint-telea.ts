// Telea's fast-marching inpainting, computed as OpenCV's cv2.inpaint(..., cv2.INPAINT_TELEA) does
// it for 8-bit 3-channel images (modules/photo/src/inpaint.cpp), float32 rounding included, so
// that the output matches OpenCV's pixel for pixel.

/** Default inpainting radius: what shap's `inpaint_telea` image masker passes to OpenCV. */
export const DEFAULT_INPAINT_RADIUS = 3;

// Pixel states of the fast-marching method (OpenCV's names).
const KNOWN = 0;
const BAND = 1;
const INSIDE = 2;
const CHANGE = 3;

const f32 = Math.fround;
const EPS_S = f32(1e-20);
const DIR_FLOOR = f32(1e-6);

/**
 * A min-priority queue of pixel indices keyed by arrival time T, first in first out among equal
 * T: the order OpenCV's sorted linked list (`CvPriorityQueueFloat`) pops them in.
 */
class FifoMinHeap {
  private keys: Float64Array;
  private seqs: Float64Array;
  private items: Int32Array;
  private n = 0;
  private seq = 0;

  constructor(capacity: number) {
    this.keys = new Float64Array(capacity);
    this.seqs = new Float64Array(capacity);
    this.items = new Int32Array(capacity);
  }

  get size(): number {
    return this.n;
  }

  reset(): void {
    this.n = 0;
    this.seq = 0;
  }

  private less(a: number, b: number): boolean {
    const ka = this.keys[a], kb = this.keys[b];
    return ka < kb || (ka === kb && this.seqs[a] < this.seqs[b]);
  }

  private swap(a: number, b: number): void {
    const k = this.keys[a]; this.keys[a] = this.keys[b]; this.keys[b] = k;
    const s = this.seqs[a]; this.seqs[a] = this.seqs[b]; this.seqs[b] = s;
    const it = this.items[a]; this.items[a] = this.items[b]; this.items[b] = it;
  }

  push(item: number, key: number): void {
    if (this.n === this.keys.length) this.grow();
    let i = this.n++;
    this.keys[i] = key;
    this.seqs[i] = this.seq++;
    this.items[i] = item;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(i, p)) break;
      this.swap(i, p);
      i = p;
    }
  }

  pop(): number {
    const top = this.items[0];
    const last = --this.n;
    if (last > 0) {
      this.keys[0] = this.keys[last];
      this.seqs[0] = this.seqs[last];
      this.items[0] = this.items[last];
      let i = 0;
      for (;;) {
        const l = 2 * i + 1, r = l + 1;
        let m = i;
        if (l < last && this.less(l, m)) m = l;
        if (r < last && this.less(r, m)) m = r;
        if (m === i) break;
        this.swap(i, m);
        i = m;
      }
    }
    return top;
  }

  private grow(): void {
    const cap = Math.max(16, this.keys.length * 2);
    const k = new Float64Array(cap); k.set(this.keys); this.keys = k;
    const s = new Float64Array(cap); s.set(this.seqs); this.seqs = s;
    const it = new Int32Array(cap); it.set(this.items); this.items = it;
  }
}

/** First-order upwind solution of |∇T| = 1 from two neighbours (OpenCV's FastMarching_solve). */
function solve(a: number, b: number, f: Uint8Array, t: Float32Array): number {
  const a11 = t[a], a22 = t[b];
  const m12 = Math.min(a11, a22);
  let sol: number;
  if (f[a] !== INSIDE) {
    if (f[b] !== INSIDE) {
      const d = a11 - a22;
      sol = Math.abs(d) >= 1 ? 1 + m12 : (a11 + a22 + Math.sqrt(2 - d * d)) * 0.5;
    } else sol = 1 + a11;
  } else if (f[b] !== INSIDE) sol = 1 + a22;
  else sol = 1 + m12;
  return f32(sol);
}

/** Arrival time at padded index p from its four neighbours (OpenCV's min4 of four solves). */
function arrival(p: number, P: number, f: Uint8Array, t: Float32Array): number {
  const up = p - P, down = p + P, left = p - 1, right = p + 1;
  return Math.min(solve(up, left, f, t), solve(down, left, f, t), solve(up, right, f, t), solve(down, right, f, t));
}

/** Round half to even, as cvRound / saturate_cast<uchar> do under the default rounding mode. */
function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return r - x === 0.5 && (r & 1) === 1 ? r - 1 : r;
}

/**
 * Options of {@link inpaintTelea}.
 */
export interface InpaintTeleaOptions {
  /**
   * Radius of the circular neighbourhood, in pixels, whose known pixels fill each unknown pixel.
   * Rounded to an integer and clamped to [1, 100] as OpenCV does. Default
   * {@link DEFAULT_INPAINT_RADIUS} (3, shap's `inpaint_telea`).
   */
  radius?: number;
  /** Output buffer of length width·height·3 (may be `rgb` itself); a new one when omitted. */
  out?: Uint8Array;
}

/**
 * Fills the masked pixels of an RGB image from the surrounding known pixels with Telea's
 * fast-marching method, exactly as OpenCV's `cv2.inpaint(img, mask, radius, cv2.INPAINT_TELEA)`
 * does for an 8-bit 3-channel image.
 *
 * The unknown region is filled from its boundary inwards in order of the distance T to the
 * boundary (fast marching on a 4-neighbour grid). Each new pixel is a weighted mean of the
 * known pixels within `radius`, with weight |dir · dst · lev|: dir = r·∇T (level-set direction,
 * floored at 1e-6 when |r·∇T| ≤ 0.01), dst = 1/|r|³ (geometric distance), lev = 1/(1 + |T_q − T_p|)
 * (level-set distance); OpenCV then adds the unit-normalised first-order gradient term and 0.5
 * before rounding half to even and clamping to [0, 255].
 *
 * @param rgb - Image, row-major H×W×3, 8 bits per channel. Not modified unless `out` is `rgb`.
 * @param width - Image width W in pixels (≥ 2).
 * @param height - Image height H in pixels (≥ 2).
 * @param mask - H·W values; non-zero marks a pixel to fill (1 = fill, 0 = keep).
 * @param options - `radius` (default 3) and an optional `out` buffer.
 * @returns The inpainted image (H×W×3): `out` when given, else a new array. Pixels outside the
 *   mask are copies of `rgb`. An empty mask, or a mask that covers every pixel, returns the
 *   input unchanged (OpenCV has no known boundary to start from; shap fills the image mean then).
 * @throws RangeError when the sizes do not match or are below 2, or the radius is not finite.
 * @remarks Cost grows with the number of masked pixels times radius²: about 20 ms at 224×224
 *   with half the image masked at radius 3 on one core (see `npm run bench`).
 * @see A. Telea, "An Image Inpainting Technique Based on the Fast Marching Method",
 *   Journal of Graphics Tools 9(1), 2004, doi:10.1080/10867651.2004.10487596.
 */
export function inpaintTelea(
  rgb: Uint8Array,
  width: number,
  height: number,
  mask: Uint8Array,
  options: InpaintTeleaOptions = {},
): Uint8Array {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 2 || height < 2) {
    throw new RangeError(`inpaintTelea: width and height must be integers >= 2, got ${width}×${height}. Pass the image's own size.`);
  }
  if (rgb.length !== width * height * 3) {
    throw new RangeError(`inpaintTelea: rgb must have width·height·3 = ${width * height * 3} values, got ${rgb.length}. Pass an RGB image of ${width}×${height}.`);
  }
  if (mask.length !== width * height) {
    throw new RangeError(`inpaintTelea: mask must have width·height = ${width * height} values, got ${mask.length}. Pass one value per pixel (1 = fill).`);
  }
  const radiusOpt = options.radius ?? DEFAULT_INPAINT_RADIUS;
  if (!Number.isFinite(radiusOpt)) {
    throw new RangeError(`inpaintTelea: radius must be a finite number, got ${radiusOpt}. Use a small radius in pixels (shap uses 3).`);
  }
  // OpenCV: cvRound(inpaintRange), then clamp to [1, 100].
  const range = Math.min(100, Math.max(1, roundHalfEven(radiusOpt)));
  const out = options.out ?? new Uint8Array(rgb.length);
  if (out.length !== rgb.length) {
    throw new RangeError(`inpaintTelea: out must have ${rgb.length} values, got ${out.length}. Pass a buffer of the image's size or none.`);
  }
  if (out !== rgb) out.set(rgb);

  // Padded grid with a one-pixel border, as OpenCV works on (H+2)×(W+2).
  const P = width + 2;
  const rows = height + 2;
  const N = P * rows;
  const f = new Uint8Array(N);
  const t = new Float32Array(N).fill(1e6);
  let masked = 0;
  for (let y = 0; y < height; y++) {
    const src = y * width;
    const dst = (y + 1) * P + 1;
    for (let x = 0; x < width; x++) {
      if (mask[src + x] !== 0) {
        f[dst + x] = INSIDE;
        masked++;
      }
    }
  }
  if (masked === 0) return out;

  // Narrow band: 4-neighbours of the mask outside it, not on the padding border; T = 0 there.
  const heap = new FifoMinHeap(Math.max(16, 2 * masked + 4 * (width + height)));
  const band: number[] = [];
  for (let i = 1; i < rows - 1; i++) {
    for (let j = 1; j < P - 1; j++) {
      const p = i * P + j;
      if (f[p] === INSIDE) continue;
      if (f[p - P] === INSIDE || f[p + P] === INSIDE || f[p - 1] === INSIDE || f[p + 1] === INSIDE) band.push(p);
    }
  }
  if (band.length === 0) return out; // every pixel masked: nothing known to start from
  for (const p of band) {
    f[p] = BAND;
    t[p] = 0;
  }

  // Outside the band, within `range` (square) of the mask: negative arrival times, so that the
  // level-set distance between a known pixel and an unknown one is meaningful (OpenCV's
  // icvCalcFMM with negate).
  const g = new Uint8Array(N);
  {
    // Horizontal then vertical dilation of the mask by a (2r+1)² square.
    const h = new Uint8Array(N);
    for (let i = 1; i < rows - 1; i++) {
      const row = i * P;
      let last = -1e9;
      for (let j = 0; j < P; j++) {
        if (f[row + j] === INSIDE) last = j;
        if (j - last <= range) h[row + j] = 1;
      }
      last = 1e9;
      for (let j = P - 1; j >= 0; j--) {
        if (f[row + j] === INSIDE) last = j;
        if (last - j <= range) h[row + j] = 1;
      }
    }
    for (let j = 1; j < P - 1; j++) {
      let last = -1e9;
      for (let i = 0; i < rows; i++) {
        if (h[i * P + j]) last = i;
        if (i - last <= range) g[i * P + j] = 1;
      }
      last = 1e9;
      for (let i = rows - 1; i >= 0; i--) {
        if (h[i * P + j]) last = i;
        if (last - i <= range) g[i * P + j] = 1;
      }
    }
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < P; j++) {
        const p = i * P + j;
        const border = i === 0 || j === 0 || i === rows - 1 || j === P - 1;
        g[p] = !border && g[p] && f[p] === KNOWN ? INSIDE : KNOWN;
      }
    }
  }
  for (const p of band) heap.push(p, 0);
  while (heap.size > 0) {
    const p = heap.pop();
    g[p] = CHANGE;
    for (let q = 0; q < 4; q++) {
      const n = q === 0 ? p - P : q === 1 ? p - 1 : q === 2 ? p + P : p + 1;
      const i = (n / P) | 0, j = n - i * P;
      if (i <= 0 || j <= 0 || i > rows || j > P) continue;
      if (g[n] === INSIDE) {
        const d = arrival(n, P, g, t);
        t[n] = d;
        g[n] = BAND;
        heap.push(n, d);
      }
    }
  }
  for (let p = 0; p < N; p++) if (g[p] === CHANGE) t[p] = -t[p];

  // Inpainting proper: march into the mask, filling each pixel as it is reached.
  heap.reset();
  for (const p of band) heap.push(p, 0);
  const rr = range * range;
  // Neighbourhood offsets within the radius, in OpenCV's order (rows, then columns).
  const offP: number[] = [], offI: number[] = [], offX: number[] = [], offY: number[] = [], offDst: number[] = [];
  for (let dk = -range; dk <= range; dk++) {
    for (let dl = -range; dl <= range; dl++) {
      if (dk * dk + dl * dl > rr || (dk === 0 && dl === 0)) continue;
      const len = dk * dk + dl * dl;
      offP.push(dk * P + dl);
      offI.push((dk * width + dl) * 3);
      offX.push(-dl);
      offY.push(-dk);
      offDst.push(f32(1 / (len * Math.sqrt(len))));
    }
  }
  const nOff = offP.length;
  const W3 = width * 3;
  while (heap.size > 0) {
    const pp = heap.pop();
    f[pp] = KNOWN;
    for (let q = 0; q < 4; q++) {
      const p = q === 0 ? pp - P : q === 1 ? pp - 1 : q === 2 ? pp + P : pp + 1;
      if (f[p] !== INSIDE) continue;
      const i = (p / P) | 0, j = p - i * P;
      const dist = arrival(p, P, f, t);
      t[p] = dist;
      const tp = dist;

      // Gradient of T at p, one-sided where a neighbour is still unknown.
      let gtx = 0, gty = 0;
      if (f[p + 1] !== INSIDE) gtx = f[p - 1] !== INSIDE ? f32(f32(t[p + 1] - t[p - 1]) * 0.5) : f32(t[p + 1] - tp);
      else if (f[p - 1] !== INSIDE) gtx = f32(tp - t[p - 1]);
      if (f[p + P] !== INSIDE) gty = f[p - P] !== INSIDE ? f32(f32(t[p + P] - t[p - P]) * 0.5) : f32(t[p + P] - tp);
      else if (f[p - P] !== INSIDE) gty = f32(tp - t[p - P]);

      let ia0 = 0, ia1 = 0, ia2 = 0;
      let jx0 = 0, jx1 = 0, jx2 = 0;
      let jy0 = 0, jy1 = 0, jy2 = 0;
      let s = EPS_S;
      const o = ((i - 1) * width + (j - 1)) * 3;
      if (i - range >= 2 && i + range <= rows - 3 && j - range >= 2 && j + range <= P - 3) {
        // Whole window inside the image, away from its edges: no index shifts; the offsets
        // run in OpenCV's raster order, so the float sums add up in the same order.
        for (let e = 0; e < nOff; e++) {
          const n = p + offP[e];
          if (f[n] === INSIDE) continue;
          const rx = offX[e], ry = offY[e];
          const lev = f32(1 / f32(1 + Math.abs(f32(t[n] - tp))));
          let dir = f32(f32(rx * gtx) + f32(ry * gty));
          if (Math.abs(dir) <= 0.01) dir = DIR_FLOOR;
          const w = Math.abs(f32(f32(offDst[e] * lev) * dir));
          const b = o + offI[e];
          const fr = f[n + 1] !== INSIDE, fl = f[n - 1] !== INSIDE;
          const fd = f[n + P] !== INSIDE, fu = f[n - P] !== INSIDE;
          // Image gradient, OpenCV's way (central differences doubled, not halved).
          const xa = fr ? b + 3 : b, xb = fl ? b - 3 : b;
          const xs = fr || fl ? (fr && fl ? 2 * rx : rx) : 0;
          const ya = fd ? b + W3 : b, yb = fu ? b - W3 : b;
          const ys = fd || fu ? (fd && fu ? 2 * ry : ry) : 0;
          ia0 = f32(ia0 + f32(w * out[b]));
          jx0 = f32(jx0 - f32(w * ((out[xa] - out[xb]) * xs)));
          jy0 = f32(jy0 - f32(w * ((out[ya] - out[yb]) * ys)));
          ia1 = f32(ia1 + f32(w * out[b + 1]));
          jx1 = f32(jx1 - f32(w * ((out[xa + 1] - out[xb + 1]) * xs)));
          jy1 = f32(jy1 - f32(w * ((out[ya + 1] - out[yb + 1]) * ys)));
          ia2 = f32(ia2 + f32(w * out[b + 2]));
          jx2 = f32(jx2 - f32(w * ((out[xa + 2] - out[xb + 2]) * xs)));
          jy2 = f32(jy2 - f32(w * ((out[ya + 2] - out[yb + 2]) * ys)));
          s = f32(s + w);
        }
      } else {
        const k0 = Math.max(1, i - range), k1 = Math.min(rows - 2, i + range);
        const l0 = Math.max(1, j - range), l1 = Math.min(P - 2, j + range);
        for (let k = k0; k <= k1; k++) {
          const dk = k - i;
          // Image rows read for the value and the gradient; shifted inwards at the image edges.
          const km = k - 1 + (k === 1 ? 1 : 0);
          const kp = k - 1 - (k === rows - 2 ? 1 : 0);
          const ry = i - k;
          for (let l = l0; l <= l1; l++) {
            const dl = l - j;
            if (dl * dl + dk * dk > rr) continue;
            const n = k * P + l;
            if (f[n] === INSIDE) continue;
            const lm = l - 1 + (l === 1 ? 1 : 0);
            const lp = l - 1 - (l === P - 2 ? 1 : 0);
            const rx = j - l;
            const len = rx * rx + ry * ry;
            const dst = f32(1 / (len * Math.sqrt(len)));
            const lev = f32(1 / f32(1 + Math.abs(f32(t[n] - tp))));
            let dir = f32(f32(rx * gtx) + f32(ry * gty));
            if (Math.abs(dir) <= 0.01) dir = DIR_FLOOR;
            const w = Math.abs(f32(f32(dst * lev) * dir));

            const fr = f[n + 1] !== INSIDE, fl = f[n - 1] !== INSIDE;
            const fd = f[n + P] !== INSIDE, fu = f[n - P] !== INSIDE;
            const rowM = km * width, rowP = kp * width;
            const base = (rowM + lm) * 3;
            for (let c = 0; c < 3; c++) {
              let gix = 0, giy = 0;
              if (fr) gix = fl ? (out[(rowM + lp + 1) * 3 + c] - out[(rowM + lm - 1) * 3 + c]) * 2 : out[(rowM + lp + 1) * 3 + c] - out[base + c];
              else if (fl) gix = out[(rowM + lp) * 3 + c] - out[(rowM + lm - 1) * 3 + c];
              if (fd) giy = fu ? (out[(rowP + width + lm) * 3 + c] - out[(rowM - width + lm) * 3 + c]) * 2 : out[(rowP + width + lm) * 3 + c] - out[base + c];
              else if (fu) giy = out[(rowP + lm) * 3 + c] - out[(rowM - width + lm) * 3 + c];
              const ia = f32(w * out[base + c]);
              const jx = f32(w * (gix * rx));
              const jy = f32(w * (giy * ry));
              if (c === 0) {
                ia0 = f32(ia0 + ia); jx0 = f32(jx0 - jx); jy0 = f32(jy0 - jy);
              } else if (c === 1) {
                ia1 = f32(ia1 + ia); jx1 = f32(jx1 - jx); jy1 = f32(jy1 - jy);
              } else {
                ia2 = f32(ia2 + ia); jx2 = f32(jx2 - jx); jy2 = f32(jy2 - jy);
              }
            }
            s = f32(s + w);
          }
        }
      }
      out[o] = saturate(ia0, jx0, jy0, s);
      out[o + 1] = saturate(ia1, jx1, jy1, s);
      out[o + 2] = saturate(ia2, jx2, jy2, s);

      f[p] = BAND;
      heap.push(p, dist);
    }
  }
  return out;
}

/** OpenCV's final value: Ia/s plus the unit gradient term plus 0.5, rounded half to even, clamped. */
function saturate(ia: number, jx: number, jy: number, s: number): number {
  const norm = f32(Math.sqrt(f32(f32(jx * jx) + f32(jy * jy))));
  const sat = f32(f32(ia / s) + f32(f32(jx + jy) / f32(norm + EPS_S)) + 0.5);
  const v = roundHalfEven(sat);
  return v < 0 ? 0 : v > 255 ? 255 : v;
}
