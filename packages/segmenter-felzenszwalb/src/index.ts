export * from './felzenszwalb-segmenter.js';
export * from './felzenszwalb.js';
export { numpyArgsortInPlace } from './argsort.js';
export * from './component.js';
