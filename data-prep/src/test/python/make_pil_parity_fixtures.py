#!/usr/bin/python3
"""Makes the PIL parity fixtures for data-prep's preprocessing tests.

Writes assorted small test images (RGB/grey/CMYK JPEGs with different subsampling and quality,
progressive, PNG files named .JPEG, odd and tiny sizes) and, for each, the output of ADM's
center_crop_arr as PIL computes it (raw uint8 H x W x 3 bytes, file <image>.<size>.rgb), plus
cases.txt listing "<image> <size>". Run with Debian's python3-pil (the reference):

    /usr/bin/python3 data-prep/src/test/python/make_pil_parity_fixtures.py data-prep/src/test/resources/pil-parity
"""
import os
import sys

import numpy as np
from PIL import Image


def center_crop_arr(pil_image, image_size):
    # ADM (guided-diffusion image_datasets.py), as the pMF code uses it.
    while min(*pil_image.size) >= 2 * image_size:
        pil_image = pil_image.resize(tuple(x // 2 for x in pil_image.size), resample=Image.BOX)
    scale = image_size / min(*pil_image.size)
    pil_image = pil_image.resize(tuple(round(x * scale) for x in pil_image.size), resample=Image.BICUBIC)
    arr = np.array(pil_image)
    crop_y = (arr.shape[0] - image_size) // 2
    crop_x = (arr.shape[1] - image_size) // 2
    return arr[crop_y: crop_y + image_size, crop_x: crop_x + image_size]


def preprocess(path, image_size):
    with open(path, "rb") as f:
        img = Image.open(f)
        img = img.convert("RGB")  # as torchvision's pil_loader and ADM do
    return center_crop_arr(img, image_size)


def natural_like(rng, w, h):
    """Smooth shapes plus texture and noise, so JPEG blocks and resampling see real detail."""
    y, x = np.mgrid[0:h, 0:w].astype(np.float64)
    img = np.zeros((h, w, 3))
    for c in range(3):
        for _ in range(4):
            fx, fy = rng.uniform(0.005, 0.15, size=2)
            ph = rng.uniform(0, 2 * np.pi)
            img[..., c] += rng.uniform(20, 60) * np.sin(fx * x + fy * y + ph)
        img[..., c] += 128
    for _ in range(3):
        cx, cy, r = rng.uniform(0, w), rng.uniform(0, h), rng.uniform(5, max(6, min(w, h) / 3))
        mask = (x - cx) ** 2 + (y - cy) ** 2 < r * r
        img[mask] = rng.uniform(0, 255, size=3)
    img += rng.normal(0, 12, size=img.shape)
    return np.clip(img, 0, 255).astype(np.uint8)


def main(out):
    os.makedirs(out, exist_ok=True)
    rng = np.random.default_rng(20260126)
    cases = []

    def add(name, img, fmt, sizes, **save):
        path = os.path.join(out, name)
        img.save(path, format=fmt, **save)
        for s in sizes:
            arr = preprocess(path, s)
            assert arr.shape == (s, s, 3), (name, arr.shape)
            arr.tofile(os.path.join(out, "%s.%d.rgb" % (name, s)))
            cases.append("%s %d" % (name, s))

    rgb_specs = [
        ("rgb_landscape_q90.JPEG", 250, 188, dict(quality=90), [32, 64]),
        ("rgb_portrait_q90.JPEG", 188, 250, dict(quality=90), [32]),
        ("rgb_square_q75.JPEG", 160, 160, dict(quality=75), [32, 64]),
        ("rgb_wide_q95.JPEG", 301, 97, dict(quality=95), [32]),
        ("rgb_tall_odd.JPEG", 77, 233, dict(quality=85), [32]),
        ("rgb_444.JPEG", 203, 151, dict(quality=90, subsampling=0), [32, 48]),
        ("rgb_422.JPEG", 199, 143, dict(quality=90, subsampling=1), [32]),
        ("rgb_progressive.JPEG", 180, 135, dict(quality=90, progressive=True), [32]),
        ("rgb_optimized.JPEG", 129, 131, dict(quality=88, optimize=True), [64]),
        ("rgb_exact_2x.JPEG", 128, 96, dict(quality=90), [48]),
        ("rgb_smaller_than_target.JPEG", 23, 41, dict(quality=90), [32]),
        ("rgb_equal_short_side.JPEG", 57, 32, dict(quality=90), [32]),
        ("rgb_tiny.JPEG", 9, 7, dict(quality=90), [32]),
        ("rgb_q100.JPEG", 111, 222, dict(quality=100), [32]),
    ]
    for name, w, h, save, sizes in rgb_specs:
        add(name, Image.fromarray(natural_like(rng, w, h), "RGB"), "JPEG", sizes, **save)

    grey = [("grey_q90.JPEG", 170, 120, [32]), ("grey_odd.JPEG", 65, 99, [32])]
    for name, w, h, sizes in grey:
        add(name, Image.fromarray(natural_like(rng, w, h)[..., 1], "L"), "JPEG", sizes, quality=90)

    # PIL writes CMYK JPEGs the way Photoshop does: inverted values with an Adobe marker.
    for name, w, h in [("cmyk_adobe.JPEG", 150, 110), ("cmyk_odd.JPEG", 97, 133)]:
        add(name, Image.fromarray(natural_like(rng, w, h), "RGB").convert("CMYK"), "JPEG", [32], quality=90)

    # Not a JPEG despite the name (ImageNet has one such file).
    add("png_rgb_named.JPEG", Image.fromarray(natural_like(rng, 140, 100), "RGB"), "PNG", [32])
    add("png_grey_named.JPEG", Image.fromarray(natural_like(rng, 90, 120)[..., 0], "L"), "PNG", [32])
    rgba = np.dstack([natural_like(rng, 100, 80), rng.integers(0, 256, size=(80, 100), dtype=np.uint8)])
    add("png_rgba_named.JPEG", Image.fromarray(rgba, "RGBA"), "PNG", [32])
    add("png_palette_named.JPEG", Image.fromarray(natural_like(rng, 110, 70), "RGB").quantize(64), "PNG", [32])

    with open(os.path.join(out, "cases.txt"), "w") as f:
        f.write("\n".join(cases) + "\n")
    print("%d cases from %d images in %s" % (len(cases), len(set(c.split()[0] for c in cases)), out))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "pil-parity")
