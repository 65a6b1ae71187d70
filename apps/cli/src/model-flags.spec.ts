import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, demo, repoRoot, tempDir, writeSquareImages } from '../test/helpers.js';

// Small ONNX models of @limekit/model-onnx's fixtures (torch 1.13 exports; see its test/fixtures/PROVENANCE.md).
const F = (name: string) => join(repoRoot, 'packages/model-onnx/test/fixtures', `${name}.onnx`);
const IMAGE = demo('images/circle-1.png');

describe('model options from the command line, config files and plans', () => {
  it('--input-size feeds a model with dynamic height and width; without it the error names the flag', async () => {
    const without = await cli(['predict', '--model', F('dynamic_spatial'), '--image', IMAGE]);
    expect(without.code).toBe(4);
    expect(without.stderr).toMatch(/symbolic height .*--input-size WxH on the command line, "inputSize": "WxH" in a config file/);
    const withSize = await cli(['predict', '--model', F('dynamic_spatial'), '--image', IMAGE, '--input-size', '24x20', '--json', '--quiet']);
    expect(withSize.code).toBe(0);
    expect(JSON.parse(withSize.stdout).probabilities).toHaveLength(5);
    const out = join(await tempDir(), 'out');
    const exp = await cli(['explain', '--model', F('dynamic_spatial'), '--image', IMAGE, '--out', out, '--input-size', '24x20', '--samples', '20', '--top-labels', '1', '--quiet']);
    expect(exp.code).toBe(0);
    const json = JSON.parse(await readFile(join(out, 'explanation.json'), 'utf8'));
    expect(json.model.inputShape).toEqual(['batch', 3, 'height', 'width']);
    expect(exp.stdout).toMatch(/→ view 24×20/);
  });

  it('refuses malformed values with exit 2, naming the flag', async () => {
    for (const [flag, value, pattern] of [
      ['--input-size', '224', null],
      ['--input-size', 'big', /--input-size: must be WxH/],
      ['--layout', 'CHWN', /--layout: must be one of auto, NCHW, NHWC, got "CHWN"/],
      ['--output-kind', 'softmax', /--output-kind: must be one of auto, logits, probabilities, sigmoid, multilabel, got "softmax"/],
      ['--label-offset', '-1', /--label-offset: must be an integer >= 0/],
      ['--output-name', '', /--output-name: must be a non-empty name/],
    ] as const) {
      const r = await cli(['predict', '--model', F('nchw_logits'), '--image', IMAGE, `${flag}=${value}`, '--quiet']);
      if (pattern === null) {
        // "224" is a square 224×224, which contradicts this model's fixed 16×16.
        expect(r.code).toBe(4);
        expect(r.stderr).toMatch(/height option 224 differs from the model's fixed input height 16\. Drop the option \(--input-size/);
      } else {
        expect(r.code, `${flag} ${value}`).toBe(2);
        expect(r.stderr).toMatch(pattern);
      }
    }
  });

  it('--output-name chooses the scores of a model with several outputs; a wrong name lists them and names the flag', async () => {
    const first = await cli(['predict', '--model', F('two_outputs'), '--image', IMAGE, '--json', '--quiet']);
    const scores = await cli(['predict', '--model', F('two_outputs'), '--image', IMAGE, '--output-name', 'scores', '--json', '--quiet']);
    expect(first.code).toBe(0);
    expect(scores.code).toBe(0);
    expect(JSON.parse(first.stdout).probabilities.length).not.toBe(JSON.parse(scores.stdout).probabilities.length);
    const bad = await cli(['predict', '--model', F('two_outputs'), '--image', IMAGE, '--output-name', 'logits']);
    expect(bad.code).toBe(4);
    expect(bad.stderr).toMatch(/no output named "logits"; its outputs are features, scores\. Choose one with outputName \(--output-name on the command line\)/);
  });

  it('--layout overrides the layout read from the graph (a wrong one fails on the test input and names the flag)', async () => {
    const r = await cli(['predict', '--model', F('nchw_logits'), '--image', IMAGE, '--layout', 'NHWC']);
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/--layout/);
    const ok = await cli(['predict', '--model', F('nchw_logits'), '--image', IMAGE, '--layout', 'NCHW', '--quiet']);
    expect(ok.code).toBe(0);
  });

  it('--output-kind changes how outputs become probabilities', async () => {
    const auto = JSON.parse((await cli(['predict', '--model', F('nchw_logits'), '--image', IMAGE, '--json', '--quiet'])).stdout).probabilities as number[];
    const sig = JSON.parse((await cli(['predict', '--model', F('nchw_logits'), '--image', IMAGE, '--output-kind', 'multilabel', '--json', '--quiet'])).stdout).probabilities as number[];
    expect(Math.abs(auto.reduce((a, b) => a + b, 0) - 1)).toBeLessThan(1e-5); // softmax of logits
    expect(Math.abs(sig.reduce((a, b) => a + b, 0) - 1)).toBeGreaterThan(1e-3); // independent sigmoids
  });

  it('--label-offset lets a labels file skip background outputs; without it the error suggests the flag', async () => {
    const dir = await tempDir();
    const labels = join(dir, 'labels.txt');
    await writeFile(labels, 'one\ntwo\nthree\nfour\n'); // the model has 5 outputs
    const bad = await cli(['predict', '--model', F('nchw_logits'), '--image', IMAGE, '--labels', labels]);
    expect(bad.code).toBe(3);
    expect(bad.stderr).toMatch(/has 4 names but the model has 5 classes.*give labelOffset 1 \(--label-offset 1 on the command line\)/);
    const ok = await cli(['predict', '--model', F('nchw_logits'), '--image', IMAGE, '--labels', labels, '--label-offset', '1', '--top', '5', '--json', '--quiet']);
    expect(ok.code).toBe(0);
    const names = Object.fromEntries((JSON.parse(ok.stdout).top as { index: number; name: string }[]).map((r) => [r.index, r.name]));
    expect(names).toEqual({ 0: 'background', 1: 'one', 2: 'two', 3: 'three', 4: 'four' });
  });

  it('config files take the model fields; bad values name the field', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'ok.json'), JSON.stringify({ inputSize: '24x20', outputKind: 'logits', layout: 'NCHW' }));
    const ok = await cli(['predict', '--model', F('dynamic_spatial'), '--image', IMAGE, '--config', join(dir, 'ok.json'), '--quiet']);
    expect(ok.code).toBe(0);
    await writeFile(join(dir, 'bad.json'), JSON.stringify({ labelOffset: 'one' }));
    const bad = await cli(['explain', '--model', F('nchw_logits'), '--image', IMAGE, '--out', join(dir, 'o'), '--config', join(dir, 'bad.json')]);
    expect(bad.code).toBe(3);
    expect(bad.stderr).toMatch(/bad\.json\.labelOffset: must be an integer >= 0/);
  });

  it('evaluate plans take the model fields on models[], and refuse them on configs[]', async () => {
    const dir = await tempDir();
    await writeSquareImages(dir, 1);
    const plan = {
      models: [{ name: 'dyn', path: F('dynamic_spatial'), inputSize: '24x20', outputKind: 'logits' }],
      images: [{ name: 'sq', dir: 'images' }],
      configs: [{ name: 'grid', segmenter: { use: 'grid', options: { nRows: 2, nCols: 2 } } }],
      seeds: [0],
      numSamples: 10,
      metrics: ['sparseness'],
    };
    await writeFile(join(dir, 'plan.json'), JSON.stringify(plan));
    const r = await cli(['evaluate', '--plan', join(dir, 'plan.json'), '--out', join(dir, 'out'), '--json']);
    expect(r.stderr).toBe(''); // --json: no notes
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).errors).toBe(0);
    await writeFile(join(dir, 'bad.json'), JSON.stringify({ ...plan, models: [{ ...plan.models[0], layout: 'HWC' }] }));
    const bad = await cli(['evaluate', '--plan', join(dir, 'bad.json'), '--out', join(dir, 'out2')]);
    expect(bad.code).toBe(3);
    expect(bad.stderr).toMatch(/models\[0\]\.layout: must be one of auto, NCHW, NHWC, got "HWC"/);
    await writeFile(join(dir, 'bad2.json'), JSON.stringify({ ...plan, configs: [{ ...plan.configs[0], outputName: 'x' }] }));
    const bad2 = await cli(['evaluate', '--plan', join(dir, 'bad2.json'), '--out', join(dir, 'out3')]);
    expect(bad2.code).toBe(3);
    expect(bad2.stderr).toMatch(/"outputName" belongs to the model, which every config shares; set it in models\[\] instead/);
  });

  it('says which preprocessing it used when none was given, and which TensorFlow.js backend it picked', async () => {
    const onnx = await cli(['predict', '--model', demo('model/shapes.onnx'), '--image', IMAGE]);
    expect(onnx.code).toBe(0);
    expect(onnx.stderr).toMatch(/note: no --preprocess given: using "imagenet" \(x·0\.00392157, mean \[0\.485, 0\.456, 0\.406\], std \[0\.229, 0\.224, 0\.225\], RGB\)/);
    const given = await cli(['predict', '--model', demo('model/shapes.onnx'), '--image', IMAGE, '--preprocess', 'unit']);
    expect(given.stderr).not.toMatch(/no --preprocess given/);
    const tfjs = await cli(['predict', '--model', demo('model/tfjs/model.json'), '--image', IMAGE, '--preprocess', 'imagenet']);
    expect(tfjs.code).toBe(0);
    expect(tfjs.stderr).toMatch(/note: TensorFlow\.js backend "(wasm|tensorflow|cpu)" \(@tensorflow\/tfjs-(backend-wasm|node|node-gpu|backend-cpu)\)/);
    const quiet = await cli(['predict', '--model', demo('model/tfjs/model.json'), '--image', IMAGE, '--quiet']);
    expect(quiet.stderr).toBe('');
    const dir = await tempDir();
    await writeSquareImages(dir, 1);
    await writeFile(join(dir, 'plan.json'), JSON.stringify({ models: [{ name: 'shapes', path: demo('model/shapes.onnx') }], images: [{ name: 'sq', dir: 'images' }], configs: [{ name: 'grid', segmenter: { use: 'grid', options: { nRows: 2, nCols: 2 } } }], seeds: [0], numSamples: 10, metrics: ['sparseness'] }));
    const evaluate = await cli(['evaluate', '--plan', join(dir, 'plan.json'), '--out', join(dir, 'out')]);
    expect(evaluate.code).toBe(0);
    expect(evaluate.stderr).toMatch(/note: model shapes: no "preprocess" in the plan: using "imagenet" .*set the model's "preprocess" in the plan/);
  });

  it('lists the model flags in the help of predict and explain', async () => {
    for (const cmd of ['predict', 'explain']) {
      const help = (await cli([cmd, '--help'])).stdout;
      for (const flag of ['--input-size WxH', '--layout NAME', '--input-name NAME', '--output-name NAME', '--output-kind KIND', '--label-offset N']) expect(help, `${cmd} ${flag}`).toContain(flag);
    }
  });
});
