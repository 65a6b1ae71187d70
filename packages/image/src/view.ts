import { InvalidOptionError, ShapeMismatchError, type ResizeMode, type RgbImage, type SegmentMap } from '@limekit/core';
import { resampleRgb, type ResampleFilter } from './resample.js';

/**
 * How view pixels relate to original pixels: the original (`originalWidth × originalHeight`) is
 * resized to `resizedWidth × resizedHeight`, then the view (`viewWidth × viewHeight`) is cut out
 * at (`left`, `top`) of the resized image. `stretch` has `left = top = 0` and the resized size
 * equal to the view; an identity transform has every size equal and no offset.
 */
export interface ViewTransform {
  readonly originalWidth: number;
  readonly originalHeight: number;
  readonly resizedWidth: number;
  readonly resizedHeight: number;
  readonly left: number;
  readonly top: number;
  readonly viewWidth: number;
  readonly viewHeight: number;
}

/** The model's view: size and resize rule. A core `ModelInputSpec` is one. */
export interface ViewSpec {
  /** View width in pixels (integer >= 1). */
  readonly width: number;
  /** View height in pixels (integer >= 1). */
  readonly height: number;
  /** `center-crop` (keep the aspect ratio, cut the middle) or `stretch` (resize to exactly the view). */
  readonly resize: ResizeMode;
  /**
   * Resampling filter (default `bilinear`, torchvision's default on PIL images). Use `bicubic`
   * for models trained with bicubic resizing (many timm models).
   */
  readonly interpolation?: ResampleFilter;
  /**
   * `center-crop` only: resize the shorter side to this first, then cut out the centre view
   * (torchvision's `Resize(resizeTo)` + `CenterCrop(size)`); at least the view's larger side.
   * Default: the view's size.
   */
  readonly resizeTo?: number;
}

/** Python's `round()`: halves go to the even neighbour (torchvision's crop offset uses it). */
function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

function requireSize(who: string, what: string, w: number, h: number, fix: string): void {
  if (!Number.isInteger(w) || !Number.isInteger(h) || w < 1 || h < 1) {
    throw new InvalidOptionError(`${who}: ${what} must be integers >= 1, got ${w}×${h}. ${fix}`);
  }
}

/**
 * The geometry of bringing a `w × h` image to the view.
 *
 * `center-crop` scales the image, keeping its aspect ratio, until it covers the view, then cuts
 * out the middle:
 * - the side that binds (width when `W/w >= H/h`, i.e. `W·h >= H·w`) becomes exactly the view's
 *   side, the other becomes `floor(other · W/w)` (or `· H/h`), never less than the view;
 * - the crop starts at `round((resized − view) / 2)` on each axis, with Python's
 *   round-half-to-even.
 *
 * For a square view of side S this is exactly torchvision's `Resize(S)` + `CenterCrop(S)`: the
 * shorter side becomes S, the longer `int(S · long / short)`, and `CenterCrop` starts at
 * `int(round((size − S) / 2.))`. For a non-square view it is the same rule with the binding side
 * chosen by the aspect ratios (torchvision has no single equivalent: its `Resize((h, w))` stretches).
 *
 * With `resizeTo: S` (a margin, torchvision's `Resize(S)` + `CenterCrop`), the shorter side
 * becomes S and the longer `int(S · long / short)` first, whatever the view's shape; the crop is
 * as above. ImageNet models are usually evaluated with `Resize(256)` + `CenterCrop(224)`.
 *
 * `stretch` resizes to exactly `W × H` (torchvision's `Resize((H, W))`, Keras' `target_size`).
 *
 * @param w original width in pixels.
 * @param h original height in pixels.
 * @param spec the view (size and resize rule).
 * @returns the transform; an image already at the view size gets the identity transform.
 * @throws InvalidOptionError for non-integer or non-positive sizes or an unknown resize mode.
 * @see https://github.com/pytorch/vision/blob/main/torchvision/transforms/functional.py (resize, center_crop)
 */
export function viewTransform(w: number, h: number, spec: ViewSpec): ViewTransform {
  const { width: W, height: H } = spec;
  requireSize('preprocessToView', 'the image size', w, h, 'Pass a decoded image (see loadImage).');
  requireSize('preprocessToView', 'the view size (width × height)', W, H, "Use the model's input size.");
  let rw: number, rh: number;
  if (spec.resize === 'center-crop' && spec.resizeTo !== undefined) {
    const S = spec.resizeTo;
    if (!Number.isInteger(S) || S < Math.max(W, H)) {
      throw new InvalidOptionError(`preprocessToView: resizeTo must be an integer >= the view's larger side ${Math.max(W, H)}, got ${S}. torchvision's ImageNet evaluation uses 256 for a 224 view.`);
    }
    // torchvision Resize(S): the shorter side becomes S, the longer int(S · long / short).
    if (w <= h) {
      rw = S;
      rh = Math.floor((S * h) / w);
    } else {
      rh = S;
      rw = Math.floor((S * w) / h);
    }
  } else if (spec.resize === 'center-crop') {
    if (W * h >= H * w) {
      rw = W;
      rh = Math.max(H, Math.floor((h * W) / w));
    } else {
      rh = H;
      rw = Math.max(W, Math.floor((w * H) / h));
    }
  } else if (spec.resize === 'stretch') {
    rw = W;
    rh = H;
  } else {
    throw new InvalidOptionError(`preprocessToView: resize must be "center-crop" or "stretch", got ${JSON.stringify(spec.resize)}. Use "center-crop" to keep the aspect ratio.`);
  }
  return {
    originalWidth: w,
    originalHeight: h,
    resizedWidth: rw,
    resizedHeight: rh,
    left: roundHalfEven((rw - W) / 2),
    top: roundHalfEven((rh - H) / 2),
    viewWidth: W,
    viewHeight: H,
  };
}

/**
 * Brings an image to the model's view: the geometry of {@link viewTransform}, the pixels of
 * Pillow's `Image.resize` (see {@link resampleRgb}), so that the view is byte for byte what
 * torchvision's `Resize` + `CenterCrop` make of the same decoded image.
 *
 * @param image the decoded original (8-bit RGB).
 * @param spec view size, resize rule and optional filter (default `bilinear`).
 * @returns `view` (`spec.width × spec.height`) and the `transform` that maps view pixels back to
 *   the original (see {@link segmentsToOriginal}).
 * @throws InvalidOptionError for a bad size, resize mode or filter.
 * @throws ShapeMismatchError when `image.data` does not hold `width × height × 3` bytes.
 * @remarks Resampling is Pillow's antialiased bilinear filter, reimplemented in TypeScript, rather
 *   than sharp's `resize`: sharp's bilinear enlargement is offset by half an output pixel from
 *   Pillow's (a 4→8 ramp 0,100,200,255 comes out 0,0,50,100,… instead of 0,25,75,125,…) and its
 *   reduction differs by up to 4 grey levels, which changes what the model sees relative to a
 *   Python reproduction. An image already at the view size passes through unchanged (the same
 *   object, identity transform).
 */
export async function preprocessToView(image: RgbImage, spec: ViewSpec): Promise<{ view: RgbImage; transform: ViewTransform }> {
  const transform = viewTransform(image.width, image.height, spec);
  if (image.data.length !== image.width * image.height * 3) {
    throw new ShapeMismatchError(`preprocessToView: image data must have ${image.width}×${image.height}×3 bytes, got ${image.data.length}. Pass interleaved 8-bit RGB.`);
  }
  if (image.width === spec.width && image.height === spec.height) return { view: image, transform };
  const { resizedWidth: rw, resizedHeight: rh, left, top } = transform;
  const view = resampleRgb(image, rw, rh, spec.interpolation ?? 'bilinear', { left, top, width: spec.width, height: spec.height });
  return { view, transform };
}

/**
 * For every original pixel, the index (`y · viewWidth + x`) of the view pixel it falls on, or −1
 * where the crop cut it away. Nearest neighbour: the original pixel's centre is mapped into the
 * resized image and the resized pixel containing it is taken.
 *
 * @param t a transform from {@link viewTransform}.
 * @returns `originalWidth × originalHeight` indices, row-major.
 */
export function originalToViewIndex(t: ViewTransform): Int32Array {
  const { originalWidth: w, originalHeight: h, resizedWidth: rw, resizedHeight: rh, left, top, viewWidth: W, viewHeight: H } = t;
  const out = new Int32Array(w * h);
  // Integer arithmetic: resized pixel of original pixel x is floor((2x + 1) · rw / (2w)).
  const col = new Int32Array(w);
  for (let x = 0; x < w; x++) {
    const vx = Math.floor(((2 * x + 1) * rw) / (2 * w)) - left;
    col[x] = vx >= 0 && vx < W ? vx : -1;
  }
  for (let y = 0; y < h; y++) {
    const vy = Math.floor(((2 * y + 1) * rh) / (2 * h)) - top;
    const row = y * w;
    if (vy < 0 || vy >= H) {
      out.fill(-1, row, row + w);
      continue;
    }
    for (let x = 0; x < w; x++) out[row + x] = col[x] >= 0 ? vy * W + col[x] : -1;
  }
  return out;
}

/**
 * Segment ids at the original resolution, for rendering explanations on the original image.
 *
 * @param segments the segmentation of the view.
 * @param transform the transform {@link preprocessToView} returned with that view.
 * @param originalWidth the original image's width (checked against the transform).
 * @param originalHeight the original image's height (checked against the transform).
 * @returns per original pixel (row-major), the id of the view segment under it (nearest
 *   neighbour, see {@link originalToViewIndex}), or −1 where the original lies outside the view.
 * @throws ShapeMismatchError when the sizes of segments, transform and original disagree.
 */
export function segmentsToOriginal(segments: SegmentMap, transform: ViewTransform, originalWidth: number, originalHeight: number): Int32Array {
  if (transform.originalWidth !== originalWidth || transform.originalHeight !== originalHeight) {
    throw new ShapeMismatchError(
      `segmentsToOriginal: the transform is for a ${transform.originalWidth}×${transform.originalHeight} image, not ${originalWidth}×${originalHeight}. Pass the transform returned with this image's view.`,
    );
  }
  if (segments.width !== transform.viewWidth || segments.height !== transform.viewHeight || segments.labels.length !== segments.width * segments.height) {
    throw new ShapeMismatchError(
      `segmentsToOriginal: segments are ${segments.width}×${segments.height} but the view is ${transform.viewWidth}×${transform.viewHeight}. Segment the view, not the original.`,
    );
  }
  const idx = originalToViewIndex(transform);
  const out = new Int32Array(idx.length);
  for (let i = 0; i < idx.length; i++) out[i] = idx[i] < 0 ? -1 : segments.labels[idx[i]];
  return out;
}

/**
 * Brings a per-pixel mask of the original image (e.g. a ground-truth region) to the view, nearest
 * neighbour: each view pixel takes the original pixel under its centre.
 *
 * @param mask `originalWidth × originalHeight` values, row-major.
 * @param transform the transform {@link preprocessToView} returned.
 * @returns `viewWidth × viewHeight` values.
 * @throws ShapeMismatchError when the mask does not have one value per original pixel.
 */
export function maskToView(mask: Uint8Array, transform: ViewTransform): Uint8Array {
  const { originalWidth: w, originalHeight: h, resizedWidth: rw, resizedHeight: rh, left, top, viewWidth: W, viewHeight: H } = transform;
  if (mask.length !== w * h) {
    throw new ShapeMismatchError(`maskToView: the mask has ${mask.length} values but the image has ${w}×${h} = ${w * h} pixels. Load the mask of this image.`);
  }
  const out = new Uint8Array(W * H);
  const col = new Int32Array(W);
  for (let vx = 0; vx < W; vx++) col[vx] = Math.min(w - 1, Math.floor(((2 * (vx + left) + 1) * w) / (2 * rw)));
  for (let vy = 0; vy < H; vy++) {
    const oy = Math.min(h - 1, Math.floor(((2 * (vy + top) + 1) * h) / (2 * rh)));
    for (let vx = 0; vx < W; vx++) out[vy * W + vx] = mask[oy * w + col[vx]];
  }
  return out;
}
