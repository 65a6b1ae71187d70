import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CENTRE_LABELS, CENTRE_MODEL, cli, repoRoot, tempDir, writeSquareImages } from '../test/helpers.js';

async function planIn(dir: string, extra: Record<string, unknown> = {}): Promise<string> {
  await writeSquareImages(dir, 3);
  const plan = {
    models: [{ name: 'centre', path: CENTRE_MODEL, preprocess: 'unit', labels: CENTRE_LABELS }],
    images: [{ name: 'squares', dir: 'images', masks: 'masks' }],
    configs: [
      { name: 'lime-grid', preset: 'lime', segmenter: { use: 'grid', options: { nRows: 4, nCols: 4 } } },
      { name: 'slic', preset: 'lime', segmenter: { use: 'slic', options: { nSegments: 16 } } },
    ],
    seeds: [0, 1],
    numSamples: 120,
    ...extra,
  };
  const path = join(dir, 'plan.json');
  await writeFile(path, JSON.stringify(plan, null, 2));
  return path;
}

const rowsOf = async (out: string) =>
  (await readFile(join(out, 'results.jsonl'), 'utf8')).split('\n').filter(Boolean).map((l) => JSON.parse(l));

describe('limekit evaluate', () => {
  it('runs the grid, scores every metric that applies, writes CSV and a report', async () => {
    const dir = await tempDir('limekit-eval-');
    const plan = await planIn(dir);
    const out = join(dir, 'out');
    const r = await cli(['evaluate', '--plan', plan, '--out', out, '--json']);
    expect(r.stderr).not.toMatch(/unexpected/);
    expect(r.code).toBe(0);
    const rows = await rowsOf(out);
    expect(rows).toHaveLength(3 * 2 * 2);
    for (const row of rows) {
      expect(row.error).toBeUndefined();
      expect(Object.keys(row)).toEqual(expect.arrayContaining(['model', 'image', 'config', 'seed', 'metrics']));
      for (const m of ['deletion', 'insertion', 'faithfulness', 'fidelity-r2', 'sparseness', 'pointing-game', 'relevance-mass', 'relevance-rank', 'wall-time']) {
        expect(typeof row.metrics[m], m).toBe('number');
      }
    }
    // The model's evidence is the central square, which is also the mask: the grid explanation
    // should put most positive relevance there.
    const mass = rows.filter((x) => x.config === 'lime-grid').map((x) => x.metrics['relevance-mass']);
    expect(mass.reduce((a, b) => a + b, 0) / mass.length).toBeGreaterThan(0.5);
    const summary = JSON.parse(r.stdout);
    expect(summary.summary.some((c: { metric: string }) => c.metric === 'stability-jaccard')).toBe(true);
    const csv = await readFile(join(out, 'results.csv'), 'utf8');
    expect(csv.split('\n')[0]).toMatch(/^model,image,config,seed,label,label_name,probability,deletion,insertion/);
    expect(csv.trim().split('\n')).toHaveLength(13);
    const html = await readFile(join(out, 'report.html'), 'utf8');
    expect(html).toMatch(/<svg/);
    // Opens from disk with no network: nothing is fetched (xmlns and $schema URLs are names, not fetches).
    expect(html).not.toMatch(/(src|href)\s*=\s*["']?(https?:)?\/\/|url\(\s*["']?https?:|@import/);
    expect((html.match(/class="thumb"/g) ?? []).length).toBe(3 * 2);

    // The random control: one row per image × seed in control.jsonl, random weights on the first
    // config's 16 grid segments, no surrogate metrics.
    const control = (await readFile(join(out, 'control.jsonl'), 'utf8')).split('\n').filter(Boolean).map((l) => JSON.parse(l));
    expect(control).toHaveLength(3 * 2);
    for (const row of control) {
      expect(row.config).toBe('random');
      expect(row.weights).toHaveLength(16);
      expect(typeof row.metrics.deletion).toBe('number');
      expect(row.metrics['fidelity-r2']).toBeUndefined();
    }
    // The model's evidence is the centre: lime-grid's relevance mass beats chance.
    const randomMass = control.map((x) => x.metrics['relevance-mass']);
    expect(randomMass.reduce((a, b) => a + b, 0) / randomMass.length).toBeLessThan(mass.reduce((a, b) => a + b, 0) / mass.length);
    // summary.json: per config (random included) and metric a mean with an interval inside the
    // metric's range; per metric every pair of the three configurations with raw and Holm p.
    const sj = JSON.parse(await readFile(join(out, 'summary.json'), 'utf8'));
    expect(sj.configs).toEqual(['lime-grid', 'slic', 'random']);
    expect(sj.controls).toEqual(['random']);
    const jac = sj.metrics.find((m: { id: string }) => m.id === 'stability-jaccard');
    expect(jac.cells.map((c: { config: string }) => c.config)).toEqual(['lime-grid', 'slic', 'random']);
    for (const m of sj.metrics) {
      for (const c of m.cells) {
        expect(c.lo).toBeLessThanOrEqual(c.mean);
        expect(c.hi).toBeGreaterThanOrEqual(c.mean);
        if (m.range[0] !== null) expect(c.lo).toBeGreaterThanOrEqual(m.range[0]);
        if (m.range[1] !== null) expect(c.hi).toBeLessThanOrEqual(m.range[1]);
      }
    }
    const del = sj.metrics.find((m: { id: string }) => m.id === 'deletion');
    expect(del.comparisons.map((p: { a: string; b: string }) => `${p.a}/${p.b}`)).toEqual(['lime-grid/slic', 'lime-grid/random', 'slic/random']);
    for (const p of del.comparisons) {
      expect(p.n).toBe(3); // three images, seeds averaged
      expect(p.pHolm).toBeGreaterThanOrEqual(p.pvalue);
      expect(Math.abs(p.effectSize)).toBeLessThanOrEqual(1);
    }
    expect(html).toMatch(/<table class="significance" data-metric="deletion">/);
    // Three images cannot make a difference significant (exact p >= 0.25): no ★ anywhere.
    expect(html).not.toMatch(/<td[^>]*>★/);
  });

  it('computes the opt-in metrics srg, road, infidelity, irof, max-sensitivity and random-logit, mprt when the plan names them', async () => {
    const dir = await tempDir('limekit-eval-');
    const plan = await planIn(dir, { configs: [{ name: 'lime-grid', preset: 'lime', segmenter: { use: 'grid', options: { nRows: 4, nCols: 4 } } }], seeds: [0], numSamples: 60, metrics: ['deletion', 'srg', 'road', 'infidelity', 'irof', 'max-sensitivity', 'random-logit', 'mprt'] });
    const out = join(dir, 'out');
    const r = await cli(['evaluate', '--plan', plan, '--out', out, '--quiet']);
    expect(r.code).toBe(0);
    const rows = [...(await rowsOf(out)), ...(await readFile(join(out, 'control.jsonl'), 'utf8')).split('\n').filter(Boolean).map((l) => JSON.parse(l))];
    expect(rows).toHaveLength(3 + 3);
    for (const row of rows) {
      expect(row.metrics.srg).toBeGreaterThanOrEqual(-1);
      expect(row.metrics.srg).toBeLessThanOrEqual(1);
      expect(row.metrics.road).toBeGreaterThanOrEqual(0);
      expect(row.metrics.road).toBeLessThanOrEqual(1);
      expect(row.metrics.infidelity).toBeGreaterThanOrEqual(0);
      expect(row.metrics.irof).toBeLessThanOrEqual(1);
      expect(row.metrics['max-sensitivity']).toBeGreaterThan(0);
      expect(Math.abs(row.metrics['random-logit'])).toBeLessThanOrEqual(1);
    }
    // Model parameter randomisation: the centre fixture computes a fixed function with no weights,
    // so there is nothing to randomise and mprt is left empty (the sanity test uses the demo model).
    for (const row of rows) expect(row.metrics.mprt ?? null).toBeNull();
    // The model looks at the centre and lime-grid finds it: SRG well above the random control's.
    const mean = (config: string) => { const v = rows.filter((x) => x.config === config).map((x) => x.metrics.srg); return v.reduce((a, b) => a + b, 0) / v.length; };
    expect(mean('lime-grid')).toBeGreaterThan(mean('random'));
  });

  it('validates the plan before any work, naming the problem', async () => {
    const dir = await tempDir('limekit-eval-');
    const bad = async (extra: Record<string, unknown>, re: RegExp) => {
      const plan = await planIn(dir, extra);
      const r = await cli(['evaluate', '--plan', plan, '--out', join(dir, 'never')]);
      expect(r.stderr).toMatch(re);
      expect(r.code).toBe(3);
      expect(existsSync(join(dir, 'never'))).toBe(false);
    };
    await bad({ metrics: ['deletion', 'beauty'] }, /unknown metric "beauty"/);
    await bad({ configs: [{ name: 'random', preset: 'lime' }] }, /the name "random" is reserved for the random-explanation control/);
    await bad({ configs: [{ name: 'x', sampler: { use: 'sobolev' } }] }, /unknown sampler "sobolev"/);
    await bad({ images: [{ name: 'none', dir: 'no-such-dir' }] }, /folder .*no-such-dir does not exist/);
    await bad({ images: [{ name: 'empty', dir: '.', masks: 'masks' }] }, /holds no images/);
    await bad({ configs: [{ name: 'crop', preset: 'lime', resizeTo: 160 }] }, /configs\[0\] \(crop\): "resizeTo" belongs to the model, which every config shares; set it in models\[\] instead/);
  });

  it('resumes after SIGKILL with no lost and no duplicated rows, and refuses a changed plan', async () => {
    const dir = await tempDir('limekit-eval-');
    const plan = await planIn(dir, { seeds: [0, 1, 2] });
    const out = join(dir, 'out');
    const main = join(repoRoot, 'apps/cli/src/main.ts');
    const args = ['--conditions=@limekit/source', '--import', 'tsx', main, 'evaluate', '--plan', plan, '--out', out, '--quiet'];
    // First run: killed with SIGKILL as soon as some rows are on disk.
    const child = spawn(process.execPath, args, { cwd: repoRoot, stdio: 'ignore' });
    const killedAt = await new Promise<number>((resolve, reject) => {
      const timer = setInterval(async () => {
        const n = existsSync(join(out, 'results.jsonl')) ? (await readFile(join(out, 'results.jsonl'), 'utf8')).split('\n').filter(Boolean).length : 0;
        if (n >= 2) {
          clearInterval(timer);
          child.kill('SIGKILL');
          resolve(n);
        }
      }, 25);
      child.on('exit', (code) => {
        clearInterval(timer);
        if (code !== null) reject(new Error(`evaluate finished (code ${code}) before it could be killed`));
      });
    });
    expect(killedAt).toBeGreaterThanOrEqual(2);
    expect(killedAt).toBeLessThan(18);
    // Second run: the same command finishes the plan.
    const r = await cli(['evaluate', '--plan', plan, '--out', out, '--quiet']);
    expect(r.code).toBe(0);
    const rows = await rowsOf(out);
    const keys = rows.map((x) => JSON.stringify([x.model, x.image, x.config, x.seed]));
    expect(rows).toHaveLength(3 * 2 * 3);
    expect(new Set(keys).size).toBe(rows.length);
    // A changed plan is refused without --force, accepted with it (old results kept aside).
    const changed = JSON.parse(await readFile(plan, 'utf8'));
    changed.seeds = [5];
    await writeFile(plan, JSON.stringify(changed));
    const refused = await cli(['evaluate', '--plan', plan, '--out', out]);
    expect(refused.code).toBe(3);
    expect(refused.stderr).toMatch(/holds results of a different plan/);
    const forced = await cli(['evaluate', '--plan', plan, '--out', out, '--force', '--quiet']);
    expect(forced.code).toBe(0);
    expect(await rowsOf(out)).toHaveLength(3 * 2);
  }, 180_000);
});
