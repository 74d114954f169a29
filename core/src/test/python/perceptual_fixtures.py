#!/usr/bin/python3
"""Parity fixtures for org.pmf.perceptual and org.pmf.eval, made with Debian's python3-torch and
python3-torchvision (no pretrained weights: every network here has small random weights).

Run from the repository root:  /usr/bin/python3 core/src/test/python/perceptual_fixtures.py
It rewrites core/src/test/resources/perceptual/*.npz. Each file holds the weights under the names
our loader expects (the names convert_perceptual_weights.py writes), the inputs and the reference
outputs, all float32 (the IS fixture also float64 references).

- lpips.npz:     torchvision VGG16 `features` (widths / 16) + LPIPS linear heads, LPIPS as the
                 `lpips` package computes it (ScalingLayer, unit-normalised taps, 1x1 lin, mean).
- convnext.npz:  a ConvNeXt-V2 stack written here after HF ConvNextV2Model (names as HF's), small
                 dims/depths; features = final LayerNorm of the global average pool.
- inception.npz: pytorch-fid's FID Inception-v3 (FIDInceptionA/C/E_1/E_2) written here, widths / 16,
                 1008-way fc; input in [0,1], bilinear resize to 299, 2x-1.
- resize.npz:    F.interpolate bicubic antialias=True (and bilinear, no antialias) references.
- inception_score.npz: logits and the Inception Score over 10 splits computed with numpy.
"""
import os

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from torchvision.models.vgg import make_layers

OUT = os.path.join(os.path.dirname(__file__), "..", "resources", "perceptual")


def save(name, tensors):
    os.makedirs(OUT, exist_ok=True)
    arrays = {k: (v.detach().numpy() if torch.is_tensor(v) else v) for k, v in tensors.items()}
    arrays = {k: (a.astype(np.float32) if a.dtype == np.float64 and not k.endswith("_f64") else a)
              for k, a in arrays.items()}
    # ND4J's npz reader cannot parse 0-d arrays: scalars are stored with shape (1,)
    arrays = {k: a.reshape(1) if a.ndim == 0 else a for k, a in arrays.items()}
    np.savez(os.path.join(OUT, name), **arrays)


# ---------------------------------------------------------------- LPIPS (VGG16)
VGG16_CFG = [64, 64, "M", 128, 128, "M", 256, 256, 256, "M", 512, 512, 512, "M", 512, 512, 512, "M"]
# lpips.pretrained_networks.vgg16 slices: relu1_2, relu2_2, relu3_3, relu4_3, relu5_3
LPIPS_TAPS = [3, 8, 15, 22, 29]
LPIPS_SHIFT = torch.tensor([-.030, -.088, -.188]).view(1, 3, 1, 1)
LPIPS_SCALE = torch.tensor([.458, .448, .450]).view(1, 3, 1, 1)


def lpips_reference(features, lins, x0, x1):
    def taps(x):
        x = (x - LPIPS_SHIFT) / LPIPS_SCALE
        out = []
        for i, layer in enumerate(features):
            x = layer(x)
            if i in LPIPS_TAPS:
                out.append(x)
            if i == LPIPS_TAPS[-1]:
                break
        return out

    def unit(x, eps=1e-10):
        return x / (torch.sqrt(torch.sum(x ** 2, dim=1, keepdim=True)) + eps)

    total = 0
    for f0, f1, lin in zip(taps(x0), taps(x1), lins):
        d = (unit(f0) - unit(f1)) ** 2
        total = total + F.conv2d(d, lin).mean(dim=(2, 3), keepdim=True)
    return total.view(-1)


def make_lpips(div=16, size=32, batch=2):
    cfg = [c if c == "M" else c // div for c in VGG16_CFG]
    features = make_layers(cfg, batch_norm=False).eval()
    for m in features:
        if isinstance(m, nn.Conv2d):  # as torchvision's VGG init, plus a bias to exercise it
            nn.init.kaiming_normal_(m.weight, nonlinearity="relu")
            nn.init.normal_(m.bias, std=0.05)
    widths = [c for c in cfg if c != "M"]
    tap_widths = [widths[1], widths[3], widths[6], widths[9], widths[12]]
    lins = [torch.rand(1, c, 1, 1) for c in tap_widths]  # LPIPS lin weights are non-negative
    x0 = torch.rand(batch, 3, size, size) * 2 - 1
    x1 = (x0 + 0.3 * torch.randn(batch, 3, size, size)).clamp(-1, 1)
    with torch.no_grad():
        d = lpips_reference(features, lins, x0, x1)
    t = {"vgg.features." + k: v for k, v in features.state_dict().items()}
    t.update({"lpips.lin%d.weight" % i: w for i, w in enumerate(lins)})
    t.update({"input0": x0, "input1": x1, "distance": d, "width_divisor": np.array(div, dtype=np.int32)})
    save("lpips.npz", t)


# ---------------------------------------------------------------- ConvNeXt-V2 (HF naming)
class ChannelsFirstLayerNorm(nn.Module):
    def __init__(self, c, eps=1e-6):
        super().__init__()
        self.weight = nn.Parameter(1 + 0.1 * torch.randn(c))
        self.bias = nn.Parameter(0.1 * torch.randn(c))
        self.eps = eps

    def forward(self, x):
        u = x.mean(1, keepdim=True)
        s = (x - u).pow(2).mean(1, keepdim=True)
        x = (x - u) / torch.sqrt(s + self.eps)
        return self.weight[:, None, None] * x + self.bias[:, None, None]


class GRN(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.weight = nn.Parameter(0.5 * torch.randn(1, 1, 1, dim))
        self.bias = nn.Parameter(0.1 * torch.randn(1, 1, 1, dim))

    def forward(self, x):  # NHWC, as HF ConvNextV2GRN
        gx = torch.norm(x, p=2, dim=(1, 2), keepdim=True)
        nx = gx / (gx.mean(dim=-1, keepdim=True) + 1e-6)
        return self.weight * (x * nx) + self.bias + x


class Block(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.dwconv = nn.Conv2d(dim, dim, 7, padding=3, groups=dim)
        self.layernorm = nn.LayerNorm(dim, eps=1e-6)
        with torch.no_grad():
            self.layernorm.weight.add_(0.1 * torch.randn(dim))
            self.layernorm.bias.add_(0.1 * torch.randn(dim))
        self.pwconv1 = nn.Linear(dim, 4 * dim)
        self.grn = GRN(4 * dim)
        self.pwconv2 = nn.Linear(4 * dim, dim)

    def forward(self, x):
        y = self.dwconv(x).permute(0, 2, 3, 1)
        y = self.pwconv2(self.grn(F.gelu(self.pwconv1(self.layernorm(y)))))
        return x + y.permute(0, 3, 1, 2)


class ConvNextV2(nn.Module):
    def __init__(self, dims, depths):
        super().__init__()
        self.patch = nn.Conv2d(3, dims[0], 4, stride=4)
        self.stem_norm = ChannelsFirstLayerNorm(dims[0])
        self.down = nn.ModuleList()
        self.stages = nn.ModuleList()
        for s, (d, n) in enumerate(zip(dims, depths)):
            self.down.append(nn.Identity() if s == 0 else
                             nn.Sequential(ChannelsFirstLayerNorm(dims[s - 1]), nn.Conv2d(dims[s - 1], d, 2, stride=2)))
            self.stages.append(nn.Sequential(*[Block(d) for _ in range(n)]))
        self.final_norm = nn.LayerNorm(dims[-1], eps=1e-12)
        with torch.no_grad():
            self.final_norm.weight.add_(0.1 * torch.randn(dims[-1]))
            self.final_norm.bias.add_(0.1 * torch.randn(dims[-1]))

    def forward(self, x):
        x = self.stem_norm(self.patch(x))
        for down, stage in zip(self.down, self.stages):
            x = stage(down(x))
        return self.final_norm(x.mean(dim=(2, 3)))

    def hf_state_dict(self):
        t = {"convnextv2.embeddings.patch_embeddings.weight": self.patch.weight,
             "convnextv2.embeddings.patch_embeddings.bias": self.patch.bias,
             "convnextv2.embeddings.layernorm.weight": self.stem_norm.weight,
             "convnextv2.embeddings.layernorm.bias": self.stem_norm.bias,
             "convnextv2.layernorm.weight": self.final_norm.weight,
             "convnextv2.layernorm.bias": self.final_norm.bias}
        for s, (down, stage) in enumerate(zip(self.down, self.stages)):
            p = "convnextv2.encoder.stages.%d." % s
            if s > 0:
                t[p + "downsampling_layer.0.weight"] = down[0].weight
                t[p + "downsampling_layer.0.bias"] = down[0].bias
                t[p + "downsampling_layer.1.weight"] = down[1].weight
                t[p + "downsampling_layer.1.bias"] = down[1].bias
            for i, blk in enumerate(stage):
                for k, v in blk.state_dict().items():
                    t[p + "layers.%d.%s" % (i, k)] = v
        return t


def make_convnext(dims=(8, 16, 32, 64), depths=(1, 1, 2, 1), size=32, batch=2):
    net = ConvNextV2(list(dims), list(depths)).eval()
    x0 = torch.rand(batch, 3, size, size) * 2 - 1
    with torch.no_grad():
        f = net(x0)
    # HF ConvNextV2Model's pooler LayerNorm uses eps = config.layer_norm_eps (1e-12)
    t = dict(net.hf_state_dict())
    t.update({"input": x0, "features": f, "dims": np.array(dims, dtype=np.int32),
              "depths": np.array(depths, dtype=np.int32)})
    save("convnext.npz", t)


# ---------------------------------------------------------------- FID Inception-v3 (pytorch-fid)
class BasicConv2d(nn.Module):
    def __init__(self, cin, cout, **kw):
        super().__init__()
        self.conv = nn.Conv2d(cin, cout, bias=False, **kw)
        self.bn = nn.BatchNorm2d(cout, eps=0.001)
        # He-scaled weights keep the signal alive through ~50 random layers (PyTorch's default
        # init shrinks it until every image gives the same features, a parity test that cannot fail)
        nn.init.kaiming_normal_(self.conv.weight, nonlinearity="relu")
        with torch.no_grad():
            self.bn.weight.copy_(1 + 0.2 * torch.randn(cout))
            self.bn.bias.copy_(0.2 * torch.randn(cout))
            self.bn.running_mean.copy_(0.2 * torch.randn(cout))
            self.bn.running_var.copy_(0.5 + torch.rand(cout))

    def forward(self, x):
        return F.relu(self.bn(self.conv(x)))


def avg_pool_exclusive(x):
    return F.avg_pool2d(x, 3, stride=1, padding=1, count_include_pad=False)


class FIDInceptionA(nn.Module):
    def __init__(self, cin, pool, d):
        super().__init__()
        self.branch1x1 = BasicConv2d(cin, 64 // d, kernel_size=1)
        self.branch5x5_1 = BasicConv2d(cin, 48 // d, kernel_size=1)
        self.branch5x5_2 = BasicConv2d(48 // d, 64 // d, kernel_size=5, padding=2)
        self.branch3x3dbl_1 = BasicConv2d(cin, 64 // d, kernel_size=1)
        self.branch3x3dbl_2 = BasicConv2d(64 // d, 96 // d, kernel_size=3, padding=1)
        self.branch3x3dbl_3 = BasicConv2d(96 // d, 96 // d, kernel_size=3, padding=1)
        self.branch_pool = BasicConv2d(cin, pool, kernel_size=1)

    def forward(self, x):
        return torch.cat([self.branch1x1(x), self.branch5x5_2(self.branch5x5_1(x)),
                          self.branch3x3dbl_3(self.branch3x3dbl_2(self.branch3x3dbl_1(x))),
                          self.branch_pool(avg_pool_exclusive(x))], 1)


class InceptionB(nn.Module):
    def __init__(self, cin, d):
        super().__init__()
        self.branch3x3 = BasicConv2d(cin, 384 // d, kernel_size=3, stride=2)
        self.branch3x3dbl_1 = BasicConv2d(cin, 64 // d, kernel_size=1)
        self.branch3x3dbl_2 = BasicConv2d(64 // d, 96 // d, kernel_size=3, padding=1)
        self.branch3x3dbl_3 = BasicConv2d(96 // d, 96 // d, kernel_size=3, stride=2)

    def forward(self, x):
        return torch.cat([self.branch3x3(x),
                          self.branch3x3dbl_3(self.branch3x3dbl_2(self.branch3x3dbl_1(x))),
                          F.max_pool2d(x, 3, stride=2)], 1)


class FIDInceptionC(nn.Module):
    def __init__(self, cin, c7, d):
        super().__init__()
        self.branch1x1 = BasicConv2d(cin, 192 // d, kernel_size=1)
        self.branch7x7_1 = BasicConv2d(cin, c7, kernel_size=1)
        self.branch7x7_2 = BasicConv2d(c7, c7, kernel_size=(1, 7), padding=(0, 3))
        self.branch7x7_3 = BasicConv2d(c7, 192 // d, kernel_size=(7, 1), padding=(3, 0))
        self.branch7x7dbl_1 = BasicConv2d(cin, c7, kernel_size=1)
        self.branch7x7dbl_2 = BasicConv2d(c7, c7, kernel_size=(7, 1), padding=(3, 0))
        self.branch7x7dbl_3 = BasicConv2d(c7, c7, kernel_size=(1, 7), padding=(0, 3))
        self.branch7x7dbl_4 = BasicConv2d(c7, c7, kernel_size=(7, 1), padding=(3, 0))
        self.branch7x7dbl_5 = BasicConv2d(c7, 192 // d, kernel_size=(1, 7), padding=(0, 3))
        self.branch_pool = BasicConv2d(cin, 192 // d, kernel_size=1)

    def forward(self, x):
        b7 = self.branch7x7_3(self.branch7x7_2(self.branch7x7_1(x)))
        bd = x
        for i in range(1, 6):
            bd = getattr(self, "branch7x7dbl_%d" % i)(bd)
        return torch.cat([self.branch1x1(x), b7, bd, self.branch_pool(avg_pool_exclusive(x))], 1)


class InceptionD(nn.Module):
    def __init__(self, cin, d):
        super().__init__()
        self.branch3x3_1 = BasicConv2d(cin, 192 // d, kernel_size=1)
        self.branch3x3_2 = BasicConv2d(192 // d, 320 // d, kernel_size=3, stride=2)
        self.branch7x7x3_1 = BasicConv2d(cin, 192 // d, kernel_size=1)
        self.branch7x7x3_2 = BasicConv2d(192 // d, 192 // d, kernel_size=(1, 7), padding=(0, 3))
        self.branch7x7x3_3 = BasicConv2d(192 // d, 192 // d, kernel_size=(7, 1), padding=(3, 0))
        self.branch7x7x3_4 = BasicConv2d(192 // d, 192 // d, kernel_size=3, stride=2)

    def forward(self, x):
        b3 = self.branch3x3_2(self.branch3x3_1(x))
        b7 = x
        for i in range(1, 5):
            b7 = getattr(self, "branch7x7x3_%d" % i)(b7)
        return torch.cat([b3, b7, F.max_pool2d(x, 3, stride=2)], 1)


class FIDInceptionE(nn.Module):
    def __init__(self, cin, d, max_pool):
        super().__init__()
        self.max_pool = max_pool  # E_2 (Mixed_7c) uses max pooling, E_1 exclusive average pooling
        self.branch1x1 = BasicConv2d(cin, 320 // d, kernel_size=1)
        self.branch3x3_1 = BasicConv2d(cin, 384 // d, kernel_size=1)
        self.branch3x3_2a = BasicConv2d(384 // d, 384 // d, kernel_size=(1, 3), padding=(0, 1))
        self.branch3x3_2b = BasicConv2d(384 // d, 384 // d, kernel_size=(3, 1), padding=(1, 0))
        self.branch3x3dbl_1 = BasicConv2d(cin, 448 // d, kernel_size=1)
        self.branch3x3dbl_2 = BasicConv2d(448 // d, 384 // d, kernel_size=3, padding=1)
        self.branch3x3dbl_3a = BasicConv2d(384 // d, 384 // d, kernel_size=(1, 3), padding=(0, 1))
        self.branch3x3dbl_3b = BasicConv2d(384 // d, 384 // d, kernel_size=(3, 1), padding=(1, 0))
        self.branch_pool = BasicConv2d(cin, 192 // d, kernel_size=1)

    def forward(self, x):
        b3 = self.branch3x3_1(x)
        b3 = torch.cat([self.branch3x3_2a(b3), self.branch3x3_2b(b3)], 1)
        bd = self.branch3x3dbl_2(self.branch3x3dbl_1(x))
        bd = torch.cat([self.branch3x3dbl_3a(bd), self.branch3x3dbl_3b(bd)], 1)
        pool = F.max_pool2d(x, 3, stride=1, padding=1) if self.max_pool else avg_pool_exclusive(x)
        return torch.cat([self.branch1x1(x), b3, bd, self.branch_pool(pool)], 1)


class FIDInception(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.Conv2d_1a_3x3 = BasicConv2d(3, 32 // d, kernel_size=3, stride=2)
        self.Conv2d_2a_3x3 = BasicConv2d(32 // d, 32 // d, kernel_size=3)
        self.Conv2d_2b_3x3 = BasicConv2d(32 // d, 64 // d, kernel_size=3, padding=1)
        self.Conv2d_3b_1x1 = BasicConv2d(64 // d, 80 // d, kernel_size=1)
        self.Conv2d_4a_3x3 = BasicConv2d(80 // d, 192 // d, kernel_size=3)
        self.Mixed_5b = FIDInceptionA(192 // d, 32 // d, d)
        self.Mixed_5c = FIDInceptionA(256 // d, 64 // d, d)
        self.Mixed_5d = FIDInceptionA(288 // d, 64 // d, d)
        self.Mixed_6a = InceptionB(288 // d, d)
        self.Mixed_6b = FIDInceptionC(768 // d, 128 // d, d)
        self.Mixed_6c = FIDInceptionC(768 // d, 160 // d, d)
        self.Mixed_6d = FIDInceptionC(768 // d, 160 // d, d)
        self.Mixed_6e = FIDInceptionC(768 // d, 192 // d, d)
        self.Mixed_7a = InceptionD(768 // d, d)
        self.Mixed_7b = FIDInceptionE(1280 // d, d, max_pool=False)
        self.Mixed_7c = FIDInceptionE(2048 // d, d, max_pool=True)
        self.fc = nn.Linear(2048 // d, 1008)

    def forward(self, x):  # x in [0, 1], as pytorch-fid's InceptionV3 (resize_input, normalize_input)
        x = F.interpolate(x, size=(299, 299), mode="bilinear", align_corners=False)
        x = 2 * x - 1
        x = self.Conv2d_2b_3x3(self.Conv2d_2a_3x3(self.Conv2d_1a_3x3(x)))
        x = F.max_pool2d(x, 3, stride=2)
        x = self.Conv2d_4a_3x3(self.Conv2d_3b_1x1(x))
        x = F.max_pool2d(x, 3, stride=2)
        for name in ["Mixed_5b", "Mixed_5c", "Mixed_5d", "Mixed_6a", "Mixed_6b", "Mixed_6c",
                     "Mixed_6d", "Mixed_6e", "Mixed_7a", "Mixed_7b", "Mixed_7c"]:
            x = getattr(self, name)(x)
        pool = x.mean(dim=(2, 3))
        return pool, self.fc(pool)


def make_inception(div=16, size=48, batch=2):
    net = FIDInception(div).eval()
    x = torch.rand(batch, 3, size, size)
    with torch.no_grad():
        pool, logits = net(x)
    t = {k: v for k, v in net.state_dict().items() if not k.endswith("num_batches_tracked")}
    t.update({"input": x, "pool": pool, "logits": logits, "width_divisor": np.array(div, dtype=np.int32)})
    save("inception.npz", t)


# ---------------------------------------------------------------- resize and Inception Score
def make_resize():
    down = torch.rand(1, 3, 37, 53)
    up = torch.rand(1, 3, 7, 9)
    bil = torch.rand(1, 3, 13, 11)
    save("resize.npz", {
        "down_in": down, "down_out": F.interpolate(down, size=(16, 12), mode="bicubic", antialias=True, align_corners=False),
        "up_in": up, "up_out": F.interpolate(up, size=(16, 20), mode="bicubic", antialias=True, align_corners=False),
        "bilinear_in": bil, "bilinear_out": F.interpolate(bil, size=(29, 31), mode="bilinear", align_corners=False)})


def inception_score(logits, splits=10):
    p = np.exp(logits - logits.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    scores = []
    for part in np.array_split(p, splits):
        py = part.mean(axis=0, keepdims=True)
        kl = (part * (np.log(part) - np.log(py))).sum(axis=1).mean()
        scores.append(np.exp(kl))
    return np.mean(scores), np.std(scores)


def make_inception_score(n=30):
    # peaked logits so the score is far from 1 and depends on every split
    logits = (3.0 * np.random.randn(n, 1008)).astype(np.float32)
    mean, std = inception_score(logits.astype(np.float64))
    save("inception_score.npz", {"logits": logits, "is_mean_f64": np.array(mean), "is_std_f64": np.array(std)})


if __name__ == "__main__":
    torch.manual_seed(20260126)
    np.random.seed(20260126)
    make_lpips()
    make_convnext()
    make_inception()
    make_resize()
    make_inception_score()
    for f in sorted(os.listdir(OUT)):
        print(f, os.path.getsize(os.path.join(OUT, f)), "bytes")
