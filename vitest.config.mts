import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: ['packages/*/vitest.config.mts', 'apps/*/vitest.config.mts', 'tools/vitest.config.mts'],
    reporters: ['default', './tools/ci/vitest-plain-summary.mjs'],
    pool: 'forks',
    maxWorkers: 2,
  },
});
