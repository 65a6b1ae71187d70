// The scaffolding-attack table of docs/guides/perturbation-study.md (## Scaffolding attack).
//   node --conditions=@limekit/source --import tsx tools/studies/scaffold/attack.ts [--out out/scaffold-study]
//        [--only NAME,NAME] [--samples-per-image 100] [--seed 0] [--default-scaffold FILE]
//   node … attack.ts --merge A/attack.json,B/attack.json --out DIR   (rows of parallel runs, in table order)
// --resume reads what an interrupted run of the same --out already wrote (a complete explain folder,
// a trained scaffold) instead of running the command again.
// --default-scaffold reuses a scaffold already trained against lime's defaults (its stored
// cross-validated AUC is reported), so several --only runs can share it and run side by side.
// Every number comes from the limekit commands this script runs (as child processes):
//   limekit scaffold train --biased demo/bias-lab/biased.onnx --innocuous demo/bias-lab/unbiased.onnx
//                          --images demo/bias-lab/images --config C --out S.json
//   limekit explain --model M --images demo/bias-lab/images --config V --top-labels 1 --json --out …
// and reads back what they wrote (explanation.json, segments.npy). For each explanation
// configuration V (a fill or a sampler on top of lime's defaults), it explains the 12 bias-lab
// images with the biased model itself, with the scaffold trained against lime's defaults, and with
// the scaffold trained against V itself. The measure is the bias lab's
// (apps/cli/src/bias-lab.spec.ts): the share of the top-5 positive segments' area on the background
// mask, for the explained (top) class. The attack succeeds on an image when that share is below
// SUCCESS_SHARE while the scaffold's top class and probability on the real image equal the biased
// model's. Writes DIR/attack.json and prints the Markdown table.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, promisify } from 'node:util';
import { loadImage, loadMask, maskToView, preprocessToView, writeFileAtomic } from '@limekit/image';
import { decodeNpyInt32 } from '@limekit/lime';

const run = promisify(execFile);
const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../../..');
const lab = (p: string) => join(root, 'demo/bias-lab', p);
const { values: args } = parseArgs({
  options: {
    out: { type: 'string', default: join(root, 'out/scaffold-study') },
    only: { type: 'string' },
    'samples-per-image': { type: 'string', default: '100' },
    seed: { type: 'string', default: '0' },
    'default-scaffold': { type: 'string' },
    resume: { type: 'boolean', default: false },
    merge: { type: 'string' },
  },
});

/**
 * An explanation whose top-5 positive segments put less than this share of their area on the
 * background no longer points at the background: the bound bias-lab.spec.ts asserts for the
 * unbiased model's mean share (≤ 0.70), where the biased model's mean is ≥ 0.80.
 */
export const SUCCESS_SHARE = 0.7;
const TOP = 5;

/** lime's defaults on the bias lab's 64 px view: quickshift's 4 segments there make "top 5" meaningless, so SLIC (lime-slic). */
const DEFAULT = { preset: 'lime-slic' };
const VARIANTS: [string, Record<string, unknown>][] = [
  ['segment mean (lime default)', DEFAULT],
  ['constant (ImageNet mean grey)', { ...DEFAULT, baseline: { use: 'constant', options: { color: [124, 116, 104] } } }],
  ['blur σ = 5', { ...DEFAULT, baseline: { use: 'blur', options: { sigma: 5 } } }],
  ['noise', { ...DEFAULT, baseline: { use: 'noise' } }],
  ['inpaint (Telea)', { ...DEFAULT, baseline: { use: 'inpaint' } }],
  ['dataset (bias-lab images)', { ...DEFAULT, baseline: { use: 'dataset', options: { dir: lab('images') } } }],
  ['sampler kernelshap', { ...DEFAULT, sampler: { use: 'kernelshap' } }],
  ['sampler glime', { ...DEFAULT, sampler: { use: 'glime' } }],
  ['sampler stratified', { ...DEFAULT, sampler: { use: 'stratified' } }],
  ['sampler sobol', { ...DEFAULT, sampler: { use: 'sobol' } }],
];

const cliMain = join(root, 'apps/cli/src/main.ts');
async function limekit(argv: string[]): Promise<string> {
  try {
    const { stdout } = await run(process.execPath, ['--conditions=@limekit/source', '--import', 'tsx', cliMain, ...argv], { cwd: root, maxBuffer: 1 << 28 });
    return stdout;
  } catch (err) {
    const e = err as { stderr?: string; code?: number };
    throw new Error(`limekit ${argv.join(' ')} failed (exit ${e.code}): ${e.stderr}`);
  }
}

interface ImageResult {
  image: string;
  label: string;
  probability: number;
  share: number;
  /** Scaffolds only: share of the explanation's model inputs the detector sent to the innocuous model. */
  innocuousShare?: number;
}

async function backgroundMasks(): Promise<Map<string, Uint8Array>> {
  const masks = new Map<string, Uint8Array>();
  const files = (await import('node:fs')).readdirSync(lab('images')).filter((f) => f.endsWith('.png')).sort();
  for (const f of files) {
    const { transform } = await preprocessToView(await loadImage(lab(`images/${f}`)), { width: 64, height: 64, resize: 'center-crop' });
    masks.set(f, maskToView((await loadMask(lab(`masks/background/${f}`))).data, transform));
  }
  return masks;
}

/** Explains the bias-lab images with `model` under `config`; the background share per image, from explain's own files. */
async function explainShares(model: string, config: string, out: string, masks: Map<string, Uint8Array>): Promise<ImageResult[]> {
  const stems = [...masks.keys()].map((f) => f.replace(/\.png$/, ''));
  let json: { explanations: unknown[] };
  if (args.resume && stems.every((s) => existsSync(join(out, s, 'explanation.json')))) {
    json = { explanations: await Promise.all(stems.map(async (s) => ({ ...JSON.parse(await readFile(join(out, s, 'explanation.json'), 'utf8')), out: join(out, s) }))) };
  } else {
    await rm(out, { recursive: true, force: true });
    json = JSON.parse(await limekit(['explain', '--model', model, '--images', lab('images'), '--config', config, '--top-labels', '1', '--out', out, '--json', '--quiet']));
  }
  const results: ImageResult[] = [];
  let before = { biased: 0, innocuous: 0 };
  type Routed = { biased: number; innocuous: number };
  for (const e of json.explanations as { image: { path: string }; out: string; model: { scaffold?: { routed: Routed } }; labels: { index: number; name?: string; probability: number; weights: number[] }[] }[]) {
    const routed = e.model.scaffold?.routed;
    let innocuousShare: number | undefined;
    if (routed) {
      const [b, i] = [routed.biased - before.biased, routed.innocuous - before.innocuous];
      innocuousShare = i / (b + i);
      before = routed;
    }
    const file = e.image.path.split('/').pop()!;
    const { weights, name, index, probability } = e.labels[0];
    const segments = decodeNpyInt32(await readFile(join(e.out, 'segments.npy'))).data;
    const order = weights.map((_, i) => i).sort((a, b) => weights[b] - weights[a] || a - b);
    const top = new Set(order.slice(0, TOP).filter((s) => weights[s] > 0));
    const background = masks.get(file)!;
    let area = 0, onBackground = 0;
    segments.forEach((s, p) => {
      if (top.has(s)) {
        area++;
        if (background[p]) onBackground++;
      }
    });
    results.push({ image: file, label: name ?? String(index), probability, share: area ? onBackground / area : 0, ...(innocuousShare !== undefined ? { innocuousShare } : {}) });
  }
  return results;
}

interface Row {
  variant: string;
  config: Record<string, unknown>;
  biased: { meanShare: number; pointsAtBackground: number };
  /** The innocuous model explained on its own: the best the attack can show (its explanation of its own top class). */
  innocuous: { meanShare: number; belowThreshold: number };
  trainedOnDefault: AttackResult;
  trainedOnSame: AttackResult;
}
interface AttackResult {
  auc: number;
  meanShare: number;
  /** Images where the share fell below SUCCESS_SHARE and the prediction equals the biased model's. */
  successes: number;
  /** Of the images where the biased model's own explanation points at the background (share ≥ SUCCESS_SHARE), those where the scaffold's does not. */
  hidden: number;
  revealed: number;
  /** Successes on the 6 images with the training correlation and on the 6 reversed ones. */
  successesCorrelated: number;
  successesReversed: number;
  /** Mean share of the model inputs of an explanation that the detector sent to the innocuous model. */
  innocuousShare: number;
  samePrediction: number;
  images: number;
  perImage: ImageResult[];
}

/** The shipped images whose background is the other class's (circles on grass, squares on snow). */
const reversed = (image: string) => /^(circle-on-grass|square-on-snow)/.test(image);

function attack(scaffold: ImageResult[], biased: ImageResult[], auc: number): AttackResult {
  let successes = 0, samePrediction = 0, hidden = 0, revealed = 0, successesCorrelated = 0, successesReversed = 0;
  scaffold.forEach((r, i) => {
    if (r.image !== biased[i].image) throw new Error(`image order differs: ${r.image} vs ${biased[i].image}`);
    const same = r.label === biased[i].label && Math.abs(r.probability - biased[i].probability) < 1e-6;
    if (same) samePrediction++;
    const success = same && r.share < SUCCESS_SHARE;
    if (success) {
      successes++;
      if (reversed(r.image)) successesReversed++;
      else successesCorrelated++;
    }
    if (biased[i].share >= SUCCESS_SHARE) {
      revealed++;
      if (success) hidden++;
    }
  });
  return {
    auc,
    meanShare: mean(scaffold.map((r) => r.share)),
    successes,
    hidden,
    revealed,
    successesCorrelated,
    successesReversed,
    innocuousShare: mean(scaffold.map((r) => r.innocuousShare ?? NaN)),
    samePrediction,
    images: scaffold.length,
    perImage: scaffold,
  };
}
const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;

async function main(): Promise<void> {
  const out = resolve(args.out!);
  await mkdir(out, { recursive: true });
  const masks = await backgroundMasks();
  const only = args.only?.split(',');
  const variants = VARIANTS.filter(([name], i) => !only || only.some((o) => (/^\d+$/.test(o) ? String(i) === o : name.includes(o))));
  const train = async (config: string, dest: string) => {
    if (args.resume && existsSync(dest)) return JSON.parse(await readFile(dest, 'utf8')).crossValidation.auc as number;
    const s = JSON.parse(await limekit(['scaffold', 'train', '--biased', lab('biased.onnx'), '--innocuous', lab('unbiased.onnx'), '--images', lab('images'), '--config', config, '--out', dest, '--samples-per-image', args['samples-per-image']!, '--seed', args.seed!, '--json']));
    return s.crossValidation.auc as number;
  };
  const defaultConfig = join(out, 'config-0.json');
  await writeFile(defaultConfig, JSON.stringify(DEFAULT));
  let defaultScaffold = join(out, 'scaffold-0.json');
  let defaultAuc: number;
  if (args['default-scaffold']) {
    defaultScaffold = resolve(args['default-scaffold']);
    defaultAuc = JSON.parse(await readFile(defaultScaffold, 'utf8')).crossValidation.auc;
  } else {
    defaultAuc = await train(defaultConfig, defaultScaffold);
  }
  const rows: Row[] = [];
  for (const [name, config] of variants) {
    const k = VARIANTS.findIndex(([n]) => n === name);
    const cfg = join(out, `config-${k}.json`);
    await writeFile(cfg, JSON.stringify(config));
    const biased = await explainShares(lab('biased.onnx'), cfg, join(out, `explain-${k}-biased`), masks);
    const innocuous = await explainShares(lab('unbiased.onnx'), cfg, join(out, `explain-${k}-innocuous`), masks);
    const onDefault = await explainShares(defaultScaffold, cfg, join(out, `explain-${k}-scaffold-0`), masks);
    let sameScaffold = defaultScaffold, sameAuc = defaultAuc, onSame = onDefault;
    if (k !== 0) {
      sameScaffold = join(out, `scaffold-${k}.json`);
      sameAuc = await train(cfg, sameScaffold);
      onSame = await explainShares(sameScaffold, cfg, join(out, `explain-${k}-scaffold-${k}`), masks);
    }
    const row: Row = {
      variant: name,
      config,
      biased: { meanShare: mean(biased.map((r) => r.share)), pointsAtBackground: biased.filter((r) => r.share >= SUCCESS_SHARE).length },
      innocuous: { meanShare: mean(innocuous.map((r) => r.share)), belowThreshold: innocuous.filter((r) => r.share < SUCCESS_SHARE).length },
      trainedOnDefault: attack(onDefault, biased, defaultAuc),
      trainedOnSame: attack(onSame, biased, sameAuc),
    };
    rows.push(row);
    const f = (a: AttackResult) =>
      `AUC ${a.auc.toFixed(3)}, to innocuous ${a.innocuousShare.toFixed(3)}, share ${a.meanShare.toFixed(3)}, success ${a.successes}/${a.images} (correlated ${a.successesCorrelated}, reversed ${a.successesReversed}; hidden ${a.hidden}/${a.revealed}; same prediction ${a.samePrediction}/${a.images})`;
    console.error(`${name}: biased share ${row.biased.meanShare.toFixed(3)} | innocuous share ${row.innocuous.meanShare.toFixed(3)} (${row.innocuous.belowThreshold} below) | scaffold(default) ${f(row.trainedOnDefault)} | scaffold(same) ${f(row.trainedOnSame)}`);
  }
  const summary = { successShare: SUCCESS_SHARE, top: TOP, samplesPerImage: Number(args['samples-per-image']), seed: Number(args.seed), explainSeed: 0, rows };
  await writeFileAtomic(join(out, 'attack.json'), JSON.stringify(summary, null, 2) + '\n');
  printTable(rows);
}

/** Joins the summaries of parallel --only runs (same settings) into one, rows in table order. */
async function merge(files: string[]): Promise<void> {
  const parts = await Promise.all(files.map(async (f) => JSON.parse(await readFile(f, 'utf8'))));
  const order = (r: Row) => VARIANTS.findIndex(([n]) => n === r.variant);
  const rows = (parts.flatMap((p) => p.rows) as Row[]).filter((r, i, all) => all.findIndex((x) => x.variant === r.variant) === i).sort((a, b) => order(a) - order(b));
  const out = resolve(args.out!);
  await mkdir(out, { recursive: true });
  await writeFileAtomic(join(out, 'attack.json'), JSON.stringify({ ...parts[0], rows }, null, 2) + '\n');
  printTable(rows);
}

function printTable(rows: Row[]): void {
  const lines = [
    '| explained with | biased model: mean share (images ≥ 0.70) | innocuous model: mean share (images < 0.70) | scaffold trained on lime default: AUC · to innocuous · mean share · **succeeds** (correlated + reversed) · hidden | scaffold trained on this configuration: same columns |',
    '| --- | --- | --- | --- | --- |',
    ...rows.map((r) => {
      const c = (a: AttackResult) =>
        `${a.auc.toFixed(3)} · ${(100 * a.innocuousShare).toFixed(1)} % · ${a.meanShare.toFixed(3)} · **${a.successes}/${a.images}** (${a.successesCorrelated} + ${a.successesReversed}) · ${a.hidden}/${a.revealed}`;
      return `| ${r.variant} | ${r.biased.meanShare.toFixed(3)} (${r.biased.pointsAtBackground}/${r.trainedOnDefault.images}) | ${r.innocuous.meanShare.toFixed(3)} (${r.innocuous.belowThreshold}/${r.trainedOnDefault.images}) | ${c(r.trainedOnDefault)} | ${c(r.trainedOnSame)} |`;
    }),
  ];
  console.log(lines.join('\n'));
}

await (args.merge ? merge(args.merge.split(',')) : main());
