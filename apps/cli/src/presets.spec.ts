import { createRng, writeNormalized, type RgbImage } from '@limekit/core';
import { loadModel, PRESETS, resolveConfig, createExperimentContainer, explainerFrom, explainOptionsFrom } from '@limekit/lime';
import { describe, expect, it } from 'vitest';
import type { Baseline } from '@limekit/core';
import { CENTRE_LABELS, CENTRE_MODEL, cli } from '../test/helpers.js';

/** A 32×32 picture: a red square in the centre on textured grey. */
function picture(): RgbImage {
  const data = new Uint8Array(32 * 32 * 3);
  for (let p = 0; p < 1024; p++) {
    const x = p % 32, y = Math.floor(p / 32);
    const inside = Math.abs(x - 16) < 7 && Math.abs(y - 16) < 7;
    const g = 90 + ((x * 7 + y * 13) % 40);
    data.set(inside ? [220, 30, 30] : [g, g, g], 3 * p);
  }
  return { width: 32, height: 32, data };
}

describe('presets from the literature', () => {
  it('every preset resolves and lists its components', async () => {
    for (const name of PRESETS.keys()) {
      const r = await resolveConfig({ preset: name });
      expect(r.preset).toBe(name);
    }
    const out = (await cli(['presets'])).stdout;
    for (const name of ['lime', 'kernelshap', 'baylime', 'glime']) expect(out).toMatch(new RegExp(`^${name} — `, 'm'));
  });

  it('kernelshap: intercept = f(all off) and intercept + Σ weights = f(x), within 1e-6', async () => {
    const model = await loadModel(CENTRE_MODEL, { preprocess: 'unit', labels: CENTRE_LABELS });
    try {
      const resolved = await resolveConfig({ preset: 'kernelshap', segmenter: { use: 'grid', options: { nRows: 3, nCols: 3 } }, numSamples: 600, topLabels: 2 });
      const image = picture();
      const exp = await explainerFrom(createExperimentContainer(resolved, model)).explain(image, explainOptionsFrom(resolved));
      const b = resolved.components.baseline;
      const fill = await (b.definition.create(b.options ?? {}) as Baseline).fill(image, exp.segments, { rng: createRng(0) });
      const input = new Float32Array(32 * 32 * 3);
      writeNormalized(fill, model.input, input);
      const allOff = await model.predict(input, 1);
      for (const l of exp.labels) {
        const sum = l.weights.reduce((a, w) => a + w, l.intercept);
        expect(Math.abs(sum - l.probability)).toBeLessThan(1e-6);
        expect(Math.abs(l.intercept - allOff[l.index])).toBeLessThan(1e-6);
      }
    } finally {
      await model.dispose();
    }
  });

  it('baylime reports a standard deviation for every weight', async () => {
    const model = await loadModel(CENTRE_MODEL, { preprocess: 'unit' });
    try {
      const resolved = await resolveConfig({ preset: 'baylime', segmenter: { use: 'grid', options: { nRows: 3, nCols: 3 } }, numSamples: 200, topLabels: 1 });
      const exp = await explainerFrom(createExperimentContainer(resolved, model)).explain(picture(), explainOptionsFrom(resolved));
      const l = exp.labels[0];
      expect(l.weightStd).toHaveLength(9);
      for (const s of l.weightStd!) expect(s).toBeGreaterThan(0);
      expect(l.localPredictionStd).toBeGreaterThan(0);
    } finally {
      await model.dispose();
    }
  });
});
