"""What `zoo classify --json` should print for an ONNX image classifier, computed
independently: torchvision's ImageNet evaluation transform (pil_image_reference.py, proven
equal to torchvision) on each image, onnxruntime on the batch, softmax in float64, the TOP
most probable classes of each image.

usage: .venv/bin/python Tests/interop/classify_reference.py MODEL.onnx TOP [--recipe NAME] IMAGE...
(NAME: a pil_image_reference recipe, or grayscale-32-nearest: LeNet's with a nearest resize;
default torchvision-imagenet)
prints {"images": [{"file": IMAGE, "top": [{"index": i, "probability": p}, ...]}, ...]}
"""
import json
import os
import sys

import numpy as np
import onnxruntime

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pil_image_reference as reference  # noqa: E402


def grayscale_32_nearest(image):
    image = image.convert("L").resize((32, 32), reference.Image.NEAREST)
    return (np.asarray(image, dtype=np.float32) / np.float32(255))[None]


def main():
    model, top, images = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
    recipe = reference.torchvision_imagenet
    if images[:1] == ["--recipe"]:
        recipe = dict(reference.RECIPES, **{"grayscale-32-nearest": grayscale_32_nearest})[images[1]]
        images = images[2:]
    batch = np.stack([recipe(reference.open_upright(path)) for path in images])
    session = onnxruntime.InferenceSession(model, providers=["CPUExecutionProvider"])
    logits = session.run(None, {session.get_inputs()[0].name: batch})[0].astype(np.float64)
    exponentials = np.exp(logits - logits.max(axis=1, keepdims=True))
    probabilities = exponentials / exponentials.sum(axis=1, keepdims=True)
    report = [{"file": path, "top": [{"index": int(index), "probability": float(row[index])} for index in np.argsort(-row, kind="stable")[:top]]}
              for path, row in zip(images, probabilities)]
    print(json.dumps({"images": report}))


if __name__ == "__main__":
    main()
