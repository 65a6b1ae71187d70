// npm run bench [-- --model FILE --preprocess NAME --image FILE] [--only end-to-end|explain|evaluate|adapters|surrogates|fills|components|segment-cold]
//                [--repeats N] [--single-repeats N] [--many N] [--models mobilenet,squeezenet] [--no-memory] [--cold-runs N] [--no-live-skimage]
//
// Prints, measured in this run on this machine:
//  - end to end (end-to-end.ts): fresh `limekit explain` processes against a bare onnxruntime-node
//    loop, interleaved, on a MobileNetV2-sized model and SqueezeNet 1.1, 1 and 20 images: ratio,
//    explanations per minute, fixed cost per image, peak RSS at 1000 and 5000 samples;
//  - explain wall time, time inside the model's predict, and LIME's own overhead (the rest) as a
//    ratio of model time, at 1000 samples;
//  - peak RSS of a whole explain process at 1000 and 5000 samples, and their ratio;
//  - evaluation throughput on demo/plan.json (explanations per minute);
//  - model adapters: ms per image for ONNX and TensorFlow.js (each backend) at batch 1, 8, 32, 64
//    and auto, on the demo model, a MobileNetV2 built in TensorFlow.js, and --model when it is ONNX;
//  - surrogates: ms per fit (wall and CPU) of each built-in surrogate at 1000×100 and 1000×50 (surrogates.ts);
//  - fills: CPU ms per 1000 perturbed samples at 224², static segment-mean vs per-sample inpaint (fills.ts);
//  - every package's own benchmark (packages/*/bench/run.ts): segmenters, surrogates;
//  - cold segmentation: the first segmentation in fresh processes against scikit-image's
//    (segment-cold.ts; `--cold-runs N` processes per case, default 7; scikit-image is run live, in
//    turn, where /usr/bin/python3 has it, unless `--no-live-skimage`).
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const { values } = parseArgs({
  options: {
    model: { type: 'string' },
    image: { type: 'string' },
    preprocess: { type: 'string' },
    only: { type: 'string' },
    'batch-size': { type: 'string', default: '64' },
    repeats: { type: 'string', default: '3' },
    'single-repeats': { type: 'string' },
    many: { type: 'string', default: '20' },
    models: { type: 'string', default: 'mobilenet,squeezenet' },
    'no-memory': { type: 'boolean', default: false },
    'cold-runs': { type: 'string', default: '7' },
    'no-live-skimage': { type: 'boolean', default: false },
  },
});
const model = resolve(values.model ?? join(root, 'demo/model/shapes.onnx'));
const image = resolve(values.image ?? join(root, 'demo/images/circle-1.png'));
const preprocess = values.preprocess ?? 'imagenet';

interface ExplainRun {
  samples: number;
  segments: number;
  modelCalls: number;
  wallMs: number;
  peakRssBytes: number;
  timings: Record<'segment' | 'baseline' | 'perturb' | 'predict' | 'weigh' | 'fit' | 'total', number>;
}

function explainOnce(samples: number): ExplainRun {
  const out = execFileSync(
    process.execPath,
    ['--conditions=@limekit/source', '--import', 'tsx', join(root, 'tools/bench/explain-once.ts'), '--model', model, '--image', image, '--preprocess', preprocess, '--samples', String(samples), '--batch-size', values['batch-size']!],
    { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 24 },
  );
  return JSON.parse(out.trim().split('\n').pop()!);
}

const ms = (x: number) => `${x.toFixed(1)} ms`;
const mb = (x: number) => `${(x / 2 ** 20).toFixed(1)} MiB`;

if (!values.only || values.only === 'end-to-end') {
  console.log('# end to end — fresh `limekit explain` processes against a bare onnxruntime-node loop');
  const { benchEndToEnd } = await import('./end-to-end.js');
  await benchEndToEnd({ root, ...(values.model?.endsWith('.onnx') ? { model } : {}), repeats: Number(values.repeats), ...(values['single-repeats'] ? { singleRepeats: Number(values['single-repeats']) } : {}), many: Number(values.many), models: values.models!.split(','), memory: !values['no-memory'], log: (line) => console.log(line) });
  console.log('');
}

if (!values.only || values.only === 'explain') {
  console.log(`# explain overhead — model ${model}, image ${image}, preprocess ${preprocess}, batch ${values['batch-size']}`);
  const a = explainOnce(1000);
  const t = a.timings;
  const overhead = a.wallMs - t.predict;
  console.log(`samples 1000, segments ${a.segments}, model calls ${a.modelCalls}`);
  console.log(`explain wall      ${ms(a.wallMs)}`);
  console.log(`inside predict    ${ms(t.predict)}  (${(t.predict / 1000).toFixed(3)} ms per sample)`);
  console.log(`LIME overhead     ${ms(overhead)}  = ${((100 * overhead) / t.predict).toFixed(2)} % of model time`);
  console.log(`  segment ${ms(t.segment)} · baseline ${ms(t.baseline)} · perturb ${ms(t.perturb)} · weigh ${ms(t.weigh)} · fit ${ms(t.fit)}`);
  const b = explainOnce(5000);
  console.log(`peak RSS          1000 samples ${mb(a.peakRssBytes)} · 5000 samples ${mb(b.peakRssBytes)} · ratio ${(b.peakRssBytes / a.peakRssBytes).toFixed(3)}`);
  console.log(`overhead at 5000  ${(((b.wallMs - b.timings.predict) / b.timings.predict) * 100).toFixed(2)} % of model time`);
}

if (!values.only || values.only === 'evaluate') {
  // Evaluation throughput on the demo plan (explanations per minute, metrics included).
  const { mkdtempSync, readFileSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const out = mkdtempSync(join(tmpdir(), 'limekit-bench-eval-'));
  const t0 = performance.now();
  execFileSync(process.execPath, ['--conditions=@limekit/source', '--import', 'tsx', join(root, 'apps/cli/src/main.ts'), 'evaluate', '--plan', join(root, 'demo/plan.json'), '--out', out, '--quiet'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  const minutes = (performance.now() - t0) / 60000;
  const rows = readFileSync(join(out, 'results.jsonl'), 'utf8').split('\n').filter(Boolean).length;
  console.log(`\n# evaluation throughput — demo/plan.json (${rows} explanations with all metrics)`);
  console.log(`${rows} rows in ${(minutes * 60).toFixed(1)} s = ${(rows / minutes).toFixed(1)} explanations per minute (report: ${out}/report.html)`);
}

if (!values.only || values.only === 'adapters') {
  console.log(`\n# model adapters — ms per image (median of 5 calls) at each batch size; auto = probeBatchSize's choice`);
  const { benchAdapters } = await import('./adapters.js');
  await benchAdapters(root, values.model && model.endsWith('.onnx') ? model : undefined, (line) => console.log(line));
}

if (!values.only || values.only === 'surrogates') {
  const { benchSurrogates, formatSurrogateRow } = await import('./surrogates.js');
  console.log('\n# surrogates — ms per fit (median wall and CPU time), default options, LIME-shaped problems');
  benchSurrogates((row) => console.log(formatSurrogateRow(row)));
}

if (!values.only || values.only === 'fills') {
  console.log('\n# fills — CPU ms per 1000 perturbed samples written into a 224² model input');
  const { benchFills } = await import('./fills.js');
  await benchFills((line) => console.log(line));
}

if (!values.only || values.only === 'components') {
  for (const dir of readdirSync(join(root, 'packages')).sort()) {
    const file = join(root, 'packages', dir, 'bench/run.ts');
    if (!existsSync(file)) continue;
    console.log(`\n# ${dir}`);
    const mod = await import(pathToFileURL(file).href);
    await mod.default((row: Record<string, unknown>) => console.log(JSON.stringify(row)), { model: values.model ? model : undefined, root });
  }
}

if (!values.only || values.only === 'segment-cold') {
  console.log('');
  const { benchSegmentCold } = await import('./segment-cold.js');
  await benchSegmentCold(root, (line) => console.log(line), Number(values['cold-runs']), !values['no-live-skimage']);
}
