export * from './kernelshap-design.js';
export * from './kernelshap-sampler.js';
export * from './component.js';
