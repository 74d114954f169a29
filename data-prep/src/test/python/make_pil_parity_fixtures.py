#!/usr/bin/python3
"""Makes the PIL parity fixtures for data-prep's preprocessing tests.

Writes assorted small test images (RGB/grey/CMYK JPEGs with different subsampling and quality,
progressive, PNG files named .JPEG, odd and tiny sizes) and, for each, the output of ADM's
center_crop_arr as PIL computes it (raw uint8 H x W x 3 bytes, file <image>.<size>.rgb), plus
cases.txt listing "<image> <size>". JPEGs with an embedded ICC profile (sRGB, Adobe RGB, a linear
grey, a CMYK printer profile, a profile split over two APP2 markers, an invalid one) check that the
profile is ignored as PIL's convert("RGB") ignores it. Run with Debian's python3-pil (the reference):

    /usr/bin/python3 data-prep/src/test/python/make_pil_parity_fixtures.py data-prep/src/test/resources/pil-parity
"""
import io
import os
import struct
import sys

import numpy as np
from PIL import Image, ImageCms


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


# --- ICC profiles (v2, built byte by byte: lcms's createProfile only makes sRGB, LAB and XYZ) ---

def _s15(v):
    return struct.pack(">i", int(round(v * 65536)))


def _xyz(x, y, z):
    return b"XYZ " + bytes(4) + _s15(x) + _s15(y) + _s15(z)


def _desc(text):
    a = text.encode("ascii") + b"\0"
    return b"desc" + bytes(4) + struct.pack(">I", len(a)) + a + bytes(8) + bytes(3) + bytes(67)


def _gamma(g):
    return b"curv" + bytes(4) + struct.pack(">IH", 1, int(round(g * 256))) + bytes(2)


def _lut16(n_in, n_out, clut):
    """mft2 with identity matrix, linear 2-entry input/output tables and a 2-point grid per input."""
    out = b"mft2" + bytes(4) + struct.pack(">BBBB", n_in, n_out, 2, 0)
    out += b"".join(_s15(1.0 if i == j else 0.0) for i in range(3) for j in range(3))
    out += struct.pack(">HH", 2, 2)
    out += struct.pack(">HH", 0, 65535) * n_in
    out += b"".join(struct.pack(">H", max(0, min(65535, int(round(v))))) for v in clut)
    out += struct.pack(">HH", 0, 65535) * n_out
    return out


def icc_profile(device_class, colour_space, tags):
    """Header (PCS XYZ, D50), tag table, tag data aligned to 4 bytes."""
    table = b""
    data = b""
    offset = 128 + 4 + 12 * len(tags)
    for sig, body in tags:
        body += bytes(-len(body) % 4)
        table += sig.encode("ascii") + struct.pack(">II", offset + len(data), len(body))
        data += body
    size = offset + len(data)
    header = struct.pack(">I", size) + b"lcms" + struct.pack(">I", 0x02100000) + device_class.encode("ascii")
    header += colour_space.encode("ascii") + b"XYZ " + struct.pack(">6H", 2026, 1, 26, 0, 0, 0) + b"acsp"
    header += b"APPL" + bytes(4) + bytes(4) + bytes(4) + bytes(8) + struct.pack(">I", 0)
    header += _s15(0.9642) + _s15(1.0) + _s15(0.8249) + b"lcms" + bytes(16) + bytes(28)
    assert len(header) == 128
    return header + struct.pack(">I", len(tags)) + table + data


D50 = (0.9642, 1.0, 0.8249)
# sRGB primaries adapted to D50 (columns: r, g, b), used for the CMYK profile's tables.
SRGB_D50 = np.array([[0.4361, 0.3851, 0.1431], [0.2225, 0.7169, 0.0606], [0.0139, 0.0971, 0.7141]])


def adobe_rgb_profile():
    """Adobe RGB (1998): wider primaries and gamma 563/256, as in Adobe's own profile (D50-adapted)."""
    g = _gamma(563 / 256)
    return icc_profile("mntr", "RGB ", [
        ("desc", _desc("Adobe RGB (1998) compatible, test")), ("cprt", b"text" + bytes(4) + b"no copyright\0"),
        ("wtpt", _xyz(*D50)), ("rXYZ", _xyz(0.60974, 0.31111, 0.01947)), ("gXYZ", _xyz(0.20528, 0.62567, 0.06087)),
        ("bXYZ", _xyz(0.14919, 0.06322, 0.74457)), ("rTRC", g), ("gTRC", g), ("bTRC", g)])


def linear_grey_profile():
    """Grey with gamma 1.0: applying it would visibly brighten the midtones."""
    return icc_profile("mntr", "GRAY", [
        ("desc", _desc("linear grey, test")), ("cprt", b"text" + bytes(4) + b"no copyright\0"),
        ("wtpt", _xyz(*D50)), ("kTRC", _gamma(1.0))])


def cmyk_profile():
    """A crude CMYK printer profile: naive CMYK <-> linear RGB through the sRGB primaries, 2-point grids."""
    a2b = []
    for c in (0, 1):
        for m in (0, 1):
            for y in (0, 1):
                for k in (0, 1):
                    rgb = np.array([(1 - c) * (1 - k), (1 - m) * (1 - k), (1 - y) * (1 - k)])
                    a2b.extend(SRGB_D50 @ rgb * 32768)  # lut16 XYZ: 0x8000 is 1.0
    inv = np.linalg.inv(SRGB_D50)
    b2a = []
    for x in (0, 1):
        for y in (0, 1):
            for z in (0, 1):
                rgb = np.clip(inv @ (np.array([x, y, z]) * 65535 / 32768), 0, 1)
                b2a.extend(list((1 - rgb) * 65535) + [0])
    return icc_profile("prtr", "CMYK", [
        ("desc", _desc("naive CMYK, test")), ("cprt", b"text" + bytes(4) + b"no copyright\0"),
        ("wtpt", _xyz(*D50)), ("A2B0", _lut16(4, 3, a2b)), ("B2A0", _lut16(3, 4, b2a))])


def split_icc_marker(jpeg, parts):
    """Rewrites the single APP2 ICC_PROFILE segment PIL wrote as `parts` segments (as big profiles are stored)."""
    i = jpeg.index(b"\xff\xe2")
    length = struct.unpack(">H", jpeg[i + 2:i + 4])[0]
    assert jpeg[i + 4:i + 16] == b"ICC_PROFILE\0" and jpeg[i + 16:i + 18] == b"\x01\x01"
    profile = jpeg[i + 18:i + 2 + length]
    step = -(-len(profile) // parts)
    segments = b""
    for n in range(parts):
        chunk = profile[n * step:(n + 1) * step]
        segments += b"\xff\xe2" + struct.pack(">H", 2 + 14 + len(chunk)) + b"ICC_PROFILE\0" + bytes([n + 1, parts]) + chunk
    return jpeg[:i] + segments + jpeg[i + 2 + length:]


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

    # Embedded ICC profiles: convert("RGB") ignores them (they only end up in img.info["icc_profile"]).
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    # lcms stamps the creation time (and an MD5 profile ID over it): fix the date, zero the ID
    # ("not computed"), so the fixture is reproducible.
    srgb = srgb[:24] + struct.pack(">6H", 2026, 1, 26, 0, 0, 0) + srgb[36:84] + bytes(16) + srgb[100:]
    adobe = adobe_rgb_profile()
    grey_icc = linear_grey_profile()
    cmyk_icc = cmyk_profile()
    for p in (srgb, adobe, grey_icc, cmyk_icc):
        ImageCms.getOpenProfile(io.BytesIO(p))  # lcms accepts it
    add("icc_srgb.JPEG", Image.fromarray(natural_like(rng, 120, 90), "RGB"), "JPEG", [32], quality=90, icc_profile=srgb)
    add("icc_adobe_rgb.JPEG", Image.fromarray(natural_like(rng, 97, 73), "RGB"), "JPEG", [32], quality=90, icc_profile=adobe)
    add("icc_adobe_rgb_444.JPEG", Image.fromarray(natural_like(rng, 64, 48), "RGB"), "JPEG", [32], quality=95,
        subsampling=0, icc_profile=adobe)
    add("icc_grey_linear.JPEG", Image.fromarray(natural_like(rng, 80, 60)[..., 2], "L"), "JPEG", [32], quality=90,
        icc_profile=grey_icc)
    add("icc_cmyk.JPEG", Image.fromarray(natural_like(rng, 90, 70), "RGB").convert("CMYK"), "JPEG", [32], quality=90,
        icc_profile=cmyk_icc)
    add("icc_invalid.JPEG", Image.fromarray(natural_like(rng, 70, 50), "RGB"), "JPEG", [32], quality=90,
        icc_profile=b"not an ICC profile" * 8)
    # The Adobe RGB profile in two APP2 markers; written through PIL first, then the marker is split.
    name = "icc_adobe_rgb_2_markers.JPEG"
    buf = io.BytesIO()
    Image.fromarray(natural_like(rng, 60, 40), "RGB").save(buf, format="JPEG", quality=90, icc_profile=adobe)
    with open(os.path.join(out, name), "wb") as f:
        f.write(split_icc_marker(buf.getvalue(), 2))
    with open(os.path.join(out, name), "rb") as f:
        assert Image.open(f).info["icc_profile"] == adobe
    arr = preprocess(os.path.join(out, name), 32)
    arr.tofile(os.path.join(out, "%s.32.rgb" % name))
    cases.append("%s 32" % name)

    with open(os.path.join(out, "cases.txt"), "w") as f:
        f.write("\n".join(cases) + "\n")
    print("%d cases from %d images in %s" % (len(cases), len(set(c.split()[0] for c in cases)), out))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "pil-parity")
