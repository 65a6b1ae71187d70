export * from './exponential-kernel.js';
export * from './uniform-kernel.js';
export * from './shapley-kernel.js';
export * from './components.js';
