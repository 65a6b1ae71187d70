export * from './games.js';
export * from './exact.js';
export * from './game-model.js';
export * from './error.js';
export * from './population.js';
