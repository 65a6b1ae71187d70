import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describeModelAdapterContract } from '@limekit/testing';
import { describe, expect, it } from 'vitest';
import { concat, fixture, reference } from '../test/reference.js';
import { DEFAULT_ONNX_OPTIONS, OnnxModelAdapter, onnxSessionOptions, type OnnxModelOptions } from './onnx-model-adapter.js';
import { InProcessSession, WorkerSession } from './worker-session.js';

const load = (name: string, options: Partial<OnnxModelOptions> = {}) => OnnxModelAdapter.load(fixture(`${name}.onnx`), options);

describeModelAdapterContract('OnnxModelAdapter in a worker thread, NCHW logits', () => load('nchw_logits', { thread: 'worker' }));
describeModelAdapterContract('OnnxModelAdapter in a worker thread, fixed batch 4', () => load('fixed_batch4', { thread: 'worker' }));

describe("OnnxModelAdapter's thread option", () => {
  it('scores bit for bit as on the main thread (same runtime, same options), for every kind of output', async () => {
    for (const name of ['nchw_logits', 'nhwc_probs', 'fixed_batch4', 'sigmoid_unit', 'grayscale', 'multilabel']) {
      const main = await load(name, { thread: 'main' });
      const worker = await load(name, { thread: 'worker' });
      try {
        expect(main.offThread).toBe(false);
        expect(worker.offThread).toBe(true);
        expect(worker.info).toMatchObject({ thread: 'worker' });
        expect(main.info).not.toHaveProperty('thread');
        const { thread: _t, ...workerInfo } = worker.info;
        expect(workerInfo).toEqual(main.info);
        const { inputs } = reference(name);
        const batch = concat(inputs);
        const a = await main.predict(batch, inputs.length);
        const b = await worker.predict(batch, inputs.length);
        expect(b).toEqual(a);
        // predict copies: the caller's batch is untouched.
        expect(batch).toEqual(concat(inputs));
      } finally {
        await main.dispose();
        await worker.dispose();
      }
    }
  });

  it('predictMoving moves the batch to the worker and gives it back over the same bytes; on the main thread it is the same array', async () => {
    const { inputs } = reference('nchw_logits');
    const worker = await load('nchw_logits', { thread: 'worker' });
    const main = await load('nchw_logits', { thread: 'main' });
    try {
      const expected = await main.predict(concat(inputs), inputs.length);
      // A batch at an offset inside a longer buffer, with room to spare after it.
      const size = inputs[0].length;
      const whole = new Float32Array((inputs.length + 3) * size);
      whole.set(concat(inputs), size);
      const batch = whole.subarray(size, size + (inputs.length + 1) * size);
      const copy = batch.slice();
      const moved = await worker.predictMoving(batch, inputs.length);
      expect(moved.scores).toEqual(expected);
      expect(batch.length).toBe(0); // detached: its memory went to the worker and came back in a new array
      expect(moved.batch === batch).toBe(false);
      expect(moved.batch.byteOffset).toBe(size * 4);
      expect(moved.batch).toEqual(copy);
      // Again with the returned array: the pipeline's loop.
      const again = await worker.predictMoving(moved.batch, inputs.length);
      expect(again.scores).toEqual(expected);
      expect(again.batch).toEqual(copy);

      const inPlace = concat(inputs);
      const same = await main.predictMoving(inPlace, inputs.length);
      expect(same.batch).toBe(inPlace);
      expect(same.scores).toEqual(expected);
    } finally {
      await worker.dispose();
      await main.dispose();
    }
  });

  it('copies instead of moving when a fixed-batch model needs the batch cut or padded', async () => {
    const worker = await load('fixed_batch4', { thread: 'worker' });
    try {
      const { inputs } = reference('fixed_batch4');
      const batch = concat(inputs.slice(0, 3));
      const moved = await worker.predictMoving(batch, 3);
      expect(moved.batch).toBe(batch);
      expect(batch.length).toBe(3 * inputs[0].length);
      expect(moved.scores).toEqual(await worker.predict(concat(inputs.slice(0, 3)), 3));
    } finally {
      await worker.dispose();
    }
  });

  it("passes the runtime's own errors back: the same message as on the main thread, and the session still works", async () => {
    const options = onnxSessionOptions(DEFAULT_ONNX_OPTIONS);
    const messages: string[] = [];
    for (const session of [await InProcessSession.create(fixture('nchw_logits.onnx'), options), await WorkerSession.create(fixture('nchw_logits.onnx'), options)]) {
      try {
        // The model takes 16×16 images: a 9×9 batch fails inside onnxruntime's run.
        const err = await session.run({ input: { type: 'float32', data: new Float32Array(2 * 3 * 9 * 9), dims: [2, 3, 9, 9] } }, ['output']).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(Error);
        messages.push((err as Error).message);
        const ok = await session.run({ input: { type: 'float32', data: new Float32Array(2 * 3 * 16 * 16), dims: [2, 3, 16, 16] } }, ['output']);
        expect(ok.outputs.output.dims).toEqual([2, 5]);
      } finally {
        await session.release();
      }
    }
    expect(messages[0].length).toBeGreaterThan(0);
    expect(messages[1]).toBe(messages[0]);
    await expect(WorkerSession.create(fixture('not_there.onnx'), options)).rejects.toThrow(/not_there|No such file|Load model/i);
  });

  it('refuses a thread that is neither "main" nor "worker"', async () => {
    await expect(load('nchw_logits', { thread: 'gpu' as 'main' })).rejects.toThrow(/thread must be "worker" or "main"/);
  });

  it('does not keep a program alive: a model never disposed still lets the process exit', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'limekit-worker-exit-'));
    const script = join(dir, 'forgotten.mts');
    const source = fileURLToPath(new URL('./onnx-model-adapter.ts', import.meta.url));
    await writeFile(
      script,
      `import { OnnxModelAdapter } from ${JSON.stringify(source)};
const model = await OnnxModelAdapter.load(${JSON.stringify(fixture('nchw_logits.onnx'))}, { thread: 'worker' });
const out = await model.predict(new Float32Array(2 * 3 * 16 * 16), 2);
process.stdout.write(String(out.length / model.numClasses));
`,
    );
    const { stdout } = await promisify(execFile)(process.execPath, ['--conditions=@limekit/source', '--import', 'tsx', script], { timeout: 30_000 });
    expect(stdout).toBe('2');
  });
});
