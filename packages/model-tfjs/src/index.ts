export * from './tfjs-model-adapter.js';
export * from './backend.js';
export * from './model-files.js';
export * from './loader.js';
export * from './randomise.js';
