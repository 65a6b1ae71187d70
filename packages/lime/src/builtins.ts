import { baselineComponents, datasetComponent } from '@limekit/baselines';
import { kernelComponents } from '@limekit/kernels';
import { adaptiveComponent } from '@limekit/sampler-adaptive';
import { bernoulliComponent } from '@limekit/sampler-bernoulli';
import { glimeComponent } from '@limekit/sampler-glime';
import { kernelShapComponent } from '@limekit/sampler-kernelshap';
import { mpsComponent } from '@limekit/sampler-mps';
import { sobolComponent } from '@limekit/sampler-sobol';
import { stratifiedComponent } from '@limekit/sampler-stratified';
import { kernelShapSurrogateComponent } from '@limekit/surrogate-kernelshap';
import { felzenszwalbComponent } from '@limekit/segmenter-felzenszwalb';
import { gridComponent } from '@limekit/segmenter-grid';
import { quickshiftComponent } from '@limekit/segmenter-quickshift';
import { slicComponent } from '@limekit/segmenter-slic';
import { ridgeComponent } from '@limekit/surrogate-ridge';
import { lassoComponent } from '@limekit/surrogate-lasso';
import { bayesianRidgeComponent } from '@limekit/surrogate-bayesian-ridge';
import { linearComponent } from '@limekit/surrogate-linear';
import { featureSelectionComponents } from '@limekit/feature-selection';
import { methodComponents } from '@limekit/methods';
// <generator:imports>
import { ComponentRegistry } from './registry.js';
import { datasetImages } from './builtin-loaders.js';

/**
 * A fresh registry holding every built-in component, all loaded (for listings and plugins' tests).
 * Resolving a configuration loads only the packages it names (builtin-loaders.ts).
 */
export function builtinRegistry(): ComponentRegistry {
  return new ComponentRegistry().addAll([
    ...baselineComponents,
    datasetComponent(datasetImages),
    ...kernelComponents,
    bernoulliComponent,
    kernelShapComponent,
    glimeComponent,
    stratifiedComponent,
    sobolComponent,
    adaptiveComponent,
    mpsComponent,
    kernelShapSurrogateComponent,
    ridgeComponent,
    lassoComponent,
    bayesianRidgeComponent,
    linearComponent,
    ...featureSelectionComponents,
    ...methodComponents,
    slicComponent,
    quickshiftComponent,
    gridComponent,
    felzenszwalbComponent,
    // <generator:components>
  ]);
}
