// One fresh process of the cold-segmentation bench (tools/bench/segment-cold.ts): what `limekit
// segment` does up to and including its first segmentation, on a raw RGB file, as plain
// JavaScript on the built packages (dist/, as the installed CLI runs them; no tsx, no source
// condition).
//
//   node tools/bench/segment-cold-child.mjs FILE.rgb WIDTH HEIGHT SEGMENTER OPTIONS_JSON
//
// Prints one JSON line: time from process start through the imports of the CLI's segmentation modules, wall and process-CPU time of
// the first `segment` call, the median wall time of three more calls (warm), and the segment count.
import { readFileSync } from 'node:fs';
// The segment command's modules (apps/cli/src/commands/segment.ts): the config resolver with
// every built-in component, and core's generator.
import { createRng } from '@limekit/core';
import { resolveConfig } from '@limekit/lime';

// performance.now() counts from the process's start: Node's own start-up plus these imports.
const startupMs = performance.now();
const [file, w, h, use, optionsJson] = process.argv.slice(2);
const data = new Uint8Array(readFileSync(file));
const image = { width: Number(w), height: Number(h), data };

const resolved = await resolveConfig({ preset: 'lime', segmenter: { use, options: JSON.parse(optionsJson) } }, { baseDir: process.cwd(), where: 'bench' });
const seg = resolved.components.segmenter;
const segmenter = seg.definition.create(seg.options ?? {});
const rng = () => createRng(resolved.seed).fork('segmenter');

const cpu0 = process.cpuUsage();
const t1 = performance.now();
const first = await segmenter.segment(image, { rng: rng() });
const coldMs = performance.now() - t1;
const cpu = process.cpuUsage(cpu0);

const warm = [];
for (let i = 0; i < 3; i++) {
  const t = performance.now();
  await segmenter.segment(image, { rng: rng() });
  warm.push(performance.now() - t);
}
warm.sort((a, b) => a - b);
console.log(JSON.stringify({ startupMs, coldMs, coldCpuMs: (cpu.user + cpu.system) / 1000, warmMs: warm[1], segments: first.count }));
