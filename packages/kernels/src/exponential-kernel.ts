import { requireOption, resolveOptions, type Kernel, type SampleBlock } from '@limekit/core';
import { weighByOnes } from './weigh-by-ones.js';

/** Distance between a mask row and the instance (the all-ones row). */
export type MaskDistance = 'cosine' | 'euclidean' | 'hamming';

/** Options of {@link ExponentialKernel}. */
export interface ExponentialKernelOptions {
  /** Distance to the all-ones row. lime (image): cosine. */
  distance: MaskDistance;
  /** Kernel width w in `sqrt(exp(-d²/w²))`. lime (image): 0.25. */
  kernelWidth: number;
}

/** Defaults of {@link ExponentialKernelOptions}: lime's `LimeImageExplainer(kernel_width=.25)`. */
export const DEFAULT_EXPONENTIAL_KERNEL_OPTIONS: Readonly<ExponentialKernelOptions> = { distance: 'cosine', kernelWidth: 0.25 };

/**
 * Distance of a row with k ones out of M to the all-ones row.
 * cosine: `1 − k/(√k·√M)` (1 for the all-zeros row, as scikit-learn's `cosine_distances`, whose
 * normalisation leaves a zero row at zero); euclidean: `√(M − k)`; hamming: `(M − k)/M`.
 */
export function maskDistance(kind: MaskDistance, ones: number, M: number): number {
  switch (kind) {
    case 'cosine':
      if (ones === 0) return 1;
      return Math.min(2, Math.max(0, 1 - ones / (Math.sqrt(ones) * Math.sqrt(M))));
    case 'euclidean':
      return Math.sqrt(M - ones);
    case 'hamming':
      return (M - ones) / M;
  }
}

/**
 * LIME's similarity kernel: `π(z) = sqrt(exp(−d(z, 1)² / w²))`, d the distance of the mask row to
 * the instance. With the defaults this is exactly lime's image kernel.
 *
 * @see Ribeiro, Singh & Guestrin, KDD 2016, doi:10.1145/2939672.2939778
 */
export class ExponentialKernel implements Kernel {
  readonly id = 'exponential';
  readonly options: Readonly<ExponentialKernelOptions>;

  /** @throws InvalidOptionError when kernelWidth ≤ 0 or distance is unknown. */
  constructor(options: Partial<ExponentialKernelOptions> = {}) {
    this.options = resolveOptions('ExponentialKernel', DEFAULT_EXPONENTIAL_KERNEL_OPTIONS, options);
    const { kernelWidth, distance } = this.options;
    requireOption(kernelWidth > 0 && Number.isFinite(kernelWidth), 'ExponentialKernel', 'kernelWidth', '> 0', kernelWidth, "lime's image default is 0.25.");
    requireOption(['cosine', 'euclidean', 'hamming'].includes(distance), 'ExponentialKernel', 'distance', 'one of cosine, euclidean, hamming', distance);
  }

  weigh(block: SampleBlock, numFeatures: number, out: Float64Array): void {
    const { kernelWidth, distance } = this.options;
    const w2 = kernelWidth * kernelWidth;
    // Weights depend only on the number of ones: tabulate once per call.
    const table = new Float64Array(numFeatures + 1);
    for (let k = 0; k <= numFeatures; k++) {
      const d = maskDistance(distance, k, numFeatures);
      table[k] = Math.sqrt(Math.exp(-(d * d) / w2));
    }
    weighByOnes(block, numFeatures, table, out);
  }
}
