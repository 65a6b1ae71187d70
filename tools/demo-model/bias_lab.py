"""The bias lab: a classifier that learned the background instead of the object, and a control.

Run from the repository root with Debian's Python (python3-torch 1.13, python3-skimage):
    /usr/bin/python3 tools/demo-model/bias_lab.py            # data, both models, images, masks
Writes demo/bias-lab/ (biased.onnx, unbiased.onnx, tfjs/, labels.json, metrics.json, images/,
masks/object/, masks/background/) and keeps the PyTorch weights in tools/demo-model/.cache/ (not committed).

The task: is the object pasted on the picture a circle or a square? Backgrounds are procedural
textures, "snow" (bright, low-saturation, bluish white) or "grass" (green, streaky). In the
BIASED training data 97 % of the circles lie on snow and 97 % of the squares on grass; in the
UNBIASED (control) training data the background is drawn independently of the label. Both
models have the same architecture, seeds, data size and schedule; only the correlation differs.
Held-out splits (never used for training): `biased` (the training correlation), `reversed`
(circles on grass, squares on snow: the correlation turned around) and `independent`.

Everything is seeded and runs in one process with two threads and deterministic algorithms.
Objects are drawn with shapes.shape_coverage (4x supersampled edges), like the shapes demo.
"""
import json
import os
import platform
import struct
import sys
import time

import numpy as np
import torch
import torch.nn as nn

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from shapes import shape_coverage  # noqa: E402
from train import MEAN, STD, ShapesNet  # noqa: E402

ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
OUT = os.path.join(ROOT, "demo/bias-lab")
CACHE = os.path.join(HERE, ".cache")

CLASSES = ["circle", "square"]
BACKGROUNDS = ["snow", "grass"]
# The background each class is paired with in the biased data: circle -> snow, square -> grass.
PAIRED = {0: 0, 1: 1}
VIEW = 64
THREADS = int(os.environ.get("BIAS_LAB_THREADS", "1"))
CHANNELS = (12, 24, 48, 64)
CORRELATION = 0.97  # P(paired background | class) in the biased training data
# Both training sets are drawn from one pool of N_POOL images with independent backgrounds (data
# generation is the slow part): the unbiased set is N_TRAIN of them at random, the biased set
# N_TRAIN of them with the paired background for CORRELATION of each class.
N_POOL, N_TRAIN, N_TEST, EPOCHS, BATCH, LR, WARMUP = 8000, 3600, 600, 4, 32, 4e-3, 0.2
TRAIN_SEED, TEST_SEED, TORCH_SEED, SAMPLE_SEED = 11, 12, 0, 2027
# Shipped images: SAMPLE_SIZE x SAMPLE_SIZE (4x the view), drawn like the training images.
SAMPLE_SIZE = 256


# ---------------------------------------------------------------------------------------------
# Procedural textures. Every random field is defined on a lattice in image-relative units and
# upsampled, so that an image rendered at 256 px and resized to 64 px shows what a 64 px
# rendering shows.

def _upsample(lattice, h, w):
    """Bilinear upsampling of a (gh, gw) lattice to (h, w), corners aligned to pixel centres."""
    gh, gw = lattice.shape
    ys = np.linspace(0, gh - 1, h)
    xs = np.linspace(0, gw - 1, w)
    y0 = np.clip(np.floor(ys).astype(int), 0, gh - 2)
    x0 = np.clip(np.floor(xs).astype(int), 0, gw - 2)
    fy = (ys - y0)[:, None]
    fx = (xs - x0)[None, :]
    a = lattice[y0][:, x0]
    b = lattice[y0][:, x0 + 1]
    c = lattice[y0 + 1][:, x0]
    d = lattice[y0 + 1][:, x0 + 1]
    return (a * (1 - fx) + b * fx) * (1 - fy) + (c * (1 - fx) + d * fx) * fy


def _noise(rng, h, w, cells_y, cells_x):
    """Value noise in [-1, 1] with cells_y x cells_x cells over the image."""
    return _upsample(rng.uniform(-1, 1, (cells_y + 1, cells_x + 1)), h, w)


def _fbm(rng, h, w, base=3, octaves=4):
    """Sum of value-noise octaves (each twice as fine, half as strong), roughly in [-1, 1]."""
    out, amp, total = np.zeros((h, w)), 1.0, 0.0
    for o in range(octaves):
        n = base * 2 ** o
        out += amp * _noise(rng, h, w, n, n)
        total += amp
        amp /= 2
    return out / total


def snow(rng, h, w):
    """Bright, low-saturation, bluish-white snow: soft drifts, blue-grey shadows, sparkle."""
    base = np.array([0.90, 0.93, 0.98]) + rng.uniform(-0.04, 0.03, 3)
    shadow = np.array([0.62, 0.70, 0.84]) + rng.uniform(-0.05, 0.05, 3)
    drift = _fbm(rng, h, w, base=2, octaves=4)
    t = np.clip(0.5 - 0.9 * drift, 0, 1)[..., None] * rng.uniform(0.3, 0.7)
    img = base * (1 - t) + shadow * t
    grain = _upsample(rng.normal(0, 0.025, (VIEW, VIEW)), h, w)[..., None]
    sparkle = (_upsample(rng.uniform(0, 1, (VIEW, VIEW)), h, w) > 0.93)[..., None] * 0.06
    return np.clip(img + grain + sparkle, 0, 1)


def grass(rng, h, w):
    """Green grass: vertical blades (noise stretched along y), darker and yellower patches."""
    dark = np.array([0.13, 0.33, 0.08]) + rng.uniform(-0.04, 0.04, 3)
    light = np.array([0.42, 0.62, 0.18]) + rng.uniform(-0.05, 0.05, 3)
    blades = _noise(rng, h, w, 6, 48) * 0.6 + _noise(rng, h, w, 12, 64) * 0.4
    patches = _fbm(rng, h, w, base=2, octaves=3)
    t = np.clip(0.5 + 0.55 * blades + 0.35 * patches, 0, 1)[..., None]
    img = dark * (1 - t) + light * t
    grain = _upsample(rng.normal(0, 0.03, (VIEW, VIEW)), h, w)[..., None]
    return np.clip(img + grain, 0, 1)


TEXTURES = [snow, grass]


def compose(rng, cls, bg, size_px, region=None):
    """One size_px x size_px image (float RGB in [0, 1]) of class `cls` on background `bg`, and
    the object's coverage (fraction of each pixel it covers).

    The object: a circle or square of nominal diameter 30-45 % of the region's side, random
    position (wholly inside the region) and rotation, a solid colour that stands out from the
    background under it, slight texture; sensor noise on the whole image.
    """
    h = w = size_px
    img = TEXTURES[bg](rng, h, w)
    x0, y0, x1, y1 = region or (0, 0, w, h)
    side = min(x1 - x0, y1 - y0)
    size = rng.uniform(0.30, 0.45) * side
    margin = size * 0.65
    cx = rng.uniform(x0 + margin, x1 - margin)
    cy = rng.uniform(y0 + margin, y1 - margin)
    cov = shape_coverage(rng, CLASSES[cls], h, w, cx, cy, size)
    inside = cov > 0.5
    local = img[inside].mean(axis=0) if inside.any() else img.mean(axis=(0, 1))
    for _ in range(50):
        colour = rng.uniform(0, 1, 3)
        if np.abs(colour - local).sum() > 0.9:
            break
    texture = 1 + _upsample(rng.normal(0, 0.03, (VIEW, VIEW)), h, w)[..., None]
    obj = np.clip(colour[None, None, :] * texture, 0, 1)
    img = img * (1 - cov[..., None]) + obj * cov[..., None]
    img = np.clip(img + rng.normal(0, 0.01, img.shape), 0, 1)
    return img.astype(np.float32), cov


def make_set(n, seed, mode):
    """n images at VIEW px (uint8 NHWC, classes in turn), labels and background indices.

    mode: 'biased' (paired background with probability CORRELATION), 'reversed' (always the
    other class's background), 'independent' (background a fair coin).
    """
    rng = np.random.default_rng(seed)
    xs = np.empty((n, VIEW, VIEW, 3), dtype=np.uint8)
    ys = np.empty(n, dtype=np.int64)
    bgs = np.empty(n, dtype=np.int64)
    for i in range(n):
        k = i % len(CLASSES)
        if mode == "biased":
            bg = PAIRED[k] if rng.random() < CORRELATION else 1 - PAIRED[k]
        elif mode == "reversed":
            bg = 1 - PAIRED[k]
        else:
            bg = int(rng.integers(2))
        img, _ = compose(rng, k, bg, VIEW)
        xs[i] = np.round(img * 255)
        ys[i] = k
        bgs[i] = bg
    return xs, torch.from_numpy(ys), bgs


def training_indices(ys, bgs):
    """Indices into the pool of the 'biased' and 'independent' training sets (N_TRAIN each,
    classes balanced), drawn with a generator seeded with TRAIN_SEED."""
    rng = np.random.default_rng(TRAIN_SEED)
    per_class = N_TRAIN // len(CLASSES)
    n_paired = int(round(per_class * CORRELATION))
    biased, independent = [], []
    for k in range(len(CLASSES)):
        paired = rng.permutation(np.flatnonzero((ys == k) & (bgs == PAIRED[k])))
        other = rng.permutation(np.flatnonzero((ys == k) & (bgs != PAIRED[k])))
        assert len(paired) >= n_paired and len(other) >= per_class - n_paired, "N_POOL too small"
        biased += [paired[:n_paired], other[:per_class - n_paired]]
        independent.append(rng.permutation(np.flatnonzero(ys == k))[:per_class])
    return {"biased": np.sort(np.concatenate(biased)), "independent": np.sort(np.concatenate(independent))}


def normalise(batch_u8):
    x = (batch_u8.astype(np.float32) / 255 - MEAN) / STD
    return torch.from_numpy(x.transpose(0, 3, 1, 2).copy())


class BiasLabNet(ShapesNet):
    """ShapesNet (train.py) with fewer channels and two classes; same layer types, so
    export_tfjs.build writes it too."""

    def __init__(self):
        nn.Module.__init__(self)
        layers, c_in = [], 3
        for c_out in CHANNELS:
            layers += [nn.Conv2d(c_in, c_out, 3, padding=1, bias=False), nn.BatchNorm2d(c_out), nn.ReLU(), nn.MaxPool2d(2)]
            c_in = c_out
        self.features = nn.Sequential(*layers)
        self.head = nn.Linear(c_in, len(CLASSES))


def evaluate(model, xs, ys):
    model.eval()
    with torch.no_grad():
        preds = torch.cat([model(normalise(xs[s:s + 250])).argmax(1) for s in range(0, len(xs), 250)])
    return round((preds == ys).float().mean().item(), 4)


def train(name, x, y, t0):
    torch.manual_seed(TORCH_SEED)
    model = BiasLabNet().to(memory_format=torch.channels_last)
    opt = torch.optim.AdamW(model.parameters(), lr=LR, weight_decay=1e-4)
    steps = N_TRAIN // BATCH
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=LR, total_steps=EPOCHS * steps, pct_start=WARMUP)
    gen = torch.Generator().manual_seed(TORCH_SEED)
    for epoch in range(EPOCHS):
        model.train()
        perm = torch.randperm(N_TRAIN, generator=gen)
        total = 0.0
        for s in range(steps):
            idx = perm[s * BATCH:(s + 1) * BATCH]
            xb = normalise(x[idx.numpy()])
            flip_h, flip_v, turn = torch.randint(0, 2, (3,), generator=gen).tolist()
            if flip_h:
                xb = xb.flip(3)
            if flip_v:
                xb = xb.flip(2)
            if turn:
                xb = xb.transpose(2, 3)
            xb = xb.contiguous(memory_format=torch.channels_last)
            loss = nn.functional.cross_entropy(model(xb), y[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            total += loss.item()
            if (s + 1) % 28 == 0:
                print(f"  {name} epoch {epoch + 1} step {s + 1}/{steps}: loss {total / (s + 1):.4f}, {time.time() - t0:.0f} s", flush=True)
        print(f"{name} epoch {epoch + 1}: loss {total / steps:.4f}, {time.time() - t0:.0f} s", flush=True)
    return model.to(memory_format=torch.contiguous_format).eval()


# ---------------------------------------------------------------------------------------------
# ONNX export. python3-onnx is not needed: the metadata entries are appended to the serialized
# ModelProto as field 14 (metadata_props, repeated StringStringEntryProto {1: key, 2: value}),
# which protobuf parsers merge with the rest of the message.

def _varint(n):
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def _field(number, payload):
    return _varint(number << 3 | 2) + _varint(len(payload)) + payload


def export_onnx(model, path, name):
    torch.onnx.export(model, torch.zeros(1, 3, VIEW, VIEW), path, input_names=["input"], output_names=["logits"],
                      dynamic_axes={"input": {0: "batch"}, "logits": {0: "batch"}}, opset_version=13)
    meta = {
        "labels": json.dumps(CLASSES),
        "limekit.preprocess": "imagenet",
        "limekit.resize": "center-crop",
        "limekit.output": "logits",
        "limekit.source": "tools/demo-model/bias_lab.py (" + name + ")",
    }
    extra = b"".join(_field(14, _field(1, k.encode()) + _field(2, v.encode())) for k, v in meta.items())
    with open(path, "ab") as f:
        f.write(extra)


# ---------------------------------------------------------------------------------------------
# Shipped sample images: both classes on both backgrounds, the reversed pairs included.

SAMPLES = [  # (class, background, how many)
    (0, 0, 3), (1, 1, 3),  # as in the biased training data
    (0, 1, 3), (1, 0, 3),  # reversed: circle on grass, square on snow
]


def sample_names():
    names = []
    for k, bg, n in SAMPLES:
        names += [f"{CLASSES[k]}-on-{BACKGROUNDS[bg]}-{j + 1}.png" for j in range(n)]
    return names


def make_samples():
    from skimage.io import imsave
    os.makedirs(os.path.join(OUT, "images"), exist_ok=True)
    for part in ("object", "background"):
        os.makedirs(os.path.join(OUT, "masks", part), exist_ok=True)
    rng = np.random.default_rng(SAMPLE_SEED)
    out = []
    for k, bg, n in SAMPLES:
        for j in range(n):
            name = f"{CLASSES[k]}-on-{BACKGROUNDS[bg]}-{j + 1}.png"
            img, cov = compose(rng, k, bg, SAMPLE_SIZE)
            obj = cov > 0.5
            imsave(os.path.join(OUT, "images", name), np.round(img * 255).astype(np.uint8), check_contrast=False)
            imsave(os.path.join(OUT, "masks", "object", name), (obj * 255).astype(np.uint8), check_contrast=False)
            imsave(os.path.join(OUT, "masks", "background", name), ((~obj) * 255).astype(np.uint8), check_contrast=False)
            out.append({"image": f"images/{name}", "label": CLASSES[k], "background": BACKGROUNDS[bg],
                        "reversed": PAIRED[k] != bg, "objectFraction": round(float(obj.mean()), 4)})
    return out


def view_of(img_u8):
    """The model's 64 px view of a shipped image (area average of 4x4 blocks)."""
    f = SAMPLE_SIZE // VIEW
    return np.round(img_u8.reshape(VIEW, f, VIEW, f, 3).astype(np.float64).mean(axis=(1, 3))).astype(np.uint8)


def cached(key, make):
    """make() (images, labels, backgrounds), kept in CACHE/bias-lab-data-<key>.npz between runs:
    generating the data is the slow part, and it does not depend on the models."""
    path = os.path.join(CACHE, f"bias-lab-data-{key}-c{CORRELATION}.npz")
    if os.path.exists(path):
        z = np.load(path)
        return z["x"], torch.from_numpy(z["y"]), z["bg"]
    x, y, bg = make()
    np.savez(path, x=x, y=y.numpy(), bg=bg)
    return x, y, bg


def main():
    # One thread: on a shared, loaded machine a second one mostly waits (and results are the same).
    torch.set_num_threads(THREADS)
    torch.use_deterministic_algorithms(True)
    t0 = time.time()
    os.makedirs(OUT, exist_ok=True)
    os.makedirs(CACHE, exist_ok=True)
    samples = make_samples()
    px, py, pbg = cached(f"pool-{N_POOL}-{TRAIN_SEED}", lambda: make_set(N_POOL, TRAIN_SEED, "independent"))
    data = {mode: (px[idx], py[idx], pbg[idx]) for mode, idx in training_indices(py.numpy(), pbg).items()}
    tests = {mode: cached(f"{mode}-{N_TEST}-{TEST_SEED + i}", lambda: make_set(N_TEST, TEST_SEED + i, mode))
             for i, mode in enumerate(("biased", "reversed", "independent"))}
    t_data = time.time() - t0
    print(f"data: {N_POOL} pool, 2 x {N_TRAIN} train, 3 x {N_TEST} held-out test images in {t_data:.0f} s", flush=True)

    from skimage.io import imread
    views = np.stack([view_of(imread(os.path.join(OUT, s["image"]))[..., :3]) for s in samples])
    import export_tfjs
    metrics = {}
    for name, train_mode in (("biased", "biased"), ("unbiased", "independent")):
        x, y, _ = data[train_mode]
        model = train(name, x, y, t0)
        torch.save(model.state_dict(), os.path.join(CACHE, f"bias-lab-{name}.pt"))
        export_onnx(model, os.path.join(OUT, f"{name}.onnx"), name)
        model_json, weights = export_tfjs.build(model.state_dict(), VIEW, CLASSES)
        model_json["userDefinedMetadata"]["limekit.source"] = "tools/demo-model/bias_lab.py (" + name + "), export_tfjs.build"
        tdir = os.path.join(OUT, "tfjs", name)
        os.makedirs(tdir, exist_ok=True)
        with open(os.path.join(tdir, "model.json"), "w") as f:
            json.dump(model_json, f, separators=(",", ":"))
            f.write("\n")
        with open(os.path.join(tdir, export_tfjs.SHARD), "wb") as f:
            f.write(weights)
        with torch.no_grad():
            probs = torch.softmax(model(normalise(views)), 1).numpy()
        metrics[name] = {
            "training_data": train_mode,
            "held_out_accuracy": {mode: evaluate(model, xs, ys) for mode, (xs, ys, _) in tests.items()},
            "samples": {s["image"]: {"predicted": CLASSES[int(p.argmax())], "probabilities": [round(float(v), 4) for v in p]}
                        for s, p in zip(samples, probs)},
        }
        print(name, json.dumps(metrics[name]["held_out_accuracy"]), flush=True)
    t_train = time.time() - t0 - t_data

    with open(os.path.join(OUT, "labels.json"), "w") as f:
        json.dump(CLASSES, f)
        f.write("\n")
    summary = {
        "about": "Held-out accuracies of the bias lab's two models (tools/demo-model/bias_lab.py); "
                 "`samples` are PyTorch's predictions on 4x4 area-averaged views of the shipped images.",
        "task": "circle or square, on procedural snow or grass",
        "splits": {
            "biased": f"{CORRELATION:.0%} of circles on snow and of squares on grass (the biased model's training correlation)",
            "reversed": "every circle on grass, every square on snow",
            "independent": "background a fair coin, independent of the class",
        },
        "models": metrics,
        "images": samples,
        "n_pool": N_POOL, "n_train": N_TRAIN, "n_train_off_correlation": {"biased": N_TRAIN // 2 - int(round(N_TRAIN // 2 * CORRELATION))}, "n_held_out_per_split": N_TEST, "view": VIEW, "channels": list(CHANNELS),
        "epochs": EPOCHS, "batch": BATCH, "max_lr": LR, "warmup_fraction": WARMUP, "correlation": CORRELATION,
        "seeds": {"train_data": TRAIN_SEED, "held_out_data": [TEST_SEED, TEST_SEED + 1, TEST_SEED + 2], "torch": TORCH_SEED, "samples": SAMPLE_SEED},
        "parameters": sum(p.numel() for p in BiasLabNet().parameters()),
        "seconds": {"data": round(t_data), "training_both": round(t_train)},
        "versions": {"python": platform.python_version(), "torch": torch.__version__, "numpy": np.__version__},
    }
    with open(os.path.join(OUT, "metrics.json"), "w") as f:
        json.dump(summary, f, indent=1)
        f.write("\n")
    print(f"done in {time.time() - t0:.0f} s")


if __name__ == "__main__":
    main()
