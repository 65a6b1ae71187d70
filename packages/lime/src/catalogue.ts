// The component catalogue without the DI container: the registry, the built-in definitions and
// the presets. `@limekit/lime/catalogue` is what a command that only lists or validates
// components imports, so that it does not load tsyringe and reflect-metadata (about 0.1 s).
export * from './registry.js';
export * from './presets.js';
export * from './builtins.js';
