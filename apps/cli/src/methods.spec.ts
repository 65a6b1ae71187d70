import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CENTRE_LABELS, CENTRE_MODEL, cli, tempDir, writeSquareImages } from '../test/helpers.js';

// Issue 14 items 3 and 7: the other perturbation methods run as presets, and beside LIME in an evaluation.
describe('other perturbation methods from the command line', () => {
  it('limekit explain --preset NAME runs occlusion, occlusion-window, rise, permutation-shap, leverage-shap and banzhaf', async () => {
    const dir = await tempDir('limekit-methods-');
    await writeSquareImages(dir, 1);
    const image = join(dir, 'images', 'img-0.png');
    for (const [preset, withStd] of [['occlusion', false], ['occlusion-window', false], ['rise', true], ['permutation-shap', true], ['leverage-shap', false], ['banzhaf', true]] as const) {
      const out = join(dir, preset);
      const r = await cli(['explain', '--preset', preset, '--model', CENTRE_MODEL, '--preprocess', 'unit', '--labels', CENTRE_LABELS, '--image', image, '--out', out, '--samples', '120', '--top-labels', '1', '--json']);
      expect(r.code, `${preset}: ${r.stderr}`).toBe(0);
      const exp = JSON.parse(r.stdout);
      expect(exp.config.surrogate.use).toBe(preset === 'occlusion-window' ? 'occlusion' : preset);
      const label = exp.labels[0];
      expect(label.weights).toHaveLength(exp.numSegments);
      for (const w of label.weights) expect(Number.isFinite(w)).toBe(true);
      if (withStd) expect(label.weightStd, preset).toHaveLength(exp.numSegments);
      expect(JSON.parse(await readFile(join(out, 'explanation.json'), 'utf8')).labels[0].weights).toEqual(label.weights);
    }
    const listed = (await cli(['presets'])).stdout;
    for (const name of ['occlusion', 'occlusion-window', 'rise', 'permutation-shap', 'leverage-shap', 'banzhaf']) expect(listed).toMatch(new RegExp(`^${name} — `, 'm'));
  });

  it('limekit evaluate runs lime, occlusion and rise side by side on the same images and seeds', async () => {
    const dir = await tempDir('limekit-methods-eval-');
    await writeSquareImages(dir, 2);
    const plan = {
      models: [{ name: 'centre', path: CENTRE_MODEL, preprocess: 'unit', labels: CENTRE_LABELS }],
      images: [{ name: 'squares', dir: 'images', masks: 'masks' }],
      configs: [
        { name: 'lime-grid', preset: 'lime', segmenter: { use: 'grid', options: { nRows: 4, nCols: 4 } } },
        { name: 'occlusion-grid', preset: 'occlusion', segmenter: { use: 'grid', options: { nRows: 4, nCols: 4 } } },
        { name: 'rise-grid', preset: 'rise', segmenter: { use: 'grid', options: { nRows: 4, nCols: 4 } } },
      ],
      seeds: [0],
      numSamples: 100,
      metrics: ['deletion', 'insertion', 'faithfulness', 'relevance-mass', 'pointing-game'],
    };
    const path = join(dir, 'plan.json');
    await writeFile(path, JSON.stringify(plan));
    const out = join(dir, 'out');
    const r = await cli(['evaluate', '--plan', path, '--out', out, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const rows = (await readFile(join(out, 'results.jsonl'), 'utf8')).split('\n').filter(Boolean).map((l) => JSON.parse(l));
    expect(rows).toHaveLength(2 * 3);
    for (const config of ['lime-grid', 'occlusion-grid', 'rise-grid']) {
      const mine = rows.filter((row) => row.config === config);
      expect(mine).toHaveLength(2);
      for (const row of mine) {
        expect(row.error, `${config}: ${row.error}`).toBeUndefined();
        for (const m of plan.metrics) expect(typeof row.metrics[m], `${config} ${m}`).toBe('number');
      }
    }
    // The centre model's evidence is the central square, which is the mask: occlusion finds it.
    const mass = rows.filter((x) => x.config === 'occlusion-grid').map((x) => x.metrics['relevance-mass']);
    expect(mass.reduce((a, b) => a + b, 0) / mass.length).toBeGreaterThan(0.5);
  });
});
