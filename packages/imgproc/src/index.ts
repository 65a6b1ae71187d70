export * from './color.js';
export * from './gaussian.js';
export * from './inpaint-telea.js';
export * from './scipy-gaussian.js';
export * from './wasm.js';
