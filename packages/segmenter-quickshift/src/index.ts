export * from './quickshift-segmenter.js';
export * from './quickshift.js';
export * from './component.js';
