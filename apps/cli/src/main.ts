#!/usr/bin/env node
import { run } from './cli.js';

const controller = new AbortController();
let interrupted = false;
process.on('SIGINT', () => {
  if (interrupted) process.exit(130);
  interrupted = true;
  process.stderr.write('\nlimekit: cancelling… (Ctrl-C again to quit at once)\n');
  controller.abort();
});

// SIGTERM (a service manager, a test harness) stops as Ctrl-C does: `serve` closes its server.
process.on('SIGTERM', () => controller.abort());

const code = await run(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  cwd: process.cwd(),
  signal: controller.signal,
});
process.exitCode = code;
// A client that keeps reconnecting (Redis gone, for `worker`) must not keep a finished command alive.
setTimeout(() => process.exit(code), 5000).unref();
