import type { ModelAdapter } from '@limekit/core';
import type { CliIo } from './io.js';

const list = (xs: readonly number[]) => `[${xs.map((x) => Number(x.toPrecision(4))).join(', ')}]`;

/**
 * What the CLI tells the user about a loaded model on stderr: the preprocessing it used when the
 * user chose none (a wrong one is the commonest cause of meaningless explanations), and the
 * TensorFlow.js backend it picked (with what it passed over).
 * @param preprocessGiven whether `--preprocess` or the config's `preprocess` was given.
 */
export function modelNotes(model: ModelAdapter, preprocessGiven: boolean, command: string): string[] {
  const notes: string[] = [];
  const info = (model.info ?? {}) as Record<string, unknown>;
  if (!preprocessGiven) {
    const n = model.input.normalization;
    const name = typeof info.preprocess === 'string' ? info.preprocess : 'imagenet';
    notes.push(
      `${command === 'evaluate' ? 'no "preprocess" in the plan' : 'no --preprocess given'}: using "${name}" (x·${Number(n.scale.toPrecision(6))}, mean ${list(n.mean)}, std ${list(n.std)}, ${n.channelOrder}); ` +
        (command === 'predict'
          ? 'if the top classes look wrong, try --preprocess inception, unit, raw or caffe.'
          : command === 'evaluate'
            ? `check it with 'limekit predict' and set the model's "preprocess" in the plan if it was trained otherwise (inception, unit, raw, caffe).`
            : `check it with 'limekit predict' and give --preprocess if the model was trained otherwise (inception, unit, raw, caffe).`),
    );
  }
  if (info.runtime === 'tensorflow.js') {
    const passed = Array.isArray(info.backendsPassedOver) && info.backendsPassedOver.length ? `; passed over ${(info.backendsPassedOver as string[]).join('; ')}` : '';
    notes.push(`TensorFlow.js backend "${String(info.backend)}" (${String(info.backendPackage)})${passed}. Choose one with --backend.`);
  }
  return notes;
}

/** Writes {@link modelNotes} on stderr, one `note:` line each. */
export function printModelNotes(io: CliIo, model: ModelAdapter, preprocessGiven: boolean, command: string): void {
  for (const n of modelNotes(model, preprocessGiven, command)) io.stderr.write(`note: ${n}\n`);
}
