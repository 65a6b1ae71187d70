import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { AbortedError, InvalidOptionError } from '@limekit/core';
import type { GameModel } from '@limekit/games';
import { writeFileAtomic } from '@limekit/image';
import { parseFlags, requireFlags } from '../args.js';
import { EXIT, UsageError } from '../exit-codes.js';
import type { CliIo } from '../io.js';
import { readResults, ResultsWriter } from '../evaluate/results.js';
import { ProgressBar } from '../progress.js';
import { loadBenchmarkPlan } from '../benchmark/plan.js';
import { benchCsv, benchSummaryJson, renderBenchReport, summarizeBenchmark } from '../benchmark/report.js';
import { benchKey, gameModelFor, runBenchCell, type BenchRow } from '../benchmark/run.js';
import { computeTarget, describeTarget } from '../benchmark/targets.js';

export const BENCHMARK_HELP = `limekit benchmark — error to the exact answer against the number of model calls, on games with known answers

Usage:
  limekit benchmark --plan FILE --out DIR [--resume] [--json] [--quiet]

  --plan FILE   JSON plan:
                  games    [{name, kind: additive|pairwise|and|or|saturating, M?, segmenter?, image?, size?, params?}]
                           (M alone: a grid of exactly M cells on the image; params: weights, bias, scale,
                           interactions, players, value, seed)
                  configs  [{name, preset? | file?, ...explain config fields, target?: lime|shapley|banzhaf,
                           maskLaw?: uniform|bernoulli(p)|glime(width)}]  (a plugin sampler: "sampler": "./my-sampler.ts")
                  budgets  [64, 128, …, 8192]  (numSamples of each run)
                  seeds    [0, 1, …]          topK? (default 5)
  --out DIR     results.jsonl (one row per game × config × budget × seed, flushed as computed),
                results.csv, summary.json (mean and 95 % interval per game × config × budget, coverage of
                reported standard errors), report.html (curves, opens from disk), plan.json
  --resume      continue the runs of DIR (same plan): done runs are skipped, failed ones retried

Targets (default per configuration, override with "target"): kernelshap (and Shapley estimators) →
exact Shapley values; banzhaf → Banzhaf values; other weighted regressions → the population LIME
target: the weighted ridge over all 2^M masks under the sampler's mask law, with the configuration's
kernel and α, at the number of samples the run used (the budget, unless an adaptive sampler stopped
early); by enumeration for M <= 20, by moments at any M for additive, pairwise, and, or games.
Exit codes: 0 every run computed; 2 usage (or DIR holds runs and --resume was not given); 3 bad plan
or some runs failed (their errors are in results.csv); 130 cancelled (finished runs are kept).
`;

/** `limekit benchmark`. */
export async function benchmarkCommand(argv: string[], io: CliIo): Promise<number> {
  const flags = parseFlags('benchmark', argv, {
    plan: { type: 'string' },
    out: { type: 'string' },
    resume: { type: 'boolean' },
    json: { type: 'boolean' },
    quiet: { type: 'boolean' },
  });
  if (flags.help) {
    io.stdout.write(BENCHMARK_HELP);
    return 0;
  }
  requireFlags('benchmark', flags, ['plan', 'out']);
  const loaded = await loadBenchmarkPlan(resolve(io.cwd, flags.plan!));
  const { plan, games, configs } = loaded;
  // Every exact target before any run: a game without one is a plan error, not a failed row.
  const targets = new Map<string, { values: Float64Array; method: string }>();
  const tkey = (g: string, c: string, b: number) => JSON.stringify([g, c, b]);
  for (const g of games) {
    for (const c of configs) {
      for (const b of plan.budgets) {
        try {
          targets.set(tkey(g.name, c.name, b), computeTarget(g.game, c.target, b));
        } catch (err) {
          if (err instanceof InvalidOptionError) throw new InvalidOptionError(`${flags.plan}: game "${g.name}" × config "${c.name}": ${err.message}`, { cause: err });
          throw err;
        }
      }
    }
  }

  const out = resolve(io.cwd, flags.out!);
  const planFile = join(out, 'plan.json');
  const resultsFile = join(out, 'results.jsonl');
  if (existsSync(planFile) || existsSync(resultsFile)) {
    if (!flags.resume) throw new UsageError(`benchmark: ${out} already holds a benchmark. Pass --resume to continue it (done runs are skipped), or choose another --out.`);
    if (existsSync(planFile)) {
      const previous = JSON.parse(await readFile(planFile, 'utf8')) as { hash: string };
      if (previous.hash !== loaded.hash) {
        throw new InvalidOptionError(`benchmark: ${out} holds runs of a different plan (hash ${previous.hash.slice(0, 12)}…, this plan ${loaded.hash.slice(0, 12)}…). Use another --out for this plan.`);
      }
    }
  }
  await mkdir(out, { recursive: true });
  await writeFileAtomic(planFile, JSON.stringify({ hash: loaded.hash, plan }, null, 2) + '\n');

  const previous = await readResults<BenchRow>(resultsFile);
  const done = new Set(previous.filter((r) => !r.error).map(benchKey));
  const todo: { game: (typeof games)[number]; config: (typeof configs)[number]; budget: number; seed: number }[] = [];
  for (const game of games)
    for (const config of configs)
      for (const budget of plan.budgets)
        for (const seed of plan.seeds) if (!done.has(benchKey({ game: game.name, config: config.name, budget, seed }))) todo.push({ game, config, budget, seed });

  const quiet = !!(flags.quiet || flags.json);
  if (todo.length) {
    const bar = new ProgressBar(io, 'benchmark', quiet, undefined, 'runs');
    const writer = new ResultsWriter<BenchRow>(resultsFile);
    const models = new Map<string, GameModel>();
    const t0 = performance.now();
    let finished = 0;
    bar.update({ phase: 'sample', done: 0, total: todo.length });
    try {
      for (const t of todo) {
        if (io.signal?.aborted) throw new AbortedError('benchmark: cancelled; the runs finished so far are kept: run the same command with --resume to continue.');
        const base = { game: t.game.name, config: t.config.name, budget: t.budget, seed: t.seed };
        let row: BenchRow;
        try {
          const mkey = JSON.stringify([t.game.name, t.config.name]);
          let model = models.get(mkey);
          if (!model) models.set(mkey, (model = await gameModelFor(t.game, t.config)));
          const exact = (n: number) => {
            let e = targets.get(tkey(t.game.name, t.config.name, n));
            if (!e) targets.set(tkey(t.game.name, t.config.name, n), (e = computeTarget(t.game.game, t.config.target, n)));
            return e.values;
          };
          row = { ...base, ...(await runBenchCell({ game: t.game, config: t.config, model, budget: t.budget, seed: t.seed, exact, topK: loaded.topK, ...(io.signal ? { signal: io.signal } : {}) })) };
        } catch (err) {
          if (io.signal?.aborted) throw new AbortedError('benchmark: cancelled; the runs finished so far are kept: run the same command with --resume to continue.', { cause: err });
          row = { ...base, error: err instanceof Error ? err.message : String(err) };
        }
        writer.append(row);
        bar.update({ phase: 'sample', done: ++finished, total: todo.length });
      }
    } finally {
      writer.close();
      bar.done();
    }
    if (!quiet) io.stderr.write(`benchmark: ${finished} runs in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
  }

  // The latest row of every run of this plan (a retried failure replaces its error row).
  const latest = new Map<string, BenchRow>();
  for (const r of await readResults<BenchRow>(resultsFile)) latest.set(benchKey(r), r);
  const rows = [...latest.values()];
  const gameInfo = games.map((g) => ({ name: g.name, kind: g.kind, M: g.M }));
  const configInfo = configs.map((c) => ({
    name: c.name,
    target: { ...describeTarget(c.target), methods: [...new Set(games.flatMap((g) => plan.budgets.map((b) => `${g.name}: ${targets.get(tkey(g.name, c.name, b))!.method}`)))] },
  }));
  const cells = summarizeBenchmark(rows, games.map((g) => g.name), configs.map((c) => c.name), plan.budgets);
  const errors = rows.filter((r) => r.error);
  await writeFileAtomic(join(out, 'results.csv'), benchCsv(rows));
  await writeFileAtomic(join(out, 'summary.json'), JSON.stringify(benchSummaryJson(cells, { planHash: loaded.hash, games: gameInfo, configs: configInfo, budgets: plan.budgets, topK: loaded.topK, rows: rows.length, errors: errors.length }), null, 2) + '\n');
  await writeFileAtomic(join(out, 'report.html'), await renderBenchReport({ plan, cells, games: gameInfo, configs: configInfo, budgets: plan.budgets, rows, topK: loaded.topK, generatedAt: new Date().toISOString() }));

  if (flags.json) {
    io.stdout.write(JSON.stringify({ runs: rows.length, errors: errors.length, out, cells: cells.filter((c) => c.game === 'all').map((c) => ({ config: c.config, budget: c.budget, relL2: c.metrics.relL2?.mean ?? null, topK: c.metrics.topK?.mean ?? null, spearman: c.metrics.spearman?.mean ?? null, coverage: c.coverage?.coverage ?? null })) }, null, 2) + '\n');
  } else {
    io.stdout.write(`${rows.length} runs (${errors.length} errors) in ${out}: results.jsonl, results.csv, summary.json, report.html\n`);
    io.stdout.write(`mean relative L2 error to the exact target over all games (budgets ${plan.budgets.join(', ')}):\n`);
    for (const c of configs) {
      const parts = plan.budgets.map((b) => cells.find((x) => x.game === 'all' && x.config === c.name && x.budget === b)?.metrics.relL2?.mean);
      io.stdout.write(`  ${c.name} (${c.target.kind}): ${parts.map((v) => (v === undefined ? '–' : v.toFixed(4))).join(' · ')}\n`);
    }
  }
  if (errors.length) {
    io.stderr.write(`benchmark: ${errors.length} of ${rows.length} runs failed; their errors are in ${join(out, 'results.csv')} (column "error"). First: ${errors[0].game} × ${errors[0].config} × ${errors[0].budget} × seed ${errors[0].seed}: ${errors[0].error}\n`);
    return EXIT.input;
  }
  return EXIT.ok;
}
