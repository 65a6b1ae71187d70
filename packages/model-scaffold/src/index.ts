export * from './features.js';
export * from './feature-recorder.js';
export * from './scaffold-file.js';
export * from './scaffold-model-adapter.js';
