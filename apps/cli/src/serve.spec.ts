import { readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, demo, startServe, tempDir, type CliProcess } from '../test/helpers.js';

// End to end on loopback with real processes: `limekit serve` in a child process, the CLI's
// explain/predict through @limekit/model-remote against it, compared with the local model.

const MODEL = demo('model/shapes.onnx');
const LABELS = demo('model/labels.json');
const IMAGE = demo('images/star-1.png');

let server: { proc: CliProcess; url: string };
beforeAll(async () => {
  server = await startServe(['--model', MODEL]);
}, 60_000);
afterAll(async () => {
  if (server && server.proc.child.exitCode === null && server.proc.child.signalCode === null) server.proc.child.kill('SIGKILL');
});

describe('limekit serve + --model URL', () => {
  it('serves the demo model under its file stem on 127.0.0.1', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v2\/models\/shapes$/);
    const meta = await (await fetch(server.url)).json();
    expect(meta).toMatchObject({ name: 'shapes', platform: 'onnxruntime_onnx', inputs: [{ name: 'input', datatype: 'FP32', shape: [-1, 3, 128, 128] }], outputs: [{ name: 'logits', datatype: 'FP32', shape: [-1, 4] }] });
    expect(await (await fetch(server.url.replace(/models\/shapes$/, 'health/ready'))).json()).toEqual({ ready: true });
  });

  it('gives the same explanation, bit for bit, as the local model', async () => {
    const dir = await tempDir();
    const args = (model: string, out: string) => ['explain', '--model', model, '--labels', LABELS, '--image', IMAGE, '--out', join(dir, out), '--samples', '160', '--seed', '4', '--top-labels', '2', '--json'];
    const local = await cli(args(MODEL, 'local'));
    const remote = await cli(args(server.url, 'remote'));
    expect(remote.stderr).not.toMatch(/error/i);
    expect(remote.code).toBe(0);
    expect(local.code).toBe(0);
    const a = JSON.parse(await readFile(join(dir, 'local', 'explanation.json'), 'utf8'));
    const b = JSON.parse(await readFile(join(dir, 'remote', 'explanation.json'), 'utf8'));
    // JSON numbers print the shortest decimal of each double: equal text is equal bits.
    expect(JSON.stringify(b.labels)).toBe(JSON.stringify(a.labels));
    expect(b.labels[0].name).toBe('star');
    expect(b.model.runtime).toBe('open-inference-protocol');
    expect(b.model.tensorEncoding).toBe('binary');
    expect(b.model.outputKind).toBe(a.model.outputKind);
    expect(await readFile(join(dir, 'remote', 'segments.npy'))).toEqual(await readFile(join(dir, 'local', 'segments.npy')));
  }, 60_000);

  it('segments the model view through the URL exactly as with the local file', async () => {
    const dir = await tempDir();
    const args = (model: string, out: string) => ['segment', '--model', model, '--image', IMAGE, '--out', join(dir, out)];
    const local = await cli(args(MODEL, 'local'));
    const remote = await cli(args(server.url, 'remote'));
    expect(local.code).toBe(0);
    expect(remote.code).toBe(0);
    expect(await readFile(join(dir, 'remote', 'segments.npy'))).toEqual(await readFile(join(dir, 'local', 'segments.npy')));
  }, 30_000);

  it('predicts through the URL with the preprocessing flags, as locally', async () => {
    const args = (model: string) => ['predict', '--model', model, '--labels', LABELS, '--image', IMAGE, '--preprocess', 'imagenet', '--top', '4', '--json'];
    const local = JSON.parse((await cli(args(MODEL))).stdout);
    const remote = JSON.parse((await cli(args(server.url))).stdout);
    expect(remote).toEqual(local);
    // Another preprocessing gives other numbers, on both sides alike: it is applied by the client.
    const raw = (model: string) => cli([...args(model), '--preprocess', 'raw']).then((r) => JSON.parse(r.stdout));
    const [lr, rr] = await Promise.all([raw(MODEL), raw(server.url)]);
    expect(rr).toEqual(lr);
    expect(rr).not.toEqual(remote);
  }, 30_000);

  it('exits 4 with a clear message for an unreachable server or an unknown model, 2 for a bad URL', async () => {
    const free = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const port = (s.address() as { port: number }).port;
        s.close(() => resolve(port));
      });
    });
    const down = await cli(['predict', '--model', `http://127.0.0.1:${free}/v2/models/shapes`, '--image', IMAGE]);
    expect(down.code).toBe(4);
    expect(down.stderr).toMatch(/connection refused, ECONNREFUSED\) after 5 attempts over [\d.]+ s\. Start the server \(limekit serve --model FILE\)/);
    const unknown = await cli(['predict', '--model', server.url.replace(/shapes$/, 'resnet'), '--image', IMAGE]);
    expect(unknown.code).toBe(4);
    expect(unknown.stderr).toMatch(/has no model "resnet" \(404: no model "resnet" on this server; it serves "shapes"/);
    const badUrl = await cli(['predict', '--model', 'http://127.0.0.1:1/predict', '--image', IMAGE]);
    expect(badUrl.code).toBe(4);
    expect(badUrl.stderr).toMatch(/model URL must be http\(s\):\/\/host:port\/v2\/models\/NAME/);
  }, 30_000);

  it('refuses bad serve options: a port in use (3), a missing model (4), a URL as model (2)', async () => {
    const port = server.url.match(/:(\d+)\//)![1];
    const inUse = await cli(['serve', '--model', MODEL, '--port', port]);
    expect(inUse.code).toBe(3);
    expect(inUse.stderr).toMatch(new RegExp(`port ${port} on 127.0.0.1 is in use`));
    const missing = await cli(['serve', '--model', 'no-such.onnx', '--port', '0']);
    expect(missing.code).toBe(4);
    expect(missing.stderr).toMatch(/no-such\.onnx does not exist/);
    const url = await cli(['serve', '--model', server.url]);
    expect(url.code).toBe(2);
  });

  it('stops on SIGTERM with exit 0 and a summary (last: it stops the shared server)', async () => {
    server.proc.child.kill('SIGTERM');
    expect((await server.proc.exited).code).toBe(0);
    expect(server.proc.stderr).toMatch(/limekit serve: stopped after \d+ requests \(\d+ inferences of \d+ images; \d+ client errors, 0 server errors, 0 busy\)/);
  });
});
