import { LimekitError } from '@limekit/core';

/** Exit codes of the `limekit` command. */
export const EXIT = {
  ok: 0,
  /** Unexpected failure (a bug): please report it. */
  internal: 1,
  /** Bad command line: unknown command or flag, missing or malformed value. */
  usage: 2,
  /** Bad input: image, config, labels or neighbourhood file, option value, unknown component. */
  input: 3,
  /** The model could not be loaded or failed. */
  model: 4,
  /** The job queue (Redis, `--queue`) cannot be reached; nothing is lost, rerun to resume. */
  queue: 5,
  /** Cancelled (Ctrl-C). */
  aborted: 130,
} as const;

/** An error in the command line itself. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** The job queue (Redis) cannot be reached, at the start or for too long during a run. */
export class QueueUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'QueueUnavailableError';
  }
}

/** The exit code for an error. */
export function exitCodeFor(err: unknown): number {
  if (err instanceof UsageError) return EXIT.usage;
  if (err instanceof QueueUnavailableError) return EXIT.queue;
  if (err instanceof LimekitError) {
    switch (err.code) {
      case 'E_MODEL':
        return EXIT.model;
      case 'E_ABORTED':
        return EXIT.aborted;
      default:
        return EXIT.input;
    }
  }
  return EXIT.internal;
}
