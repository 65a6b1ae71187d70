import { LimekitError } from '@limekit/core';
import { EXIT, exitCodeFor, QueueUnavailableError, UsageError } from './exit-codes.js';
import type { CliIo } from './io.js';
import { explainCommand } from './commands/explain.js';
import { presetsCommand } from './commands/presets.js';
import { segmentCommand } from './commands/segment.js';
import { predictCommand } from './commands/predict.js';
import { refitCommand } from './commands/refit.js';
import { evaluateCommand } from './commands/evaluate.js';
import { serveCommand } from './commands/serve.js';
import { workerCommand } from './commands/worker.js';

export const MAIN_HELP = `limekit — LIME and its relatives for image classifiers

Usage:
  limekit <command> [options]

Commands:
  explain     explain a model's prediction on an image (overlays, explanation.json, segments.npy)
  segment     segment an image into superpixels (to tune segmentation)
  predict     print a model's top classes for an image (check preprocessing)
  refit       refit a saved neighbourhood with another surrogate, without the model
  evaluate    run a grid of configurations over image sets, score them, write a report
  serve       serve a model over the Open Inference Protocol (KServe v2 REST), for remote explainers
  worker      compute cells of distributed evaluations (evaluate --queue redis://…)
  presets     list presets and components

Run 'limekit <command> --help' for a command's options.
`;

const COMMANDS: Record<string, (argv: string[], io: CliIo) => Promise<number>> = {
  explain: explainCommand,
  segment: segmentCommand,
  predict: predictCommand,
  refit: refitCommand,
  evaluate: evaluateCommand,
  serve: serveCommand,
  worker: workerCommand,
  presets: presetsCommand,
};

/**
 * Runs the CLI and returns its exit code; errors are printed on stderr as one clear message.
 */
export async function run(argv: string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    io.stdout.write(MAIN_HELP);
    return command ? EXIT.ok : EXIT.usage;
  }
  if (command === '--version') {
    io.stdout.write('limekit 0.1.0\n');
    return EXIT.ok;
  }
  const handler = COMMANDS[command];
  try {
    if (!handler) throw new UsageError(`unknown command "${command}". Commands: ${Object.keys(COMMANDS).join(', ')}. See 'limekit --help'.`);
    return await handler(rest, io);
  } catch (err) {
    const code = exitCodeFor(err);
    if (err instanceof UsageError || err instanceof LimekitError || err instanceof QueueUnavailableError) {
      io.stderr.write(`limekit: ${err.message}\n`);
    } else {
      io.stderr.write(`limekit: unexpected error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\nPlease report this with the command you ran.\n`);
    }
    return code;
  }
}
