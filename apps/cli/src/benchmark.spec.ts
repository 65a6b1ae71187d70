import { existsSync, readFileSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cli, demo, repoRoot, tempDir } from '../test/helpers.js';
import { run, type CliIo } from './index.js';
import type { BenchRow } from './benchmark/run.js';

const PLUGIN = resolve(fileURLToPath(new URL('../test/fixtures/antithetic-sampler.ts', import.meta.url)));
const STAR = demo('images/star-1.png');

async function jsonl(path: string): Promise<BenchRow[]> {
  return (await readFile(path, 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as BenchRow);
}

async function writePlan(dir: string, plan: unknown, name = 'plan.json'): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, JSON.stringify(plan));
  return path;
}

function l2(a: readonly number[], b: readonly number[]): number {
  return Math.sqrt(a.reduce((s, v, j) => s + (v - b[j]) ** 2, 0));
}

describe('limekit benchmark: comparisons on hand cases', () => {
  it('scores each configuration against the exact answer computed by hand', async () => {
    const dir = await tempDir('limekit-bench-hand-');
    const w = [0.4, -0.2, 0.1, 0.3];
    const plan = {
      games: [
        // v = 0.05 + Σ w_j over the visible cells of a 2 × 2 grid: Shapley = Banzhaf = w, and the
        // unpenalised LIME target is w itself (a linear game is fitted exactly).
        { name: 'additive', kind: 'additive', M: 4, image: STAR, size: [32, 24], params: { weights: w, bias: 0.05 } },
        // v = 1 when cells 0 and 1 are both visible: Shapley (½, ½, 0, 0), Banzhaf (½, ½, 0, 0).
        { name: 'and', kind: 'and', M: 4, image: STAR, size: [32, 24], params: { players: [0, 1], value: 1 } },
      ],
      configs: [
        { name: 'ols', preset: 'lime', surrogate: { use: 'linear' } },
        { name: 'kernelshap', preset: 'kernelshap' },
        { name: 'ols-banzhaf', preset: 'lime', surrogate: { use: 'linear' }, kernel: { use: 'uniform' }, target: 'banzhaf' },
      ],
      // 16 = 2^4: KernelSHAP enumerates every coalition, so it is exact.
      budgets: [16, 64],
      seeds: [0],
      topK: 2,
    };
    const out = join(dir, 'out');
    const r = await cli(['benchmark', '--plan', await writePlan(dir, plan), '--out', out, '--quiet']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const rows = await jsonl(join(out, 'results.jsonl'));
    expect(rows).toHaveLength(2 * 3 * 2);
    const hand: Record<string, Record<string, number[]>> = {
      additive: { ols: w, kernelshap: w, 'ols-banzhaf': w },
      and: { kernelshap: [0.5, 0.5, 0, 0], 'ols-banzhaf': [0.5, 0.5, 0, 0] },
    };
    for (const row of rows) {
      expect(row.error).toBeUndefined();
      // KernelSHAP stops at the 2^4 = 16 coalitions that exist; the others score every sample.
      expect(row.modelCalls).toBe(row.config === 'kernelshap' ? 16 : row.budget);
      const exact = hand[row.game][row.config];
      if (!exact) continue; // the AND game's LIME target has no simple hand value
      // The reported error is the error to the hand-computed answer.
      expect(Math.abs(row.l2! - l2(row.weights!, exact))).toBeLessThan(1e-9);
      const norm = Math.sqrt(exact.reduce((s, v) => s + v * v, 0));
      expect(Math.abs(row.relL2! - l2(row.weights!, exact) / norm)).toBeLessThan(1e-9);
    }
    const find = (game: string, config: string, budget: number) => rows.find((x) => x.game === game && x.config === config && x.budget === budget)!;
    // Exact estimators land on the answer: OLS on a linear game, KernelSHAP with all 2^4 coalitions.
    expect(find('additive', 'ols', 64).relL2!).toBeLessThan(1e-6);
    expect(find('and', 'kernelshap', 16).relL2!).toBeLessThan(1e-6);
    expect(find('and', 'kernelshap', 16).topK).toBe(1);
    // Unweighted OLS over uniform masks is the Banzhaf value for a multilinear game; with 64 random
    // rows it is only close (measured 0.1 to 0.3), never exact.
    expect(find('and', 'ols-banzhaf', 64).relL2!).toBeGreaterThan(1e-3);
    expect(find('and', 'ols-banzhaf', 64).relL2!).toBeLessThan(0.6);
    const summary = JSON.parse(await readFile(join(out, 'summary.json'), 'utf8'));
    expect(summary.configs.map((c: { target: { kind: string } }) => c.target.kind)).toEqual(['lime', 'shapley', 'banzhaf']);
    expect(summary.configs[2].target.because).toBe('plan');
  }, 60_000);
});

describe('limekit benchmark: the perturbation methods of packages/methods on hand cases', () => {
  it('scores occlusion, permutation-shap and banzhaf against their targets, with coverage where they report errors', async () => {
    const dir = await tempDir('limekit-bench-methods-');
    const w = [0.4, -0.2, 0.1, 0.3];
    const plan = {
      games: [
        { name: 'additive', kind: 'additive', M: 4, image: STAR, size: [32, 24], params: { weights: w, bias: 0.05 } },
        // v = 1 when cells 0 and 1 are both visible: Shapley = Banzhaf = (½, ½, 0, 0); leave-one-out (1, 1, 0, 0).
        { name: 'and', kind: 'and', M: 4, image: STAR, size: [32, 24], params: { players: [0, 1], value: 1 } },
      ],
      configs: [
        { name: 'permutation-shap', preset: 'permutation-shap' },
        { name: 'banzhaf', preset: 'banzhaf' },
        { name: 'occlusion', preset: 'occlusion', target: 'banzhaf' },
      ],
      budgets: [17, 64],
      seeds: [0, 1],
      topK: 2,
    };
    const out = join(dir, 'out');
    const r = await cli(['benchmark', '--plan', await writePlan(dir, plan), '--out', out, '--quiet']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const rows = await jsonl(join(out, 'results.jsonl'));
    expect(rows).toHaveLength(2 * 3 * 2 * 2);
    for (const row of rows) expect(row.error).toBeUndefined();
    const summary = JSON.parse(await readFile(join(out, 'summary.json'), 'utf8'));
    expect(summary.configs.map((c: { target: { kind: string } }) => c.target.kind)).toEqual(['shapley', 'banzhaf', 'banzhaf']);
    for (const row of rows) {
      if (row.config === 'permutation-shap') {
        // Antithetic permutation pairs are exact on an additive game and split a pairwise AND equally.
        expect(row.relL2!).toBeLessThan(1e-6);
        expect(row.withStd).toBe(4);
        // Its standard error is (near) 0 and so is its error (float32 model outputs): every segment is covered.
        expect(row.covered).toBe(4);
      } else if (row.config === 'occlusion') {
        // M + 1 calls whatever the budget; leave-one-out equals Banzhaf on the additive game, and is
        // (1, 1, 0, 0) against (½, ½, 0, 0) on the AND game: relative L2 error exactly 1.
        expect(row.modelCalls).toBe(5);
        expect(Math.abs(row.relL2! - (row.game === 'additive' ? 0 : 1))).toBeLessThan(1e-6);
        expect(row.withStd).toBeUndefined();
      } else {
        // Banzhaf by maximum sample reuse reports a standard error per segment, so coverage is counted.
        expect(row.withStd).toBe(4);
      }
    }
  }, 60_000);
});

describe('limekit benchmark on the shipped small plan', () => {
  it('writes results.csv, summary.json (with coverage) and report.html, errors shrink with the budget', async () => {
    const out = join(await tempDir('limekit-bench-small-'), 'out');
    const r = await cli(['benchmark', '--plan', demo('benchmark/plan.json'), '--out', out, '--quiet']);
    expect(r.code).toBe(0);
    for (const f of ['results.jsonl', 'results.csv', 'summary.json', 'report.html', 'plan.json']) expect(existsSync(join(out, f))).toBe(true);
    const csv = (await readFile(join(out, 'results.csv'), 'utf8')).trim().split('\n');
    expect(csv).toHaveLength(1 + 2 * 3 * 3 * 3);
    expect(csv[0]).toMatch(/^game,config,target,M,budget,seed,model_calls,samples,rel_l2,l2,max_abs,topk,spearman,coverage,coverage_n/);
    const summary = JSON.parse(await readFile(join(out, 'summary.json'), 'utf8'));
    type Cell = { game: string; config: string; budget: number; relL2: { mean: number; lo: number; hi: number }; coverage: { coverage: number; n: number } | null };
    const cell = (game: string, config: string, budget: number) => (summary.cells as Cell[]).find((c) => c.game === game && c.config === config && c.budget === budget)!;
    for (const config of ['lime', 'kernelshap', 'baylime']) {
      expect(cell('all', config, 1024).relL2.mean).toBeLessThan(cell('all', config, 64).relL2.mean);
      const c = cell('saturating-12', config, 256);
      expect(c.relL2.lo).toBeLessThanOrEqual(c.relL2.mean);
      expect(c.relL2.hi).toBeGreaterThanOrEqual(c.relL2.mean);
    }
    // Only BayLIME reports standard errors: its coverage is measured (12 segments × 3 seeds × 2 games), the others have none.
    expect(cell('all', 'baylime', 256).coverage!.n).toBe(72);
    expect(cell('all', 'baylime', 256).coverage!.coverage).toBeGreaterThan(0.5);
    expect(cell('all', 'lime', 256).coverage).toBeNull();
    expect(await readFile(join(out, 'report.html'), 'utf8')).toMatch(/Coverage of the reported 95 % intervals/);
    expect((await readdir(out)).filter((f) => !['results.jsonl', 'results.csv', 'summary.json', 'report.html', 'plan.json'].includes(f))).toEqual([]);
  }, 120_000);
});

describe('limekit benchmark: resume, plugins and bad plans', () => {
  // No image: the repository's demo/images/star-1.png.
  const game = { name: 'additive', kind: 'additive', M: 6, size: [24, 24], params: { seed: 3 } };

  it('a plugin sampler enters with one config line; a rerun with --resume computes only the missing runs', async () => {
    const dir = await tempDir('limekit-bench-resume-');
    const plan = { games: [game], configs: [{ name: 'lime', preset: 'lime' }, { name: 'antithetic', preset: 'lime', sampler: PLUGIN }], budgets: [32, 256], seeds: [0, 1] };
    const planPath = await writePlan(dir, plan);
    const out = join(dir, 'out');
    expect((await cli(['benchmark', '--plan', planPath, '--out', out, '--quiet'])).code).toBe(0);
    const full = await jsonl(join(out, 'results.jsonl'));
    expect(full).toHaveLength(8);
    const plugin = full.filter((x) => x.config === 'antithetic');
    expect(plugin.every((x) => !x.error && x.target === 'lime')).toBe(true);
    expect(Math.max(...plugin.filter((x) => x.budget === 256).map((x) => x.relL2!))).toBeLessThan(0.05);
    const summary = JSON.parse(await readFile(join(out, 'summary.json'), 'utf8'));
    expect(summary.configs[1].target.maskLawBecause).toMatch(/assumed: sampler "antithetic"/);

    // An interrupted run: three rows and half of the fourth on disk.
    const lines = (await readFile(join(out, 'results.jsonl'), 'utf8')).split('\n');
    await writeFile(join(out, 'results.jsonl'), lines.slice(0, 3).join('\n') + '\n' + lines[3].slice(0, 20));
    const again = await cli(['benchmark', '--plan', planPath, '--out', out]);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/already holds a benchmark\. Pass --resume/);
    const resumed = await cli(['benchmark', '--plan', planPath, '--out', out, '--resume']);
    expect(resumed.code).toBe(0);
    expect(resumed.stderr).toMatch(/benchmark: 5 runs in/);
    const after = await jsonl(join(out, 'results.jsonl'));
    expect(after).toHaveLength(8);
    // Same seeds, same rows: the resumed runs equal the first ones.
    for (const row of after) {
      const first = full.find((x) => x.game === row.game && x.config === row.config && x.budget === row.budget && x.seed === row.seed)!;
      expect(Math.abs(first.relL2! - row.relL2!)).toBeLessThan(1e-12);
    }
    const nothing = await cli(['benchmark', '--plan', planPath, '--out', out, '--resume']);
    expect(nothing.code).toBe(0);
    expect(nothing.stderr).not.toMatch(/runs in/);
    // Another plan into the same folder is refused.
    const other = await writePlan(dir, { ...plan, seeds: [5] }, 'other.json');
    const refused = await cli(['benchmark', '--plan', other, '--out', out, '--resume']);
    expect(refused.code).toBe(3);
    expect(refused.stderr).toMatch(/holds runs of a different plan/);
  }, 120_000);

  it('Ctrl-C in the middle of a run exits 130, keeps only complete rows and writes no report; --resume finishes the rest', async () => {
    const dir = await tempDir('limekit-bench-cancel-');
    // Four quick runs, then two long ones (4096 samples) that the cancellation interrupts.
    const planPath = await writePlan(dir, { games: [game], configs: [{ name: 'lime', preset: 'lime' }], budgets: [32, 64, 4096], seeds: [0, 1] });
    const out = join(dir, 'out');
    const results = join(out, 'results.jsonl');
    const controller = new AbortController();
    let stderr = '';
    const io: CliIo = { stdout: { write: () => true }, stderr: { write: (t: string) => ((stderr += t), true), isTTY: false }, cwd: repoRoot, signal: controller.signal };
    // Ctrl-C once two rows are on disk.
    const poll = setInterval(() => {
      if (existsSync(results) && readFileSync(results, 'utf8').split('\n').length > 2) controller.abort();
    }, 5);
    let code: number;
    try {
      code = await run(['benchmark', '--plan', planPath, '--out', out], io);
    } finally {
      clearInterval(poll);
    }
    expect(code).toBe(130);
    expect(stderr).toMatch(/benchmark: cancelled; the runs finished so far are kept: run the same command with --resume to continue/);
    const kept = await jsonl(results); // every line parses: no half-written row
    expect(kept.length).toBeGreaterThanOrEqual(2);
    expect(kept.length).toBeLessThan(6);
    for (const f of ['report.html', 'summary.json', 'results.csv']) expect(existsSync(join(out, f))).toBe(false);
    const resumed = await cli(['benchmark', '--plan', planPath, '--out', out, '--resume']);
    expect(resumed.code).toBe(0);
    expect(resumed.stderr).toMatch(new RegExp(`benchmark: ${6 - kept.length} runs in`));
    expect(await jsonl(results)).toHaveLength(6);
  }, 120_000);

  it('a configuration can come from an explain config file (its segmenter is the game\'s)', async () => {
    const dir = await tempDir('limekit-bench-file-');
    await writeFile(join(dir, 'baylime.json'), JSON.stringify({ preset: 'baylime', segmenter: { use: 'slic' }, batchSize: 16 }));
    const planPath = await writePlan(dir, { games: [game], configs: [{ name: 'from-file', file: 'baylime.json' }], budgets: [64], seeds: [0] });
    const out = join(dir, 'out');
    const r = await cli(['benchmark', '--plan', planPath, '--out', out, '--json']);
    expect(r.code).toBe(0);
    const printed = JSON.parse(r.stdout) as { runs: number; cells: { config: string; coverage: number | null }[] };
    expect(printed.runs).toBe(1);
    expect(printed.cells[0].coverage).not.toBeNull(); // Bayesian ridge reports standard errors
    const summary = JSON.parse(await readFile(join(out, 'summary.json'), 'utf8'));
    expect(summary.configs[0].target).toMatchObject({ kind: 'lime', alpha: 0, kernel: 'exponential', maskLaw: 'uniform' });
  }, 60_000);

  it('a bad plan exits 3 with a message that names the field, before any run', async () => {
    const dir = await tempDir('limekit-bench-bad-');
    const cases: [unknown, RegExp][] = [
      [{ games: [{ ...game, kind: 'xor' }], configs: [{ name: 'lime' }], budgets: [64], seeds: [0] }, /games\[0\] \(additive\)\.kind: must be one of additive, pairwise, and, or, saturating, got "xor"/],
      [{ games: [game], configs: [{ name: 'lime' }], budgets: [0], seeds: [0] }, /budgets: must be a non-empty array of sample counts/],
      [{ games: [game], configs: [{ name: 'lime', preset: 'lime', surrogate: { use: 'lasso' } }], budgets: [64], seeds: [0] }, /the LIME target needs a ridge, linear or bayesian-ridge surrogate.*got "lasso"/],
      [{ games: [game], configs: [{ name: 'lime', target: 'owen' }], budgets: [64], seeds: [0] }, /target: must be one of lime, shapley, banzhaf, got "owen"/],
      [{ games: [{ ...game, kind: 'saturating', M: 24 }], configs: [{ name: 'ks', preset: 'kernelshap' }], budgets: [64], seeds: [0] }, /no closed-form shapley values and enumeration needs M <= 20/],
      [{ games: [game], configs: [{ name: 'lime', segmenter: 'slic' }], budgets: [64], seeds: [0] }, /"segmenter" belongs to the games/],
      [{ games: [{ ...game, segmenter: { use: 'grid', options: { nRows: 2, nCols: 2 } } }], configs: [{ name: 'lime' }], budgets: [64], seeds: [0] }, /M is 6 but the segmenter gave 4 segments/],
    ];
    for (const [i, [plan, message]] of cases.entries()) {
      const out = join(dir, `out-${i}`);
      const r = await cli(['benchmark', '--plan', await writePlan(dir, plan, `bad-${i}.json`), '--out', out]);
      expect(r.code, r.stderr).toBe(3);
      expect(r.stderr).toMatch(message);
      expect(existsSync(out)).toBe(false); // nothing written
    }
    expect((await cli(['benchmark', '--out', join(dir, 'x')])).code).toBe(2);
  }, 60_000);
});
