export * from './bernoulli-sampler.js';
export * from './component.js';
