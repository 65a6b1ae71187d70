import { LimekitError } from '@limekit/core';
import { EXIT, exitCodeFor, QueueUnavailableError, UsageError } from './exit-codes.js';
import type { CliIo } from './io.js';

export const MAIN_HELP = `limekit — LIME and its relatives for image classifiers

Usage:
  limekit <command> [options]

Commands:
  explain     explain a model's prediction on an image (overlays, explanation.json, segments.npy)
  segment     segment an image into superpixels (to tune segmentation)
  predict     print a model's top classes for an image (check preprocessing)
  refit       refit a saved neighbourhood with another surrogate, without the model
  evaluate    run a grid of configurations over image sets, score them, write a report
  benchmark   error to the exact answer vs model calls, on games with known answers (samplers, estimators)
  scaffold    train a scaffolded model (biased on real inputs, innocuous on perturbed ones) to fool LIME
  manifold    how far each configuration's perturbed samples lie from real images (detector AUC, PCA)
  sanity      model-randomisation and random-logit sanity checks of an explanation (ONNX)
  serve       serve a model over the Open Inference Protocol (KServe v2 REST), for remote explainers
  worker      compute cells of distributed evaluations (evaluate --queue redis://…)
  presets     list presets and components

Run 'limekit <command> --help' for a command's options.
`;

type Command = (argv: string[], io: CliIo) => Promise<number>;

// Each command is imported when it runs: `limekit --help` and `limekit presets` must not pay for
// onnxruntime-node, sharp, TensorFlow.js or vega, which only some commands need.
const COMMANDS: Record<string, () => Promise<Command>> = {
  explain: async () => (await import('./commands/explain.js')).explainCommand,
  segment: async () => (await import('./commands/segment.js')).segmentCommand,
  predict: async () => (await import('./commands/predict.js')).predictCommand,
  refit: async () => (await import('./commands/refit.js')).refitCommand,
  evaluate: async () => (await import('./commands/evaluate.js')).evaluateCommand,
  benchmark: async () => (await import('./commands/benchmark.js')).benchmarkCommand,
  presets: async () => (await import('./commands/presets.js')).presetsCommand,
  sanity: async () => (await import('./commands/sanity.js')).sanityCommand,
  scaffold: async () => (await import('./commands/scaffold.js')).scaffoldCommand,
  manifold: async () => (await import('./commands/manifold.js')).manifoldCommand,
  serve: async () => (await import('./commands/serve.js')).serveCommand,
  worker: async () => (await import('./commands/worker.js')).workerCommand,
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
  const load = COMMANDS[command];
  try {
    if (!load) throw new UsageError(`unknown command "${command}". Commands: ${Object.keys(COMMANDS).join(', ')}. See 'limekit --help'.`);
    return await (await load())(rest, io);
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
