import type { Progress } from '@limekit/core';
import type { CliIo } from './io.js';

function formatSeconds(s: number): string {
  if (!Number.isFinite(s)) return '--';
  if (s < 60) return `${s.toFixed(0)}s`;
  return `${Math.floor(s / 60)}m${String(Math.round(s % 60)).padStart(2, '0')}s`;
}

/** Off a terminal (CI logs, pipes), the shortest time between two progress lines, in ms. */
export const PROGRESS_LINE_INTERVAL_MS = 5000;

/**
 * A progress bar with ETA on stderr. On a terminal it redraws one line; otherwise (CI, pipes)
 * it prints a line at each new 10 %, at most one per {@link PROGRESS_LINE_INTERVAL_MS} (the
 * first and the last always).
 */
export class ProgressBar {
  private start = performance.now();
  private lastDecile = -1;
  private lastLine = -Infinity;
  private lastDraw = 0;
  private drawn = false;

  constructor(
    private readonly io: CliIo,
    private readonly label: string,
    private readonly quiet = false,
    private readonly intervalMs = PROGRESS_LINE_INTERVAL_MS,
    /** What `done`/`total` count in the sampling phase (`samples` in explain, `explanations` in evaluate). */
    private readonly unit = 'samples',
  ) {}

  update = (p: Progress): void => {
    if (this.quiet) return;
    if (p.phase === 'segment') {
      if (p.done === 0) this.line(`${this.label}: segmenting…`, true);
      return;
    }
    if (p.phase === 'fit') {
      this.line(`${this.label}: fitting surrogates ${p.done}/${p.total}`, p.done < p.total);
      return;
    }
    if (p.done > 0 && this.lastDecile < 0) this.start = performance.now();
    const frac = p.total > 0 ? Math.min(1, p.done / p.total) : 0;
    const elapsed = (performance.now() - this.start) / 1000;
    const eta = frac > 0 ? (elapsed / frac) * (1 - frac) : NaN;
    const width = 28;
    const filled = Math.round(frac * width);
    const text = `${this.label}: [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${p.done}/${p.total} ${this.unit}  ${(frac * 100).toFixed(0)}%  ETA ${formatSeconds(eta)}`;
    if (this.io.stderr.isTTY) {
      const now = performance.now();
      if (now - this.lastDraw > 80 || p.done === p.total) {
        this.line(text, true);
        this.lastDraw = now;
      }
    } else {
      const decile = Math.floor(frac * 10);
      const now = performance.now();
      const finished = p.done >= p.total;
      if (decile !== this.lastDecile && (finished || now - this.lastLine >= this.intervalMs)) {
        this.lastDecile = decile;
        this.lastLine = now;
        this.io.stderr.write(text + '\n');
      }
    }
  };

  private line(text: string, transient: boolean): void {
    if (this.io.stderr.isTTY) {
      this.io.stderr.write(`\r\x1b[2K${text}${transient ? '' : '\n'}`);
      this.drawn = transient;
    } else if (!transient) {
      this.io.stderr.write(text + '\n');
    }
  }

  /** Ends the bar's line on a terminal. */
  done(): void {
    if (this.drawn && this.io.stderr.isTTY) this.io.stderr.write('\n');
    this.drawn = false;
  }
}
