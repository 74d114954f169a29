#!/usr/bin/python3
"""Writes the NumPy-made fixtures NpyTest and NpzTest read (run from this folder; numpy only).

dtypes.npz  (np.savez_compressed, deflated): one small array per supported dtype, a scalar,
            an empty array and a non-contiguous source (written C-ordered by numpy).
<dtype>.npy (np.save): the same arrays one per file, to pin Npy.write byte for byte.
v2.npy      a format 2.0 file (numpy picks 2.0 only for huge headers, so it is forced here).
"""
import numpy as np

def arrays():
    return {
        "f4": (np.arange(24, dtype=np.float32).reshape(2, 3, 4) - 7.25) / 3,
        "f8": np.array([[np.pi, -np.e], [1e-300, 1e300]], dtype=np.float64),
        "i4": np.array([-2147483648, -1, 0, 2147483647], dtype=np.int32),
        "i8": np.array([[-(2**62), 5], [7, 2**40]], dtype=np.int64),
        "u1": np.array([[0, 1, 127], [128, 254, 255]], dtype=np.uint8),
        "b1": np.array([True, False, True], dtype=np.bool_),
        "scalar_f8": np.array(2.5),
        "empty_f4": np.zeros((0, 3), dtype=np.float32),
        "transposed_i4": np.arange(6, dtype=np.int32).reshape(2, 3).T,
    }

if __name__ == "__main__":
    a = arrays()
    np.savez_compressed("dtypes.npz", **a)
    for name in ("f4", "f8", "i4", "i8", "u1", "b1"):
        np.save(name + ".npy", a[name])
    with open("v2.npy", "wb") as f:
        np.lib.format.write_array(f, a["f4"], version=(2, 0))
