import { defineProject } from 'vitest/config';
import { sharedProjectConfig } from '../vitest.shared.mjs';

const shared = sharedProjectConfig(import.meta.url);

// tools/ keeps its scripts in topic folders rather than src/: add the ones with specs.
export default defineProject({ ...shared, test: { ...shared.test, include: [...(shared.test?.include ?? []), 'sampler-study/**/*.spec.ts'] } });
