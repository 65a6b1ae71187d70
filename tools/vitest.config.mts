import { defineProject } from 'vitest/config';
import { sharedProjectConfig } from '../vitest.shared.mjs';

const shared = sharedProjectConfig(import.meta.url);

// tools/ keeps its scripts in folders by role rather than in src/ (see README.md): add the ones with specs.
export default defineProject({ ...shared, test: { ...shared.test, include: [...(shared.test?.include ?? []), 'studies/**/*.spec.ts', 'bench/**/*.spec.ts', 'wasm/**/*.spec.ts'] } });
