"""Exports full-size torchvision classifiers (random weights, seeded) to ONNX for the
executor benchmark (Benchmarks/onnx_models.sh): the TorchScript exporter at opset 17, batch 1,
224×224. Not a fixture: the files are large and written to OUT_DIR.

usage: export_torchvision.py OUT_DIR NAME...     (e.g. mobilenet_v2 efficientnet_b0)
"""
import os
import sys
import types

import torch


def import_models():
    """torchvision.models; the CPU build of torch lacks torchvision's C++ operators (nms), whose
    fake-kernel registration then fails at import, and no classifier uses them."""
    try:
        import torchvision.models
    except RuntimeError:
        for name in [m for m in sys.modules if m.startswith("torchvision")]:
            del sys.modules[name]
        sys.modules["torchvision._meta_registrations"] = types.ModuleType("torchvision._meta_registrations")
        import torchvision.models
    return torchvision.models


def main():
    out, names = sys.argv[1], sys.argv[2:]
    models = import_models()
    os.makedirs(out, exist_ok=True)
    for name in names:
        path = os.path.join(out, f"{name}.onnx")
        if os.path.exists(path):
            continue
        torch.manual_seed(0)
        model = getattr(models, name)().eval()
        torch.onnx.export(model, (torch.randn(1, 3, 224, 224),), path, dynamo=False, opset_version=17,
                          input_names=["images"], output_names=["logits"])
        print(f"{name}: {os.path.getsize(path)} bytes")


if __name__ == "__main__":
    main()
