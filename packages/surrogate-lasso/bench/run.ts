// Lasso fit time at LIME's usual size (1000 samples × 68 segments) next to scikit-learn 1.2.1's
// `Lasso(alpha).fit(X, y, sample_weight)` on the same problem (fit_seconds_median, recorded on a
// 2-core machine; see test/fixtures/PROVENANCE.md). Median of 5 runs, this machine.
import { pathToFileURL } from 'node:url';
import { loadReference } from '../test/reference.js';
import { LassoSurrogate } from '../src/index.js';
import { medianWall as time } from '@limekit/testing/bench';

export default async function bench(report: (row: Record<string, unknown>) => void): Promise<void> {
  for (const name of ['p3_n1000_d15', 'p4_n1000_d68']) {
    const { problem, fits } = loadReference(name);
    for (const alpha of [0.001, 0.01]) {
      const ref = fits[`Lasso(alpha=${alpha})`].fit_seconds_median as number;
      const s = new LassoSurrogate({ alpha });
      const t = time(() => s.fit(problem));
      const nIter = (s.fit(problem).details as { nIter: number }).nIter;
      report({ surrogate: 'lasso', problem: name, n: problem.n, d: problem.d, alpha, nIter, seconds: +t.toFixed(5), sklearnSeconds: +ref.toFixed(5), ratioToSklearn: +(t / ref).toFixed(3), targetSeconds: 0.02 });
    }
  }
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) await bench((r) => console.log(JSON.stringify(r)));
