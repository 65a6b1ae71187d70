import { createRequire } from 'node:module';
import type sharpType from 'sharp';

let loaded: typeof sharpType | undefined;

/**
 * sharp, loaded on first use: commands that never decode or encode an image (`limekit presets`,
 * `refit`) should not pay for its native library.
 *
 * @remarks Loaded with `require`, not `import`: sharp's CommonJS build loads in about half the
 * time of its ES-module build (50 against 105 ms here), which reaches semver and its colour
 * library through Node's scan of CommonJS exports, file by file. Both builds drive the same
 * native library.
 */
export async function loadSharp(): Promise<typeof sharpType> {
  if (!loaded) {
    // Under an `import` export condition (a test runner's, or node --conditions=import) require
    // resolves to the ES-module build and returns its namespace.
    const m = createRequire(import.meta.url)('sharp') as typeof sharpType | { default: typeof sharpType };
    loaded = 'default' in m ? m.default : m;
  }
  return loaded;
}
