export * from './onnx-model-adapter.js';
export * from './model-file.js';
export * from './onnx-proto.js';
export * from './loader.js';
// What every adapter shares (output kinds, class-name files, batch-size probing), re-exported so
// that code written against earlier versions of this package keeps working.
export * from '@limekit/model-common';
