export * from './mps-sampler.js';
export * from './cliques.js';
export * from './component.js';
