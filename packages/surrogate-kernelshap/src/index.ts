export * from './constrained-least-squares.js';
export * from './kernelshap-surrogate.js';
export * from './component.js';
