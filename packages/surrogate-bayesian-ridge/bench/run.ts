// Bayesian ridge fit time at LIME's usual size (1000 samples × 68 segments) next to scikit-learn
// 1.2.1's `BayesianRidge().fit(X, y, sample_weight)` on the same problem (fit_seconds_median,
// recorded on a 2-core machine; see test/fixtures/PROVENANCE.md). Median of 5 runs, this machine.
import { pathToFileURL } from 'node:url';
import { loadReference } from '../test/reference.js';
import { BayesianRidgeSurrogate } from '../src/index.js';
import { medianWall as time } from '@limekit/testing/bench';

export default async function bench(report: (row: Record<string, unknown>) => void): Promise<void> {
  for (const name of ['p3_n1000_d15', 'p4_n1000_d68']) {
    const { problem, fits } = loadReference(name);
    const ref = fits['BayesianRidge()'].fit_seconds_median as number;
    for (const mode of ['evidence', 'fixed-both'] as const) {
      const s = new BayesianRidgeSurrogate({ mode });
      const t = time(() => s.fit(problem));
      const row = { surrogate: 'bayesian-ridge', mode, problem: name, n: problem.n, d: problem.d, seconds: +t.toFixed(5) };
      report(mode === 'evidence' ? { ...row, sklearnSeconds: +ref.toFixed(5), ratioToSklearn: +(t / ref).toFixed(3), targetSeconds: 0.02 } : row);
    }
  }
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) await bench((r) => console.log(JSON.stringify(r)));
