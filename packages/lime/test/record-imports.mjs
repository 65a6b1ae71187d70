// Preloaded with `node --import` by builtin-loaders.spec.ts: records every `@limekit/*` package the
// process imports (a module resolve hook, which sees ES modules too), and hands the list to the
// script as globalThis.limekitImported() → Promise<string[]>.
import { register } from 'node:module';
import { MessageChannel } from 'node:worker_threads';

const { port1, port2 } = new MessageChannel();
const seen = new Set();
port1.on('message', (specifier) => seen.add(specifier));
port1.unref();
const hook = `
let port;
export function initialize(data) { port = data.port; }
export async function resolve(specifier, context, next) {
  const m = /^(@limekit\\/[^/]+)/.exec(specifier);
  if (m) port.postMessage(m[1]);
  return next(specifier, context);
}`;
register(`data:text/javascript,${encodeURIComponent(hook)}`, { data: { port: port2 }, transferList: [port2] });
globalThis.limekitImported = async () => {
  // The hook runs on its own thread: let its last messages arrive.
  await new Promise((r) => setTimeout(r, 100));
  return [...seen].sort();
};
