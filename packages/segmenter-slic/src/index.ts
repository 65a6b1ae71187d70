export * from './slic-segmenter.js';
export * from './slic.js';
export * from './component.js';
