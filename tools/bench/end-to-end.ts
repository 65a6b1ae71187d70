// End to end, as a user runs it: fresh processes of `limekit explain` against fresh processes of
// a bare onnxruntime-node loop (bare-onnx.mjs) on the same model, the same number of images, the
// same samples per image and the same batch size, interleaved (bare, explain, explain, bare, …) so
// that a machine whose speed drifts affects both alike. Whole-process wall time, start-up, model
// load and output writing included.
//
// Models: (a) a MobileNetV2-sized network — by default MobileNetV2 with seeded random weights,
// written by mobilenet-v2-onnx.ts into the OS temp folder (or --model FILE) — with the
// `lime-slic` preset (SLIC, 50 segments); (b) the real SqueezeNet 1.1 from
// ../shared/models/imagenet (relative to the repository root; skipped with a reason when absent)
// with the `lime` preset (quickshift). For each: 1 image and 20 images in one process.
//
// Prints per case the median and the range (min–max) over the repeats of: bare seconds, explain
// seconds, their ratio (pair by pair); then explanations per minute, the fixed cost per process
// and per image, peak RSS of both at 1000 and 5000 samples, and where explain's time goes
// (explanation.json's timings: segment, perturb, predict, fit).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { mobileNetV2OnnxFile } from './mobilenet-v2-onnx.js';
import { median } from '@limekit/testing/bench';

/** Options of {@link benchEndToEnd}. */
export interface EndToEndOptions {
  /** Repository root. */
  root: string;
  /** A MobileNetV2-sized ONNX file to use instead of the generated one. */
  model?: string;
  /** Interleaved pairs per case (default 3). */
  repeats?: number;
  /** Interleaved pairs for the one-image cases (default: `repeats`); they are short, and more pairs steady their median. */
  singleRepeats?: number;
  /** Samples per explanation (default 1000). */
  samples?: number;
  /** Batch size of both (default 50). */
  batchSize?: number;
  /** Images in the many-images case (default 20). */
  many?: number;
  /** Also measure peak RSS at 5000 samples (default true). */
  memory?: boolean;
  /** Which models: 'mobilenet', 'squeezenet' (default both). */
  models?: readonly string[];
  log: (line: string) => void;
}

/**
 * The pretrained ImageNet models (never part of the repository): `LIMEKIT_IMAGENET_MODELS`, else
 * `<repo>/../shared/models/imagenet`, or for a git worktree the same folder beside its main checkout.
 * @returns the folder, or undefined when it is absent (the bench then skips with a reason).
 */
export function imagenetModelsDir(root: string): string | undefined {
  const candidates = [process.env.LIMEKIT_IMAGENET_MODELS, resolve(root, '../shared/models/imagenet')].filter((c): c is string => !!c);
  const dotGit = join(root, '.git');
  if (existsSync(dotGit) && statSync(dotGit).isFile()) {
    // A worktree: ".git" holds "gitdir: <main>/.git/worktrees/<name>".
    const m = /gitdir:\s*(.+)/.exec(readFileSync(dotGit, 'utf8'));
    if (m) candidates.push(resolve(m[1].trim(), '../../..', '../shared/models/imagenet'));
  }
  return candidates.find((c) => existsSync(c));
}

interface Run {
  wallS: number;
  cpuS: number;
  peakRssBytes: number;
  timings?: Record<string, number>[];
}

const spread = (xs: number[], digits = 2) => `${median(xs).toFixed(digits)} (${Math.min(...xs).toFixed(digits)}–${Math.max(...xs).toFixed(digits)})`;
const pct = (ratio: number) => `${ratio >= 1 ? '+' : '−'}${Math.abs((ratio - 1) * 100).toFixed(1)} %`;
const mib = (b: number) => `${(b / 2 ** 20).toFixed(0)} MiB`;

let runCounter = 0;

/** Runs one command in a fresh process with the RSS reporter preloaded; whole-process wall time. */
export function timed(root: string, args: string[], label: string): { wallS: number; cpuS: number; peakRssBytes: number } {
  const rssFile = join(tmpdir(), `limekit-bench-rss-${process.pid}-${runCounter++}`);
  const t0 = performance.now();
  const r = spawnSync(process.execPath, ['--import', join(root, 'tools/bench/rss-report.mjs'), ...args], {
    cwd: root,
    env: { ...process.env, LIMEKIT_BENCH_RSS_FILE: rssFile },
    encoding: 'utf8',
    maxBuffer: 1 << 26,
  });
  const wallS = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`${label} failed (exit ${r.status}): ${r.stderr.slice(-2000)}`);
  const rows: { peakRssBytes: number; cpuS: number }[] = existsSync(rssFile) ? readFileSync(rssFile, 'utf8').trim().split('\n').map((l) => JSON.parse(l)) : [];
  rmSync(rssFile, { force: true });
  return { wallS, cpuS: rows.reduce((a, r) => a + r.cpuS, 0), peakRssBytes: Math.max(0, ...rows.map((r) => r.peakRssBytes)) };
}

/** Explanation timings of every explanation.json under `dir`, in the order explain made them (its sub-folders' name order). */
async function timingsUnder(dir: string): Promise<Record<string, number>[]> {
  const found: { folder: string; timings: Record<string, number> }[] = [];
  for (const e of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (e.name === 'explanation.json') found.push({ folder: e.parentPath, timings: JSON.parse(await readFile(join(e.parentPath, e.name), 'utf8')).timings });
  }
  return found.sort((a, b) => (a.folder < b.folder ? -1 : a.folder > b.folder ? 1 : 0)).map((f) => f.timings);
}

/** 20 (or `n`) distinct images from demo/images: each picture as is, mirrored and upside down. */
async function manyImages(root: string, n: number): Promise<string> {
  const { default: sharp } = await import('sharp');
  const dir = join(tmpdir(), 'limekit-bench', `images-${n}`);
  if (existsSync(dir) && (await readdir(dir)).length === n) return dir;
  await mkdir(dir, { recursive: true });
  const src = (await readdir(join(root, 'demo/images'))).filter((f) => f.endsWith('.png')).sort();
  for (let i = 0; i < n; i++) {
    const file = join(root, 'demo/images', src[i % src.length]);
    const variant = Math.floor(i / src.length) % 3;
    const img = variant === 0 ? sharp(file) : variant === 1 ? sharp(file).flop() : sharp(file).flip();
    await img.png().toFile(join(dir, `${String(i).padStart(2, '0')}-${src[i % src.length]}`));
  }
  return dir;
}

/** The end-to-end section of `npm run bench`. */
export async function benchEndToEnd(o: EndToEndOptions): Promise<void> {
  const { root, log } = o;
  const repeats = o.repeats ?? 3;
  const singleRepeats = o.singleRepeats ?? repeats;
  const samples = o.samples ?? 1000;
  const batch = o.batchSize ?? 50;
  const many = o.many ?? 20;
  const cliEntry = join(root, 'apps/cli/bin/limekit.js');
  if (!existsSync(join(root, 'apps/cli/dist/main.js'))) {
    log('skipped: apps/cli is not built (run `npm run build`); the end-to-end bench runs the built `limekit` as a user does.');
    return;
  }
  const imagenet = imagenetModelsDir(root);
  const squeeze = imagenet ? join(imagenet, 'squeezenet1.1_imagenet_nchw.onnx') : undefined;
  const wanted = o.models ?? ['mobilenet', 'squeezenet'];
  const models: { key: string; name: string; path?: string; preset: string; why?: string }[] = [
    { key: 'mobilenet', name: o.model ? `MobileNetV2-sized (${o.model})` : 'MobileNetV2-sized (generated, seeded random weights)', path: o.model ?? (await mobileNetV2OnnxFile()), preset: 'lime-slic' },
    {
      key: 'squeezenet',
      name: 'SqueezeNet 1.1 (../shared/models/imagenet)',
      ...(squeeze && existsSync(squeeze) ? { path: squeeze } : { why: `${resolve(root, '../shared/models/imagenet/squeezenet1.1_imagenet_nchw.onnx')} is absent` }),
      preset: 'lime',
    },
  ];
  const single = join(root, 'demo/images/circle-1.png');
  const folder = await manyImages(root, many);
  const work = await mkdtemp(join(tmpdir(), 'limekit-bench-e2e-'));
  const load = (await import('node:os')).loadavg().map((x) => x.toFixed(1)).join(' ');
  log(`${samples} samples per image, batch ${batch}, ${singleRepeats === repeats ? `${repeats} interleaved pairs per case` : `${singleRepeats} interleaved pairs for 1 image, ${repeats} for ${many}`}; whole-process wall seconds, median (min–max); load average at start ${load} on ${(await import('node:os')).cpus().length} CPUs`);
  log(`explain: node apps/cli/bin/limekit.js explain --preset P --samples ${samples} --batch-size ${batch} --quiet (top 5 labels, 15 PNGs per image)`);
  log(`bare:    node tools/bench/bare-onnx.mjs (onnxruntime-node session, same model, same number of images × samples, same batch; nothing else)`);
  const summary: string[] = [];
  try {
    for (const m of models.filter((x) => wanted.includes(x.key))) {
      log(`\n## ${m.name}, preset ${m.preset}`);
      if (!m.path) {
        log(`skipped: ${m.why}`);
        summary.push(`${m.name}: skipped (${m.why})`);
        continue;
      }
      const bareArgs = (n: number, s: number) => [join(root, 'tools/bench/bare-onnx.mjs'), '--model', m.path!, '--images', String(n), '--samples', String(s), '--batch-size', String(batch)];
      let k = 0;
      const explainRun = async (images: string[], s: number): Promise<Run> => {
        const out = join(work, `out-${k++}`);
        const r = timed(root, [cliEntry, 'explain', '--model', m.path!, ...images, '--out', out, '--preset', m.preset, '--samples', String(s), '--batch-size', String(batch), '--quiet'], 'limekit explain');
        const timings = await timingsUnder(out);
        await rm(out, { recursive: true, force: true });
        return { ...r, timings };
      };
      const cases = [
        { n: 1, images: ['--image', single] },
        { n: many, images: ['--images', folder] },
      ];
      const results = new Map<number, { bare: Run[]; explain: Run[] }>();
      for (const c of cases) {
        const bare: Run[] = [];
        const explain: Run[] = [];
        for (let r = 0; r < (c.n === 1 ? singleRepeats : repeats); r++) {
          // Alternate the order so that neither always runs first (warm caches, drifting load).
          if (r % 2 === 0) {
            bare.push(timed(root, bareArgs(c.n, samples), 'bare loop'));
            explain.push(await explainRun(c.images, samples));
          } else {
            explain.push(await explainRun(c.images, samples));
            bare.push(timed(root, bareArgs(c.n, samples), 'bare loop'));
          }
        }
        results.set(c.n, { bare, explain });
        const ratios = explain.map((e, i) => e.wallS / bare[i].wallS);
        const cpuRatios = explain.map((e, i) => e.cpuS / bare[i].cpuS);
        const line = `${c.n} image${c.n > 1 ? 's' : ''}: bare ${spread(bare.map((x) => x.wallS))} s · explain ${spread(explain.map((x) => x.wallS))} s · explain/bare ${spread(ratios, 3)} = ${pct(median(ratios))}`;
        log(line);
        log(`  CPU seconds (user + system, all threads): bare ${spread(bare.map((x) => x.cpuS))} · explain ${spread(explain.map((x) => x.cpuS))} · explain/bare ${spread(cpuRatios, 3)} = ${pct(median(cpuRatios))}`);
        summary.push(`${m.name}, ${line}; CPU ratio ${spread(cpuRatios, 3)}`);
      }
      const one = results.get(1)!;
      const lots = results.get(many)!;
      const e1 = median(one.explain.map((x) => x.wallS)), eN = median(lots.explain.map((x) => x.wallS));
      const b1 = median(one.bare.map((x) => x.wallS)), bN = median(lots.bare.map((x) => x.wallS));
      const perImage = (eN - e1) / (many - 1), barePerImage = (bN - b1) / (many - 1);
      log(`many images: ${((60 * many) / eN).toFixed(1)} explanations per minute; per image ${perImage.toFixed(2)} s (bare ${barePerImage.toFixed(2)} s: overhead ${(perImage - barePerImage).toFixed(2)} s per image); fixed cost per process ${(e1 - perImage).toFixed(2)} s (bare ${(b1 - barePerImage).toFixed(2)} s)`);
      const t = one.explain.flatMap((x) => x.timings ?? []);
      const tm = (k: string) => median(t.map((x) => x[k] ?? 0)) / 1000;
      // In one process, the first image's perturbation also pays for faulting in its input buffer
      // (the bare loop pays the same for its own); the later ones reuse it (decision 0030).
      const perturbMany = lots.explain.map((x) => x.timings ?? []).filter((ts) => ts.length > 1);
      if (perturbMany.length) {
        const per1000 = (ms: number) => ms / samples; // milliseconds per sample = seconds per 1000 samples
        const first = median(perturbMany.map((ts) => per1000(ts[0].perturb)));
        const later = median(perturbMany.flatMap((ts) => ts.slice(1).map((x) => per1000(x.perturb))));
        log(`perturbation in the ${many}-image runs, s per 1000 samples: first image ${first.toFixed(3)} · the others ${later.toFixed(3)} (median)`);
      }
      log(`inside explain (1 image, explanation.json): total ${tm('total').toFixed(2)} s · predict ${tm('predict').toFixed(2)} s · segment ${tm('segment').toFixed(3)} s · perturb ${tm('perturb').toFixed(3)} s (${((tm('perturb') * 1000) / samples).toFixed(3)} s per 1000 samples) · weigh ${tm('weigh').toFixed(3)} s · fit ${tm('fit').toFixed(3)} s; outside it (start-up, model load, image, PNGs) ${(e1 - tm('total')).toFixed(2)} s`);
      const rssLine = (label: string, bare: Run[], explain: Run[]) => {
        const bb = median(bare.map((x) => x.peakRssBytes)), ee = median(explain.map((x) => x.peakRssBytes));
        return `${label}: bare ${mib(bb)} · explain ${mib(ee)} · explain/bare ${(ee / bb).toFixed(3)}`;
      };
      log(`peak RSS, ${rssLine(`${samples} samples`, one.bare, one.explain)}`);
      summary.push(`${m.name}, peak RSS ${rssLine(`${samples} samples`, one.bare, one.explain)}`);
      if (o.memory ?? true) {
        const big = samples * 5;
        const bare = [timed(root, bareArgs(1, big), 'bare loop')];
        const explain = [await explainRun(['--image', single], big)];
        log(`peak RSS, ${rssLine(`${big} samples`, bare, explain)} (1 pair)`);
        summary.push(`${m.name}, peak RSS ${rssLine(`${big} samples`, bare, explain)}`);
      }
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  log(`\n## summary (load average at the end ${(await import('node:os')).loadavg().map((x) => x.toFixed(1)).join(' ')})`);
  for (const s of summary) log(s);
}
