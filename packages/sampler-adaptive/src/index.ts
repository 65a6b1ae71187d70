/** The quantiles moved to @limekit/core (shared with @limekit/metrics' statistics); re-exported for existing callers. */
export { normalQuantile, studentTQuantile } from '@limekit/core';
export * from './bayesian-linear-regression.js';
export * from './adaptive-sampler.js';
export * from './component.js';
