export * from './parity.js';
export * from './decompositions.js';
export * from './triangular.js';
export * from './sandwich.js';
