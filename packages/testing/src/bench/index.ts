// `@limekit/testing/bench`: the timing helpers every benchmark uses (packages/*/bench/run.ts and
// tools/bench), kept apart from the contract suites so that a benchmark does not load vitest.
export * from './timing.js';
export * from './segmenter-bench.js';
export * from './sampler-bench.js';
