"""Proves pil_image_reference.py's recipes equal the real libraries: torchvision's
transforms on PIL images, and Keras's load_img + imagenet_utils.preprocess_input, on every
IMAGE given (exactly: max |difference| must be 0). Run by hand in a venv with torch,
torchvision and keras (see make_world_fixtures.py for /tmp/fixtures); the tests use the
recipes in .venv, where these libraries are not installed.

usage: /tmp/fixtures/bin/python Tests/interop/check_image_reference.py IMAGE...
"""
import os
import sys
import types

os.environ.setdefault("KERAS_BACKEND", "torch")
# torchvision's fake-kernel registrations fail against the CPU build of torch; transforms need none.
sys.modules["torchvision._meta_registrations"] = types.ModuleType("torchvision._meta_registrations")

import numpy as np  # noqa: E402
from keras.applications import imagenet_utils  # noqa: E402
from keras.utils import img_to_array, load_img  # noqa: E402
from torchvision import transforms  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pil_image_reference as reference  # noqa: E402

TORCHVISION = transforms.Compose([
    transforms.Resize(256), transforms.CenterCrop(224), transforms.ToTensor(),
    transforms.Normalize(reference.IMAGENET_MEAN, reference.IMAGENET_STD)])


def keras_caffe(path):
    """Keras reads the file itself, without EXIF orientation: compare on upright-free files."""
    array = img_to_array(load_img(path, target_size=(224, 224)))
    return imagenet_utils.preprocess_input(array[None], mode="caffe")[0].transpose(2, 0, 1)


def main():
    worst = 0.0
    for path in sys.argv[1:]:
        image = reference.open_upright(path)
        torchvision_difference = np.abs(TORCHVISION(image.convert("RGB")).numpy() - reference.torchvision_imagenet(image)).max()
        line = f"{os.path.basename(path)}: torchvision {torchvision_difference:g}"
        worst = max(worst, torchvision_difference)
        with reference.Image.open(path) as raw:
            stored_upright = raw.getexif().get(0x0112, 1) == 1
        if stored_upright:
            keras_difference = np.abs(keras_caffe(path) - reference.keras_caffe(reference.Image.open(path))).max()
            line += f", keras {keras_difference:g}"
            worst = max(worst, keras_difference)
        print(line)
    print(f"max |difference| {worst:g}")
    sys.exit(0 if worst == 0 else 1)


if __name__ == "__main__":
    main()
