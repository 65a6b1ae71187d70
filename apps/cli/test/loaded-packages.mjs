// Preloaded with `node --import` by startup.spec.ts: at exit, prints on stderr the npm packages
// whose CommonJS modules the process loaded (onnxruntime-node, sharp's native binding, TensorFlow.js,
// tsyringe and reflect-metadata are CommonJS, so require.cache sees them however they were imported).
import { createRequire } from 'node:module';

process.on('exit', () => {
  const cache = createRequire(import.meta.url).cache;
  const names = new Set();
  for (const key of Object.keys(cache)) {
    const m = key.match(/node_modules\/((?:@[^/]+\/)?[^/]+)\//g);
    if (m) names.add(m[m.length - 1].slice('node_modules/'.length, -1));
  }
  process.stderr.write(`LOADED_PACKAGES ${JSON.stringify([...names].sort())}\n`);
});
