import { resolve } from 'node:path';
import { createRng, InvalidOptionError, STREAMS, validateSegmentMap, type ModelAdapter, type RgbImage } from '@limekit/core';
import { encodePng, loadImage, preprocessToView, renderBoundaries } from '@limekit/image';
import { encodeNpyInt32, loadModel, modelFieldFlags, modelOptionsFrom, resolveConfig, type TfjsBackendChoice } from '@limekit/lime';
import { modelFlag, parseFlags, requireFlags } from '../args.js';
import { UsageError } from '../exit-codes.js';
import type { CliIo } from '../io.js';
import { OutputStaging } from '../staging.js';
import { configFromFlags } from './explain.js';

export const SEGMENT_HELP = `limekit segment — segment an image into superpixels, to tune segmentation before explaining

Usage:
  limekit segment --image FILE --out DIR [--config FILE] [--segmenter ID] [--size WxH] [--seed N] [--json]
  limekit segment --image FILE --out DIR --model FILE [explain's model and resize options] ...

  --image FILE      the image
  --out DIR         writes segments.npy (int32, H×W, ids 0..M-1) and segments.png (boundaries)
  --config FILE     a config file; its "segmenter" entry (and preset) is used
  --preset NAME     preset whose segmenter is used (default: lime → quickshift 4/200/0.2)
  --segmenter ID    a segmenter id (quickshift, slic, felzenszwalb, grid) with its defaults,
                    overriding the config's
  --size WxH        segment at this size (stretched); default: the image's own size
  --model FILE|URL  segment the model's view of the image, exactly as 'limekit explain' with the same
                    --model, --resize, --resize-to, --config, --preset, --segmenter and --seed does
                    (segments.npy is then identical to explain's); accepts explain's model options
                    (--preprocess, --input-size, --layout, --output-name, …, --backend)
  --resize MODE     with --model: center-crop (default) | stretch
  --resize-to N     with --model and center-crop: the shorter side before the crop (256 for torchvision)
  --seed N          seed of the generator (quickshift's tie-breaking noise)
  --json            print {"count": M, "seconds": t}; t is the segmentation alone
`;

/** `limekit segment`. */
export async function segmentCommand(argv: string[], io: CliIo): Promise<number> {
  const flags = parseFlags('segment', argv, {
    image: { type: 'string' },
    out: { type: 'string' },
    config: { type: 'string' },
    preset: { type: 'string' },
    segmenter: { type: 'string' },
    size: { type: 'string' },
    model: { type: 'string' },
    preprocess: { type: 'string' },
    resize: { type: 'string' },
    'resize-to': { type: 'string' },
    backend: { type: 'string' },
    ...modelFieldFlags(),
    seed: { type: 'string' },
    json: { type: 'boolean' },
  });
  if (flags.help) {
    io.stdout.write(SEGMENT_HELP);
    return 0;
  }
  requireFlags('segment', flags, ['image', 'out']);
  const { config, baseDir, where } = await configFromFlags(io.cwd, flags, 'segment');
  if (flags.segmenter) config.segmenter = { use: flags.segmenter };
  const resolved = await resolveConfig(config, { baseDir, where });
  const segmenter = resolved.components.segmenter.instance;
  let size: { width: number; height: number } | undefined;
  if (flags.size) {
    const m = /^(\d+)[x×](\d+)$/.exec(flags.size.trim());
    if (!m || Number(m[1]) < 1 || Number(m[2]) < 1) throw new UsageError(`segment: --size must be WxH with positive integers, e.g. 224x224, got "${flags.size}".`);
    size = { width: Number(m[1]), height: Number(m[2]) };
  }
  if (size && flags.model) throw new UsageError(`segment: give --size or --model, not both; with --model the model's view decides the size.`);
  for (const k of ['resize', 'resize-to', 'preprocess', 'backend'] as const) {
    if (flags[k] !== undefined && !flags.model) throw new UsageError(`segment: --${k} needs --model (it describes how the model sees the image).`);
  }
  const original = await loadImage(resolve(io.cwd, flags.image!));
  let image: RgbImage = original;
  if (size) image = (await preprocessToView(original, { ...size, resize: 'stretch' })).view;
  if (flags.model) {
    let model: ModelAdapter | undefined;
    try {
      model = await loadModel(modelFlag(io.cwd, flags.model), { ...modelOptionsFrom(resolved), ...(flags.backend ? { backend: flags.backend as TfjsBackendChoice } : {}) });
      image = (await preprocessToView(original, model.input)).view;
    } finally {
      await model?.dispose();
    }
  }
  const rng = createRng(resolved.seed).fork(STREAMS.segmenter);
  const t0 = performance.now();
  const segments = await segmenter.segment(image, { rng, ...(io.signal ? { signal: io.signal } : {}) });
  const seconds = (performance.now() - t0) / 1000;
  validateSegmentMap(segments, image.width, image.height, `Segmenter "${segmenter.id}"`);
  if (segments.count < 1) throw new InvalidOptionError('segment: the segmenter returned no segments.');
  const staging = await OutputStaging.create(resolve(io.cwd, flags.out!));
  try {
    await staging.write('segments.npy', encodeNpyInt32(segments.labels, [segments.height, segments.width]));
    await staging.write('segments.png', await encodePng(renderBoundaries(image, segments.labels)));
    await staging.commit();
  } catch (err) {
    await staging.discard();
    throw err;
  }
  if (flags.json) io.stdout.write(JSON.stringify({ count: segments.count, seconds }) + '\n');
  else io.stdout.write(`${segments.count} segments (${segmenter.id}, ${image.width}×${image.height}) in ${seconds.toFixed(3)} s → ${flags.out}/segments.npy, segments.png\n`);
  return 0;
}
