import { ModelError, normalizationPreset } from '@limekit/core';
import { describe, expect, it } from 'vitest';
import { BaseModelAdapter, type RawOutput } from './adapter-base.js';
import { decideOutput } from './output-kind.js';

/** An adapter whose runtime returns `rowsOut(rows)` rows of 3 logits for a batch of `rows`: what a model with a collapsed batch does. */
class Scripted extends BaseModelAdapter {
  readonly id = 'scripted';
  constructor(private readonly rowsOut: (rows: number) => number) {
    super({
      who: 'Scripted',
      path: 'scripted.onnx',
      outputName: 'logits',
      fixedBatch: undefined,
      output: decideOutput('logits', 3, undefined, new Float32Array(3)),
      input: { width: 2, height: 2, channels: 3, layout: 'NCHW', resize: 'stretch', normalization: normalizationPreset('unit') },
      classNames: undefined,
      maxBatchSize: undefined,
      info: {},
    });
  }
  protected async runRaw(_data: Float32Array, rows: number): Promise<RawOutput> {
    const n = this.rowsOut(rows);
    return { shape: [n, 3], values: new Float32Array(3 * n) };
  }
  protected async release(): Promise<void> {}
}

describe('BaseModelAdapter', () => {
  it('checks every run for one output row per image (a collapsed batch the graph does not declare is caught on the first batch)', async () => {
    const batch = new Float32Array(4 * 12);
    await expect(new Scripted((r) => r).predict(batch, 4)).resolves.toHaveLength(12);
    const collapsed = new Scripted(() => 1);
    await expect(collapsed.predict(batch, 1)).resolves.toHaveLength(3);
    const err = await collapsed.predict(batch, 4).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ModelError);
    expect((err as Error).message).toMatch(/Model scripted\.onnx: output "logits" has shape \[1, 3\] for batch #2 \(4 images\), expected 4 rows of 3\. A classifier returns one row per image/);
    await expect(collapsed.predictMoving(batch, 4)).rejects.toThrow(/expected 4 rows of 3/);
  });
});
