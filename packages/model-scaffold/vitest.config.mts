import { defineProject } from 'vitest/config';
import { sharedProjectConfig } from '../../vitest.shared.mjs';

export default defineProject(sharedProjectConfig(import.meta.url));
