import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { InputError, InvalidOptionError, neighbourhoodToJSON, RUN_OPTION_LIMITS, validateViewOptions, type Explanation, type ModelAdapter, type RgbImage } from '@limekit/core';
import {
  loadImage,
  preprocessToView,
  renderHeatmap,
  renderHideRest,
  renderOverlay,
  segmentsToOriginal,
  encodePng,
} from '@limekit/image';
import {
  createExperimentContainer,
  encodeNpyFloat32,
  encodeNpyInt32,
  explainerFrom,
  explainOptionsFrom,
  loadConfigFile,
  loadModel,
  modelFieldFlags,
  modelFieldsFromFlags,
  modelFieldsHelp,
  modelOptionsFrom,
  resolveConfig,
  resolveLabels,
  type ExplainConfig,
  type TfjsBackendChoice,
} from '@limekit/lime';
import { intFlag, modelFlag, parseFlags, requireFlags } from '../args.js';
import { UsageError } from '../exit-codes.js';
import type { CliIo } from '../io.js';
import { attributionMap, previousExplanationFiles, viewRecord } from '../explain-output.js';
import { renderExplanationHtml } from '../explanation-html.js';
import { signed, spread } from '../format.js';
import { printModelNotes } from '../model-notes.js';
import { ProgressBar } from '../progress.js';
import { labelsAtOnce, runPictureTasks } from '../picture-tasks.js';
import { OutputStaging } from '../staging.js';

export const EXPLAIN_HELP = `limekit explain — explain an image classifier's prediction on images with LIME

Usage:
  limekit explain --model FILE --image FILE [--image FILE …] --out DIR [options]
  limekit explain --model FILE --images DIR --out DIR [options]

Required:
  --model FILE|URL      ONNX model (.onnx) or TensorFlow.js model (model.json, or its folder), or an
                        inference server's http://host:port/v2/models/NAME (limekit serve, Triton, KServe)
  --image FILE          JPEG, PNG, WebP, TIFF or GIF image (any size: it is brought to the model's
                        view); repeat it to explain several images with the model loaded once
  --images DIR          explain every image in DIR (not its sub-folders), in name order
  --out DIR             folder for explanation.json, segments.npy, attribution-<index>.npy and the PNG
                        overlays; with several images, one sub-folder per image, named after the file
                        (cat.jpg → DIR/cat/). An earlier explanation there is replaced (its files
                        removed); a folder holding other files is refused

Options:
  --config FILE         JSON config: preset, segmenter, sampler, kernel, surrogate, baseline,
                        featureSelection ({"use": ID or module path, "options": {...}}), numSamples,
                        batchSize, seed, topLabels, numFeatures, preprocess, resize, resizeTo,
                        interpolation, and the model fields inputSize, layout, inputName, outputName,
                        outputKind, labelOffset (the flags below)
  --preset NAME         start from a preset (default: lime); see 'limekit presets'
  --preprocess NAME     imagenet | inception | unit | raw | caffe (default: what the model declares, else imagenet)
  --resize MODE         center-crop (default: keep the aspect ratio, cut the middle) | stretch
  --resize-to N         with center-crop, resize the shorter side to N first (torchvision's
                        Resize(256) + CenterCrop(224): --resize-to 256)
  --labels FILE         class names: JSON array, imagenet_class_index.json-style object, or one per line
${modelFieldsHelp()}
  --backend NAME        TensorFlow.js models: auto | tensorflow | wasm | cpu (default auto: tfjs-node-gpu,
                        tfjs-node, then WebAssembly); reported in explanation.json's model
  --samples N           perturbed samples, the image itself included (lime: 1000)
  --batch-size N        model batch size (results do not depend on it)
  --seed N              seed of the run's random generator (default 0)
  --top-labels K        explain the K most probable classes (lime: 5)
  --label NAME|INDEX    explain this class (repeatable; overrides --top-labels)
  --num-features F      segments shown in the overlays and the summary (lime's get_image_and_mask
                        num_features, default 5); the number fitted is the config's numFeatures
  --save-samples        also write neighbourhood.json (X, y, sample_weight) for 'limekit refit'
  --html                also write explanation.html: the image with segments coloured by weight, a
                        features slider, positive/negative/both, weights on hover (opens from disk)
  --json                print the explanation as JSON on stdout instead of a summary
  --quiet               no progress bar and no notes (warnings still show)
  -h, --help            this help

Exit codes: 0 ok, 2 usage, 3 bad input (image, config, labels, options), 4 model error, 130 cancelled.
`;

/** The model flags (--input-size, --layout, …); a bad value is a usage error. */
function modelFlags(flags: Record<string, unknown>, command: string) {
  try {
    return modelFieldsFromFlags(flags, command);
  } catch (err) {
    if (err instanceof InvalidOptionError) throw new UsageError(`${err.message} See 'limekit ${command} --help'.`);
    throw err;
  }
}

/** Builds the explain config from --config, --preset and the flags (flags win); each is validated once, the view fields together. */
export async function configFromFlags(
  cwd: string,
  flags: { config?: string; preset?: string; preprocess?: string; resize?: string; 'resize-to'?: string; samples?: string; 'batch-size'?: string; seed?: string; 'top-labels'?: string } & Record<string, unknown>,
  command: string,
): Promise<{ config: ExplainConfig; baseDir: string; where: string }> {
  let config: ExplainConfig = {};
  let baseDir = cwd;
  let where = 'config';
  if (flags.config) {
    const path = resolve(cwd, flags.config);
    config = await loadConfigFile(path);
    baseDir = dirname(path);
    where = flags.config;
  }
  const overrides: Record<string, unknown> = {
    preset: flags.preset,
    preprocess: flags.preprocess,
    resize: flags.resize,
    resizeTo: intFlag(command, 'resize-to', flags['resize-to'], 1),
    numSamples: intFlag(command, 'samples', flags.samples, RUN_OPTION_LIMITS.numSamples.min),
    batchSize: intFlag(command, 'batch-size', flags['batch-size'], RUN_OPTION_LIMITS.batchSize.min),
    seed: intFlag(command, 'seed', flags.seed, RUN_OPTION_LIMITS.seed.min, RUN_OPTION_LIMITS.seed.max),
    topLabels: intFlag(command, 'top-labels', flags['top-labels'], RUN_OPTION_LIMITS.topLabels.min),
    ...modelFlags(flags, command),
  };
  for (const [k, v] of Object.entries(overrides)) if (v !== undefined) (config as Record<string, unknown>)[k] = v;
  validateViewOptions(config, where);
  return { config, baseDir, where };
}

const fmt = signed;
const fmtStd = spread;

/** The human-readable summary printed after an explanation. */
export function summarize(exp: Explanation, info: { modelPath: string; imagePath: string; original: { width: number; height: number }; files: string[]; numFeatures: number; outDir: string }): string {
  const lines: string[] = [];
  const cfg = exp.config as Record<string, { id?: string } | unknown>;
  const segId = (cfg.segmenter as { id?: string })?.id ?? String(cfg.segmenter);
  const surId = (cfg.surrogate as { id?: string })?.id ?? String(cfg.surrogate);
  lines.push(`Model ${basename(info.modelPath)} · image ${basename(info.imagePath)} ${info.original.width}×${info.original.height} → view ${exp.image.width}×${exp.image.height}`);
  lines.push(
    `${exp.segments.count} segments (${segId}) · ${exp.numSamples} samples in ${exp.modelCalls} model calls · ${(exp.timings.total / 1000).toFixed(2)} s (model ${(exp.timings.predict / 1000).toFixed(2)} s) · seed ${exp.seed}`,
  );
  for (const l of exp.labels) {
    lines.push('');
    lines.push(`${l.name ?? `class ${l.index}`} (index ${l.index}): probability ${l.probability.toFixed(4)}`);
    lines.push(`  ${surId} surrogate: R² ${l.score.toFixed(3)}, local prediction ${l.localPrediction.toPrecision(4)}${l.localPredictionStd !== undefined ? ` ± ${fmtStd(l.localPredictionStd)}` : ''}, intercept ${l.intercept.toPrecision(4)}`);
    const top = exp.ranked(l.index).slice(0, info.numFeatures);
    const parts = top.map(({ segment, weight }) => `#${segment} ${fmt(weight)}${l.weightStd ? ` ± ${fmtStd(l.weightStd[segment])}` : ''}`);
    lines.push(`  top segments: ${parts.join(', ')}`);
  }
  lines.push('');
  lines.push(`Wrote ${info.files.length} files to ${info.outDir}: ${info.files.map((f) => basename(f)).join(', ')}`);
  return lines.join('\n') + '\n';
}

function fileSafe(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 60);
}

/** File extensions `--images DIR` picks up (what sharp decodes). */
export const IMAGE_EXTENSIONS: readonly string[] = ['.jpg', '.jpeg', '.png', '.webp', '.tif', '.tiff', '.gif', '.avif'];

/** One image to explain and the folder (relative to --out; '' for --out itself) its outputs go to. */
interface ImageJob {
  /** As the user wrote it (or DIR/name for --images), for explanation.json and messages. */
  given: string;
  path: string;
  subdir: string;
}

/**
 * The images of a run: the repeated --image flags and the images of --images DIR. One image keeps
 * the single-image layout (files straight in --out); several get one sub-folder each, named after
 * the file's stem (made unique with -2, -3… when two files share a stem).
 */
async function imageJobs(cwd: string, images: string[], dir: string | undefined): Promise<ImageJob[]> {
  const given = [...images];
  if (dir !== undefined) {
    const full = resolve(cwd, dir);
    let names: string[];
    try {
      if (!(await stat(full)).isDirectory()) throw new InputError(`explain: --images must be a folder of images, got the file ${dir}. Use --image FILE for one image.`);
      names = await readdir(full);
    } catch (err) {
      if (err instanceof InputError) throw err;
      throw new InputError(`explain: --images folder ${dir} does not exist or cannot be read. Check the path.`);
    }
    const found = names.filter((n) => IMAGE_EXTENSIONS.includes(extname(n).toLowerCase()) && !n.startsWith('.')).sort();
    if (found.length === 0) {
      throw new InputError(`explain: --images folder ${dir} holds no images (files ending in ${IMAGE_EXTENSIONS.join(', ')}). Point it at a folder of images, or use --image FILE.`);
    }
    given.push(...found.map((n) => join(dir, n)));
  }
  const single = given.length === 1 && dir === undefined;
  const used = new Set<string>();
  return given.map((g) => {
    const stem = fileSafe(basename(g, extname(g))) || 'image';
    let subdir = stem;
    for (let k = 2; used.has(subdir); k++) subdir = `${stem}-${k}`;
    used.add(subdir);
    return { given: g, path: resolve(cwd, g), subdir: single ? '' : subdir };
  });
}

/**
 * What of an earlier run `--out` holds that this run replaces. One image: the files of an earlier
 * explanation in `--out` itself. Several: each image's sub-folder that already exists, when it holds
 * only an earlier explanation's files (anything else in it makes the command refuse); other entries
 * of `--out` are left alone.
 */
async function previousOutputs(outDir: string, jobs: readonly ImageJob[]): Promise<string[]> {
  if (jobs.length === 1 && jobs[0].subdir === '') return previousExplanationFiles(outDir);
  const replaced: string[] = [];
  for (const job of jobs) {
    const sub = join(outDir, job.subdir);
    const info = await stat(sub).catch(() => undefined);
    if (!info) continue;
    if (!info.isDirectory()) throw new InputError(`explain: ${sub} is a file, but the explanation of ${job.given} goes into a folder of that name. Move the file or choose another --out.`);
    await previousExplanationFiles(sub, `--out sub-folder`);
    replaced.push(job.subdir);
  }
  return replaced;
}

/** `limekit explain`. */
export async function explainCommand(argv: string[], io: CliIo): Promise<number> {
  const flags = parseFlags('explain', argv, {
    model: { type: 'string' },
    image: { type: 'string', multiple: true },
    images: { type: 'string' },
    out: { type: 'string' },
    config: { type: 'string' },
    preset: { type: 'string' },
    preprocess: { type: 'string' },
    backend: { type: 'string' },
    resize: { type: 'string' },
    'resize-to': { type: 'string' },
    labels: { type: 'string' },
    ...modelFieldFlags(),
    samples: { type: 'string' },
    'batch-size': { type: 'string' },
    seed: { type: 'string' },
    'top-labels': { type: 'string' },
    label: { type: 'string', multiple: true },
    'num-features': { type: 'string' },
    'save-samples': { type: 'boolean' },
    html: { type: 'boolean' },
    json: { type: 'boolean' },
    quiet: { type: 'boolean' },
  });
  if (flags.help) {
    io.stdout.write(EXPLAIN_HELP);
    return 0;
  }
  const hasImages = Boolean(flags.image?.length) || flags.images !== undefined;
  requireFlags('explain', { ...flags, image: hasImages ? true : undefined }, ['model', 'image', 'out']);
  const numFeatures = intFlag('explain', 'num-features', flags['num-features'], 1) ?? 5;
  const { config, baseDir, where } = await configFromFlags(io.cwd, flags, 'explain');
  // Everything that can be checked without the model and the images is checked first.
  const resolved = await resolveConfig(config, { baseDir, where });
  const modelPath = modelFlag(io.cwd, flags.model!);
  const jobs = await imageJobs(io.cwd, flags.image ?? [], flags.images);
  // One image is decoded before the model loads (a bad image fails fast); with several, each is
  // decoded when its turn comes, but all must exist.
  const first = await loadImage(jobs[0].path);
  for (const job of jobs.slice(1)) {
    try {
      await stat(job.path);
    } catch {
      throw new InputError(`explain: image ${job.given} does not exist or cannot be read. Check the path.`);
    }
  }
  const outDir = resolve(io.cwd, flags.out!);
  const previous = await previousOutputs(outDir, jobs);
  let model: ModelAdapter | undefined;
  let released: Promise<void> | undefined;
  const releaseModel = () => (released ??= model?.dispose() ?? Promise.resolve());
  let staging: OutputStaging | undefined;
  try {
    model = await loadModel(modelPath, {
      ...modelOptionsFrom(resolved),
      ...(flags.labels ? { labels: resolve(io.cwd, flags.labels) } : {}),
      ...(flags.backend ? { backend: flags.backend as TfjsBackendChoice } : {}),
    });
    if (!flags.quiet) printModelNotes(io, model, resolved.preprocess !== undefined, 'explain');
    const labels = flags.label?.length ? resolveLabels(model, flags.label) : undefined;
    const explainer = explainerFrom(createExperimentContainer(resolved, model));
    staging = await OutputStaging.create(outDir);
    const summaries: string[] = [];
    const jsons: Record<string, unknown>[] = [];
    for (let i = 0; i < jobs.length; i++) {
      const job = jobs[i];
      const original = i === 0 ? first : await loadImage(job.path);
      const { view, transform } = await preprocessToView(original, model.input);
      const label = jobs.length > 1 ? `explain ${i + 1}/${jobs.length} ${basename(job.path)}` : 'explain';
      const bar = new ProgressBar(io, label, flags.quiet || flags.json);
      const exp = await explainer.explain(view, {
        ...explainOptionsFrom(resolved),
        ...(labels ? { labels } : {}),
        keepNeighbourhood: Boolean(flags['save-samples']),
        onProgress: bar.update,
        ...(io.signal ? { signal: io.signal } : {}),
        warn: (m) => io.stderr.write(`warning: ${m}\n`),
      });
      bar.done();
      // The last explanation needs the model no more: releasing it now returns the runtime's
      // memory (onnxruntime's arena) before the pictures are rendered, so writing them does not
      // add to the process's peak. Its input and output descriptions stay readable.
      if (i === jobs.length - 1) await releaseModel();
      const put = (name: string, data: string | Uint8Array) => staging!.write(job.subdir ? `${job.subdir}/${name}` : name, data);
      const { width: W, height: H } = original;
      const segAtOriginal = segmentsToOriginal(exp.segments, transform, W, H);
      await put('segments.npy', encodeNpyInt32(exp.segments.labels, [exp.segments.height, exp.segments.width]));
      const attributions: Record<string, string> = {};
      for (const l of exp.labels) {
        attributions[String(l.index)] = `attribution-${l.index}.npy`;
        await put(attributions[String(l.index)], encodeNpyFloat32(attributionMap(exp, l.index), [exp.segments.height, exp.segments.width]));
      }
      const pictures = await writePictures(exp, original, segAtOriginal, numFeatures, put);
      if (flags.html) {
        const page = await renderExplanationHtml({ exp, original, segmentsAtOriginal: segAtOriginal, imageName: basename(job.path), modelName: basename(modelPath), numFeatures });
        await put('explanation.html', page);
      }
      const json = {
        ...exp.toJSON(),
        image: { path: job.given, width: W, height: H },
        viewFromImage: viewRecord(transform, model.input),
        model: { path: flags.model, numClasses: model.numClasses, ...(model.info ?? {}) },
        files: {
          segments: 'segments.npy',
          attributions,
          labels: pictures,
          ...(flags.html ? { html: 'explanation.html' } : {}),
          ...(flags['save-samples'] ? { neighbourhood: 'neighbourhood.json' } : {}),
        },
      };
      await put('explanation.json', JSON.stringify(json, null, 2) + '\n');
      if (exp.neighbourhood) {
        const source = { image: job.given, model: flags.model, seed: exp.seed };
        await put('neighbourhood.json', JSON.stringify(neighbourhoodToJSON(exp.neighbourhood, { source })) + '\n');
      }
      const jobOut = job.subdir ? join(flags.out!, job.subdir) : flags.out!;
      jsons.push({ ...json, out: resolve(io.cwd, jobOut) });
      const files = [...(await staging.list(job.subdir))].sort().map((f) => join(resolve(io.cwd, jobOut), f));
      summaries.push(summarize(exp, { modelPath, imagePath: job.path, original, files, numFeatures, outDir: jobOut }));
    }
    await staging.commit(previous);
    staging = undefined;
    if (previous.length && !flags.quiet) {
      const what = jobs.length === 1 && jobs[0].subdir === '' ? `its ${previous.length} files` : `its sub-folders`;
      io.stderr.write(`note: ${flags.out} held an earlier explanation; replaced ${what} (${previous.join(', ')}).\n`);
    }
    if (flags.json) io.stdout.write(JSON.stringify(jobs.length === 1 && !flags.images ? jsons[0] : { explanations: jsons }, null, 2) + '\n');
    else io.stdout.write(summaries.join('\n'));
    return 0;
  } finally {
    await staging?.discard();
    await releaseModel();
  }
}

/**
 * Renders and stages, per explained label, the overlay, the heat map and the hide-rest picture.
 * sharp encodes on libuv's threads, so each picture is handed to it as soon as it is rendered and
 * the next one is rendered here meanwhile, several labels at once within a memory budget (see
 * picture-tasks.ts).
 */
async function writePictures(
  exp: Explanation,
  original: RgbImage,
  segAtOriginal: ReturnType<typeof segmentsToOriginal>,
  numFeatures: number,
  put: (name: string, data: Uint8Array) => Promise<void>,
): Promise<Record<string, Record<string, string>>> {
  const pictures: Record<string, Record<string, string>> = {};
  const stage = async (name: string, picture: RgbImage) => put(name, await encodePng(picture));
  const groups = exp.labels.map((l) => {
    const stem = `label-${l.index}${l.name ? `-${fileSafe(l.name)}` : ''}`;
    const files = {
      overlay: `${stem}.overlay.png`,
      heatmap: `${stem}.heatmap.png`,
      hideRest: `${stem}.hide-rest.png`,
    };
    pictures[String(l.index)] = files;
    const uncertain = l.weightStd ? Uint8Array.from(l.weights, (w, s) => (Math.abs(w) < 2 * l.weightStd![s] ? 1 : 0)) : undefined;
    return [
      () => stage(files.overlay, renderOverlay(original, segAtOriginal, l.weights, { numFeatures, ...(uncertain ? { uncertain } : {}) })),
      () => stage(files.heatmap, renderHeatmap(original, segAtOriginal, l.weights)),
      () => stage(files.hideRest, renderHideRest(original, segAtOriginal, exp.mask(l.index, { numFeatures }).segments)),
    ];
  });
  await runPictureTasks(groups, labelsAtOnce(3, original.data.length));
  return pictures;
}

/** For tests: reads an explanation.json. */
export async function readExplanationJson(path: string): Promise<Record<string, unknown>> {
  return JSON.parse(await readFile(path, 'utf8'));
}
