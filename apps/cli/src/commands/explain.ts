import { readFile } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import { InvalidOptionError, type Explanation, type ModelAdapter } from '@limekit/core';
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
  validateConfig,
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
import { OutputStaging } from '../staging.js';

export const EXPLAIN_HELP = `limekit explain — explain an image classifier's prediction on one image with LIME

Usage:
  limekit explain --model FILE --image FILE --out DIR [options]

Required:
  --model FILE|URL      ONNX model (.onnx) or TensorFlow.js model (model.json, or its folder), or an
                        inference server's http://host:port/v2/models/NAME (limekit serve, Triton, KServe)
  --image FILE          JPEG, PNG, WebP, TIFF or GIF image (any size: it is brought to the model's view)
  --out DIR             folder for explanation.json, segments.npy, attribution-<index>.npy and the PNG
                        overlays; an earlier explanation there is replaced (its files removed), a
                        folder holding other files is refused

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

/** Builds the explain config from --config, --preset and the flags (flags win). */
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
    numSamples: intFlag(command, 'samples', flags.samples, 2),
    batchSize: intFlag(command, 'batch-size', flags['batch-size'], 1),
    seed: intFlag(command, 'seed', flags.seed, 0),
    topLabels: intFlag(command, 'top-labels', flags['top-labels'], 1),
    ...modelFlags(flags, command),
  };
  for (const [k, v] of Object.entries(overrides)) if (v !== undefined) (config as Record<string, unknown>)[k] = v;
  return { config: validateConfig(config, where), baseDir, where };
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

/** `limekit explain`. */
export async function explainCommand(argv: string[], io: CliIo): Promise<number> {
  const flags = parseFlags('explain', argv, {
    model: { type: 'string' },
    image: { type: 'string' },
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
  requireFlags('explain', flags, ['model', 'image', 'out']);
  const numFeatures = intFlag('explain', 'num-features', flags['num-features'], 1) ?? 5;
  const { config, baseDir, where } = await configFromFlags(io.cwd, flags, 'explain');
  // Everything that can be checked without the model and the image is checked first.
  const resolved = await resolveConfig(config, { baseDir, where });
  const modelPath = modelFlag(io.cwd, flags.model!);
  const imagePath = resolve(io.cwd, flags.image!);
  const original = await loadImage(imagePath);
  const outDir = resolve(io.cwd, flags.out!);
  const previous = await previousExplanationFiles(outDir);
  let model: ModelAdapter | undefined;
  let staging: OutputStaging | undefined;
  try {
    model = await loadModel(modelPath, {
      ...modelOptionsFrom(resolved),
      ...(flags.labels ? { labels: resolve(io.cwd, flags.labels) } : {}),
      ...(flags.backend ? { backend: flags.backend as TfjsBackendChoice } : {}),
    });
    if (!flags.quiet) printModelNotes(io, model, resolved.preprocess !== undefined, 'explain');
    const labels = flags.label?.length ? resolveLabels(model, flags.label) : undefined;
    const { view, transform } = await preprocessToView(original, model.input);
    const explainer = explainerFrom(createExperimentContainer(resolved, model));
    const bar = new ProgressBar(io, 'explain', flags.quiet || flags.json);
    const exp = await explainer.explain(view, {
      ...explainOptionsFrom(resolved),
      ...(labels ? { labels } : {}),
      keepNeighbourhood: Boolean(flags['save-samples']),
      onProgress: bar.update,
      ...(io.signal ? { signal: io.signal } : {}),
      warn: (m) => io.stderr.write(`warning: ${m}\n`),
    });
    bar.done();

    staging = await OutputStaging.create(outDir);
    const { width: W, height: H } = original;
    const segAtOriginal = segmentsToOriginal(exp.segments, transform, W, H);
    await staging.write('segments.npy', encodeNpyInt32(exp.segments.labels, [exp.segments.height, exp.segments.width]));
    const attributions: Record<string, string> = {};
    for (const l of exp.labels) {
      attributions[String(l.index)] = `attribution-${l.index}.npy`;
      await staging.write(attributions[String(l.index)], encodeNpyFloat32(attributionMap(exp, l.index), [exp.segments.height, exp.segments.width]));
    }
    const pictures: Record<string, Record<string, string>> = {};
    for (const l of exp.labels) {
      const stem = `label-${l.index}${l.name ? `-${fileSafe(l.name)}` : ''}`;
      const positives = exp.mask(l.index, { numFeatures }).segments;
      const uncertain = l.weightStd ? Uint8Array.from(l.weights, (w, s) => (Math.abs(w) < 2 * l.weightStd![s] ? 1 : 0)) : undefined;
      const files = {
        overlay: `${stem}.overlay.png`,
        heatmap: `${stem}.heatmap.png`,
        hideRest: `${stem}.hide-rest.png`,
      };
      await staging.write(files.overlay, await encodePng(renderOverlay(original, segAtOriginal, l.weights, { numFeatures, ...(uncertain ? { uncertain } : {}) })));
      await staging.write(files.heatmap, await encodePng(renderHeatmap(original, segAtOriginal, l.weights)));
      await staging.write(files.hideRest, await encodePng(renderHideRest(original, segAtOriginal, positives)));
      pictures[String(l.index)] = files;
    }
    if (flags.html) {
      const page = await renderExplanationHtml({ exp, original, segmentsAtOriginal: segAtOriginal, imageName: basename(imagePath), modelName: basename(modelPath), numFeatures });
      await staging.write('explanation.html', page);
    }
    const json = {
      ...exp.toJSON(),
      image: { path: flags.image, width: W, height: H },
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
    await staging.write('explanation.json', JSON.stringify(json, null, 2) + '\n');
    if (exp.neighbourhood) {
      const nb = exp.neighbourhood;
      const X: number[][] = [];
      for (let i = 0; i < nb.n; i++) X.push(Array.from(nb.X.subarray(i * nb.d, (i + 1) * nb.d)));
      const y = Array.from({ length: nb.n }, (_, i) => nb.y.map((col) => col[i]));
      await staging.write(
        'neighbourhood.json',
        JSON.stringify({ X, y, labels: nb.labels, sample_weight: Array.from(nb.sampleWeight), source: { image: flags.image, model: flags.model, seed: exp.seed } }) + '\n',
      );
    }
    const written = await staging.commit(previous);
    staging = undefined;
    if (previous.length && !flags.quiet) io.stderr.write(`note: ${flags.out} held an earlier explanation; replaced its ${previous.length} files (${previous.join(', ')}).\n`);
    if (flags.json) io.stdout.write(JSON.stringify({ ...json, out: resolve(io.cwd, flags.out!) }, null, 2) + '\n');
    else io.stdout.write(summarize(exp, { modelPath, imagePath, original, files: written.sort(), numFeatures, outDir: flags.out! }));
    return 0;
  } finally {
    await staging?.discard();
    await model?.dispose();
  }
}

/** For tests: reads an explanation.json. */
export async function readExplanationJson(path: string): Promise<Record<string, unknown>> {
  return JSON.parse(await readFile(path, 'utf8'));
}
