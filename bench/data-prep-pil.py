#!/usr/bin/python3
"""The python3-pil side of bench/data-prep.sh.

make DIR N: writes N ImageNet-like JPEGs (500x375 or 375x500, quality 90) into DIR.
run DIR PROCESSES SIZE PATCH ROUNDS: ADM center_crop_arr + patchify on every file, PROCESSES
worker processes (one core each), best of ROUNDS after a warm-up pass; prints images/s.
"""
import os
import sys
import time
from multiprocessing import Pool

import numpy as np
from PIL import Image

# the reference ADM center_crop_arr, shared with the parity fixtures so both measure the same code
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data-prep", "src", "test", "python"))
from make_pil_parity_fixtures import center_crop_arr  # noqa: E402


SIZE = PATCH = None


def work(path):
    with open(path, "rb") as f:
        img = Image.open(f).convert("RGB")
    a = center_crop_arr(img, SIZE)
    g = SIZE // PATCH
    # patches row-major over the grid, each (row, column, channel)
    p = a.reshape(g, PATCH, g, PATCH, 3).transpose(0, 2, 1, 3, 4).reshape(g * g, PATCH * PATCH * 3)
    return p.shape[0]


def init(size, patch):
    global SIZE, PATCH
    SIZE, PATCH = size, patch


def make(out, n):
    os.makedirs(out, exist_ok=True)
    rng = np.random.default_rng(1)
    for i in range(n):
        w, h = (500, 375) if i % 4 else (375, 500)
        y, x = np.mgrid[0:h, 0:w].astype(np.float32)
        img = np.zeros((h, w, 3), np.float32)
        for c in range(3):
            for _ in range(4):
                fx, fy = rng.uniform(0.005, 0.1, size=2)
                img[..., c] += rng.uniform(20, 50) * np.sin(fx * x + fy * y + rng.uniform(0, 6.3))
        img += 128 + rng.normal(0, 10, size=img.shape)
        Image.fromarray(np.clip(img, 0, 255).astype(np.uint8)).save(os.path.join(out, "img_%05d.JPEG" % i), quality=90)


def run(d, procs, size, patch, rounds):
    files = sorted(os.path.join(d, f) for f in os.listdir(d) if f.endswith(".JPEG"))
    with Pool(procs, initializer=init, initargs=(size, patch)) as pool:
        pool.map(work, files, chunksize=4)  # warm-up
        best = float("inf")
        for _ in range(rounds):
            t0 = time.perf_counter()
            pool.map(work, files, chunksize=4)
            best = min(best, time.perf_counter() - t0)
    rate = len(files) / best
    print("pil   procs=%d images=%d size=%d: %.1f images/s, %.1f images/s per core (best of %d)"
          % (procs, len(files), size, rate, rate / procs, rounds))


def stages(d, size, patch, rounds):
    """Per-stage ms/image on one process, as StageProfile does for Java (bytes already in memory)."""
    import io
    datas = [open(os.path.join(d, f), "rb").read() for f in sorted(os.listdir(d)) if f.endswith(".JPEG")]
    best = [float("inf")] * 3
    g = size // patch
    for r in range(rounds + 1):
        t = [0.0] * 3
        for b in datas:  # one image at a time through all stages, as a worker does
            t0 = time.perf_counter()
            img = Image.open(io.BytesIO(b)).convert("RGB")
            t1 = time.perf_counter()
            a = center_crop_arr(img, size)
            t2 = time.perf_counter()
            a.reshape(g, patch, g, patch, 3).transpose(0, 2, 1, 3, 4).reshape(g * g, patch * patch * 3)
            t3 = time.perf_counter()
            t = [t[0] + t1 - t0, t[1] + t2 - t1, t[2] + t3 - t2]
        if r > 0:
            best = [min(x, y) for x, y in zip(best, t)]
    print("pil  stages, ms/image (best of %d, %d images): decode %.2f, center crop %.2f, patchify %.3f"
          % (rounds, len(datas), *(1000 * b / len(datas) for b in best)))


if __name__ == "__main__":
    if sys.argv[1] == "make":
        make(sys.argv[2], int(sys.argv[3]))
    elif sys.argv[1] == "stages":
        stages(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]))
    else:
        run(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6]))
