export * from './auc.js';
export * from './detector.js';
export * from './features.js';
export * from './folds.js';
export * from './projection.js';
export * from './standardize.js';
export * from './feature-recorder.js';
export * from './study.js';
