export * from './stratified-design.js';
export * from './stratified-sampler.js';
export * from './component.js';
