#!/usr/bin/env python3
"""Convert pretrained perceptual / evaluation networks to the files pMF's Java loaders read.

The project cannot download pretrained weights; run this once where the original weights exist
and point the configuration at the output:

  LPIPS-VGG16 (pmf.perceptual.lpips.weights-file)
    needs torch + torchvision (ImageNet VGG16, cached or downloaded by torchvision) and the LPIPS
    linear layers `vgg.pth` shipped inside the `lpips` pip package (lpips/weights/v0.1/vgg.pth):
      python3 convert_perceptual_weights.py lpips --lpips-pth .../lpips/weights/v0.1/vgg.pth --out lpips_vgg16.safetensors
    optional --vgg-pth vgg16-397923af.pth to read torchvision's VGG16 file instead of its cache.

  ConvNeXt-V2-Base (pmf.perceptual.convnext.weights-file)
    needs torch + transformers (downloads facebook/convnextv2-base-22k-224 or reads a local copy):
      python3 convert_perceptual_weights.py convnext --out convnextv2_base.safetensors [--hf-model PATH_OR_NAME]

  FID Inception-v3 (evaluation)
    needs torch and pytorch-fid's converted TF graph weights pt_inception-2015-12-05-6726825d.pth
    (the file pytorch-fid downloads; not torchvision's Inception, which gives different FIDs):
      python3 convert_perceptual_weights.py inception --pth pt_inception-2015-12-05-6726825d.pth --out fid_inception.safetensors

Output: float32 tensors under the names the Java loaders check (names and shapes; any missing,
extra or misshaped tensor stops the run at start-up naming it), as .safetensors or .npz (chosen
by the --out suffix or --format); the Java side reads both. Convolution weights keep PyTorch's [out, in, kH, kW] layout.

Names written:
  lpips:     vgg.features.<i>.weight|bias (torchvision features indices 0..28), lpips.lin<k>.weight [1, C, 1, 1]
  convnext:  HF ConvNextV2 names with the "convnextv2." prefix, classifier dropped
  inception: pytorch-fid FIDInceptionV3 state-dict names (Conv2d_1a_3x3.conv.weight, ..., fc.weight|bias),
             num_batches_tracked and AuxLogits dropped
"""
import argparse
import json
import struct
import sys

import numpy as np


def lpips_tensors(args):
    import torch
    import torchvision
    if args.vgg_pth:
        vgg = torchvision.models.vgg16()
        vgg.load_state_dict(torch.load(args.vgg_pth, map_location="cpu"))
    else:
        vgg = torchvision.models.vgg16(weights=torchvision.models.VGG16_Weights.IMAGENET1K_V1)
    out = {}
    for k, v in vgg.features.state_dict().items():
        if int(k.split(".")[0]) <= 28:  # up to relu5_3, the last tap LPIPS uses
            out["vgg.features." + k] = v
    lin = torch.load(args.lpips_pth, map_location="cpu")
    for k in range(5):
        out["lpips.lin%d.weight" % k] = lin["lin%d.model.1.weight" % k]
    return out


def convnext_tensors(args):
    from transformers import ConvNextV2Model
    model = ConvNextV2Model.from_pretrained(args.hf_model)
    out = {}
    for k, v in model.state_dict().items():
        if k.startswith("pooler") or k.startswith("classifier"):
            continue
        out[k if k.startswith("convnextv2.") else "convnextv2." + k] = v
    return out


def inception_tensors(args):
    import torch
    state = torch.load(args.pth, map_location="cpu")
    return {k: v for k, v in state.items()
            if not k.endswith("num_batches_tracked") and not k.startswith("AuxLogits.")}


def write_npz(tensors, path):
    np.savez(path, **{k: t.detach().cpu().float().numpy() for k, t in tensors.items()})


def write_safetensors(tensors, path):
    """The safetensors layout: u64 header length, JSON header, then the raw little-endian data."""
    header, blobs, offset = {}, [], 0
    for name in sorted(tensors):
        data = tensors[name].detach().cpu().float().contiguous().numpy().astype("<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(tensors[name].shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    raw = json.dumps(header, separators=(",", ":")).encode()
    raw += b" " * ((8 - len(raw) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(raw)))
        f.write(raw)
        for b in blobs:
            f.write(b)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("network", choices=["lpips", "convnext", "inception"])
    p.add_argument("--out", required=True)
    p.add_argument("--format", choices=["npz", "safetensors"], default=None,
                   help="default: from the --out suffix (.npz or .safetensors)")
    p.add_argument("--lpips-pth", help="lpips package's weights/v0.1/vgg.pth (lpips)")
    p.add_argument("--vgg-pth", help="torchvision vgg16-397923af.pth (lpips, optional)")
    p.add_argument("--hf-model", default="facebook/convnextv2-base-22k-224", help="HF model name or folder (convnext)")
    p.add_argument("--pth", help="pt_inception-2015-12-05-6726825d.pth (inception)")
    args = p.parse_args()
    if args.network == "lpips" and not args.lpips_pth:
        p.error("lpips needs --lpips-pth")
    if args.network == "inception" and not args.pth:
        p.error("inception needs --pth")
    fmt = args.format or ("npz" if args.out.endswith(".npz") else "safetensors")
    tensors = {"lpips": lpips_tensors, "convnext": convnext_tensors, "inception": inception_tensors}[args.network](args)
    (write_npz if fmt == "npz" else write_safetensors)(tensors, args.out)
    print("wrote %d tensors (%d parameters) to %s" % (len(tensors), sum(t.numel() for t in tensors.values()), args.out),
          file=sys.stderr)


if __name__ == "__main__":
    main()
