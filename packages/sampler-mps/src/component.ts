import type { ComponentDefinition, Sampler } from '@limekit/core';
import { DEFAULT_MPS_OPTIONS, MpsSampler, type MpsOptions } from './mps-sampler.js';

/** Config-file entry of {@link MpsSampler}: `{ "use": "mps", "options": { "maxCliqueSize": 4 } }`. */
export const mpsComponent: ComponentDefinition<Sampler, MpsOptions> = {
  kind: 'sampler',
  id: 'mps',
  description: 'MPS-LIME: each sample switches off one clique of adjacent segments (Shi et al. 2020)',
  defaults: DEFAULT_MPS_OPTIONS,
  create: (options) => new MpsSampler(options),
};
