import {
  requireOption,
  resolveOptions,
  type RunContext,
  type SampleBlock,
  type Sampler,
  type SamplerSession,
} from '@limekit/core';
import { kernelShapDesign } from './kernelshap-design.js';

/** Options of {@link KernelShapSampler}. */
export interface KernelShapOptions {
  /** Follow every drawn coalition by its complement (antithetic rows). shap: always true. */
  paired: boolean;
  /**
   * Weight attached to the all-ones and all-zeros rows, whose Shapley-kernel weight is infinite.
   * Default 1e6, as the `shapley` kernel: an unconstrained weighted least-squares surrogate then
   * nearly honours f(∅) and f(x). `surrogate-kernelshap` enforces both exactly and ignores it.
   */
  endpointWeight: number;
}

/** Defaults of {@link KernelShapOptions}: shap's `KernelExplainer` behaviour. */
export const DEFAULT_KERNELSHAP_OPTIONS: Readonly<KernelShapOptions> = { paired: true, endpointWeight: 1e6 };

/**
 * KernelSHAP's coalition sampler (shap 0.4x–0.51 `KernelExplainer`): the all-ones row (the
 * instance), the all-zeros row, then complete enumeration of the smallest and largest coalition
 * sizes while the budget allows, and paired random coalitions for the rest, duplicates merged
 * into weights. Each row carries shap's kernel weight, so use it with the `uniform` kernel (not
 * `shapley`, which would count the kernel twice) and, for Shapley values, `surrogate-kernelshap`.
 *
 * @remarks `budget` (numSamples) counts the two endpoint rows, so shap's `nsamples` is budget − 2;
 * at most 2^M rows exist. The design is built once, when the session starts (its random part
 * must know the final duplicate counts before any weight is handed out), then streamed in the
 * same order at any batch size. See {@link kernelShapDesign} for the steps and every difference
 * from shap.
 * @see Lundberg & Lee, "A Unified Approach to Interpreting Model Predictions", NeurIPS 2017, arXiv:1705.07874
 */
export class KernelShapSampler implements Sampler {
  readonly id = 'kernelshap';
  readonly options: Readonly<KernelShapOptions>;

  /** @throws InvalidOptionError when endpointWeight is not a finite number ≥ 0 or an option is unknown. */
  constructor(options: Partial<KernelShapOptions> = {}) {
    this.options = resolveOptions('KernelShapSampler', DEFAULT_KERNELSHAP_OPTIONS, options);
    const { endpointWeight } = this.options;
    requireOption(
      endpointWeight >= 0 && Number.isFinite(endpointWeight),
      'KernelShapSampler',
      'endpointWeight',
      'a finite number >= 0',
      endpointWeight,
      'It stands in for the infinite weight of the all-ones and all-zeros rows; 1e6 is usual.',
    );
  }

  start(numFeatures: number, budget: number, ctx: RunContext): SamplerSession {
    const M = numFeatures;
    const design = kernelShapDesign(M, budget, ctx.rng, this.options);
    let produced = 0;
    return {
      // The design starts with the all-ones row (shap's f(x)) whenever it has a row at all.
      firstRowIsInstance: design.count >= 1,
      needsObservations: false,
      next(maxRows: number): SampleBlock | null {
        if (produced >= design.count) return null;
        const count = Math.min(maxRows, design.count - produced);
        const block: SampleBlock = {
          rows: design.rows.slice(produced * M, (produced + count) * M),
          count,
          weights: design.weights.slice(produced, produced + count),
        };
        produced += count;
        return block;
      },
      summary: () => ({
        samples: produced,
        enumeratedSizes: design.numFullSubsets,
        enumeratedRows: design.enumerated,
        sampledRows: design.sampled,
        randomDraws: design.draws,
      }),
    };
  }
}
