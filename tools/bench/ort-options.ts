// onnxruntime-node's memory and threading options, measured in fresh bare-loop processes
// (bare-onnx.mjs): whole-process wall and CPU seconds and peak RSS for each setting, interleaved
// over the repeats. The numbers behind docs/decisions/0013-onnxruntime-memory.md.
//
//   node --conditions=@limekit/source --import tsx tools/bench/ort-options.ts [--model FILE] [--samples 1000] [--repeats 2]
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { timed } from './end-to-end.js';
import { mobileNetV2OnnxFile } from './mobilenet-v2-onnx.js';

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const { values } = parseArgs({ options: { model: { type: 'string' }, samples: { type: 'string', default: '1000' }, repeats: { type: 'string', default: '2' }, 'batch-size': { type: 'string', default: '50' } } });
const model = values.model ? resolve(values.model) : await mobileNetV2OnnxFile();
const settings: [string, Record<string, unknown>][] = [
  ['default (arena on, memory pattern on, sequential)', {}],
  ['enableCpuMemArena: false', { enableCpuMemArena: false }],
  ['enableMemPattern: false', { enableMemPattern: false }],
  ['both false', { enableCpuMemArena: false, enableMemPattern: false }],
  ["executionMode: 'parallel'", { executionMode: 'parallel' }],
  ['intra-op spinning off', { extra: { session: { intra_op: { allow_spinning: '0' } } } }],
  ["limekit's: enableMemPattern false + spinning off", { enableMemPattern: false, extra: { session: { intra_op: { allow_spinning: '0' } } } }],
];
const rows = settings.map(() => [] as ReturnType<typeof timed>[]);
for (let r = 0; r < Number(values.repeats); r++) {
  settings.forEach(([, ort], i) => {
    rows[i].push(timed(root, [join(root, 'tools/bench/bare-onnx.mjs'), '--model', model, '--samples', values.samples!, '--batch-size', values['batch-size']!, '--runtime-defaults', '--ort', JSON.stringify(ort)], 'bare loop'));
  });
}
const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
console.log(`model ${model}, ${values.samples} samples, batch ${values['batch-size']}, ${values.repeats} interleaved repeats; medians (min–max)`);
settings.forEach(([name], i) => {
  const f = (k: 'wallS' | 'cpuS' | 'peakRssBytes', s = 1, d = 2) => `${(med(rows[i].map((x) => x[k])) / s).toFixed(d)} (${(Math.min(...rows[i].map((x) => x[k])) / s).toFixed(d)}–${(Math.max(...rows[i].map((x) => x[k])) / s).toFixed(d)})`;
  console.log(`${name.padEnd(52)} wall ${f('wallS')} s · CPU ${f('cpuS')} s · peak RSS ${f('peakRssBytes', 2 ** 20, 0)} MiB`);
});
