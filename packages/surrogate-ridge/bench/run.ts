// Ridge fit time at LIME's usual size (1000 samples × 68 segments) next to scikit-learn 1.2.1's
// `Ridge(alpha=1.0).fit(X, y, sample_weight)` on the same problem (fit_seconds_median, recorded
// on a 2-core machine; see test/fixtures/PROVENANCE.md). Median of 5 runs, this machine.
import { pathToFileURL } from 'node:url';
import { loadReference } from '../test/reference.js';
import { RidgeSurrogate } from '../src/index.js';
import { medianWall as time } from '@limekit/testing/bench';

export default async function bench(report: (row: Record<string, unknown>) => void): Promise<void> {
  for (const name of ['p3_n1000_d15', 'p4_n1000_d68']) {
    const { problem, fits } = loadReference(name);
    const ref = fits['Ridge(alpha=1.0)'].fit_seconds_median as number;
    const s = new RidgeSurrogate({ alpha: 1 });
    const t = time(() => s.fit(problem));
    report({ surrogate: 'ridge', problem: name, n: problem.n, d: problem.d, seconds: +t.toFixed(5), sklearnSeconds: +ref.toFixed(5), ratioToSklearn: +(t / ref).toFixed(3), targetSeconds: 0.005 });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) await bench((r) => console.log(JSON.stringify(r)));
