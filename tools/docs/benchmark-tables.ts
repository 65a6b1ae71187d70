// Markdown tables of a `limekit benchmark` summary, for docs/algorithms/estimators.md.
// Run: node --conditions=@limekit/source --import tsx tools/docs/benchmark-tables.ts OUT/summary.json
// Prints, per game, mean relative L2 error to the exact target [95 % interval] per configuration
// × budget, then top-k, Spearman, mean model calls and (for estimators that report standard errors) the coverage of
// their 95 % intervals, pooled over the games.
import { readFileSync } from 'node:fs';

interface Stat { mean: number | null; lo: number | null; hi: number | null; n: number }
interface Cell { game: string; config: string; budget: number; modelCalls: number | null; relL2: Stat | null; topK: Stat | null; spearman: Stat | null; coverage: { coverage: number; lo: number | null; hi: number | null; n: number } | null }
interface Summary { budgets: number[]; topK: number; games: { name: string; kind: string; M: number }[]; configs: { name: string; target: { kind: string } }[]; cells: Cell[] }

const path = process.argv[2];
if (!path) {
  console.error('usage: benchmark-tables.ts OUT/summary.json');
  process.exit(2);
}
const s = JSON.parse(readFileSync(path, 'utf8')) as Summary;
const num = (v: number | null | undefined, digits = 3) => (v === null || v === undefined || !Number.isFinite(v) ? '–' : Math.abs(v) < 10 ** -digits && v !== 0 ? v.toExponential(1) : v.toFixed(digits));
const cell = (game: string, config: string, budget: number) => s.cells.find((c) => c.game === game && c.config === config && c.budget === budget);

function table(game: string, title: string, pick: (c: Cell) => string): string {
  const head = `| ${title} | ${s.budgets.join(' | ')} |\n| --- | ${s.budgets.map(() => '---:').join(' | ')} |`;
  const rows = s.configs.map((c) => `| ${c.name} (${c.target.kind}) | ${s.budgets.map((b) => { const x = cell(game, c.name, b); return x ? pick(x) : '–'; }).join(' | ')} |`);
  return [head, ...rows].join('\n');
}

for (const g of s.games) {
  console.log(`\n**${g.name}** (${g.kind}, M = ${g.M}): relative L2 error, mean over seeds\n`);
  console.log(table(g.name, 'config (target) \\ samples', (c) => num(c.relL2?.mean)));
}
console.log(`\n**All games pooled**: relative L2 error [95 % interval]\n`);
console.log(table('all', 'config (target) \\ samples', (c) => `${num(c.relL2?.mean)} [${num(c.relL2?.lo)}, ${num(c.relL2?.hi)}]`));
console.log(`\n**All games pooled**: top-${s.topK} recovery / Spearman ρ\n`);
console.log(table('all', 'config (target) \\ samples', (c) => `${num(c.topK?.mean, 2)} / ${num(c.spearman?.mean, 3)}`));
console.log(`\n**All games pooled**: mean model calls (the budget is a request: occlusion spends M + 1, MPS stops when its cliques run out, KernelSHAP never exceeds 2^M)\n`);
console.log(table('all', 'config (target) \\ samples', (c) => (c.modelCalls === null || c.modelCalls === undefined ? '–' : String(Math.round(c.modelCalls)))));
const withCov = s.configs.filter((c) => s.cells.some((x) => x.config === c.name && x.coverage));
if (withCov.length) {
  console.log(`\n**Coverage of the reported 95 % intervals** (segments × runs inside ±1.96 se; Wilson interval)\n`);
  for (const g of [...s.games.map((x) => x.name), 'all']) {
    const head = `| ${g} | ${s.budgets.join(' | ')} |\n| --- | ${s.budgets.map(() => '---:').join(' | ')} |`;
    const rows = withCov.map((c) => `| ${c.name} | ${s.budgets.map((b) => { const x = cell(g, c.name, b)?.coverage; return x ? `${num(x.coverage, 2)} [${num(x.lo, 2)}, ${num(x.hi, 2)}]` : '–'; }).join(' | ')} |`);
    console.log([head, ...rows].join('\n') + '\n');
  }
}
