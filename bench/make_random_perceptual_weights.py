#!/usr/bin/python3
"""Full-size perceptual networks with random weights, for bench/perceptual.sh (no pretrained
weights exist on these machines; speed does not depend on the values).

LPIPS goes through convert_perceptual_weights.py's own lpips path (random torchvision VGG16 and
random LPIPS lin layers saved as the .pth files it reads), so the Java loader's acceptance of its
output also checks the converter's names and shapes at full size. ConvNeXt-V2-Base uses the
fixture script's HF-named ConvNeXt-V2 with Base widths and depths.

  /usr/bin/python3 bench/make_random_perceptual_weights.py OUT_DIR
"""
import os
import sys
import types

import torch
import torchvision

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
sys.path.insert(0, os.path.join(ROOT, "core", "src", "main", "python"))
sys.path.insert(0, os.path.join(ROOT, "core", "src", "test", "python"))
import convert_perceptual_weights as convert  # noqa: E402
import perceptual_fixtures as fixtures  # noqa: E402

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
torch.manual_seed(0)

vgg_pth = os.path.join(out, "random_vgg16.pth")
lin_pth = os.path.join(out, "random_lpips_lin.pth")
torch.save(torchvision.models.vgg16().state_dict(), vgg_pth)
torch.save({"lin%d.model.1.weight" % k: torch.rand(1, c, 1, 1) for k, c in enumerate([64, 128, 256, 512, 512])}, lin_pth)
lpips = convert.lpips_tensors(types.SimpleNamespace(vgg_pth=vgg_pth, lpips_pth=lin_pth))
convert.write_npz(lpips, os.path.join(out, "lpips_vgg16.npz"))

cnx = fixtures.ConvNextV2([128, 256, 512, 1024], [3, 3, 27, 3]).eval()
convert.write_npz(dict(cnx.hf_state_dict()), os.path.join(out, "convnextv2_base.npz"))
print("wrote", sorted(os.listdir(out)))
