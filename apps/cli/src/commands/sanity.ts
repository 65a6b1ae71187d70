import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { createRng, type ModelAdapter, type RgbImage } from '@limekit/core';
import { loadImage, preprocessToView, renderOverlay, segmentsToOriginal, thumbnailPng, writeFileAtomic } from '@limekit/image';
import { createExperimentContainer, explainerFrom, explainOptionsFrom, loadModel, modelOptionsFrom, resolveConfig } from '@limekit/lime';
import type { TopLevelSpec } from 'vega-lite';
import { intFlag, parseFlags, requireFlags } from '../args.js';
import type { CliIo } from '../io.js';
import { esc, toSvg } from '../evaluate/report.js';
import { compareExplanations, parameterRandomisation, randomisable, type RandomisationStep, type SegmentWeights } from '../evaluate/sanity.js';
import { configFromFlags } from './explain.js';

export const SANITY_HELP = `limekit sanity — sanity checks of an explanation method (Adebayo et al. 2018)

Usage:
  limekit sanity --model FILE.onnx|model.json --image FILE --out DIR [options]

Explains the image, then explains it again with the model's layers randomised in memory (the file
is never changed): cascading from the output layer down, and each layer alone; and for a random
other class (random-logit). An explanation method that passes shows similarity falling as layers
are randomised. Writes DIR/sanity.json, DIR/cascade.svg and DIR/sanity.html (opens from disk).

Options:
  --config FILE, --preset NAME, --preprocess NAME, --resize MODE, --resize-to N, --samples N,
  --batch-size N, --seed N, --labels FILE   as in 'limekit explain'
  --max-layers N            randomise at most N layers from the output (default: all)
  --json                    print sanity.json on stdout
  --quiet                   no progress lines
  -h, --help                this help

ONNX (.onnx) and TensorFlow.js Layers models (model.json or its folder; Graph models are refused).
Exit codes: 0 ok, 2 usage, 3 bad input, 4 model error, 130 cancelled.
`;

/** `limekit sanity`. */
export async function sanityCommand(argv: string[], io: CliIo): Promise<number> {
  const flags = parseFlags('sanity', argv, {
    model: { type: 'string' },
    image: { type: 'string' },
    out: { type: 'string' },
    config: { type: 'string' },
    preset: { type: 'string' },
    preprocess: { type: 'string' },
    resize: { type: 'string' },
    'resize-to': { type: 'string' },
    samples: { type: 'string' },
    'batch-size': { type: 'string' },
    seed: { type: 'string' },
    labels: { type: 'string' },
    'max-layers': { type: 'string' },
    json: { type: 'boolean' },
    quiet: { type: 'boolean' },
  });
  if (flags.help) {
    io.stdout.write(SANITY_HELP);
    return 0;
  }
  requireFlags('sanity', flags, ['model', 'image', 'out']);
  const maxLayers = intFlag('sanity', 'max-layers', flags['max-layers'], 1);
  const { config, baseDir, where } = await configFromFlags(io.cwd, flags, 'sanity');
  const resolved = await resolveConfig(config, { baseDir, where });
  const modelPath = resolve(io.cwd, flags.model!);
  // Before any explaining: a model that cannot be randomised is refused at once.
  await randomisable(modelPath);
  const loadOptions = { ...modelOptionsFrom(resolved), ...(flags.labels ? { labels: resolve(io.cwd, flags.labels) } : {}) };
  const original = await loadImage(resolve(io.cwd, flags.image!));
  const say = (s: string) => !flags.quiet && !flags.json && io.stderr.write(s + '\n');
  const model = await loadModel(modelPath, loadOptions);
  const seed = resolved.seed;
  const options = { ...explainOptionsFrom({ ...resolved, topLabels: 1 }), ...(io.signal ? { signal: io.signal } : {}) };
  let view: RgbImage, transform: Awaited<ReturnType<typeof preprocessToView>>['transform'];
  let reference: SegmentWeights & { label: number; name?: string };
  let randomLogit: { other: number; name?: string } & ReturnType<typeof compareExplanations>;
  try {
    ({ view, transform } = await preprocessToView(original, model.input));
    const exp = await explainerFrom(createExperimentContainer({ ...resolved, topLabels: 1 }, model)).explain(view, options);
    reference = { segments: exp.segments, weights: exp.labels[0].weights, label: exp.labels[0].index, ...(exp.labels[0].name !== undefined ? { name: exp.labels[0].name } : {}) };
    say(`sanity: explained class ${reference.name ?? reference.label}`);
    const draw = createRng(seed).fork('random-logit').nextInt(model.numClasses - 1);
    const other = draw >= reference.label ? draw + 1 : draw;
    const e2 = await explainerFrom(createExperimentContainer({ ...resolved, topLabels: 1 }, model)).explain(view, { ...options, labels: [other] });
    randomLogit = { other, ...(e2.labels[0].name !== undefined ? { name: e2.labels[0].name } : {}), ...compareExplanations(reference, { segments: e2.segments, weights: e2.labels[0].weights }) };
  } finally {
    await model.dispose();
  }
  const explained: SegmentWeights[] = [];
  const explain = async (m: ModelAdapter) => {
    const e = await explainerFrom(createExperimentContainer({ ...resolved, topLabels: 1 }, m)).explain(view, { ...options, labels: [reference.label] });
    const sw = { segments: e.segments, weights: e.labels[0].weights };
    explained.push(sw);
    return sw;
  };
  const progress = (mode: string) => (s: RandomisationStep, total: number) => say(`sanity: ${mode} ${s.step}/${total}: Spearman ${s.spearman.toFixed(3)}, SSIM ${s.ssim.toFixed(3)}, top-5 ${s.topK.toFixed(2)}`);
  const base = { modelPath, loadOptions, seed, reference, explain, ...(maxLayers !== undefined ? { maxLayers } : {}) };
  const cascade = await parameterRandomisation({ ...base, mode: 'cascade', onStep: progress('cascade') });
  const cascadeMaps = explained.splice(0);
  const independent = await parameterRandomisation({ ...base, mode: 'independent', onStep: progress('independent') });

  const result = {
    model: flags.model,
    image: flags.image,
    label: { index: reference.label, ...(reference.name !== undefined ? { name: reference.name } : {}) },
    seed,
    config: resolved.preset,
    method: 'Adebayo et al. 2018: layers (weights grouped by the node or layer using them) from the output down, randomised in memory with normal values of each tensor\'s own mean and spread, seeded per layer; Spearman of the segment weights, SSIM of the pixel maps, Jaccard of the top-5 segments by |weight|',
    cascade,
    independent,
    randomLogit,
  };
  const out = resolve(io.cwd, flags.out!);
  await mkdir(out, { recursive: true });
  const chart = await toSvg(cascadeSpec(cascade, independent));
  const thumb = async (sw: SegmentWeights) => (await thumbnailPng(renderOverlay(original, segmentsToOriginal(sw.segments, transform, original.width, original.height), sw.weights, { numFeatures: 5 }))).toString('base64');
  const strip = [`<figure><img alt="original model" src="data:image/png;base64,${await thumb(reference)}"><figcaption>original</figcaption></figure>`];
  for (const [i, sw] of cascadeMaps.entries()) strip.push(`<figure><img alt="${i + 1} layers randomised" src="data:image/png;base64,${await thumb(sw)}"><figcaption>${i + 1} layer${i ? 's' : ''} randomised<br>ρ ${cascade[i].spearman.toFixed(2)} · SSIM ${cascade[i].ssim.toFixed(2)}</figcaption></figure>`);
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>limekit sanity checks</title>
<style>body{font:14px/1.45 system-ui,sans-serif;margin:24px;color:#222}figure{display:inline-block;margin:4px 8px;text-align:center;vertical-align:top}figure img{width:128px}figcaption{font-size:12px;color:#555}table{border-collapse:collapse}td,th{border:1px solid #ddd;padding:3px 8px}</style></head><body>
<h1>Sanity checks: ${esc(flags.model)} on ${esc(flags.image)}</h1>
<p>Explained class: <b>${esc(reference.name ?? reference.label)}</b>, config ${esc(resolved.preset)}, seed ${seed}. ${esc(result.method)}. A method that passes shows similarity falling as layers are randomised.</p>
<h2>Cascading randomisation</h2><div id="cascade">${strip.join('')}</div>
<figure class="chart">${chart}</figure>
<h2>Random logit</h2><p>Explanation of class ${esc(randomLogit.name ?? randomLogit.other)} against ${esc(reference.name ?? reference.label)}: Spearman ${randomLogit.spearman.toFixed(3)}, SSIM ${randomLogit.ssim.toFixed(3)}, top-5 Jaccard ${randomLogit.topK.toFixed(2)}.</p>
</body></html>
`;
  await writeFileAtomic(join(out, 'sanity.json'), Buffer.from(JSON.stringify(result, null, 2) + '\n'));
  await writeFileAtomic(join(out, 'cascade.svg'), Buffer.from(chart));
  await writeFileAtomic(join(out, 'sanity.html'), Buffer.from(html));
  if (flags.json) io.stdout.write(JSON.stringify(result, null, 2) + '\n');
  else io.stdout.write(`sanity: ${cascade.length} layers; with all randomised Spearman ${cascade.at(-1)?.spearman.toFixed(3) ?? '–'}, SSIM ${cascade.at(-1)?.ssim.toFixed(3) ?? '–'}; random logit SSIM ${randomLogit.ssim.toFixed(3)}. Wrote ${join(out, 'sanity.html')}\n`);
  return 0;
}

function cascadeSpec(cascade: readonly RandomisationStep[], independent: readonly RandomisationStep[]): TopLevelSpec {
  const values = [
    ...[['cascade', cascade], ['independent', independent]].flatMap(([mode, steps]) =>
      (steps as RandomisationStep[]).flatMap((s) => (['spearman', 'ssim', 'topK'] as const).map((k) => ({ mode, step: s.step, measure: k === 'topK' ? 'top-5 Jaccard' : k === 'ssim' ? 'SSIM' : 'Spearman', value: s[k] }))),
    ),
  ].filter((v) => Number.isFinite(v.value));
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width: 360,
    height: 220,
    data: { values },
    mark: { type: 'line', point: true },
    encoding: {
      x: { field: 'step', type: 'quantitative', title: 'layers randomised, from the output (cascade) / layer (independent)', axis: { tickMinStep: 1 } },
      y: { field: 'value', type: 'quantitative', title: 'similarity to the original explanation', scale: { domain: [-1, 1] } },
      color: { field: 'measure', type: 'nominal' },
      strokeDash: { field: 'mode', type: 'nominal' },
    },
  };
}
