export * from './bayesian-ridge-surrogate.js';
export * from './bayesian-ridge.js';
export * from './component.js';
