import { UnknownComponentError } from '@limekit/core';
import { describe, expect, it } from 'vitest';
import { ALL_METRICS, applicableMetrics, metricInfo, METRICS, OPT_IN_METRICS } from './registry.js';

describe('METRICS registry', () => {
  it('names each metric of an evaluation plan once, with its paper and direction', () => {
    expect(METRICS.map((m) => m.id)).toEqual([
      'deletion', 'insertion', 'faithfulness', 'fidelity-r2', 'fidelity-gap', 'stability-jaccard', 'stability-kendall',
      'sparseness', 'pointing-game', 'relevance-mass', 'relevance-rank', 'wall-time', 'model-calls', 'samples',
    ]);
    for (const m of METRICS) {
      expect(m.description.length, m.id).toBeGreaterThan(10);
      expect(m.paper.length, m.id).toBeGreaterThan(0);
    }
    const lower = METRICS.filter((m) => !m.higherIsBetter).map((m) => m.id);
    expect(lower).toEqual(['deletion', 'fidelity-gap', 'wall-time', 'model-calls', 'samples']);
  });

  it('tells which metrics apply to what a run has', () => {
    expect(metricInfo('pointing-game').needs).toEqual(['mask']);
    expect(applicableMetrics(['deletion', 'sparseness', 'relevance-mass', 'stability-kendall'], ['model']).map((m) => m.id)).toEqual(['deletion', 'sparseness']);
    expect(applicableMetrics(['relevance-mass', 'stability-kendall'], ['mask', 'seeds']).map((m) => m.id)).toEqual(['relevance-mass', 'stability-kendall']);
    expect(() => metricInfo('auc')).toThrow(UnknownComponentError);
    expect(() => metricInfo('auc')).toThrow(/unknown metric "auc". Known metrics: deletion, insertion/);
  });

  it('lists the opt-in metrics apart, each with a paper, a direction and a range', () => {
    expect(OPT_IN_METRICS.map((m) => m.id)).toEqual(['srg', 'road', 'infidelity', 'max-sensitivity', 'random-logit', 'mprt', 'irof']);
    expect(ALL_METRICS).toHaveLength(METRICS.length + OPT_IN_METRICS.length);
    expect(metricInfo('irof').optIn).toBe(true);
    expect(OPT_IN_METRICS.filter((m) => !m.higherIsBetter).map((m) => m.id)).toEqual(['road', 'infidelity', 'max-sensitivity', 'random-logit', 'mprt']);
    for (const m of ALL_METRICS) {
      expect(m.range[0], m.id).toBeLessThan(m.range[1]);
      expect(m.paper.length, m.id).toBeGreaterThan(0);
    }
  });
});
