import type { ComponentDefinition, ComponentKind } from '@limekit/core';
import type { ComponentRegistry } from './registry.js';

/** The image reader of the `dataset` fill, loaded on first use (listing components should not load the image decoder). */
export const datasetImages = async (dir: string, width: number, height: number) => (await import('./image-folder.js')).loadImageFolder(dir, width, height);

/** A package of built-in components: the `kind:id`s it provides and how to load their definitions. */
interface BuiltinPackage {
  readonly provides: readonly string[];
  readonly load: () => Promise<readonly ComponentDefinition[]>;
}

/**
 * Every built-in component's package, loaded only when a configuration names one of its
 * components: `limekit explain --preset lime-slic` loads SLIC, Bernoulli, the kernels, ridge and
 * the fills, not the nineteen other packages (about 0.1 s and 10 MiB less in every process).
 * {@link builtinRegistry} (builtins.ts) holds the same definitions, all loaded, for listings;
 * builtin-loaders.spec.ts checks that the two agree. A component missing here (one the generator
 * has just added to builtins.ts) is still found, through the full registry.
 */
export const BUILTIN_PACKAGES: readonly BuiltinPackage[] = [
  {
    provides: ['baseline:segment-mean', 'baseline:constant', 'baseline:blur', 'baseline:noise', 'baseline:image', 'baseline:inpaint', 'baseline:dataset'],
    load: async () => {
      const m = await import('@limekit/baselines');
      return [...m.baselineComponents, m.datasetComponent(datasetImages)];
    },
  },
  { provides: ['kernel:exponential', 'kernel:uniform', 'kernel:shapley'], load: async () => (await import('@limekit/kernels')).kernelComponents },
  { provides: ['sampler:bernoulli'], load: async () => [(await import('@limekit/sampler-bernoulli')).bernoulliComponent] },
  { provides: ['sampler:kernelshap'], load: async () => [(await import('@limekit/sampler-kernelshap')).kernelShapComponent] },
  { provides: ['sampler:glime'], load: async () => [(await import('@limekit/sampler-glime')).glimeComponent] },
  { provides: ['sampler:stratified'], load: async () => [(await import('@limekit/sampler-stratified')).stratifiedComponent] },
  { provides: ['sampler:sobol'], load: async () => [(await import('@limekit/sampler-sobol')).sobolComponent] },
  { provides: ['sampler:adaptive'], load: async () => [(await import('@limekit/sampler-adaptive')).adaptiveComponent] },
  { provides: ['sampler:mps'], load: async () => [(await import('@limekit/sampler-mps')).mpsComponent] },
  { provides: ['surrogate:kernelshap'], load: async () => [(await import('@limekit/surrogate-kernelshap')).kernelShapSurrogateComponent] },
  { provides: ['surrogate:ridge'], load: async () => [(await import('@limekit/surrogate-ridge')).ridgeComponent] },
  { provides: ['surrogate:lasso'], load: async () => [(await import('@limekit/surrogate-lasso')).lassoComponent] },
  { provides: ['surrogate:bayesian-ridge'], load: async () => [(await import('@limekit/surrogate-bayesian-ridge')).bayesianRidgeComponent] },
  { provides: ['surrogate:linear'], load: async () => [(await import('@limekit/surrogate-linear')).linearComponent] },
  {
    provides: ['featureSelector:none', 'featureSelector:highest-weights', 'featureSelector:forward-selection', 'featureSelector:lasso-path', 'featureSelector:auto'],
    load: async () => (await import('@limekit/feature-selection')).featureSelectionComponents,
  },
  {
    provides: [
      'sampler:occlusion',
      'surrogate:occlusion',
      'sampler:ones',
      'baseline:rise',
      'surrogate:rise',
      'sampler:permutation',
      'surrogate:permutation-shap',
      'sampler:leverage',
      'surrogate:leverage-shap',
      'surrogate:banzhaf',
    ],
    load: async () => (await import('@limekit/methods')).methodComponents,
  },
  { provides: ['segmenter:slic'], load: async () => [(await import('@limekit/segmenter-slic')).slicComponent] },
  { provides: ['segmenter:quickshift'], load: async () => [(await import('@limekit/segmenter-quickshift')).quickshiftComponent] },
  { provides: ['segmenter:grid'], load: async () => [(await import('@limekit/segmenter-grid')).gridComponent] },
  { provides: ['segmenter:felzenszwalb'], load: async () => [(await import('@limekit/segmenter-felzenszwalb')).felzenszwalbComponent] },
];

/** The registry of every built-in, loaded once when a lookup misses the table above. */
let everything: Promise<ComponentRegistry> | undefined;
const fullRegistry = () => (everything ??= import('./builtins.js').then((m) => m.builtinRegistry()));

/**
 * The built-in definition of `kind` `id`, loading its package only; undefined when no built-in
 * has that id.
 */
export async function loadBuiltin(kind: ComponentKind, id: string): Promise<ComponentDefinition | undefined> {
  const key = `${kind}:${id}`;
  const pkg = BUILTIN_PACKAGES.find((p) => p.provides.includes(key));
  const found = pkg && (await pkg.load()).find((d) => d.kind === kind && d.id === id);
  if (found) return found;
  const all = await fullRegistry();
  return all.has(kind, id) ? all.get(kind, id) : undefined;
}

/**
 * `registry.get`'s error for an unknown built-in: loads every package to name the known ids (only
 * ever on the way to an error).
 * @throws UnknownComponentError
 */
export async function unknownBuiltin(kind: ComponentKind, id: string, where: string): Promise<never> {
  (await fullRegistry()).get(kind, id, where);
  throw new Error(`unreachable: ${kind} "${id}" is a built-in after all`);
}
