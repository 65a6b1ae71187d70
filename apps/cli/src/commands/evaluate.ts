import { existsSync } from 'node:fs';
import { mkdir, readFile, rename } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { AbortedError, InvalidOptionError, type ModelAdapter } from '@limekit/core';
import { loadImage, preprocessToView, renderOverlay, segmentsToOriginal, thumbnailPng, writeFileAtomic } from '@limekit/image';
import { createExperimentContainer, explainerFrom, explainOptionsFrom, loadModel, modelOptionsFrom } from '@limekit/lime';
import { parseFlags, requireFlags } from '../args.js';
import { EXIT } from '../exit-codes.js';
import type { CliIo } from '../io.js';
import { computeRowMetrics, groupMetrics, METRIC_INFO, loadMaskForView } from '../evaluate/metrics.js';
import { loadPlan } from '../evaluate/plan.js';
import { RANDOM_CONFIG, randomControlRow } from '../evaluate/random-control.js';
import { parameterRandomisation } from '../evaluate/sanity.js';
import { renderReport, toCsv } from '../evaluate/report.js';
import { readResults, ResultsWriter, rowKey, type ResultRow } from '../evaluate/results.js';
import { modelNotes } from '../model-notes.js';
import { summarize, summaryJson } from '../evaluate/summary.js';
import { ProgressBar } from '../progress.js';

export const EVALUATE_HELP = `limekit evaluate — run a grid of explainer configurations over image sets and score them

Usage:
  limekit evaluate --plan FILE --out DIR [--force] [--report-only] [--json]

  --plan FILE     JSON plan: models [{name, path, preprocess?, labels?, resize?, resizeTo?, interpolation?,
                  inputSize?, layout?, inputName?, outputName?, outputKind?, labelOffset?}], images [{name, dir, masks?}],
                  configs [{name, ...explain config fields}], seeds [..], metrics? [ids], numSamples?
  --out DIR       results.jsonl (one row per model × image × config × seed, flushed as computed),
                  control.jsonl (the "random" control: random weights on the first config's
                  segments, per model × image × seed), results.csv, report.html (opens from
                  disk), summary.json (means, bootstrap intervals, paired Wilcoxon tests), plan.json
  --force         accept a plan that differs from the one DIR was started with (old results are
                  kept as results.<time>.jsonl)
  --report-only   rebuild report.html and results.csv from results.jsonl
  --json          print the summary as JSON

A run that is killed resumes where it stopped when started again with the same command.
Exit codes: 0 every row computed; 3 some rows failed on their image or config, 4 some failed on
their model (the report and results.csv are still written; the error column says why); 2 usage;
130 cancelled (Ctrl-C; finished rows are kept).
Metrics (default: all but the opt-in ones): ${METRIC_INFO.filter((m) => !m.optIn).map((m) => m.id).join(', ')};
opt-in, name them in the plan's metrics: ${METRIC_INFO.filter((m) => m.optIn).map((m) => m.id).join(', ')}.
`;

/** `limekit evaluate`. */
export async function evaluateCommand(argv: string[], io: CliIo): Promise<number> {
  const flags = parseFlags('evaluate', argv, {
    plan: { type: 'string' },
    out: { type: 'string' },
    force: { type: 'boolean' },
    'report-only': { type: 'boolean' },
    json: { type: 'boolean' },
    quiet: { type: 'boolean' },
  });
  if (flags.help) {
    io.stdout.write(EVALUATE_HELP);
    return 0;
  }
  requireFlags('evaluate', flags, ['plan', 'out']);
  const loaded = await loadPlan(resolve(io.cwd, flags.plan!), METRIC_INFO.map((m) => m.id), METRIC_INFO.filter((m) => !m.optIn).map((m) => m.id));
  const out = resolve(io.cwd, flags.out!);
  await mkdir(out, { recursive: true });
  const planFile = join(out, 'plan.json');
  const resultsFile = join(out, 'results.jsonl');
  const controlFile = join(out, 'control.jsonl');
  if (existsSync(planFile)) {
    const previous = JSON.parse(await readFile(planFile, 'utf8')) as { hash: string };
    if (previous.hash !== loaded.hash) {
      if (!flags.force) {
        throw new InvalidOptionError(
          `evaluate: ${out} holds results of a different plan (hash ${previous.hash.slice(0, 12)}…, this plan ${loaded.hash.slice(0, 12)}…). Use another --out, or --force to start over (old results are kept).`,
        );
      }
      const stamp = new Date().toISOString().replace(/[:.]/g, '-');
      if (existsSync(resultsFile)) await rename(resultsFile, join(out, `results.${stamp}.jsonl`));
      if (existsSync(controlFile)) await rename(controlFile, join(out, `control.${stamp}.jsonl`));
    }
  }
  await writeFileAtomic(planFile, JSON.stringify({ hash: loaded.hash, plan: loaded.plan }, null, 2) + '\n');

  const done = await readResults(resultsFile);
  const doneKeys = new Set(done.map(rowKey));
  const tasks: { model: (typeof loaded.models)[number]; image: (typeof loaded.images)[number]; config: (typeof loaded.configs)[number]; seed: number }[] = [];
  for (const model of loaded.models)
    for (const image of loaded.images)
      for (const config of loaded.configs)
        for (const seed of loaded.plan.seeds) tasks.push({ model, image, config, seed });
  const todo = tasks.filter((t) => !doneKeys.has(rowKey({ model: t.model.name, image: `${t.image.set}/${t.image.file}`, config: t.config.name, seed: t.seed })));
  // The random control: one row per model × image × seed, kept apart from results.jsonl.
  const controlDone = new Set((await readResults(controlFile)).map(rowKey));
  const controlTodo: { model: (typeof loaded.models)[number]; image: (typeof loaded.images)[number]; seed: number }[] = [];
  for (const model of loaded.models)
    for (const image of loaded.images)
      for (const seed of loaded.plan.seeds) if (!controlDone.has(rowKey({ model: model.name, image: `${image.set}/${image.file}`, config: RANDOM_CONFIG, seed }))) controlTodo.push({ model, image, seed });

  if (!flags['report-only'] && (todo.length || controlTodo.length)) {
    const bar = new ProgressBar(io, 'evaluate', flags.quiet || flags.json, undefined, 'explanations');
    const writer = new ResultsWriter(resultsFile);
    const controlWriter = new ResultsWriter(controlFile);
    const total = todo.length + controlTodo.length;
    const t0 = performance.now();
    let finished = 0;
    const report = () => bar.update({ phase: 'sample', done: finished, total });
    report();
    try {
      for (const model of loaded.models) {
        const mine = todo.filter((t) => t.model === model);
        const mineControl = controlTodo.filter((t) => t.model === model);
        if (!mine.length && !mineControl.length) continue;
        let adapter: ModelAdapter | undefined;
        try {
          adapter = await loadModel(model.absPath, {
            ...modelOptionsFrom(model),
            ...(model.absLabels ? { labels: model.absLabels } : {}),
          });
        } catch (err) {
          for (const t of mine) {
            writer.append({ model: model.name, image: `${t.image.set}/${t.image.file}`, config: t.config.name, seed: t.seed, metrics: {}, error: `model: ${(err as Error).message}` });
            finished++;
          }
          finished += mineControl.length;
          report();
          continue;
        }
        if (!flags.quiet && !flags.json) for (const note of modelNotes(adapter, model.preprocess !== undefined, 'evaluate')) io.stderr.write(`note: model ${model.name}: ${note}\n`);
        try {
          for (const t of mine) {
            if (io.signal?.aborted) throw new AbortedError('evaluate: cancelled; the rows finished so far are kept: run the same command again to continue.');
            const base = { model: model.name, image: `${t.image.set}/${t.image.file}`, config: t.config.name, seed: t.seed };
            let row: ResultRow;
            try {
              const original = await loadImage(t.image.path);
              const { view, transform } = await preprocessToView(original, adapter.input);
              const mask = t.image.maskPath ? await loadMaskForView(t.image.maskPath, transform, adapter.input) : undefined;
              const resolved = t.config.resolved;
              const container = createExperimentContainer({ ...resolved, seed: t.seed, topLabels: 1 }, adapter);
              const explainer = explainerFrom(container);
              const exp = await explainer.explain(view, { ...explainOptionsFrom({ ...resolved, seed: t.seed, topLabels: 1 }), ...(io.signal ? { signal: io.signal } : {}) });
              const label = exp.labels[0];
              const baseline = resolved.components.baseline.instance;
              const explainOptions = { ...explainOptionsFrom({ ...resolved, seed: t.seed, topLabels: 1 }), ...(io.signal ? { signal: io.signal } : {}) };
              const reexplain = async (img: typeof view, other?: number) => {
                const e = await explainer.explain(img, { ...explainOptions, labels: [other ?? label.index] });
                return { segments: e.segments, weights: e.labels[0].weights };
              };
              const modelLoadOptions = { ...modelOptionsFrom(model), ...(model.absLabels ? { labels: model.absLabels } : {}) };
              const mprt = async () => {
                const steps = await parameterRandomisation({ modelPath: model.absPath, loadOptions: modelLoadOptions, mode: 'cascade', onlyLast: true, seed: t.seed, reference: { segments: exp.segments, weights: label.weights }, explain: async (m) => { const e = await explainerFrom(createExperimentContainer({ ...resolved, seed: t.seed, topLabels: 1 }, m)).explain(view, { ...explainOptions, labels: [label.index] }); return { segments: e.segments, weights: e.labels[0].weights }; } });
                return steps.length ? steps[steps.length - 1].spearman : NaN;
              };
              const { metrics, curves } = await computeRowMetrics({ exp, model: adapter, view, mask, wanted: loaded.metrics, seed: t.seed, batchSize: resolved.batchSize, baseline, reexplain, mprt });
              let thumbnail: string | undefined;
              if (t.seed === loaded.plan.seeds[0]) {
                const seg = segmentsToOriginal(exp.segments, transform, original.width, original.height);
                thumbnail = (await thumbnailPng(renderOverlay(original, seg, label.weights, { numFeatures: 5 }))).toString('base64');
              }
              row = {
                ...base,
                metrics,
                label: { index: label.index, ...(label.name !== undefined ? { name: label.name } : {}), probability: label.probability },
                weights: Array.from(label.weights),
                numSegments: exp.segments.count,
                ...(curves ? { curves } : {}),
                timings: exp.timings as unknown as Record<string, number>,
                modelCalls: exp.modelCalls,
                samples: exp.numSamples,
                ...(thumbnail ? { thumbnail } : {}),
              };
            } catch (err) {
              if (io.signal?.aborted) throw new AbortedError('evaluate: cancelled; the rows finished so far are kept: run the same command again to continue.', { cause: err });
              row = { ...base, metrics: {}, error: err instanceof Error ? err.message : String(err) };
            }
            writer.append(row);
            finished++;
            report();
          }
          for (const t of mineControl) {
            if (io.signal?.aborted) throw new AbortedError('evaluate: cancelled; the rows finished so far are kept: run the same command again to continue.');
            const base = { model: model.name, image: `${t.image.set}/${t.image.file}`, config: RANDOM_CONFIG, seed: t.seed };
            let row: ResultRow;
            try {
              const original = await loadImage(t.image.path);
              const { view, transform } = await preprocessToView(original, adapter.input);
              const mask = t.image.maskPath ? await loadMaskForView(t.image.maskPath, transform, adapter.input) : undefined;
              row = await randomControlRow({ model: adapter, modelName: model.name, image: base.image, view, mask, reference: loaded.configs[0].resolved, seed: t.seed, wanted: loaded.metrics, ...(io.signal ? { signal: io.signal } : {}) });
            } catch (err) {
              if (io.signal?.aborted) throw err;
              row = { ...base, metrics: {}, error: err instanceof Error ? err.message : String(err) };
            }
            controlWriter.append(row);
            finished++;
            report();
          }
        } finally {
          await adapter.dispose();
        }
      }
    } finally {
      writer.close();
      controlWriter.close();
      bar.done();
    }
    if (!flags.json && !flags.quiet) io.stderr.write(`evaluate: ${finished} rows in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
  }

  const rows = await readResults(resultsFile);
  const controlRows = await readResults(controlFile);
  const configs = loaded.configs.map((c) => c.name);
  const allConfigs = [...configs, RANDOM_CONFIG];
  const allRows = [...rows, ...controlRows];
  const metricInfo = METRIC_INFO.filter((m) => loaded.metrics.includes(m.id));
  const stats = summarize(allRows, allConfigs, metricInfo, groupMetrics(allRows, loaded.metrics));
  const cells = stats.cells;
  const html = await renderReport({ plan: loaded.plan, rows: allRows, configs: allConfigs, controls: [RANDOM_CONFIG], metrics: metricInfo, summary: stats, masksGiven: loaded.images.some((i) => i.maskPath), generatedAt: new Date().toISOString() });
  await writeFileAtomic(join(out, 'report.html'), html);
  await writeFileAtomic(join(out, 'results.csv'), toCsv(rows, loaded.metrics));
  await writeFileAtomic(join(out, 'summary.json'), JSON.stringify(summaryJson(stats, { planHash: loaded.hash, configs: allConfigs, controls: [RANDOM_CONFIG], metrics: metricInfo, rows: rows.length, errors: rows.filter((r) => r.error).length }), null, 2) + '\n');
  const summary = {
    rows: rows.length,
    errors: rows.filter((r) => r.error).length,
    out,
    summary: cells.filter((c) => c.ci).map((c) => ({ config: c.config, metric: c.metric, n: c.ci!.n, mean: c.ci!.mean, lo: c.ci!.lo, hi: c.ci!.hi })),
  };
  if (flags.json) io.stdout.write(JSON.stringify(summary, null, 2) + '\n');
  else {
    io.stdout.write(`${rows.length} result rows (${summary.errors} errors) in ${out}: results.jsonl, control.jsonl, results.csv, report.html, summary.json\n`);
    for (const config of allConfigs) {
      const parts = cells.filter((c) => c.config === config && c.ci).map((c) => `${c.metric} ${c.ci!.mean.toFixed(3)}`);
      io.stdout.write(`  ${config}: ${parts.join(' · ')}\n`);
    }
  }
  const failed = rows.filter((r) => r.error);
  if (failed.length) {
    const byModel = failed.filter((r) => r.error!.startsWith('model:')).length;
    io.stderr.write(`evaluate: ${failed.length} of ${rows.length} rows failed (${byModel} on loading their model); their errors are in ${join(out, 'results.csv')} (column "error"). First: ${failed[0].model} × ${failed[0].image} × ${failed[0].config}: ${failed[0].error}\n`);
    return byModel ? EXIT.model : EXIT.input;
  }
  return 0;
}
