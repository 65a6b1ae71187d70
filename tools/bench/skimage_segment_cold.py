#!/usr/bin/python3
"""scikit-image's cold segmentation times, the reference of `npm run bench`'s cold-segmentation section.

Run from the repository root with Debian bookworm's Python (python3-skimage 0.19.3, numpy 1.24.2,
scipy 1.10.1, python3-pil):

    /usr/bin/python3 tools/bench/skimage_segment_cold.py [--runs 7]

For each call below and each image, starts `--runs` fresh Python processes (interleaved: one of
each call in turn, so that a busy spell of the machine does not land on one call only). Each
process imports numpy, PIL and `skimage.segmentation`, loads the image, and then times the first
segmentation call alone: wall clock (`time.perf_counter`) and process CPU time
(`time.process_time`, all threads). The import time is recorded too, apart.

Images: `chelsea_224.png` (packages/segmenter-slic/test/fixtures) and the same photo mirror-tiled
to 512x512, exactly as packages/segmenter-slic/bench/run.ts's `tile()` does.

Calls (the settings limekit's presets and READMEs use):
- quickshift: lime's `quickshift(img, kernel_size=4, max_dist=200, ratio=0.2, random_seed=0)`;
- slic: the `lime-slic` preset's `slic(img, n_segments=50, compactness=10, sigma=1, start_label=0)`;
- felzenszwalb: `felzenszwalb(img, scale=100, sigma=0.5, min_size=50)` (README, docs/evaluation.md).

Writes tools/bench/skimage-segment-cold.json: provenance (machine, date, versions, load average)
and, per call and size, the median and all runs.
"""
import json
import os
import platform
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PHOTO = os.path.join(ROOT, 'packages', 'segmenter-slic', 'test', 'fixtures', 'chelsea_224.png')
OUT = os.path.join(ROOT, 'tools', 'bench', 'skimage-segment-cold.json')

CALLS = {
    'quickshift': ('quickshift', dict(kernel_size=4, max_dist=200, ratio=0.2, random_seed=0)),
    'slic': ('slic', dict(n_segments=50, compactness=10, sigma=1, start_label=0)),
    'felzenszwalb': ('felzenszwalb', dict(scale=100, sigma=0.5, min_size=50)),
}
SIZES = (224, 512)


def call_text(fn, kwargs):
    return fn + '(img' + ''.join(f', {k}={v!r}' for k, v in kwargs.items()) + ')'


def child(name, size):
    t0 = time.perf_counter()
    import numpy as np
    from PIL import Image
    import skimage.segmentation as seg
    imported = time.perf_counter() - t0
    photo = np.asarray(Image.open(PHOTO).convert('RGB'))
    if size != photo.shape[0]:
        h, w = photo.shape[:2]
        ys, xs = np.arange(size), np.arange(size)
        iy = np.where((ys // h) % 2 == 1, h - 1 - ys % h, ys % h)
        ix = np.where((xs // w) % 2 == 1, w - 1 - xs % w, xs % w)
        photo = np.ascontiguousarray(photo[iy][:, ix])
    fn, kwargs = CALLS[name]
    f = getattr(seg, fn)
    c = time.process_time()
    t = time.perf_counter()
    labels = f(photo, **kwargs)
    wall = time.perf_counter() - t
    cpu = time.process_time() - c
    print(json.dumps({'wall': wall, 'cpu': cpu, 'import': imported, 'segments': int(len(np.unique(labels)))}))


def median(xs):
    s = sorted(xs)
    return s[len(s) // 2] if len(s) % 2 else (s[len(s) // 2 - 1] + s[len(s) // 2]) / 2


def main(argv):
    runs = int(argv[argv.index('--runs') + 1]) if '--runs' in argv else 7
    import numpy
    import scipy
    import skimage
    results = {(name, size): [] for name in CALLS for size in SIZES}
    load_before = os.getloadavg()
    for r in range(runs):
        for name in CALLS:
            for size in SIZES:
                out = subprocess.run([sys.executable, os.path.abspath(__file__), '--child', name, str(size)],
                                     check=True, capture_output=True, text=True).stdout
                results[(name, size)].append(json.loads(out.strip().splitlines()[-1]))
        print(f'round {r + 1}/{runs} done', file=sys.stderr)
    rows = []
    for (name, size), rs in results.items():
        fn, kwargs = CALLS[name]
        rows.append({
            'segmenter': name,
            'width': size,
            'height': size,
            'image': 'chelsea_224.png' if size == 224 else f'chelsea_224.png mirror-tiled to {size}x{size}',
            'call': call_text(fn, kwargs),
            'segments': rs[0]['segments'],
            'runs': len(rs),
            'medianWallSeconds': round(median([x['wall'] for x in rs]), 5),
            'medianCpuSeconds': round(median([x['cpu'] for x in rs]), 5),
            'medianImportSeconds': round(median([x['import'] for x in rs]), 4),
            'wallSeconds': [round(x['wall'], 5) for x in rs],
            'cpuSeconds': [round(x['cpu'], 5) for x in rs],
        })
    cpu_model = ''
    try:
        with open('/proc/cpuinfo') as f:
            cpu_model = next((line.split(':', 1)[1].strip() for line in f if line.startswith('model name')), '')
    except OSError:
        pass
    doc = {
        'what': 'scikit-image cold segmentation: the first call in a fresh Python process, the call alone (imports and image loading excluded, reported apart)',
        'script': 'tools/bench/skimage_segment_cold.py',
        'date': time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime()),
        'machine': {'cpu': cpu_model, 'cores': os.cpu_count(), 'platform': platform.platform(),
                    'loadAverageBefore': [round(x, 2) for x in load_before],
                    'loadAverageAfter': [round(x, 2) for x in os.getloadavg()]},
        'versions': {'python': platform.python_version(), 'skimage': skimage.__version__,
                     'numpy': numpy.__version__, 'scipy': scipy.__version__},
        'statistic': 'median of the runs, each a fresh process; wall = time.perf_counter, cpu = time.process_time (all threads)',
        'rows': rows,
    }
    with open(OUT, 'w') as f:
        json.dump(doc, f, indent=1)
        f.write('\n')
    for row in rows:
        print(f"{row['segmenter']:13s} {row['width']}x{row['height']}: wall {row['medianWallSeconds']:.4f} s, cpu {row['medianCpuSeconds']:.4f} s")


if __name__ == '__main__':
    if '--child' in sys.argv:
        i = sys.argv.index('--child')
        child(sys.argv[i + 1], int(sys.argv[i + 2]))
    else:
        main(sys.argv[1:])
