import { resolve } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './exit-codes.js';

type Options = NonNullable<ParseArgsConfig['options']>;

/** Parses flags strictly; unknown flags and missing values become {@link UsageError}s. */
export function parseFlags<T extends Options>(command: string, argv: string[], options: T) {
  try {
    return parseArgs({ args: argv, options: { ...options, help: { type: 'boolean', short: 'h' } }, strict: true, allowPositionals: false }).values as {
      [K in keyof T]?: T[K] extends { multiple: true } ? string[] : T[K] extends { type: 'boolean' } ? boolean : string;
    } & { help?: boolean };
  } catch (err) {
    throw new UsageError(`${command}: ${(err as Error).message.replace(/\. To specify.*$/s, '')}. See 'limekit ${command} --help'.`);
  }
}

/** Reads an integer flag, checking its range. */
export function intFlag(command: string, name: string, value: string | undefined, min: number, max?: number): number | undefined {
  if (value === undefined) return undefined;
  if (!/^-?\d+$/.test(value.trim()) || Number(value) < min || (max !== undefined && Number(value) > max)) {
    throw new UsageError(`${command}: --${name} must be an integer >= ${min}${max !== undefined ? ` and <= ${max}` : ''}, got "${value}".`);
  }
  return Number(value);
}

/** Checks that required flags are present. */
export function requireFlags(command: string, values: Record<string, unknown>, names: string[]): void {
  const missing = names.filter((n) => values[n] === undefined);
  if (missing.length) {
    throw new UsageError(`${command}: missing ${missing.map((m) => `--${m}`).join(', ')}. See 'limekit ${command} --help'.`);
  }
}

/** A `--model` value: an inference-server URL as given, a file resolved against the working directory. */
export function modelFlag(cwd: string, value: string): string {
  return /^https?:\/\//i.test(value) ? value : resolve(cwd, value);
}
