import type { Baseline, ComponentDefinition } from '@limekit/core';
import { BlurBaseline, DEFAULT_BLUR_OPTIONS, type BlurOptions } from './blur-baseline.js';
import { DatasetBaseline, DEFAULT_DATASET_OPTIONS, type DatasetOptions, type ImageFolderLoader } from './dataset-baseline.js';
import { DEFAULT_INPAINT_OPTIONS, InpaintBaseline, type InpaintOptions } from './inpaint-baseline.js';
import { ConstantBaseline, DEFAULT_CONSTANT_OPTIONS, type ConstantOptions } from './constant-baseline.js';
import { DEFAULT_IMAGE_BASELINE_OPTIONS, ImageBaseline, type ImageBaselineOptions } from './image-baseline.js';
import { DEFAULT_NOISE_OPTIONS, NoiseBaseline, type NoiseOptions } from './noise-baseline.js';
import { SegmentMeanBaseline, type SegmentMeanOptions } from './segment-mean-baseline.js';

/** Config entry `{ "use": "segment-mean" }` — lime's `hide_color=None`. */
export const segmentMeanComponent: ComponentDefinition<Baseline, SegmentMeanOptions> = {
  kind: 'baseline',
  id: 'segment-mean',
  description: "Mean colour of each segment (lime's hide_color=None)",
  defaults: {},
  create: (options) => new SegmentMeanBaseline(options),
};

/** Config entry `{ "use": "constant", "options": { "color": [0, 0, 0] } }` — lime's `hide_color=0`. */
export const constantComponent: ComponentDefinition<Baseline, ConstantOptions> = {
  kind: 'baseline',
  id: 'constant',
  description: "One colour for every switched-off segment (lime's hide_color=value)",
  defaults: DEFAULT_CONSTANT_OPTIONS,
  create: (options) => new ConstantBaseline(options),
};

/** Config entry `{ "use": "blur", "options": { "sigma": 5 } }`. */
export const blurComponent: ComponentDefinition<Baseline, BlurOptions> = {
  kind: 'baseline',
  id: 'blur',
  description: 'Gaussian-blurred image (keeps coarse colour, removes detail)',
  defaults: DEFAULT_BLUR_OPTIONS,
  create: (options) => new BlurBaseline(options),
};

/** Config entry `{ "use": "noise", "options": { "distribution": "uniform" } }`. */
export const noiseComponent: ComponentDefinition<Baseline, NoiseOptions> = {
  kind: 'baseline',
  id: 'noise',
  description: 'Random noise, drawn once per explanation from the seeded generator',
  defaults: DEFAULT_NOISE_OPTIONS,
  create: (options) => new NoiseBaseline(options),
};

/** Config entry `{ "use": "image", "options": { "width": W, "height": H, "pixels": [...] } }`. */
export const imageBaselineComponent: ComponentDefinition<Baseline, ImageBaselineOptions> = {
  kind: 'baseline',
  id: 'image',
  description: 'Another image (at the view size) as the fill',
  defaults: DEFAULT_IMAGE_BASELINE_OPTIONS,
  create: (options) => new ImageBaseline(options),
};


/** Config entry `{ "use": "inpaint", "options": { "radius": 3 } }` — shap's `inpaint_telea` masker, per sample. */
export const inpaintComponent: ComponentDefinition<Baseline, InpaintOptions> = {
  kind: 'baseline',
  id: 'inpaint',
  description: "Per sample: switched-off segments inpainted from the visible pixels (Telea, as shap's inpaint_telea)",
  defaults: DEFAULT_INPAINT_OPTIONS,
  create: (options) => new InpaintBaseline(options),
};

/**
 * Config entry `{ "use": "dataset", "options": { "dir": "images/background" } }`. Components may
 * not decode images, so the definition is made with the loader the composition layer supplies
 * (`@limekit/lime` registers it with one built on `@limekit/image`).
 */
export function datasetComponent(loader: ImageFolderLoader): ComponentDefinition<Baseline, DatasetOptions> {
  return {
    kind: 'baseline',
    id: 'dataset',
    description: 'Per sample: switched-off segments show another real image drawn from a folder (option dir)',
    defaults: DEFAULT_DATASET_OPTIONS,
    create: (options) => new DatasetBaseline(options, loader),
  };
}

/** Every baseline of this package that needs nothing from outside (the `dataset` fill needs an image loader: {@link datasetComponent}). */
export const baselineComponents = [segmentMeanComponent, constantComponent, blurComponent, noiseComponent, imageBaselineComponent, inpaintComponent] as const;
