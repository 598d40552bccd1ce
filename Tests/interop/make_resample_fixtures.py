"""Writes Tests/Fixtures/resample: a tiny U-Net whose decoder resamples the way real
segmentation and detection networks do (F.interpolate bilinear 2x, nn.Upsample nearest 2x,
bicubic to a size with align_corners, bilinear downsampling, antialiased in the dynamo
export), random weights,
exported by both of torch's exporters, with a seeded input and PyTorch's own outputs.

Run once by hand, with the fixture venv of make_pytorch_fixtures.py:

    /tmp/fixtures/bin/python Tests/interop/make_resample_fixtures.py [OUT_DIR]
"""
import os
import sys
import types

# make_pytorch_fixtures imports transformers, which imports torchvision when it is installed:
# without the fake kernels torchvision registers for C++ operators the CPU build of torch lacks.
sys.modules["torchvision._meta_registrations"] = types.ModuleType("torchvision._meta_registrations")

import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402
from torch import nn  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_pytorch_fixtures import BATCH, ROOT, export  # noqa: E402

OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "Tests", "Fixtures", "resample")


class TinyUNet(nn.Module):
    """`antialias` for the dynamo exporter only: TorchScript's has no antialiased bilinear."""

    def __init__(self, antialias):
        super().__init__()
        self.antialias = antialias
        self.down1 = nn.Conv2d(3, 8, 3, padding=1)
        self.down2 = nn.Conv2d(8, 16, 3, padding=1)
        self.up = nn.Conv2d(16, 8, 3, padding=1)
        self.head = nn.Conv2d(8, 4, 1)
        self.upsample = nn.Upsample(scale_factor=2, mode="nearest")

    def forward(self, images):
        skip = torch.relu(self.down1(images))
        deep = torch.relu(self.down2(F.max_pool2d(skip, 2)))
        merged = torch.relu(self.up(F.interpolate(deep, scale_factor=2, mode="bilinear", align_corners=False))) + skip
        mask = self.upsample(self.head(merged))
        resized = F.interpolate(mask, size=(20, 24), mode="bicubic", align_corners=True)
        thumbnail = F.interpolate(mask, scale_factor=0.3, mode="bilinear", antialias=self.antialias)
        return resized, thumbnail


def main():
    for name, dynamo, opset in [("unet_torchscript", False, 17), ("unet_dynamo", True, 18)]:
        torch.manual_seed(0)
        model = TinyUNet(antialias=dynamo).eval()
        images = torch.randn(2, 3, 32, 32)
        more = [(torch.randn(1, 3, 32, 32),)]
        export(name, model, {"images": (images, {0: BATCH})}, {"resized": {0: "batch"}, "thumbnail": {0: "batch"}},
               dynamo=dynamo, opset=opset, more_inputs=more, out=OUT)


if __name__ == "__main__":
    main()
