import { readdir, stat } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { InputError, InvalidOptionError, RUN_OPTION_LIMITS, VIEW_OPTION_NAMES, validateViewOptions, type ModelAdapter } from '@limekit/core';
import { loadImage, preprocessToView } from '@limekit/image';
import {
  createExperimentContainer,
  describeConfig,
  explainerFrom,
  explainOptionsFrom,
  loadConfigFile,
  loadModel,
  MODEL_FIELD_NAMES,
  modelFieldFlags,
  modelFieldsFromFlags,
  modelFieldsHelp,
  modelOptionsFrom,
  resolveConfig,
  type ExplainConfig,
  type ResolvedConfig,
  type TfjsBackendChoice,
} from '@limekit/lime';
import { FeatureRecorder, recordImageSamples, studyDetectability, type ImageSamples } from '@limekit/manifold';
import { intFlag, modelFlag, parseFlags, requireFlags } from '../args.js';
import { UsageError } from '../exit-codes.js';
import type { CliIo } from '../io.js';
import { renderManifoldReport, type ManifoldEntry } from '../manifold-report.js';
import { printModelNotes } from '../model-notes.js';
import { ProgressBar } from '../progress.js';
import { OutputStaging } from '../staging.js';
import { IMAGE_EXTENSIONS } from './explain.js';

/** Samples drawn per image when `--samples-per-image` is not given. */
export const DEFAULT_SAMPLES_PER_IMAGE = 100;
/** Folds of the detector's cross-validation when `--folds` is not given. */
export const DEFAULT_MANIFOLD_FOLDS = 5;

export const MANIFOLD_HELP = `limekit manifold — how far each configuration's perturbed samples lie from real images

Usage:
  limekit manifold --model FILE --images DIR --config [NAME=]FILE [--config [NAME=]FILE …] --out DIR [options]

For each configuration, over every image of DIR, draws the perturbed samples exactly as
'limekit explain' does (the same explainer code, the same seed), keeps features of every real
image and every sample (image statistics, the model's probabilities and entropy, and the
embedding with --embedding), and trains a detector to tell perturbed samples from real images,
cross-validated with folds that hold whole images, on class-balanced training data (perturbed
rows cut to at most 4 × the real ones, real rows repeated to match). AUC 0.5: indistinguishable; near 1: off the data manifold (the gap the scaffolding attack of Slack et al., AIES 2020, uses).

Required:
  --model FILE|URL        ONNX model, TensorFlow.js model (model.json or its folder) or inference-server URL
  --images DIR            the real images (every image file of DIR, not its sub-folders; at least 2 per fold)
  --config [NAME=]FILE    an explain config file (as 'limekit explain --config'); repeat it to compare
                          configurations. NAME keys its results (default: the file name without .json)
  --out DIR               manifold.json and report.html (written only when everything succeeded)

Options:
  --embedding NAME        also use this model tensor as features and project it: an ONNX node output
                          (e.g. /ReduceMean_output_0, as Netron shows it) or a TensorFlow.js layer name;
                          a feature map [n, C, H, W] is averaged over space. Default: no embedding
                          (the projection then shows the detector's features)
  --samples-per-image N   samples per image: each configuration is run as 'explain --samples N'
                          (default ${DEFAULT_SAMPLES_PER_IMAGE}; the detector's cost grows with it)
  --folds K               cross-validation folds over images (default ${DEFAULT_MANIFOLD_FOLDS}; needs 2·K images)
  --seed S                seed of the explanations (overrides the configs') and of the detector (default 0)
  --detector KIND         random-forest (default) | logistic
  --preprocess NAME       imagenet | inception | unit | raw | caffe (default: what the model declares, else imagenet)
  --resize MODE           center-crop (default) | stretch
  --resize-to N           with center-crop, resize the shorter side to N first
  --labels FILE           class names
${modelFieldsHelp()}
  --backend NAME          TensorFlow.js models: auto | tensorflow | wasm | cpu
  --json                  print manifold.json on stdout instead of a summary
  --quiet                 no progress bar and no notes
  -h, --help              this help

manifold.json: { settings, configs: { NAME: { auc, aucStd, pooledAuc, accuracy, chanceAccuracy,
balancedAccuracy, folds: [{auc, accuracy, balancedAccuracy, nTrain, nTest}], images, perturbedSamples, identicalShare,
confidence: {real, perturbed, shift, flipRate, perImage}, projection: {source, explainedVariance,
real: [[x, y]], perturbed: [[x, y, image]]}, detector, featureNames, configFile, config } } }.

Exit codes: 0 ok, 2 usage, 3 bad input (folder without images, fewer than 2 images per fold,
unknown embedding name, bad config), 4 model error, 130 cancelled. Nothing is written to --out
unless every configuration succeeded.
`;

/** A `--config` value: `NAME=FILE` or `FILE` (named after the file). */
function configArg(value: string): { name: string; file: string } {
  const eq = value.indexOf('=');
  const [name, file] = eq > 0 && !/^[A-Za-z]:[\\/]/.test(value) ? [value.slice(0, eq), value.slice(eq + 1)] : [basename(value, extname(value)), value];
  if (!/^[A-Za-z0-9._-]+$/.test(name)) throw new UsageError(`manifold: --config ${value}: a configuration name must be letters, digits, . _ -, got "${name}". Write NAME=FILE.`);
  return { name, file };
}

async function listImages(cwd: string, dir: string): Promise<string[]> {
  const full = resolve(cwd, dir);
  let names: string[];
  try {
    if (!(await stat(full)).isDirectory()) throw new InputError(`manifold: --images must be a folder of images, got the file ${dir}. Put the real images in a folder.`);
    names = await readdir(full);
  } catch (err) {
    if (err instanceof InputError) throw err;
    throw new InputError(`manifold: --images folder ${dir} does not exist or cannot be read. Check the path.`);
  }
  const found = names.filter((n) => IMAGE_EXTENSIONS.includes(extname(n).toLowerCase()) && !n.startsWith('.')).sort();
  if (found.length === 0) {
    throw new InputError(`manifold: --images folder ${dir} must hold images (files ending in ${IMAGE_EXTENSIONS.join(', ')}), got none. Point it at a folder of real images.`);
  }
  return found.map((n) => join(full, n));
}

/** `limekit manifold`. */
export async function manifoldCommand(argv: string[], io: CliIo): Promise<number> {
  const flags = parseFlags('manifold', argv, {
    model: { type: 'string' },
    images: { type: 'string' },
    config: { type: 'string', multiple: true },
    out: { type: 'string' },
    embedding: { type: 'string' },
    'samples-per-image': { type: 'string' },
    folds: { type: 'string' },
    seed: { type: 'string' },
    detector: { type: 'string' },
    preprocess: { type: 'string' },
    resize: { type: 'string' },
    'resize-to': { type: 'string' },
    labels: { type: 'string' },
    backend: { type: 'string' },
    ...modelFieldFlags(),
    json: { type: 'boolean' },
    quiet: { type: 'boolean' },
  });
  if (flags.help) {
    io.stdout.write(MANIFOLD_HELP);
    return 0;
  }
  requireFlags('manifold', { ...flags, config: flags.config?.length ? flags.config : undefined }, ['model', 'images', 'config', 'out']);
  const samplesPerImage = intFlag('manifold', 'samples-per-image', flags['samples-per-image'], 2, RUN_OPTION_LIMITS.numSamples.max) ?? DEFAULT_SAMPLES_PER_IMAGE;
  const folds = intFlag('manifold', 'folds', flags.folds, 2) ?? DEFAULT_MANIFOLD_FOLDS;
  const seed = intFlag('manifold', 'seed', flags.seed, RUN_OPTION_LIMITS.seed.min, RUN_OPTION_LIMITS.seed.max);
  const detector = flags.detector ?? 'random-forest';
  if (detector !== 'random-forest' && detector !== 'logistic') throw new UsageError(`manifold: --detector must be random-forest or logistic, got "${detector}".`);
  if (flags.embedding !== undefined && flags.embedding.trim() === '') throw new UsageError('manifold: --embedding must name a model tensor, got an empty name.');

  // Everything that can be checked without the model is checked first: configurations, images, folds.
  const configs: { name: string; file: string; resolved: ResolvedConfig }[] = [];
  for (const value of flags.config!) {
    const { name, file } = configArg(value);
    if (configs.some((c) => c.name === name)) throw new UsageError(`manifold: two configurations are named "${name}". Name them: --config NAME=FILE.`);
    const path = resolve(io.cwd, file);
    const config: ExplainConfig = await loadConfigFile(path);
    for (const k of ['preprocess', ...VIEW_OPTION_NAMES, ...MODEL_FIELD_NAMES] as (keyof ExplainConfig)[]) {
      if (config[k] !== undefined) throw new InvalidOptionError(`manifold: ${file}: "${k}" belongs to the model, which every configuration shares; give it as a flag (--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}) instead.`);
    }
    const resolved = await resolveConfig({ ...config, numSamples: samplesPerImage, ...(seed !== undefined ? { seed } : {}) }, { baseDir: dirname(path), where: file });
    configs.push({ name, file, resolved });
  }
  const imagePaths = await listImages(io.cwd, flags.images!);
  if (imagePaths.length < 2 * folds) {
    const most = Math.floor(imagePaths.length / 2);
    throw new InvalidOptionError(
      `manifold: every fold must hold at least 2 images, so --folds ${folds} needs at least ${2 * folds} images, got ${imagePaths.length} in ${flags.images}. ${most >= 2 ? `Use --folds ${most} or fewer, or more images.` : 'Give at least 4 images (2 folds of 2).'}`,
    );
  }
  const viewFlags: Record<string, unknown> = { preprocess: flags.preprocess, resize: flags.resize, resizeTo: intFlag('manifold', 'resize-to', flags['resize-to'], 1) };
  for (const k of Object.keys(viewFlags)) if (viewFlags[k] === undefined) delete viewFlags[k];
  validateViewOptions(viewFlags, 'manifold');
  let modelFields;
  try {
    modelFields = modelFieldsFromFlags(flags, 'manifold');
  } catch (err) {
    if (err instanceof InvalidOptionError) throw new UsageError(`${err.message} See 'limekit manifold --help'.`);
    throw err;
  }
  const outDir = resolve(io.cwd, flags.out!);

  let model: ModelAdapter | undefined;
  let staging: OutputStaging | undefined;
  try {
    model = await loadModel(modelFlag(io.cwd, flags.model!), {
      ...modelOptionsFrom({ ...viewFlags, ...modelFields }),
      ...(flags.labels ? { labels: resolve(io.cwd, flags.labels) } : {}),
      ...(flags.backend ? { backend: flags.backend as TfjsBackendChoice } : {}),
    });
    if (!flags.quiet && !flags.json) printModelNotes(io, model, flags.preprocess !== undefined, 'manifold');
    const recorder = new FeatureRecorder(model, flags.embedding !== undefined ? { embedding: flags.embedding } : {});
    // Images are decoded when their turn comes and dropped after: only features are kept.
    const viewOf = async (path: string) => (await preprocessToView(await loadImage(path), model!.input)).view;

    const entries: (ManifoldEntry & Record<string, unknown>)[] = [];
    const bar = new ProgressBar(io, 'manifold', Boolean(flags.quiet || flags.json), undefined, 'images');
    const total = configs.length * imagePaths.length;
    let done = 0;
    try {
      for (const c of configs) {
        const explainer = explainerFrom(createExperimentContainer(c.resolved, recorder));
        const options = { ...explainOptionsFrom(c.resolved), ...(io.signal ? { signal: io.signal } : {}) };
        const samples: ImageSamples[] = [];
        for (const path of imagePaths) {
          const view = await viewOf(path);
          samples.push(await recordImageSamples(basename(path), recorder, view, () => explainer.explain(view, options)));
          bar.update({ phase: 'sample', done: ++done, total });
        }
        const study = studyDetectability(samples, { folds, seed: seed ?? 0, detector });
        const embeddingSize = samples[0].real.embedding?.length ?? 0;
        entries.push({ config: c.name, ...study, featureNames: recorder.featureNames(embeddingSize), configFile: c.file, config_: describeConfig(c.resolved) });
      }
    } finally {
      bar.done();
    }

    const settings = {
      model: flags.model,
      images: { dir: flags.images, files: imagePaths.map((p) => basename(p)) },
      embedding: flags.embedding ?? null,
      samplesPerImage,
      folds,
      seed: seed ?? 0,
      detector,
      foldsHold: 'whole images (an image and its samples together)',
      generatedBy: 'limekit manifold',
    };
    const json = {
      settings,
      configs: Object.fromEntries(entries.map(({ config, config_, ...rest }) => [config, { ...rest, config: config_ }])),
    };
    const generatedAt = new Date().toISOString();
    staging = await OutputStaging.create(outDir);
    await staging.write('manifold.json', JSON.stringify(json, null, 2) + '\n');
    await staging.write('report.html', await renderManifoldReport({ entries, settings, generatedAt }));
    await staging.commit(['manifold.json', 'report.html']);
    staging = undefined;

    if (flags.json) io.stdout.write(JSON.stringify(json, null, 2) + '\n');
    else {
      const lines = [`${imagePaths.length} images × ${samplesPerImage} samples per configuration · detector ${detector}, ${folds} folds over images · seed ${seed ?? 0}${flags.embedding ? ` · embedding ${flags.embedding}` : ''}`];
      const width = Math.max(...entries.map((e) => e.config.length));
      for (const e of entries) {
        lines.push(
          `  ${e.config.padEnd(width)}  AUC ${e.auc.toFixed(3)} ± ${e.aucStd.toFixed(3)} · balanced accuracy ${e.balancedAccuracy.toFixed(3)} · accuracy ${e.accuracy.toFixed(3)} (chance ${e.chanceAccuracy.toFixed(3)}) · confidence ${e.confidence.real.toFixed(3)} → ${e.confidence.perturbed.toFixed(3)} (shift ${e.confidence.shift >= 0 ? '+' : '−'}${Math.abs(e.confidence.shift).toFixed(3)}, flips ${(100 * e.confidence.flipRate).toFixed(1)} %)`,
        );
      }
      lines.push(`Wrote ${join(outDir, 'manifold.json')} and ${join(outDir, 'report.html')}`);
      io.stdout.write(lines.join('\n') + '\n');
    }
    return 0;
  } finally {
    await staging?.discard();
    await model?.dispose();
  }
}
