import { builtinRegistry, PRESETS } from '@limekit/lime/catalogue';
import { parseFlags } from '../args.js';
import type { CliIo } from '../io.js';

export const PRESETS_HELP = `limekit presets — list the presets and the components they use

Usage:
  limekit presets [--json]
`;

/** `limekit presets`. */
export async function presetsCommand(argv: string[], io: CliIo): Promise<number> {
  const flags = parseFlags('presets', argv, { json: { type: 'boolean' } });
  if (flags.help) {
    io.stdout.write(PRESETS_HELP);
    return 0;
  }
  const registry = builtinRegistry();
  const list = [...PRESETS.values()].map((p) => ({ name: p.name, description: p.description, reference: p.reference, config: p.config }));
  if (flags.json) {
    io.stdout.write(JSON.stringify({ presets: list, components: registry.list().map((d) => ({ kind: d.kind, id: d.id, description: d.description, defaults: d.defaults })) }, null, 2) + '\n');
    return 0;
  }
  for (const p of list) {
    io.stdout.write(`${p.name} — ${p.description}\n  (${p.reference})\n`);
    for (const [k, v] of Object.entries(p.config)) {
      const text = typeof v === 'object' && v && 'use' in v ? `${v.use} ${JSON.stringify(v.options ?? {})}` : JSON.stringify(v);
      io.stdout.write(`    ${k.padEnd(16)} ${text}\n`);
    }
  }
  io.stdout.write('\nComponents:\n');
  for (const d of registry.list()) io.stdout.write(`  ${d.kind.padEnd(15)} ${d.id.padEnd(18)} ${d.description}\n`);
  return 0;
}
