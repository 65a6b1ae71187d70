import { resolve } from 'node:path';
import { writeNormalized, type ModelAdapter } from '@limekit/core';
import { loadImage, preprocessToView } from '@limekit/image';
import { loadModel, modelFieldFlags, modelFieldsHelp, modelOptionsFrom, type TfjsBackendChoice } from '@limekit/lime';
import { intFlag, modelFlag, parseFlags, requireFlags } from '../args.js';
import type { CliIo } from '../io.js';
import { printModelNotes } from '../model-notes.js';
import { configFromFlags } from './explain.js';

export const PREDICT_HELP = `limekit predict — print a model's top classes for an image (check preprocessing before explaining)

Usage:
  limekit predict --model FILE --image FILE [--preprocess NAME] [--labels FILE] [--top K] [--resize MODE] [--resize-to N]
                  [--config FILE] [--input-size WxH] [--layout NAME] [--output-name NAME] [--output-kind KIND]
                  [--label-offset N] [--backend NAME] [--json]

  --model FILE|URL    an ONNX model (.onnx) or a TensorFlow.js model (model.json, or its folder), or an
                      inference server's http://host:port/v2/models/NAME (limekit serve, Triton, KServe)
  --preprocess NAME   imagenet | inception | unit | raw | caffe
  --labels FILE       class names (JSON array, imagenet_class_index.json-style object, or one per line)
  --top K             how many classes to print (default 5)
  --resize MODE       center-crop (default) | stretch
  --resize-to N       with center-crop, resize the shorter side to N first (torchvision
                      Resize(256) + CenterCrop(224): 256)
  --config FILE       an explain config file: its model fields (preprocess, resize, resizeTo, interpolation,
                      inputSize, layout, inputName, outputName, outputKind, labelOffset) are used; flags win
${modelFieldsHelp(2, 22)}
  --backend NAME      TensorFlow.js models: auto | tensorflow | wasm | cpu (default auto: tfjs-node-gpu,
                      tfjs-node, then WebAssembly)
  --quiet             no notes on stderr (preprocessing used, TensorFlow.js backend)
  --json              {"top": [{index, name, probability}], "probabilities": [all classes]}
`;

/** `limekit predict`. */
export async function predictCommand(argv: string[], io: CliIo): Promise<number> {
  const flags = parseFlags('predict', argv, {
    model: { type: 'string' },
    image: { type: 'string' },
    preprocess: { type: 'string' },
    labels: { type: 'string' },
    top: { type: 'string' },
    backend: { type: 'string' },
    resize: { type: 'string' },
    'resize-to': { type: 'string' },
    config: { type: 'string' },
    ...modelFieldFlags(),
    json: { type: 'boolean' },
    quiet: { type: 'boolean' },
  });
  if (flags.help) {
    io.stdout.write(PREDICT_HELP);
    return 0;
  }
  requireFlags('predict', flags, ['model', 'image']);
  const top = intFlag('predict', 'top', flags.top, 1) ?? 5;
  const { config } = await configFromFlags(io.cwd, flags, 'predict');
  const image = await loadImage(resolve(io.cwd, flags.image!));
  let model: ModelAdapter | undefined;
  try {
    model = await loadModel(modelFlag(io.cwd, flags.model!), {
      ...modelOptionsFrom(config),
      ...(flags.labels ? { labels: resolve(io.cwd, flags.labels) } : {}),
      ...(flags.backend ? { backend: flags.backend as TfjsBackendChoice } : {}),
    });
    if (!flags.quiet) printModelNotes(io, model, config.preprocess !== undefined, 'predict');
    const { view } = await preprocessToView(image, model.input);
    const input = new Float32Array(model.input.width * model.input.height * model.input.channels);
    writeNormalized(view, model.input, input);
    const probs = await model.predict(input, 1);
    const order = Array.from(probs, (_, i) => i).sort((a, b) => probs[b] - probs[a] || a - b).slice(0, Math.min(top, probs.length));
    const rows = order.map((index) => ({ index, ...(model!.classNames?.[index] !== undefined ? { name: model!.classNames[index] } : {}), probability: probs[index] }));
    if (flags.json) {
      io.stdout.write(JSON.stringify({ top: rows, probabilities: Array.from(probs) }) + '\n');
    } else {
      for (const r of rows) io.stdout.write(`${r.probability.toFixed(4)}  ${String(r.index).padStart(4)}  ${r.name ?? ''}\n`);
    }
    return 0;
  } finally {
    await model?.dispose();
  }
}
