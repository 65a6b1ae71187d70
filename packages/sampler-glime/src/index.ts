export * from './glime-binomial.js';
export * from './glime-sampler.js';
export * from './component.js';
