export * from './grid-segmenter.js';
export * from './grid.js';
export * from './component.js';
