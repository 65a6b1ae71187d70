// lime's feature selection at LIME's usual size (1000 samples × 68 segments, 5 features) next to
// lime 0.2 on scikit-learn 1.2.1 (`LimeBase.feature_selection(...)` seconds recorded in the shared
// reference, one run on a 2-core machine; see test/fixtures/PROVENANCE.md). Median of 5 runs here.
import { pathToFileURL } from 'node:url';
import { loadReference } from '../test/reference.js';
import { createFeatureSelector } from '../src/index.js';
import { medianWall } from '@limekit/testing/bench';

const time = (fn: () => void): number => medianWall(fn, { warmups: 1 });

export default async function bench(report: (row: Record<string, unknown>) => void): Promise<void> {
  for (const name of ['p3_n1000_d15', 'p4_n1000_d68']) {
    const { problem, raw } = loadReference(name);
    const lime = raw.lime as { num_features: number; feature_selection: Record<string, { seconds?: number }> };
    for (const method of ['forward_selection', 'highest_weights', 'lasso_path', 'auto']) {
      const selector = createFeatureSelector(method);
      const t = time(() => selector.select(problem, lime.num_features));
      const ref = lime.feature_selection[method].seconds;
      report({ featureSelection: selector.id, problem: name, n: problem.n, d: problem.d, numFeatures: lime.num_features, seconds: +t.toFixed(5), ...(ref ? { limeSeconds: +ref.toFixed(5), ratioToLime: +(t / ref).toFixed(3) } : {}) });
    }
  }
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) await bench((r) => console.log(JSON.stringify(r)));
