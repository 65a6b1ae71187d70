import { requireOption, resolveOptions, type Kernel, type SampleBlock } from '@limekit/core';
import { weighByOnes } from './weigh-by-ones.js';

/** Options of {@link ShapleyKernel}. */
export interface ShapleyKernelOptions {
  /**
   * Weight of the all-ones and all-zeros rows, whose Shapley-kernel weight is infinite. Default
   * 1e6, the usual finite stand-in (the KernelSHAP paper enforces these two rows as constraints
   * instead; `surrogate-kernelshap` does that exactly and ignores their weight).
   */
  endpointWeight: number;
}

/** Defaults of {@link ShapleyKernelOptions}. */
export const DEFAULT_SHAPLEY_KERNEL_OPTIONS: Readonly<ShapleyKernelOptions> = { endpointWeight: 1e6 };

/**
 * Natural logarithms of the binomial coefficients C(M, k), k = 0..M, by the multiplicative
 * recurrence (exact to rounding for any M, where C(M, k) itself would overflow past M ≈ 1020).
 * Mirrored, so that k and M − k get bit-identical values.
 */
export function logBinomialRow(M: number): Float64Array {
  const out = new Float64Array(M + 1);
  for (let k = 1; 2 * k <= M; k++) out[k] = out[k - 1] + Math.log(M - k + 1) - Math.log(k);
  for (let k = Math.floor(M / 2) + 1; k <= M; k++) out[k] = out[M - k];
  return out;
}

/**
 * The Shapley kernel of a coalition of k kept segments out of M:
 * `π(k) = (M − 1) / (C(M, k) · k · (M − k))` for 0 < k < M, and `endpointWeight` for k = 0 and
 * k = M, whose true weight is infinite.
 *
 * @returns M + 1 weights indexed by k. Far from the ends they underflow to 0 for M beyond ~1000
 *   segments, which is their true relative size.
 */
export function shapleyKernelTable(M: number, endpointWeight: number): Float64Array {
  const table = new Float64Array(M + 1);
  const logC = logBinomialRow(M);
  // Math.log(k) + Math.log(M − k) in this order for k and M − k alike keeps the table symmetric.
  for (let k = 1; k < M; k++) table[k] = Math.exp(Math.log(M - 1) - logC[k] - (Math.log(Math.min(k, M - k)) + Math.log(Math.max(k, M - k))));
  table[0] = endpointWeight;
  table[M] = endpointWeight;
  return table;
}

/**
 * The Shapley kernel of KernelSHAP: the similarity kernel under which weighted least squares on
 * coalitions recovers Shapley values (Lundberg & Lee, Theorem 2),
 * `π(z) = (M − 1) / (C(M, |z|) · |z| · (M − |z|))`, |z| the number of kept segments.
 *
 * @remarks Use it with samplers that draw coalitions without weights (Bernoulli, stratified,
 * Sobol) and a surrogate without intercept penalty. With `sampler-kernelshap`, which already
 * attaches shap's per-row weights, use the `uniform` kernel instead, or the kernel would count
 * twice. The two endpoint rows get the finite `endpointWeight` (1e6 by default, common practice);
 * the exact treatment is `surrogate-kernelshap`'s constrained fit, which does not depend on it.
 * @see Lundberg & Lee, "A Unified Approach to Interpreting Model Predictions", NeurIPS 2017, arXiv:1705.07874
 */
export class ShapleyKernel implements Kernel {
  readonly id = 'shapley';
  readonly options: Readonly<ShapleyKernelOptions>;

  /** @throws InvalidOptionError when endpointWeight is not a positive finite number. */
  constructor(options: Partial<ShapleyKernelOptions> = {}) {
    this.options = resolveOptions('ShapleyKernel', DEFAULT_SHAPLEY_KERNEL_OPTIONS, options);
    const { endpointWeight } = this.options;
    requireOption(
      endpointWeight > 0 && Number.isFinite(endpointWeight),
      'ShapleyKernel',
      'endpointWeight',
      'a positive finite number',
      endpointWeight,
      'It stands in for the infinite weight of the all-ones and all-zeros rows; 1e6 is usual.',
    );
  }

  weigh(block: SampleBlock, numFeatures: number, out: Float64Array): void {
    const table = shapleyKernelTable(numFeatures, this.options.endpointWeight);
    weighByOnes(block, numFeatures, table, out);
  }
}
