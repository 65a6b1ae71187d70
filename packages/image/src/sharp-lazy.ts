import type sharpType from 'sharp';

let loaded: Promise<typeof sharpType> | undefined;

/**
 * sharp, imported on first use: its native library takes about half a second to load, and
 * commands that never decode or encode an image (`limekit presets`, `refit`) should not pay it.
 */
export function loadSharp(): Promise<typeof sharpType> {
  loaded ??= import('sharp').then((m) => m.default);
  return loaded;
}
