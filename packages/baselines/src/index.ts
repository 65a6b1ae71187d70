export * from './segment-mean-baseline.js';
export * from './constant-baseline.js';
export * from './blur-baseline.js';
export * from './noise-baseline.js';
export * from './image-baseline.js';
export * from './inpaint-baseline.js';
export * from './dataset-baseline.js';
export * from './components.js';
