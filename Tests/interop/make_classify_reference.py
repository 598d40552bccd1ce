"""The reference for `zoo classify --model resnet18 --weights resnet18.pth`: torchvision's
ImageNet eval transform (Resize(256), CenterCrop(224), ToTensor, Normalize) on scikit-learn's
two sample photos, then torchvision's resnet18 with the seeded checkpoint's weights
(regenerate_checkpoint.py rebuilds torch's file byte for byte), softmax, top 5. Writes
Tests/Fixtures/checkpoints/resnet18_classify.json. Run once by hand in the torch venv (see
make_pytorch_checkpoints.py); SKLEARN_IMAGES is the folder of china.jpg and flower.jpg
(sklearn/datasets/images in .venv).

usage: /tmp/fixtures/bin/python Tests/interop/make_classify_reference.py SKLEARN_IMAGES
"""
import json
import os
import subprocess
import sys
import tempfile
import types

# torchvision's fake-kernel registrations fail against the CPU build of torch; none are needed.
sys.modules["torchvision._meta_registrations"] = types.ModuleType("torchvision._meta_registrations")

import torch  # noqa: E402
import torchvision.models  # noqa: E402
from PIL import Image  # noqa: E402
from torchvision import transforms  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(os.path.dirname(HERE), "Fixtures", "checkpoints")
PHOTOS = ["china.jpg", "flower.jpg"]
TRANSFORM = transforms.Compose([
    transforms.Resize(256), transforms.CenterCrop(224), transforms.ToTensor(),
    transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])


def main(images):
    with tempfile.TemporaryDirectory() as directory:
        path = subprocess.run([sys.executable, os.path.join(HERE, "regenerate_checkpoint.py"), "resnet18", directory],
                              check=True, capture_output=True, text=True).stdout.strip()
        model = torchvision.models.resnet18()
        model.load_state_dict(torch.load(path, weights_only=True))
    model.eval()
    batch = torch.stack([TRANSFORM(Image.open(os.path.join(images, name)).convert("RGB")) for name in PHOTOS])
    with torch.no_grad():
        probabilities = torch.softmax(model(batch).double(), dim=1)
    top = torch.topk(probabilities, 5, dim=1)
    reference = {"torch": torch.__version__, "images": [
        {"file": name, "top": [{"index": int(index), "probability": float(probability)}
                               for index, probability in zip(top.indices[row], top.values[row])]}
        for row, name in enumerate(PHOTOS)]}
    with open(os.path.join(FIXTURES, "resnet18_classify.json"), "w") as file:
        json.dump(reference, file, indent=1)
        file.write("\n")
    print(json.dumps(reference, indent=1))


if __name__ == "__main__":
    main(sys.argv[1])
