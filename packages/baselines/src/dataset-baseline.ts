import { InvalidOptionError, requireOption, resolveOptions, type Baseline, type RgbImage, type RunContext, type SampleFill, type SegmentMap } from '@limekit/core';

/** Options of {@link DatasetBaseline}. */
export interface DatasetOptions {
  /** Folder of real images (png, jpg, webp, …) to take switched-off segments from. */
  dir: string;
}

/** Defaults of {@link DatasetOptions}: no folder (one must be given). */
export const DEFAULT_DATASET_OPTIONS: Readonly<DatasetOptions> = { dir: '' };

/**
 * Loads every image of a folder resized to `width × height`, in a stable (sorted) order.
 * Throws a clear error for a missing folder or one without images. The composition layer
 * (`@limekit/lime`) supplies one built on `@limekit/image`; components may not decode images.
 */
export type ImageFolderLoader = (dir: string, width: number, height: number) => Promise<RgbImage[]>;

/**
 * A sample-dependent fill from real images (alibi's `images_background` for AnchorImage): for
 * each sample one image is drawn uniformly from a folder, from the sample's own seeded stream,
 * and the sample's switched-off segments show that image's pixels. The folder is loaded once
 * per view size and kept.
 *
 * {@link fill}, the one fill image that code needing a static fill gets, is one folder image
 * drawn from the run's `baseline` stream.
 */
export class DatasetBaseline implements Baseline {
  readonly id = 'dataset';
  readonly perSample = true;
  readonly options: Readonly<DatasetOptions>;
  private readonly loaded = new Map<string, Promise<RgbImage[]>>();

  /**
   * @param loader reads the folder (see {@link ImageFolderLoader}); `@limekit/lime` passes one.
   * @throws InvalidOptionError when `dir` is empty or no loader is given.
   */
  constructor(
    options: Partial<DatasetOptions> = {},
    private readonly loader?: ImageFolderLoader,
  ) {
    const o = (this.options = resolveOptions('DatasetBaseline', DEFAULT_DATASET_OPTIONS, options));
    requireOption(typeof o.dir === 'string' && o.dir.length > 0, 'DatasetBaseline', 'dir', 'a folder of images ({"use": "dataset", "options": {"dir": "path/to/images"}})', o.dir);
    if (!loader) throw new InvalidOptionError('DatasetBaseline: needs an image loader to read its folder. Create it through @limekit/lime (config {"use": "dataset"}) or pass an ImageFolderLoader.');
  }

  /** The folder's images at `width × height`, loaded once. */
  images(width: number, height: number): Promise<RgbImage[]> {
    const key = `${width}x${height}`;
    let p = this.loaded.get(key);
    if (!p) {
      p = this.loader!(this.options.dir, width, height).then((images) => {
        if (images.length === 0) throw new InvalidOptionError(`DatasetBaseline: dir must hold at least one image, got none in ${this.options.dir}. Point it at a folder of png/jpg images.`);
        for (const im of images) {
          if (im.width !== width || im.height !== height) throw new InvalidOptionError(`DatasetBaseline: the image loader returned a ${im.width}×${im.height} image for a ${width}×${height} view. It must resize every image to the view size.`);
        }
        return images;
      });
      p.catch(() => this.loaded.delete(key));
      this.loaded.set(key, p);
    }
    return p;
  }

  async fill(image: RgbImage, _segments: SegmentMap, ctx: RunContext): Promise<RgbImage> {
    const images = await this.images(image.width, image.height);
    return images[ctx.rng.nextInt(images.length)];
  }

  async startSamples(image: RgbImage, segments: SegmentMap): Promise<SampleFill> {
    const images = await this.images(image.width, image.height);
    const labels = segments.labels;
    const src = image.data;
    return {
      fillSample(rows: Uint8Array, rowOffset: number, ctx: RunContext, out: Uint8Array): void {
        const other = images[ctx.rng.nextInt(images.length)].data;
        for (let p = 0, i = 0; p < labels.length; p++, i += 3) {
          const from = rows[rowOffset + labels[p]] === 0 ? other : src;
          out[i] = from[i];
          out[i + 1] = from[i + 1];
          out[i + 2] = from[i + 2];
        }
      },
    };
  }
}
