// tsyringe needs the Reflect metadata API before it is imported; the composition root owns that.
import 'reflect-metadata';

export * from './registry.js';
export * from './config.js';
export * from './presets.js';
export * from './plugins.js';
// builtinRegistry (every built-in, all loaded) is in '@limekit/lime/catalogue': re-exported here it
// would load every component package into every process that imports this one.
export { BUILTIN_PACKAGES, loadBuiltin } from './builtin-loaders.js';
export * from './image-folder.js';
export * from './compose.js';
export * from './register.js';
export * from './npy.js';
export * from './labels.js';
export * from './model.js';
export * from './model-fields.js';
export * from './refit.js';
