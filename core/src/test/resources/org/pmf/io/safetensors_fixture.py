#!/usr/bin/python3
"""An independent safetensors implementation with numpy and struct only (the safetensors package
is not installable here), written from the format description at github.com/huggingface/safetensors.

  python3 safetensors_fixture.py make
      writes python.safetensors (header keys deliberately not in data order, a __metadata__ map,
      a scalar, an empty tensor, space padding to 8 bytes) and python.npz with the same arrays,
      which SafetensorsTest compares.
  python3 safetensors_fixture.py check FILE.safetensors FILE.npz
      parses a file written by the Java code and checks it bit for bit against an .npz.
"""
import json
import struct
import sys

import numpy as np

DTYPES = {"F32": "<f4", "F64": "<f8", "I32": "<i4", "I64": "<i8", "U8": "|u1", "BOOL": "|b1"}


def arrays():
    rng = np.random.default_rng(20260122)
    return {
        "blocks.0.weight": rng.standard_normal((3, 4)).astype(np.float32),
        "blocks.0.bias": np.array([1e-300, -0.0, np.pi], dtype=np.float64),
        "step": np.array(123456789012, dtype=np.int64),
        "ids": np.array([[-5, 7], [2**31 - 1, -(2**31)]], dtype=np.int32),
        "pixels": np.arange(250, 256, dtype=np.uint8).reshape(2, 3),
        "mask": np.array([True, False, True, True]),
        "empty": np.zeros((0, 4), dtype=np.float32),
    }


def write(path, tensors, metadata):
    header, blobs, offset = {}, [], 0
    for name, a in tensors.items():
        code = next(k for k, v in DTYPES.items() if np.dtype(v) == a.dtype)
        blob = np.ascontiguousarray(a).tobytes()
        header[name] = {"dtype": code, "shape": list(a.shape), "data_offsets": [offset, offset + len(blob)]}
        blobs.append(blob)
        offset += len(blob)
    # Header key order is free: list tensors in reverse data order, metadata last.
    ordered = {k: header[k] for k in reversed(list(header))}
    ordered["__metadata__"] = metadata
    text = json.dumps(ordered).encode("utf-8")
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for b in blobs:
            f.write(b)


def read(path):
    with open(path, "rb") as f:
        raw = f.read()
    (n,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8:8 + n].decode("utf-8"))
    metadata = header.pop("__metadata__", {})
    data = raw[8 + n:]
    out = {}
    end = 0
    for name, info in sorted(header.items(), key=lambda kv: kv[1]["data_offsets"]):
        b, e = info["data_offsets"]
        assert b == end, f"{name}: gap or overlap at {b}"
        out[name] = np.frombuffer(data[b:e], dtype=DTYPES[info["dtype"]]).reshape(info["shape"])
        end = e
    assert end == len(data), "buffer not fully indexed"
    assert (8 + n) % 8 == 0, "data not 8-byte aligned"
    return out, metadata


if __name__ == "__main__":
    if sys.argv[1] == "make":
        a = arrays()
        write("python.safetensors", a, {"format": "pt", "note": "made by safetensors_fixture.py, \"quoted\" ✓"})
        np.savez("python.npz", **a)
        got, meta = read("python.safetensors")
        assert all(np.array_equal(got[k], a[k]) for k in a), "self-check failed"
    else:
        got, meta = read(sys.argv[2])
        ref = np.load(sys.argv[3])
        assert list(got) == list(ref.files), (list(got), ref.files)
        for k in ref.files:
            assert got[k].dtype == ref[k].dtype and got[k].tobytes() == ref[k].tobytes(), k
        print("ok:", len(got), "tensors, metadata", meta)
