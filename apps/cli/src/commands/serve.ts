import { stat } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { basename, dirname, extname, resolve } from 'node:path';
import { InvalidOptionError, type ModelAdapter } from '@limekit/core';
import { loadModel, type TfjsBackendChoice } from '@limekit/lime';
import { createInferenceServer, DEFAULT_INFERENCE_SERVER_OPTIONS, servedModelFrom } from '@limekit/model-remote';
import { intFlag, parseFlags, requireFlags } from '../args.js';
import { UsageError } from '../exit-codes.js';
import type { CliIo } from '../io.js';

export const SERVE_HELP = `limekit serve — put an ONNX or TensorFlow.js model behind the Open Inference Protocol (KServe v2 REST)

Usage:
  limekit serve --model FILE [--port N] [--host H] [--name NAME]

  --model FILE        ONNX model (.onnx) or TensorFlow.js model (model.json, or its folder)
  --port N            TCP port (default 8000; 0 picks a free one, printed at start)
  --host H            address to bind (default 127.0.0.1: this machine only; 0.0.0.0 for every
                      interface — the server has no authentication, put it behind a gateway)
  --name NAME         model name in URLs (default: the file's stem; the folder's name for model.json)
  --backend NAME      TensorFlow.js models: auto | tensorflow | wasm | cpu (default auto)
  --max-body-mb N     largest request body in MiB, larger ones get 413 (default ${DEFAULT_INFERENCE_SERVER_OPTIONS.maxBodyBytes / 2 ** 20})
  --max-queue N       requests waiting for the model; more get 503 + Retry-After (default ${DEFAULT_INFERENCE_SERVER_OPTIONS.maxQueue})

Endpoints: GET /v2, /v2/health/live, /v2/health/ready, /v2/models/NAME, /v2/models/NAME/ready;
POST /v2/models/NAME/infer with JSON tensors or Triton's binary tensor extension. The input is the
model's tensor, already preprocessed (clients normalise, as limekit's remote adapter does with
--preprocess); the output is the model's raw output (logits stay logits).

Explain against it from any machine:
  limekit explain --model http://HOST:PORT/v2/models/NAME --preprocess imagenet --image … --out …

Stops on Ctrl-C or SIGTERM (exit 0). Exit codes: 2 usage, 3 bad option (port in use), 4 model error.
`;

/** The default model name: the file's stem, or the folder's name for `model.json` and folders. */
export async function defaultModelName(path: string): Promise<string> {
  const isDir = await stat(path).then((s) => s.isDirectory(), () => false);
  const raw = isDir ? basename(path) : basename(path) === 'model.json' ? basename(dirname(path)) : basename(path, extname(path));
  return raw.replace(/[^A-Za-z0-9._-]/g, '-') || 'model';
}

/** `limekit serve`: resolves once the server has stopped (abort signal: Ctrl-C or SIGTERM). */
export async function serveCommand(argv: string[], io: CliIo): Promise<number> {
  const flags = parseFlags('serve', argv, {
    model: { type: 'string' },
    port: { type: 'string' },
    host: { type: 'string' },
    name: { type: 'string' },
    backend: { type: 'string' },
    'max-body-mb': { type: 'string' },
    'max-queue': { type: 'string' },
  });
  if (flags.help) {
    io.stdout.write(SERVE_HELP);
    return 0;
  }
  requireFlags('serve', flags, ['model']);
  if (/^https?:\/\//i.test(flags.model!)) throw new UsageError(`serve: --model must be a model file, got the URL ${flags.model}. limekit serve puts a local model behind the protocol.`);
  const port = intFlag('serve', 'port', flags.port, 0) ?? 8000;
  if (port > 65535) throw new UsageError(`serve: --port must be an integer from 0 to 65535, got "${flags.port}".`);
  const host = flags.host ?? '127.0.0.1';
  const maxBodyMb = intFlag('serve', 'max-body-mb', flags['max-body-mb'], 1);
  const maxQueue = intFlag('serve', 'max-queue', flags['max-queue'], 0);
  const backends = ['auto', 'tensorflow', 'wasm', 'cpu'];
  if (flags.backend !== undefined && !backends.includes(flags.backend)) throw new UsageError(`serve: --backend must be one of ${backends.join(', ')}, got "${flags.backend}".`);
  const path = resolve(io.cwd, flags.model!);
  const name = flags.name ?? (await defaultModelName(path));
  if (!/^[A-Za-z0-9._-]+$/.test(name)) throw new UsageError(`serve: --name must be letters, digits, . _ - (it goes in URLs), got "${name}".`);

  let adapter: ModelAdapter | undefined;
  try {
    adapter = await loadModel(path, flags.backend ? { backend: flags.backend as TfjsBackendChoice } : {});
    const { server, stats } = createInferenceServer(servedModelFrom(adapter, name), {
      ...(maxBodyMb !== undefined ? { maxBodyBytes: maxBodyMb * 2 ** 20 } : {}),
      ...(maxQueue !== undefined ? { maxQueue } : {}),
    });
    await new Promise<void>((ok, fail) => {
      server.once('error', (err: NodeJS.ErrnoException) =>
        fail(
          err.code === 'EADDRINUSE'
            ? new InvalidOptionError(`serve: port ${port} on ${host} is in use. Choose another --port (0 picks a free one).`)
            : err.code === 'EADDRNOTAVAIL' || err.code === 'ENOTFOUND'
              ? new InvalidOptionError(`serve: cannot bind --host ${host} (${err.code}): not an address of this machine.`)
              : err,
        ),
      );
      server.listen(port, host, () => ok());
    });
    const bound = server.address() as AddressInfo;
    const shownHost = bound.family === 'IPv6' ? `[${bound.address}]` : bound.address;
    const input = servedModelFrom(adapter, name).input;
    io.stdout.write(`limekit serve: model ${name} (${basename(path)}, input "${input.name}" ${JSON.stringify(input.shape)} FP32) at http://${shownHost}:${bound.port}/v2/models/${name}\n`);
    await new Promise<void>((stop) => {
      if (!io.signal) return; // without a signal (library use) it serves until the process ends
      if (io.signal.aborted) return stop();
      io.signal.addEventListener('abort', () => stop(), { once: true });
    });
    await new Promise<void>((done) => {
      server.close(() => done());
      server.closeAllConnections();
    });
    io.stderr.write(`limekit serve: stopped after ${stats.requests} requests (${stats.inferences} inferences of ${stats.images} images; ${stats.errors4xx} client errors, ${stats.errors5xx} server errors, ${stats.rejectedBusy} busy).\n`);
    return 0;
  } finally {
    await adapter?.dispose();
  }
}
