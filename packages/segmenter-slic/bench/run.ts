// SLIC speed next to scikit-image 0.19.3 (median of 5 runs after warm-up, on this machine).
// The 224×224 rows compare with the `seconds` scikit-image took on the same call (in the fixture),
// the tiled 512×512 and 4000×3000 rows with test/fixtures/skimage_timings.json; both wall-clock and
// process CPU time are reported, the latter being robust to other jobs on a shared machine.
// `LIMEKIT_BENCH_LARGE=1` adds the single run on 4000×3000. Shape shared with felzenszwalb:
// segmenter-bench.ts in @limekit/testing/bench.
import { pathToFileURL } from 'node:url';
import { benchSegmenter } from '@limekit/testing/bench';
import { loadFixtureImage, loadSegmentFixtures } from '../test/fixtures.js';
import { SlicSegmenter } from '../src/index.js';

export default async function bench(report: (row: Record<string, unknown>) => void): Promise<void> {
  await benchSegmenter(
    {
      id: 'slic',
      make: (options) => new SlicSegmenter(options),
      fixtures: loadSegmentFixtures('slic').filter((f) => /^(chelsea|coffee)_224\.slic(50|100)$/.test(f.name)),
      loadImage: loadFixtureImage,
      tiledOptions: { nSegments: 100, compactness: 10, sigma: 1 },
      timings: new URL('../test/fixtures/skimage_timings.json', import.meta.url),
    },
    report,
  );
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) await bench((r) => console.log(JSON.stringify(r)));
