export * from './ridge-surrogate.js';
export * from './ridge.js';
export * from './component.js';
