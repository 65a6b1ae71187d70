export * from './lasso-surrogate.js';
export * from './lasso.js';
export * from './component.js';
