"""Writes demo/real/chelsea.cat-mask.png: 255 on Chelsea the cat, 0 elsewhere.

The mask is a hand-drawn polygon (vertices below, (x, y) in pixels of the 451x300 photo), traced
by eye around the cat's head, ears and the fur down to the bottom edge. Where fur and the blurred
white background cannot be told apart (the lower right, beside the chin) the polygon stays on the
cat's side, so the mask errs towards "not cat". It covers 75.9 % of the photo.

Run with Debian's python3 (scikit-image 0.19): /usr/bin/python3 tools/real/chelsea_cat_mask.py
"""
from pathlib import Path

import numpy as np
from skimage import draw, io

ROOT = Path(__file__).resolve().parents[2]
POLYGON = [(40, 0), (400, 0), (372, 50), (360, 80), (362, 120), (358, 165), (345, 200), (330, 240),
           (315, 275), (300, 300), (0, 300), (0, 120), (15, 105), (28, 60), (35, 20)]

image = io.imread(ROOT / 'demo/real/chelsea.png')
rr, cc = draw.polygon([y for _, y in POLYGON], [x for x, _ in POLYGON], image.shape[:2])
mask = np.zeros(image.shape[:2], np.uint8)
mask[rr, cc] = 255
io.imsave(ROOT / 'demo/real/chelsea.cat-mask.png', mask, check_contrast=False)
print(f'cat covers {(mask > 0).mean():.3f} of the photo')
