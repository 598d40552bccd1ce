"""Writes Tests/Fixtures/checkpoints/googlenet_transform_input_logits.npy: PyTorch's logits of
torchvision's googlenet built as for its pretrained weights (transform_input=True, which
rescales each normalised input channel inside forward) with the seeded googlenet checkpoint
that regenerate_checkpoint.py rebuilds, on the same seeded image as googlenet_logits.npy.

    /tmp/fixtures/bin/python Tests/interop/make_googlenet_transform_logits.py

Also checks that the checkpoint loaded with transform_input=False still gives
googlenet_logits.npy, so that the two differ only by the input transform.
"""
import os
import subprocess
import sys
import tempfile
import types

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(os.path.dirname(HERE), "Fixtures", "checkpoints")


def main():
    sys.modules["torchvision._meta_registrations"] = types.ModuleType("torchvision._meta_registrations")
    import torchvision.models as models
    with tempfile.TemporaryDirectory() as directory:
        path = subprocess.run([sys.executable, os.path.join(HERE, "regenerate_checkpoint.py"), "googlenet", directory],
                              check=True, capture_output=True, text=True).stdout.strip()
        state = torch.load(path, weights_only=True)
        image = torch.from_numpy(np.load(os.path.join(directory, "googlenet_image.npy")))
    outputs = {}
    for transform in (False, True):
        model = models.googlenet(aux_logits=True, init_weights=False, transform_input=transform).eval()
        model.load_state_dict(state)
        with torch.no_grad():
            outputs[transform] = model(image).numpy()
    assert np.array_equal(outputs[False], np.load(os.path.join(FIXTURES, "googlenet_logits.npy")))
    np.save(os.path.join(FIXTURES, "googlenet_transform_input_logits.npy"), outputs[True])
    print("max |difference| from transform_input=False:", float(np.abs(outputs[True] - outputs[False]).max()),
          "max |logit|:", float(np.abs(outputs[True]).max()))


if __name__ == "__main__":
    main()
