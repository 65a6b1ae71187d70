import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadImage, preprocessToView } from '@limekit/image';
import { OnnxModelAdapter } from '@limekit/model-onnx';
import { describe, expect, it } from 'vitest';
import { createExperimentContainer, explainerFrom, explainOptionsFrom, resolveConfig } from './compose.js';

const demo = fileURLToPath(new URL('../../../demo/', import.meta.url));

describe('an explanation does not depend on where the model runs', () => {
  it("the demo model on the main thread (one input buffer, the writer's WebAssembly memory) and in a worker thread (two plain buffers moved there and back): the same weights, bit for bit", async () => {
    const image = await loadImage(join(demo, 'images/circle-1.png'));
    const strip = (e: { labels: readonly { index: number; weights: ArrayLike<number>; intercept: number; score: number }[] }) =>
      JSON.stringify(e.labels.map((l) => [l.index, Array.from(l.weights), l.intercept, l.score]));
    const runs: string[] = [];
    for (const thread of ['main', 'worker'] as const) {
      const model = await OnnxModelAdapter.load(join(demo, 'model/shapes.onnx'), { thread });
      try {
        expect(model.offThread).toBe(thread === 'worker');
        const resolved = await resolveConfig({ preset: 'lime-slic', numSamples: 300, batchSize: 32, seed: 4 });
        const { view } = await preprocessToView(image, model.input);
        const exp = await explainerFrom(createExperimentContainer(resolved, model)).explain(view, explainOptionsFrom(resolved));
        expect(exp.modelCalls).toBe(10);
        runs.push(strip(exp));
      } finally {
        await model.dispose();
      }
    }
    expect(runs[1]).toBe(runs[0]);
  });
});
