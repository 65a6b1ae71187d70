import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRng, InvalidOptionError, type RgbImage, type SegmentMap } from '@limekit/core';
import { AdditiveGame, LogicGame, PairwiseGame, SaturatingGame, type Game, type Interaction } from '@limekit/games';
import { loadImage, preprocessToView } from '@limekit/image';
import { loadConfigFile, resolveConfig, validateConfig, type ComponentRef, type ExplainConfig, type ResolvedConfig } from '@limekit/lime';
import { builtinRegistry } from '@limekit/lime/catalogue';
import { planHash, readPlanJson } from '../evaluate/plan.js';
import { chooseTarget, TARGET_KINDS, type TargetChoice, type TargetKind } from './targets.js';

/** Game kinds a benchmark plan can name (`@limekit/games`). */
export const GAME_KINDS = ['additive', 'pairwise', 'and', 'or', 'saturating'] as const;
export type GameKind = (typeof GAME_KINDS)[number];

/** Defaults of a plan's game entry. */
export const DEFAULT_BENCHMARK_GAME = {
  /** The repository's demo image (apps/cli/{src,dist}/benchmark → demo/images). */
  image: fileURLToPath(new URL('../../../../demo/images/star-1.png', import.meta.url)),
  /** View the image is resized to (width, height): the game model reads every pixel of every sample. */
  size: [64, 48] as const,
  /** Weights are drawn uniformly in [−scale, scale] (saturating: [0, scale]). */
  scale: 0.3,
  /** Pairwise: number of random interactions. */
  interactions: 4,
  /** AND / OR: number of players. */
  players: 3,
  /** Seed of the game's random parameters. */
  seed: 1,
} as const;

/** A game of a benchmark plan. */
export interface PlanGame {
  name: string;
  kind: GameKind;
  /** Number of segments; without a segmenter, a grid with exactly M cells is used. */
  M?: number;
  /** Image file (relative to the plan); default the repository's demo/images/star-1.png. */
  image?: string;
  /** [width, height] of the view (default 64 × 48). */
  size?: [number, number];
  /** Segmenter (a component entry as in config files); default a grid of M cells. */
  segmenter?: ComponentRef | string;
  /** Game parameters: explicit `weights`, `bias`, `interactions` (count or list), `players` (count or list), `value`, `scale`, `seed`. */
  params?: Record<string, unknown>;
}

/** A configuration of a benchmark plan: an explain config (preset or `file`) plus the target to compare with. */
export type PlanBenchConfig = { name: string; file?: string; target?: TargetKind; maskLaw?: string } & ExplainConfig;

/** `limekit benchmark --plan FILE`. */
export interface BenchmarkPlan {
  description?: string;
  games: PlanGame[];
  configs: PlanBenchConfig[];
  /** Numbers of samples (the run's numSamples), e.g. 64 … 8192. */
  budgets: number[];
  seeds: number[];
  /** k of top-k recovery (default 5). */
  topK?: number;
}

/** A game ready to play: its view, segmentation and game. */
export interface LoadedGame {
  readonly name: string;
  readonly kind: GameKind;
  readonly view: RgbImage;
  readonly segments: SegmentMap;
  readonly game: Game;
  readonly M: number;
}

/** A configuration ready to run. */
export interface LoadedBenchConfig {
  readonly name: string;
  readonly resolved: ResolvedConfig;
  readonly target: TargetChoice;
}

/** A validated plan with its games built and configurations resolved. */
export interface LoadedBenchmarkPlan {
  readonly plan: BenchmarkPlan;
  readonly hash: string;
  readonly games: LoadedGame[];
  readonly configs: LoadedBenchConfig[];
  readonly topK: number;
}

function need(ok: unknown, message: string): asserts ok {
  if (!ok) throw new InvalidOptionError(message);
}

const isInt = (v: unknown, min: number, max = Number.MAX_SAFE_INTEGER): v is number => Number.isInteger(v) && (v as number) >= min && (v as number) <= max;

/** nRows × nCols with nRows ≤ nCols as close as possible: 16 → 4 × 4, 32 → 4 × 8, 13 → 1 × 13. */
export function gridShape(M: number): [number, number] {
  let rows = Math.floor(Math.sqrt(M));
  while (M % rows) rows--;
  return [rows, M / rows];
}

function numberList(where: string, name: string, v: unknown, M: number): number[] {
  need(Array.isArray(v) && v.length === M && v.every((x) => typeof x === 'number' && Number.isFinite(x)), `${where}.params.${name}: must be ${M} finite numbers (one per segment), got ${JSON.stringify(v)}.`);
  return v as number[];
}

/** Draws k distinct segment ids from 0..M−1. */
function drawPlayers(rng: ReturnType<typeof createRng>, M: number, k: number): number[] {
  const ids = Array.from({ length: M }, (_, j) => j);
  for (let i = 0; i < k; i++) {
    const j = i + rng.nextInt(M - i);
    [ids[i], ids[j]] = [ids[j], ids[i]];
  }
  return ids.slice(0, k).sort((a, b) => a - b);
}

/** Builds the game of a plan entry on M segments, its random parameters drawn from `params.seed`. */
export function buildGame(where: string, g: PlanGame, M: number): Game {
  const p = g.params ?? {};
  const known = ['weights', 'bias', 'interactions', 'players', 'value', 'scale', 'seed'];
  for (const k of Object.keys(p)) need(known.includes(k), `${where}.params: unknown parameter "${k}". Known parameters: ${known.join(', ')}.`);
  const seed = p.seed ?? DEFAULT_BENCHMARK_GAME.seed;
  need(isInt(seed, 0, 0xffffffff), `${where}.params.seed: must be an integer >= 0, got ${JSON.stringify(seed)}.`);
  const scale = p.scale ?? DEFAULT_BENCHMARK_GAME.scale;
  need(typeof scale === 'number' && scale > 0 && Number.isFinite(scale), `${where}.params.scale: must be a number > 0, got ${JSON.stringify(scale)}.`);
  const bias = p.bias ?? 0;
  need(typeof bias === 'number' && Number.isFinite(bias), `${where}.params.bias: must be a finite number, got ${JSON.stringify(bias)}.`);
  const rng = createRng(seed).fork(`game/${g.kind}`);
  const weights = p.weights !== undefined ? numberList(where, 'weights', p.weights, M) : Array.from({ length: M }, () => (g.kind === 'saturating' ? scale * rng.nextFloat() : scale * (2 * rng.nextFloat() - 1)));
  switch (g.kind) {
    case 'additive':
      return new AdditiveGame(weights, bias);
    case 'pairwise': {
      let interactions: Interaction[];
      const spec = p.interactions ?? DEFAULT_BENCHMARK_GAME.interactions;
      if (Array.isArray(spec)) interactions = spec as Interaction[];
      else {
        need(isInt(spec, 0, (M * (M - 1)) / 2), `${where}.params.interactions: must be a count in 0..${(M * (M - 1)) / 2} or a list of {i, j, weight}, got ${JSON.stringify(spec)}.`);
        interactions = [];
        const seen = new Set<string>();
        while (interactions.length < spec) {
          const [i, j] = drawPlayers(rng, M, 2);
          if (seen.has(`${i},${j}`)) continue;
          seen.add(`${i},${j}`);
          interactions.push({ i, j, weight: 2 * scale * (2 * rng.nextFloat() - 1) });
        }
      }
      return new PairwiseGame(weights, interactions, bias);
    }
    case 'and':
    case 'or': {
      const spec = p.players ?? DEFAULT_BENCHMARK_GAME.players;
      const players = Array.isArray(spec) ? (spec as number[]) : (need(isInt(spec, 1, M), `${where}.params.players: must be a count in 1..${M} or a list of segment ids, got ${JSON.stringify(spec)}.`), drawPlayers(rng, M, spec));
      const value = p.value ?? 1;
      need(typeof value === 'number' && Number.isFinite(value), `${where}.params.value: must be a finite number, got ${JSON.stringify(value)}.`);
      return new LogicGame(g.kind, M, players, value);
    }
    case 'saturating':
      return new SaturatingGame(weights, p.value === undefined ? 1 : (p.value as number));
  }
}

/**
 * Reads and validates a benchmark plan before any work: fields, names, budgets, seeds, games
 * (image, segmentation, M, parameters), configurations (preset, config file, plugin components)
 * and that every configuration's exact target exists on every game.
 * @throws InputError for an unreadable plan; InvalidOptionError (exit 3) naming the bad field.
 */
export async function loadBenchmarkPlan(path: string): Promise<LoadedBenchmarkPlan> {
  const raw = await readPlanJson(path);
  const where = path;
  need(raw && typeof raw === 'object' && !Array.isArray(raw), `${where}: a benchmark plan must be a JSON object with games, configs, budgets and seeds.`);
  const p = raw as Record<string, unknown>;
  const fields = ['games', 'configs', 'budgets', 'seeds', 'topK', 'description', '$schema'];
  for (const k of Object.keys(p)) need(fields.includes(k), `${where}: unknown field "${k}". Known fields: ${fields.filter((f) => f !== '$schema').join(', ')}.`);
  for (const k of ['games', 'configs']) need(Array.isArray(p[k]) && (p[k] as unknown[]).length > 0, `${where}.${k}: must be a non-empty array.`);
  need(Array.isArray(p.budgets) && p.budgets.length > 0 && p.budgets.every((b) => isInt(b, 2, 1_000_000)), `${where}.budgets: must be a non-empty array of sample counts (integers 2..1000000), got ${JSON.stringify(p.budgets)}. For example [64, 128, 256, 512, 1024].`);
  need(Array.isArray(p.seeds) && p.seeds.length > 0 && p.seeds.every((s) => isInt(s, 0, 0xffffffff)), `${where}.seeds: must be a non-empty array of integers >= 0, got ${JSON.stringify(p.seeds)}.`);
  need(p.topK === undefined || isInt(p.topK, 1), `${where}.topK: must be an integer >= 1, got ${JSON.stringify(p.topK)}.`);
  const plan = p as unknown as BenchmarkPlan;
  const baseDir = dirname(resolve(path));
  const names = (kind: string, list: { name: unknown }[]) => {
    const seen = new Set<string>();
    for (const { name: n } of list) {
      need(typeof n === 'string' && /^[A-Za-z0-9._-]+$/.test(n), `${where}.${kind}: every entry needs a "name" of letters, digits, . _ -, got ${JSON.stringify(n)}.`);
      need(!seen.has(n), `${where}.${kind}: the name "${n}" is used twice; names must be unique.`);
      seen.add(n);
    }
  };
  names('games', plan.games);
  names('configs', plan.configs);

  const registry = builtinRegistry();
  const games: LoadedGame[] = [];
  for (const [i, g] of plan.games.entries()) {
    const at = `${where}.games[${i}] (${g.name})`;
    for (const k of Object.keys(g)) need(['name', 'kind', 'M', 'image', 'size', 'segmenter', 'params'].includes(k), `${at}: unknown field "${k}"; use name, kind, M, image, size, segmenter, params.`);
    need((GAME_KINDS as readonly string[]).includes(g.kind), `${at}.kind: must be one of ${GAME_KINDS.join(', ')}, got ${JSON.stringify(g.kind)}.`);
    need(g.M === undefined || isInt(g.M, 2, 1024), `${at}.M: must be an integer in 2..1024, got ${JSON.stringify(g.M)}.`);
    need(g.M !== undefined || g.segmenter !== undefined, `${at}: give M (a grid of M cells) or a segmenter.`);
    const size = g.size ?? DEFAULT_BENCHMARK_GAME.size;
    need(Array.isArray(size) && size.length === 2 && size.every((s) => isInt(s, 4, 4096)), `${at}.size: must be [width, height] in pixels (4..4096), got ${JSON.stringify(g.size)}.`);
    const imagePath = resolve(baseDir, g.image ?? DEFAULT_BENCHMARK_GAME.image);
    let original: RgbImage;
    try {
      original = await loadImage(imagePath);
    } catch (err) {
      throw new InvalidOptionError(`${at}.image: ${imagePath} cannot be read as an image (${(err as Error).message}). Give a PNG or JPEG path relative to the plan.`, { cause: err });
    }
    const { view } = await preprocessToView(original, { width: size[0], height: size[1], resize: 'stretch' });
    const ref: ComponentRef = typeof g.segmenter === 'string' ? { use: g.segmenter } : (g.segmenter ?? { use: 'grid', options: (([nRows, nCols]) => ({ nRows, nCols }))(gridShape(g.M!)) });
    const cfg = validateConfig({ segmenter: ref }, at);
    const resolved = await resolveConfig(cfg, { baseDir, where: at, registry });
    const segments = await resolved.components.segmenter.instance.segment(view, { rng: createRng(0).fork('segmenter') });
    const M = segments.count;
    need(g.M === undefined || g.M === M, `${at}: M is ${g.M} but the segmenter gave ${M} segments. Drop M, or use the grid segmenter (the default when only M is given) for an exact count.`);
    games.push({ name: g.name, kind: g.kind, view, segments, game: buildGame(at, g, M), M });
  }

  const configs: LoadedBenchConfig[] = [];
  for (const [i, c] of plan.configs.entries()) {
    const at = `${where}.configs[${i}] (${c.name})`;
    const { name: _name, file, target, maskLaw, ...rest } = c;
    need(target === undefined || (TARGET_KINDS as readonly string[]).includes(target), `${at}.target: must be one of ${TARGET_KINDS.join(', ')}, got ${JSON.stringify(target)}.`);
    need(rest.segmenter === undefined, `${at}: "segmenter" belongs to the games (each game fixes its segmentation); remove it from the configuration.`);
    need(rest.numSamples === undefined && rest.seed === undefined, `${at}: numSamples and seed come from the plan's budgets and seeds; remove them from the configuration.`);
    let base: ExplainConfig = {};
    if (file !== undefined) {
      need(typeof file === 'string', `${at}.file: must be a config file path, got ${JSON.stringify(file)}.`);
      const { segmenter: _s, ...fromFile } = await loadConfigFile(resolve(baseDir, file));
      base = fromFile;
    }
    const cfg = validateConfig({ ...base, ...rest }, at);
    const resolved = await resolveConfig(cfg, { baseDir, where: at, registry });
    const choice = chooseTarget(resolved, { ...(target ? { target } : {}), ...(maskLaw !== undefined ? { maskLaw } : {}), where: at });
    configs.push({ name: c.name, resolved, target: choice });
  }
  return { plan, hash: planHash(plan), games, configs, topK: plan.topK ?? 5 };
}
