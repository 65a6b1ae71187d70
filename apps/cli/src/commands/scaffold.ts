import { readdir, stat } from 'node:fs/promises';
import { basename, dirname, extname, isAbsolute, join, relative, resolve } from 'node:path';
import { createRng, InputError, type ModelAdapter, type Rng } from '@limekit/core';
import { loadImage, preprocessToView, writeFileAtomic } from '@limekit/image';
import { createExperimentContainer, describeConfig, explainerFrom, explainOptionsFrom, loadModel, modelFieldFlags, modelFieldsHelp, modelOptionsFrom, resolveConfig, type TfjsBackendChoice } from '@limekit/lime';
import { crossValidateDetector, DEFAULT_DETECTOR_OPTIONS, trainDetector } from '@limekit/manifold';
import {
  checkScaffoldModels,
  DEFAULT_SCAFFOLD_FEATURES,
  DEFAULT_SCAFFOLD_OPTIONS,
  FeatureRecorder,
  SCAFFOLD_FILE_VERSION,
  SCAFFOLD_FORMAT,
  scaffoldFeatures,
  type ScaffoldFile,
} from '@limekit/model-scaffold';
import { intFlag, modelFlag, parseFlags, requireFlags } from '../args.js';
import { UsageError } from '../exit-codes.js';
import type { CliIo } from '../io.js';
import { configFromFlags, IMAGE_EXTENSIONS } from './explain.js';

/** Defaults of `limekit scaffold train`. */
export const DEFAULT_SCAFFOLD_TRAIN = { samplesPerImage: 100, seed: 0, folds: DEFAULT_DETECTOR_OPTIONS.folds } as const;

export const SCAFFOLD_HELP = `limekit scaffold — the scaffolding attack (Slack et al., "Fooling LIME and SHAP", AIES 2020)

Usage:
  limekit scaffold train --biased FILE --innocuous FILE --images DIR --out scaffold.json [options]

A scaffolded model answers like --biased on inputs its detector calls real and like --innocuous on
the others. 'train' draws perturbed samples of every image in DIR exactly as 'explain' does with
--config (same segmenter, fill, sampler, sample budget and seed streams), trains the detector (a random forest on
image statistics) to tell them from the real images, prints its cross-validated AUC and writes
scaffold.json, which --model accepts in predict, explain, evaluate and manifold.

Required:
  --biased FILE|URL       the model whose behaviour is hidden (answers real inputs)
  --innocuous FILE|URL    the model shown on perturbed inputs; same classes and input as --biased
  --images DIR            real images (JPEG, PNG, …; not sub-folders), at least 2 × folds of them
  --out FILE              the scaffold file (JSON); written only when training succeeded

Options:
  --config FILE           the explain configuration to train against (default: the lime preset);
                          its model fields (preprocess, resize, …) load both models
  --preset NAME           start from a preset instead
  --samples-per-image N   perturbed samples kept per image (default ${DEFAULT_SCAFFOLD_TRAIN.samplesPerImage}), a seeded subset of those an
                          explanation at the configuration's own numSamples draws; the instance row is not one
  --seed N                seed of the training (default ${DEFAULT_SCAFFOLD_TRAIN.seed}); image i is sampled with a seed drawn from
                          it, so explanations at their own seeds see other samples than training did
  --folds K               cross-validation folds (default ${DEFAULT_SCAFFOLD_TRAIN.folds}); needs 2 × K images
  --threshold T           P(perturbed) from which an input goes to the innocuous model (default ${DEFAULT_SCAFFOLD_OPTIONS.threshold})
  --labels FILE           class names for both models
  --preprocess NAME       imagenet | inception | unit | raw | caffe (default: what the models declare)
${modelFieldsHelp()}
  --backend NAME          TensorFlow.js models: auto | tensorflow | wasm | cpu
  --json                  print the training summary as JSON
  --quiet                 no progress lines
  -h, --help              this help

Exit codes: 0 ok, 2 usage, 3 bad input (images, config, models that differ), 4 model error, 130 cancelled.
`;

/** `limekit scaffold <subcommand>`. */
export async function scaffoldCommand(argv: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === undefined || sub === '--help' || sub === '-h') {
    io.stdout.write(SCAFFOLD_HELP);
    return sub === undefined ? 2 : 0;
  }
  if (sub !== 'train') throw new UsageError(`scaffold: unknown subcommand "${sub}". Use 'limekit scaffold train'. See 'limekit scaffold --help'.`);
  return scaffoldTrain(rest, io);
}

async function imagesOf(cwd: string, dir: string): Promise<string[]> {
  const full = resolve(cwd, dir);
  let names: string[];
  try {
    if (!(await stat(full)).isDirectory()) throw new InputError(`scaffold train: --images must be a folder of images, got the file ${dir}. Point it at a folder.`);
    names = await readdir(full);
  } catch (err) {
    if (err instanceof InputError) throw err;
    throw new InputError(`scaffold train: --images folder ${dir} does not exist or cannot be read. Check the path.`);
  }
  const found = names.filter((n) => IMAGE_EXTENSIONS.includes(extname(n).toLowerCase()) && !n.startsWith('.')).sort();
  if (found.length === 0) {
    throw new InputError(`scaffold train: --images folder ${dir} must hold images (files ending in ${IMAGE_EXTENSIONS.join(', ')}), got none. Point it at a folder of real images.`);
  }
  return found.map((n) => join(full, n));
}

async function requireModelFile(cwd: string, flag: string, value: string): Promise<string> {
  const path = modelFlag(cwd, value);
  if (/^https?:\/\//i.test(path)) return path;
  try {
    await stat(path);
  } catch {
    throw new InputError(`scaffold train: --${flag} model ${value} does not exist or cannot be read. Check the path.`);
  }
  return path;
}

/** `k` of `items`, chosen uniformly without replacement (partial Fisher–Yates on `rng`), in their original order. */
function seededSubset<T>(items: readonly T[], k: number, rng: Rng): T[] {
  const idx = Array.from(items, (_, i) => i);
  for (let i = 0; i < k; i++) {
    const j = i + rng.nextInt(idx.length - i);
    [idx[i], idx[j]] = [idx[j], idx[i]];
  }
  return idx.slice(0, k).sort((a, b) => a - b).map((i) => items[i]);
}

/** How scaffold.json names a model: relative to the scaffold file's folder, so the three files move together. */
function pathFromScaffold(outPath: string, modelPath: string): string {
  if (/^https?:\/\//i.test(modelPath)) return modelPath;
  const rel = relative(dirname(outPath), modelPath);
  return rel && !isAbsolute(rel) ? rel.split('\\').join('/') : modelPath;
}

async function scaffoldTrain(argv: string[], io: CliIo): Promise<number> {
  const flags = parseFlags('scaffold train', argv, {
    biased: { type: 'string' },
    innocuous: { type: 'string' },
    images: { type: 'string' },
    out: { type: 'string' },
    config: { type: 'string' },
    preset: { type: 'string' },
    'samples-per-image': { type: 'string' },
    seed: { type: 'string' },
    folds: { type: 'string' },
    threshold: { type: 'string' },
    labels: { type: 'string' },
    preprocess: { type: 'string' },
    ...modelFieldFlags(),
    backend: { type: 'string' },
    json: { type: 'boolean' },
    quiet: { type: 'boolean' },
  });
  if (flags.help) {
    io.stdout.write(SCAFFOLD_HELP);
    return 0;
  }
  requireFlags('scaffold train', flags, ['biased', 'innocuous', 'images', 'out']);
  const samplesPerImage = intFlag('scaffold train', 'samples-per-image', flags['samples-per-image'], 1, 1_000_000) ?? DEFAULT_SCAFFOLD_TRAIN.samplesPerImage;
  const seed = intFlag('scaffold train', 'seed', flags.seed, 0, 0xffffffff) ?? DEFAULT_SCAFFOLD_TRAIN.seed;
  const folds = intFlag('scaffold train', 'folds', flags.folds, 2) ?? DEFAULT_SCAFFOLD_TRAIN.folds;
  const threshold = flags.threshold === undefined ? DEFAULT_SCAFFOLD_OPTIONS.threshold : Number(flags.threshold);
  if (!(threshold > 0 && threshold < 1)) throw new UsageError(`scaffold train: --threshold must be a number in (0, 1), got "${flags.threshold}".`);
  // The explain flags configFromFlags knows; --seed and --samples are the training's own here.
  const { config, baseDir, where } = await configFromFlags(io.cwd, { ...flags, seed: undefined, samples: undefined }, 'scaffold train');
  const resolved = await resolveConfig(config, { baseDir, where });
  const biasedPath = await requireModelFile(io.cwd, 'biased', flags.biased!);
  const innocuousPath = await requireModelFile(io.cwd, 'innocuous', flags.innocuous!);
  const images = await imagesOf(io.cwd, flags.images!);
  if (images.length < 2 * folds) {
    throw new InputError(`scaffold train: --images must hold at least 2 × folds = ${2 * folds} images (2 real images per held-out fold), got ${images.length} in ${flags.images}. Add images or pass --folds ${Math.max(2, Math.floor(images.length / 2))}${images.length < 4 ? ' (at least 4 images are needed)' : ''}.`);
  }
  const outPath = resolve(io.cwd, flags.out!);
  const outDir = await stat(dirname(outPath)).catch(() => undefined);
  if (!outDir?.isDirectory()) throw new InputError(`scaffold train: the folder of --out ${flags.out} must exist, got none at ${dirname(outPath)}. Create it first.`);
  if ((await stat(outPath).catch(() => undefined))?.isDirectory()) throw new InputError(`scaffold train: --out must be a file path (scaffold.json), got the folder ${flags.out}.`);

  const loadOptions = {
    ...modelOptionsFrom(resolved),
    ...(flags.labels ? { labels: resolve(io.cwd, flags.labels) } : {}),
    ...(flags.backend ? { backend: flags.backend as TfjsBackendChoice } : {}),
  };
  let biased: ModelAdapter | undefined;
  let innocuous: ModelAdapter | undefined;
  try {
    biased = await loadModel(biasedPath, loadOptions);
    innocuous = await loadModel(innocuousPath, loadOptions);
    checkScaffoldModels(biased, innocuous);
    const features = { ...DEFAULT_SCAFFOLD_FEATURES };
    const recorder = new FeatureRecorder(innocuous, features);
    const explainer = explainerFrom(createExperimentContainer(resolved, recorder));
    const seeds = createRng(seed).fork('scaffold-train');
    const real: Float64Array[] = [];
    const perturbed: Float64Array[] = [];
    const perImage: { image: string; seed: number; drawn: number; perturbed: number }[] = [];
    const { width, height } = biased.input;
    for (let i = 0; i < images.length; i++) {
      const { view } = await preprocessToView(await loadImage(images[i]), biased.input);
      real.push(scaffoldFeatures(view.data, width, height, features));
      recorder.setInstance(view.data);
      recorder.recorded.length = 0;
      // Image i's samples come from its own seed, drawn from the training seed: explanations run at
      // their usual seeds (0, 1, …) then draw other masks than the detector saw. The explanation
      // runs at the configuration's own sample budget (samplers such as kernelshap or stratified
      // spread their rows by it); a seeded subset of its perturbed samples is kept.
      const imageRng = seeds.fork(`image:${i}`);
      const imageSeed = imageRng.nextUint32();
      await explainer.explain(view, {
        ...explainOptionsFrom(resolved),
        seed: imageSeed,
        topLabels: 1,
        ...(io.signal ? { signal: io.signal } : {}),
      });
      const drawn = recorder.recorded;
      const kept = drawn.length <= samplesPerImage ? [...drawn] : seededSubset(drawn, samplesPerImage, imageRng.fork('subset'));
      perturbed.push(...kept);
      perImage.push({ image: basename(images[i]), seed: imageSeed, drawn: drawn.length, perturbed: kept.length });
      if (!flags.quiet && !flags.json) io.stderr.write(`scaffold train: ${i + 1}/${images.length} ${basename(images[i])}: ${kept.length} of ${drawn.length} perturbed samples\n`);
    }
    if (perturbed.length < 2 * folds) {
      throw new InputError(`scaffold train: the configuration produced ${perturbed.length} perturbed samples (samples equal to the image are not perturbed), fewer than 2 × folds = ${2 * folds}. Raise --samples-per-image or the configuration's numSamples, or check the fill: this one may leave the image unchanged.`);
    }
    const cv = crossValidateDetector(real, perturbed, { folds, seed });
    // The final detector sees the real images as often as the perturbed samples (each real vector
    // repeated), so that the forest's vote is not pulled towards "perturbed" by the class sizes.
    const repeat = Math.max(1, Math.round(perturbed.length / real.length));
    const balanced = real.flatMap((r) => Array.from({ length: repeat }, () => r));
    const detector = trainDetector(balanced, perturbed, { seed });
    const calledReal = Array.from(detector.predict(real)).filter((p) => p < threshold).length;
    const calledPerturbed = Array.from(detector.predict(perturbed)).filter((p) => p >= threshold).length;
    const crossValidation = { auc: cv.auc, aucStd: cv.aucStd, pooledAuc: cv.pooledAuc, accuracy: cv.accuracy, chanceAccuracy: cv.chanceAccuracy, folds };
    const file: ScaffoldFile = {
      format: SCAFFOLD_FORMAT,
      version: SCAFFOLD_FILE_VERSION,
      biased: pathFromScaffold(outPath, biasedPath),
      innocuous: pathFromScaffold(outPath, innocuousPath),
      threshold,
      features,
      crossValidation,
      trainedAgainst: {
        config: describeConfig(resolved),
        ...(flags.config ? { configFile: flags.config } : {}),
        samplesPerImage,
        seed,
        images: perImage,
        realImages: real.length,
        perturbedSamples: perturbed.length,
        realRepeatedInTraining: repeat,
        inSample: { realCalledReal: calledReal, perturbedCalledPerturbed: calledPerturbed },
      },
      detector: detector.toJSON(),
    };
    await writeFileAtomic(outPath, JSON.stringify(file) + '\n');
    const summary = {
      out: outPath,
      images: real.length,
      perturbedSamples: perturbed.length,
      crossValidation,
      inSample: { realCalledReal: calledReal, real: real.length, perturbedCalledPerturbed: calledPerturbed, perturbed: perturbed.length },
    };
    if (flags.json) {
      io.stdout.write(JSON.stringify(summary, null, 2) + '\n');
    } else {
      io.stdout.write(
        [
          `Detector (random forest on ${features.kind}) trained on ${real.length} real images and ${perturbed.length} perturbed samples (${samplesPerImage} per image, ${resolved.components.baseline.definition.id} fill, ${resolved.components.sampler.definition.id} sampler)`,
          `Cross-validated (${folds} folds, seed ${seed}): AUC ${cv.auc.toFixed(3)} ± ${cv.aucStd.toFixed(3)}, accuracy ${cv.accuracy.toFixed(3)} (chance ${cv.chanceAccuracy.toFixed(3)})`,
          `In sample: ${calledReal}/${real.length} real images called real, ${calledPerturbed}/${perturbed.length} perturbed samples called perturbed`,
          `Wrote ${flags.out}`,
        ].join('\n') + '\n',
      );
    }
    return 0;
  } finally {
    await biased?.dispose();
    await innocuous?.dispose();
  }
}
