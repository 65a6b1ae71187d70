export * from './output-kind.js';
export * from './batch-size.js';
export * from './class-names.js';
export * from './options.js';
export * from './input-shape.js';
export * from './adapter-base.js';
