import { closeSync, fsyncSync, openSync, writeSync } from 'node:fs';
import { readFile, truncate } from 'node:fs/promises';

/** One line of results.jsonl. */
export interface ResultRow {
  model: string;
  image: string;
  config: string;
  seed: number;
  metrics: Record<string, number | null>;
  /** Label explained (top-1 of the model on the image). */
  label?: { index: number; name?: string; probability: number };
  /** Per-segment weights of that label, for stability across seeds. */
  weights?: number[];
  numSegments?: number;
  curves?: { deletion?: { xs: number[]; ys: number[] }; insertion?: { xs: number[]; ys: number[] } };
  timings?: Record<string, number>;
  modelCalls?: number;
  samples?: number;
  /** Overlay thumbnail (PNG, base64) for the report's image grid; first seed only. */
  thumbnail?: string;
  error?: string;
}

/** The key that identifies a row within a plan. */
export function rowKey(r: Pick<ResultRow, 'model' | 'image' | 'config' | 'seed'>): string {
  return JSON.stringify([r.model, r.image, r.config, r.seed]);
}

/**
 * Reads results.jsonl. A run killed while writing leaves at most one incomplete last line: it is
 * cut off (the file is truncated to its last complete line), so that the row is computed again.
 */
export async function readResults<T = ResultRow>(path: string): Promise<T[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const lastNewline = text.lastIndexOf('\n');
  const complete = lastNewline >= 0 ? text.slice(0, lastNewline + 1) : '';
  if (complete.length !== text.length) await truncate(path, Buffer.byteLength(complete));
  const rows: T[] = [];
  for (const line of complete.split('\n')) {
    if (!line.trim()) continue;
    rows.push(JSON.parse(line) as T);
  }
  return rows;
}

/** Appends rows to results.jsonl, each flushed to disk (fsync) before the call returns. */
export class ResultsWriter<T = ResultRow> {
  private fd: number;
  constructor(path: string) {
    this.fd = openSync(path, 'a');
  }
  append(row: T): void {
    const line = JSON.stringify(row) + '\n';
    // One write call per row: a kill can only leave the last line incomplete.
    writeSync(this.fd, line);
    fsyncSync(this.fd);
  }
  close(): void {
    closeSync(this.fd);
  }
}
