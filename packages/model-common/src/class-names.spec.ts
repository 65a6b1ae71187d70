import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '@limekit/core';
import { describe, expect, it } from 'vitest';
import { classNamesFromMetadata, loadClassNames, parseClassNames, resolveClassNames } from './class-names.js';

describe('parseClassNames', () => {
  it('reads JSON arrays, imagenet_class_index objects, Hugging Face configs and text', () => {
    expect(parseClassNames('["a", "b"]')).toEqual(['a', 'b']);
    expect(parseClassNames('[["n01440764", "tench"], ["n01443537", "goldfish"]]')).toEqual(['tench', 'goldfish']);
    // Keras' imagenet_class_index.json, keys out of order
    expect(parseClassNames('{"1": ["n01443537", "goldfish"], "0": ["n01440764", "tench"]}')).toEqual(['tench', 'goldfish']);
    expect(parseClassNames('{"architectures": ["ViT"], "id2label": {"0": "tench", "1": "goldfish"}}')).toEqual(['tench', 'goldfish']);
    expect(parseClassNames('{"classes": ["cat", "dog"]}')).toEqual(['cat', 'dog']);
    expect(parseClassNames('\uFEFFcat\r\ndog\n\n')).toEqual(['cat', 'dog']);
  });

  it('rejects what it cannot read, naming the file', () => {
    expect(() => parseClassNames('{"0": "a", "5": "b"}', 'x.json')).toThrow(/Labels file x\.json: keys must be the class indices 0\.\.1, got "5"/);
    expect(() => parseClassNames('[1, ', 'y.json')).toThrow(/Labels file y\.json looks like JSON but does not parse/);
    expect(() => parseClassNames('[{"name": "a"}]', 'z.json')).toThrow(/entry 0 must be a name/);
    expect(() => parseClassNames('\n\n', 'e.txt')).toThrow(InputError);
  });
});

describe('loadClassNames', () => {
  it('reads a file, and names a missing one', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'limekit-labels-'));
    await writeFile(join(dir, 'labels.txt'), 'tench\ngoldfish\n');
    expect(await loadClassNames(join(dir, 'labels.txt'))).toEqual(['tench', 'goldfish']);
    await expect(loadClassNames('/no/such/labels.json')).rejects.toThrow(InputError);
    await expect(loadClassNames('/no/such/labels.json')).rejects.toThrow(/\/no\/such\/labels\.json cannot be read \(ENOENT\)/);
  });
});

describe('classNamesFromMetadata', () => {
  it('reads JSON, Ultralytics-style Python dicts and comma lists under the usual keys', () => {
    expect(classNamesFromMetadata({ classes: '["cat", "dog"]' })).toEqual(['cat', 'dog']);
    expect(classNamesFromMetadata({ names: "{0: 'tench', 1: \"goldfish\", 2: 'great white shark'}" })).toEqual(['tench', 'goldfish', 'great white shark']);
    expect(classNamesFromMetadata({ labels: 'cat, dog ,bird' })).toEqual(['cat', 'dog', 'bird']);
    expect(classNamesFromMetadata({ id2label: '{"1": "b", "0": "a"}' })).toEqual(['a', 'b']);
    expect(classNamesFromMetadata({ author: 'someone' })).toBeUndefined();
    expect(classNamesFromMetadata({ names: "{0: 'a', 2: 'c'}" })).toBeUndefined();
  });
});

describe('resolveClassNames with labelOffset', () => {
  const output = { kind: 'probabilities', numClasses: 4 };
  it('names the first outputs background and shifts the given names', async () => {
    const r = await resolveClassNames({ classNames: ['cat', 'dog', 'fox'], labels: null, labelOffset: 1 }, undefined, output, 'output "y" has 4 units', 'm.onnx');
    expect(r.classNames).toEqual(['background', 'cat', 'dog', 'fox']);
    expect(r.from).toBe('classNames after 1 background output (labelOffset 1)');
    const two = await resolveClassNames({ classNames: ['cat', 'dog'], labels: null, labelOffset: 2 }, undefined, output, '', 'm.onnx');
    expect(two.classNames).toEqual(['background 0', 'background 1', 'cat', 'dog']);
  });
  it('suggests labelOffset when one or two names are missing, and not otherwise', async () => {
    await expect(resolveClassNames({ classNames: ['cat', 'dog', 'fox'], labels: null }, undefined, output, 'output "y" has 4 units', 'm.onnx')).rejects.toThrow(
      /classNames has 3 names but the model has 4 classes \(m\.onnx: output "y" has 4 units\)\. If the model's first output is a background class .* give labelOffset 1 \(--label-offset 1 on the command line\)\./,
    );
    await expect(resolveClassNames({ classNames: ['cat'], labels: null }, undefined, output, 'output "y" has 4 units', 'm.onnx')).rejects.toThrow(/Use the labels that belong to this model, or choose another output with outputName \(--output-name on the command line\)/);
  });
});
