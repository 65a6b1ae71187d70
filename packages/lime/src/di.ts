import { createRequire } from 'node:module';
import type * as Tsyringe from 'tsyringe';

// tsyringe needs the Reflect metadata API before it loads; the composition root owns that.
// Both are CommonJS and loaded with `require`: importing them as ES modules makes Node scan the
// exports of each of tsyringe's 33 files first, which took 45–65 ms against 18–22 (measured on
// this project's VM). A later `import 'tsyringe'` elsewhere gets this same instance.
const require = createRequire(import.meta.url);
require('reflect-metadata');

/** tsyringe's root container. */
export const rootContainer: Tsyringe.DependencyContainer = (require('tsyringe') as typeof Tsyringe).container;
