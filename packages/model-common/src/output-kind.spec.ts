import { describe, expect, it } from 'vitest';
import { applyOutputDecision, decideOutput, logistic } from './output-kind.js';

const f32 = (xs: number[]) => Float32Array.from(xs);

describe('decideOutput', () => {
  it('follows the graph when its last op says what the output is', () => {
    expect(decideOutput('auto', 3, 'Softmax', f32([0.2, 0.3, 0.5]))).toMatchObject({ kind: 'probabilities', activation: 'none', source: 'graph' });
    expect(decideOutput('auto', 3, 'Sigmoid', f32([0.2, 0.9, 0.5]))).toMatchObject({ kind: 'multilabel', activation: 'none', source: 'graph' });
    expect(decideOutput('auto', 1, 'Sigmoid', f32([0.7]))).toMatchObject({ kind: 'sigmoid', activation: 'none', numClasses: 2 });
    // A single unit from a linear layer is a logit even when its test value lies in [0, 1].
    expect(decideOutput('auto', 1, 'Gemm', f32([0.4]))).toMatchObject({ kind: 'sigmoid', activation: 'logistic', source: 'graph' });
  });

  it('otherwise decides from the test rows: distributions are probabilities, the rest logits', () => {
    expect(decideOutput('auto', 2, 'Div', f32([0.25, 0.75, 0.5, 0.5]))).toMatchObject({ kind: 'probabilities', source: 'probe' });
    expect(decideOutput('auto', 2, 'Gemm', f32([0.25, 0.5]))).toMatchObject({ kind: 'logits', activation: 'softmax', source: 'probe' });
    expect(decideOutput('auto', 2, undefined, f32([-1, 3]))).toMatchObject({ kind: 'logits' });
    // A Softmax over another axis (rows not summing to 1) is not taken for class probabilities.
    expect(decideOutput('auto', 2, 'Softmax', f32([0.25, 0.5]))).toMatchObject({ kind: 'logits', source: 'probe' });
    // Without a graph, a single unit is a probability only if every test value is in [0, 1].
    expect(decideOutput('auto', 1, undefined, f32([0.4, 0.6]))).toMatchObject({ activation: 'none', source: 'probe' });
    expect(decideOutput('auto', 1, undefined, f32([0.4, 1.6]))).toMatchObject({ activation: 'logistic', source: 'probe' });
  });

  it('honours explicit kinds', () => {
    expect(decideOutput('logits', 3, 'Softmax', f32([0.2, 0.3, 0.5]))).toMatchObject({ kind: 'logits', source: 'option' });
    expect(decideOutput('probabilities', 1, 'Gemm', f32([0.4]))).toMatchObject({ kind: 'sigmoid', activation: 'none', source: 'option' });
    expect(decideOutput('logits', 1, 'Sigmoid', f32([0.4]))).toMatchObject({ kind: 'sigmoid', activation: 'logistic' });
    expect(decideOutput('multilabel', 3, 'Gemm', f32([0.2, 0.3, 0.5]))).toMatchObject({ kind: 'multilabel', activation: 'logistic' });
    expect(() => decideOutput('sigmoid', 3, 'Gemm', f32([0, 0, 0]))).toThrow(/needs one output unit/);
  });
});

describe('applyOutputDecision', () => {
  it('softmax, [1 − p, p] and per-label σ', () => {
    const out = new Float32Array(4);
    applyOutputDecision(decideOutput('logits', 2, undefined, f32([0, 0])), f32([0, Math.log(3), 1000, 1000]), 2, out);
    [0.25, 0.75, 0.5, 0.5].forEach((v, i) => expect(Math.abs(out[i] - v)).toBeLessThan(1e-7));
    applyOutputDecision(decideOutput('logits', 1, undefined, f32([0])), f32([Math.log(3), -800]), 2, out);
    [0.25, 0.75, 1, 0].forEach((v, i) => expect(Math.abs(out[i] - v)).toBeLessThan(1e-7));
    applyOutputDecision(decideOutput('multilabel', 2, 'Gemm', f32([0, 0])), f32([0, 2, -2, 800]), 2, out);
    [0.5, logistic(2), logistic(-2), 1].forEach((v, i) => expect(Math.abs(out[i] - v)).toBeLessThan(1e-7));
  });

  it('logistic does not overflow', () => {
    expect(logistic(-1000)).toBe(0);
    expect(logistic(1000)).toBe(1);
    expect(Math.abs(logistic(0) - 0.5)).toBeLessThan(1e-15);
  });
});
