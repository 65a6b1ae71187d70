export * from './linear-surrogate.js';
export * from './least-squares.js';
export * from './component.js';
