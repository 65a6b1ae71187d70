// Test helpers of @limekit/model-tfjs: the committed test models, their reference outputs, and
// small model.json files written into temporary folders for error cases.
import { copyFile, mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const fixtures = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');
export const fixture = (name: string) => join(fixtures, name, 'model.json');

/** One model's entry in fixtures/reference.json (written by tools/fixtures/tfjs_models.ts). */
export interface ReferenceModel {
  about: string;
  inputShape: (number | null)[];
  rows: number;
  outputs: string[];
  /** Per output: rows × units raw values. */
  raw: number[][][];
}

export async function reference(name: string): Promise<ReferenceModel> {
  const all = JSON.parse(await readFile(join(fixtures, 'reference.json'), 'utf8')) as { models: Record<string, ReferenceModel> };
  return all.models[name];
}

/** The reference inputs: x[r, i] = 1.5 sin(0.05 i + 0.7 r) (same formula as the generator). */
export function referenceInputs(rows: number, perImage: number): Float32Array {
  const x = new Float32Array(rows * perImage);
  for (let r = 0; r < rows; r++) for (let i = 0; i < perImage; i++) x[r * perImage + i] = 1.5 * Math.sin(0.05 * i + 0.7 * r);
  return x;
}

export const softmax = (row: number[]) => {
  const m = Math.max(...row);
  const e = row.map((v) => Math.exp(v - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
};

/** A copy of a fixture model's folder in a new temporary folder; returns the copy's model.json. */
export async function copyFixture(name: string): Promise<string> {
  const dir = join(await mkdtemp(join(tmpdir(), 'limekit-tfjs-')), name);
  await mkdir(dir, { recursive: true });
  for (const f of ['model.json', 'weights.bin']) await copyFile(join(fixtures, name, f), join(dir, f));
  return join(dir, 'model.json');
}

/** Writes a model.json (and weights) into a new temporary folder; returns its path. */
export async function writeModel(json: unknown, weights: Uint8Array = new Uint8Array(0)): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'limekit-tfjs-'));
  await writeFile(join(dir, 'model.json'), JSON.stringify(json));
  await writeFile(join(dir, 'weights.bin'), weights);
  return join(dir, 'model.json');
}

/**
 * A Graph model: Placeholder `image` of `shape` → Reshape to `target` (an int32 Const) → Identity.
 * Used for outputs that are not one row per image and for inputs that are not images.
 */
export function reshapeGraph(shape: number[], target: number[]): { json: unknown; weights: Uint8Array } {
  const dims = (d: number[]) => ({ dim: d.map((size) => ({ size: String(size) })) });
  const json = {
    format: 'graph-model',
    modelTopology: {
      node: [
        { name: 'image', op: 'Placeholder', attr: { dtype: { type: 'DT_FLOAT' }, shape: { shape: dims(shape) } } },
        { name: 'target', op: 'Const', attr: { dtype: { type: 'DT_INT32' }, value: { tensor: { dtype: 'DT_INT32' } } } },
        { name: 'reshaped', op: 'Reshape', input: ['image', 'target'], attr: { T: { type: 'DT_FLOAT' } } },
        { name: 'out', op: 'Identity', input: ['reshaped'], attr: { T: { type: 'DT_FLOAT' } } },
      ],
      versions: { producer: 1395 },
    },
    weightsManifest: [{ paths: ['weights.bin'], weights: [{ name: 'target', shape: [target.length], dtype: 'int32' }] }],
  };
  return { json, weights: new Uint8Array(new Int32Array(target).buffer) };
}
