import { ModelError } from '@limekit/core';

/** One dimension of a model input: a size, a symbolic name, or unknown (null, -1, 0). */
export type InputDim = number | string | null | undefined;

/** What {@link readImageInput} read from a model's input shape. */
export interface ImageInput {
  readonly layout: 'NCHW' | 'NHWC';
  /** Whether the layout came from the shape (`graph`) or the `layout` option. */
  readonly layoutSource: 'graph' | 'option';
  readonly channels: 1 | 3;
  readonly width: number;
  readonly height: number;
  /** The batch size the model fixes, if any. */
  readonly fixedBatch?: number;
  /** Things the user should know (an ambiguous layout). */
  readonly notes: string[];
}

/** True for a fixed, positive dimension. */
export const isFixedDim = (d: InputDim): d is number => typeof d === 'number' && d > 0;
const isChannelDim = (d: InputDim) => d === 1 || d === 3;

/** A shape as users read it: `[?, 3, 224, 224]`. */
export function showShape(dims: readonly InputDim[]): string {
  return `[${dims.map((d) => (isFixedDim(d) ? d : typeof d === 'string' && d ? d : '?')).join(', ')}]`;
}

/**
 * Reads layout, channels, view size and fixed batch from an image model's input shape.
 *
 * @param model names the model in messages (`Model resnet.onnx` or `Model model.json`).
 * @param inputName the input's name.
 * @param dims the input's shape, batch first.
 * @param o `layout` (`auto` decides from the shape: the dim holding 1 or 3), `width` and
 *   `height` (needed when the shape leaves them symbolic, refused when they differ from fixed ones).
 * @throws ModelError naming the model and the fix: rank not 4, channel count not 1 or 3 in
 *   either position, a symbolic spatial size without `width`/`height`, or a size that contradicts
 *   the model's.
 */
export function readImageInput(
  model: string,
  inputName: string,
  dims: readonly InputDim[],
  o: { layout: 'auto' | 'NCHW' | 'NHWC'; width: number | null; height: number | null },
): ImageInput {
  const fail = (message: string): never => {
    throw new ModelError(`${model}: ${message}`);
  };
  const notes: string[] = [];
  if (dims.length !== 4) {
    fail(`input "${inputName}" has shape ${showShape(dims)} (rank ${dims.length}), not an image tensor of rank 4 (N, C, H, W or N, H, W, C). limekit explains image classifiers; export the model with its image input.`);
  }
  let layout: 'NCHW' | 'NHWC';
  const [, d1, , d3] = dims;
  if (o.layout !== 'auto') {
    layout = o.layout;
  } else if (isChannelDim(d1) && isChannelDim(d3)) {
    layout = 'NCHW';
    notes.push(`layout is ambiguous: input shape ${showShape(dims)} has 1 or 3 in both dim 1 and dim 3; NCHW assumed. Give layout "NHWC" (--layout NHWC on the command line) if the model is channels-last.`);
  } else if (isChannelDim(d1)) layout = 'NCHW';
  else if (isChannelDim(d3)) layout = 'NHWC';
  else {
    return fail(
      `input "${inputName}" has shape ${showShape(dims)}: the channel count must be 1 (grayscale) or 3 (colour), but dim 1 (channels in NCHW) is ${showShape([d1]).slice(1, -1)} and dim 3 (channels in NHWC) is ${showShape([d3]).slice(1, -1)}. limekit explains grayscale and RGB image models; a 4-channel (RGBA) model needs its alpha channel removed at export.`,
    );
  }
  const [cDim, hDim, wDim] = layout === 'NCHW' ? [dims[1], dims[2], dims[3]] : [dims[3], dims[1], dims[2]];
  if (!isChannelDim(cDim)) fail(`input "${inputName}" has ${showShape([cDim]).slice(1, -1)} channels in ${layout} layout (shape ${showShape(dims)}); image models take 1 (grayscale) or 3 (colour) channels. Check the layout option (--layout).`);
  for (const [name, fixed, given] of [['height', hDim, o.height], ['width', wDim, o.width]] as const) {
    if (given !== null && isFixedDim(fixed) && given !== fixed) fail(`${name} option ${given} differs from the model's fixed input ${name} ${fixed}. Drop the option (--input-size on the command line).`);
    if (given === null && !isFixedDim(fixed)) {
      fail(`input "${inputName}" has a symbolic ${name} (shape ${showShape(dims)}); give width and height options (--input-size WxH on the command line, "inputSize": "WxH" in a config file): the size the model was trained at (224x224 for most ImageNet models).`);
    }
  }
  return {
    layout,
    layoutSource: o.layout === 'auto' ? 'graph' : 'option',
    channels: cDim as 1 | 3,
    height: isFixedDim(hDim) ? hDim : o.height!,
    width: isFixedDim(wDim) ? wDim : o.width!,
    ...(isFixedDim(dims[0]) ? { fixedBatch: dims[0] } : {}),
    notes,
  };
}
