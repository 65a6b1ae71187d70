export * from './joe-kuo-directions.js';
export * from './sobol.js';
export * from './sobol-sampler.js';
export * from './component.js';
