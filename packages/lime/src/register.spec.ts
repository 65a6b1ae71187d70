import 'reflect-metadata';
import { COMPONENT_TOKENS, ModelAdapter, UnknownComponentError, type ComponentDefinition, type ComponentKind } from '@limekit/core';
import { KernelShapSurrogate } from '@limekit/surrogate-kernelshap';
import { container as rootContainer } from 'tsyringe';
import { describe, expect, it } from 'vitest';
import { builtinRegistry } from './builtins.js';
import { registerComponent, registerModel } from './register.js';

// One suite for every component definition: the generic registration replaces one register.ts
// per package, so what those tests asserted (token, options reaching the instance) is asserted here.

const TOKEN_NAMES: Record<ComponentKind, string> = {
  segmenter: 'Segmenter',
  baseline: 'Baseline',
  sampler: 'Sampler',
  kernel: 'Kernel',
  surrogate: 'Surrogate',
  featureSelector: 'FeatureSelector',
  model: 'ModelAdapter',
};

/** A non-default option per component whose old register test checked one, and where it shows up. */
const OPTION_CASES: { kind: ComponentKind; id: string; options: Record<string, unknown> }[] = [
  { kind: 'sampler', id: 'kernelshap', options: { paired: false } },
  { kind: 'sampler', id: 'adaptive', options: { targetWidth: 0.02 } },
  { kind: 'sampler', id: 'sobol', options: { p: 0.4 } },
  { kind: 'sampler', id: 'glime', options: { kernelWidth: 0.5 } },
  { kind: 'sampler', id: 'stratified', options: { allocation: 'random' } },
  { kind: 'sampler', id: 'bernoulli', options: { p: 0.3 } },
  { kind: 'sampler', id: 'mps', options: { maxCliqueSize: 2 } },
  { kind: 'surrogate', id: 'bayesian-ridge', options: { mode: 'fixed-both' } },
  { kind: 'surrogate', id: 'linear', options: { fitIntercept: false } },
  { kind: 'surrogate', id: 'lasso', options: { alpha: 0.01 } },
  { kind: 'surrogate', id: 'ridge', options: { alpha: 0.5 } },
  { kind: 'kernel', id: 'shapley', options: { endpointWeight: 10 } },
  { kind: 'segmenter', id: 'felzenszwalb', options: { scale: 50 } },
  { kind: 'segmenter', id: 'slic', options: { nSegments: 7 } },
];

/** Options a component cannot do without (everything else has a default). */
const REQUIRED: Record<string, Record<string, unknown>> = {
  'baseline:image': { pixels: [0, 0, 0, 255, 255, 255], width: 2, height: 1 },
  'baseline:dataset': { dir: 'demo/images' },
};

describe('registerComponent', () => {
  const registry = builtinRegistry();
  const all = registry.list();

  it('covers every kind of component the built-ins define', () => {
    expect(new Set(all.map((d) => d.kind))).toEqual(new Set(['segmenter', 'baseline', 'sampler', 'kernel', 'surrogate', 'featureSelector']));
    expect(all.length).toBeGreaterThanOrEqual(25);
  });

  it.each(all.map((d) => [`${d.kind} "${d.id}"`, d] as const))('registers %s under its kind\'s token, created once, with its id', (_name, definition: ComponentDefinition) => {
    const child = rootContainer.createChildContainer();
    const instance = registerComponent(child, definition, REQUIRED[`${definition.kind}:${definition.id}`] ?? {});
    const token = COMPONENT_TOKENS[definition.kind];
    expect(token.description).toBe(`limekit.${TOKEN_NAMES[definition.kind]}`);
    expect(child.isRegistered(token)).toBe(true);
    expect(child.resolve(token)).toBe(instance);
    expect(child.resolve(token)).toBe(instance); // a value, not a factory: the same object every time
    expect((instance as { id: string }).id).toBe(definition.id);
    expect(rootContainer.isRegistered(token)).toBe(false); // the child only
  });

  it.each(OPTION_CASES.map((c) => [`${c.kind} "${c.id}"`, c] as const))('passes the options of %s to the component', (_name, { kind, id, options }) => {
    const child = rootContainer.createChildContainer();
    registerComponent(child, registry.get(kind, id), options);
    const resolved = child.resolve<{ options: Record<string, unknown> }>(COMPONENT_TOKENS[kind]);
    for (const [k, v] of Object.entries(options)) expect(resolved.options[k]).toBe(v);
  });

  it('registers lime\'s feature selection by its snake_case name and fails fast on an unknown one', () => {
    const child = rootContainer.createChildContainer();
    const selector = registerComponent(child, registry.get('featureSelector', 'lasso_path'.replace(/_/g, '-')));
    expect(child.resolve(COMPONENT_TOKENS.featureSelector)).toBe(selector);
    expect((selector as { id: string }).id).toBe('lasso-path');
    expect(() => registry.get('featureSelector', 'best')).toThrow(UnknownComponentError);
  });

  it('rejects bad options when registering, not when resolving', () => {
    const child = rootContainer.createChildContainer();
    expect(() => registerComponent(child, registry.get('surrogate', 'kernelshap'), { alpha: 1 } as never)).toThrow(/unknown option "alpha"/);
    expect(() => registerComponent(child, registry.get('segmenter', 'slic'), { nSegments: 0 })).toThrow(/nSegments must be an integer >= 1, got 0/);
    expect(child.isRegistered(COMPONENT_TOKENS.surrogate)).toBe(false);
    expect(child.isRegistered(COMPONENT_TOKENS.segmenter)).toBe(false);
    const made = registerComponent(child, registry.get('surrogate', 'kernelshap'));
    expect(made).toBeInstanceOf(KernelShapSurrogate);
  });

  it('registers a loaded model as a value under ModelAdapter', () => {
    const child = rootContainer.createChildContainer();
    const model: ModelAdapter = {
      id: 'm',
      input: { width: 1, height: 1, channels: 3, layout: 'NCHW', resize: 'stretch', normalization: { scale: 1, mean: [0, 0, 0], std: [1, 1, 1], channelOrder: 'RGB' } },
      numClasses: 1,
      predict: async () => new Float32Array(1),
      dispose: async () => {},
    };
    expect(registerModel(child, model)).toBe(model);
    expect(child.resolve(ModelAdapter)).toBe(model);
    expect(COMPONENT_TOKENS.model).toBe(ModelAdapter);
  });
});
