import { readdir } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { InputError, type RgbImage } from '@limekit/core';
import { loadImage, resampleRgb } from '@limekit/image';

/** File extensions {@link loadImageFolder} picks up (what sharp decodes). */
export const FOLDER_IMAGE_EXTENSIONS: readonly string[] = ['.jpg', '.jpeg', '.png', '.webp', '.tif', '.tiff', '.gif', '.avif'];

/**
 * Every image of a folder (sorted by file name), resized to `width × height` with bilinear
 * resampling (no crop). The `dataset` fill's loader (an `ImageFolderLoader` of `@limekit/baselines`).
 * @throws InputError for a missing folder or one without images; ImageDecodeError for a damaged image.
 */
export async function loadImageFolder(dir: string, width: number, height: number): Promise<RgbImage[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new InputError(`dataset fill: dir must be a readable folder of images, got ${JSON.stringify(dir)} (${code ?? String(err)}). Give a folder of ${FOLDER_IMAGE_EXTENSIONS.join('/')} files.`, { cause: err });
  }
  const files = names.filter((n) => FOLDER_IMAGE_EXTENSIONS.includes(extname(n).toLowerCase())).sort();
  if (files.length === 0) {
    throw new InputError(`dataset fill: dir must hold at least one image, got none in ${JSON.stringify(dir)}. Give a folder of ${FOLDER_IMAGE_EXTENSIONS.join('/')} files.`);
  }
  const images: RgbImage[] = [];
  for (const f of files) {
    const im = await loadImage(join(dir, f));
    images.push(im.width === width && im.height === height ? im : resampleRgb(im, width, height, 'bilinear'));
  }
  return images;
}
