// tsyringe and the Reflect metadata API it needs, loaded first (see di.ts).
import './di.js';

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
