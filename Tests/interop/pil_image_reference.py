"""Pillow's reading of images and the reference preprocessing recipes, for ZooImage's tests.

For each IMAGE writes into OUT_DIR, as float32 or uint8 .npy files named after the image:
  <name>.rgb.npy, <name>.l.npy      Pillow's pixels: ImageOps.exif_transpose(Image.open(IMAGE))
                                    then .convert("RGB") [h, w, 3] / .convert("L") [h, w]
  <name>.torchvision-imagenet.npy   torchvision's ImageNet evaluation transform [3, 224, 224]
  <name>.keras-caffe.npy            keras load_img(target_size=(224, 224)) + preprocess_input
                                    (mode "caffe"), moved to channels first [3, 224, 224]
  <name>.grayscale-32.npy           LeNet-5's recipe: convert("L"), resize 32x32 bilinear, / 255 [1, 32, 32]
The recipes are written here with Pillow and numpy, step for step as torchvision 0.28 and
Keras 3 do them on PIL images (torchvision and Keras are too heavy for .venv);
check_image_reference.py proves them equal to the real libraries.

usage: .venv/bin/python Tests/interop/pil_image_reference.py OUT_DIR IMAGE...
"""
import os
import sys

import numpy as np
from PIL import Image, ImageOps

IMAGENET_MEAN = [0.485, 0.456, 0.406]
IMAGENET_STD = [0.229, 0.224, 0.225]
CAFFE_MEAN_BGR = [103.939, 116.779, 123.68]


def open_upright(path):
    with Image.open(path) as image:
        return ImageOps.exif_transpose(image)


def torchvision_imagenet(image):
    """Resize(256) (PIL bilinear), CenterCrop(224), ToTensor(), Normalize(mean, std)."""
    image = image.convert("RGB")
    width, height = image.size
    short, long = (width, height) if width <= height else (height, width)
    new_short, new_long = 256, int(256 * long / short)
    new_width, new_height = (new_short, new_long) if width <= height else (new_long, new_short)
    if (new_height, new_width) != (height, width):
        image = image.resize((new_width, new_height), Image.BILINEAR)
    top, left = int(round((new_height - 224) / 2.0)), int(round((new_width - 224) / 2.0))
    image = image.crop((left, top, left + 224, top + 224))
    tensor = np.asarray(image, dtype=np.uint8).transpose(2, 0, 1).astype(np.float32) / np.float32(255)
    mean = np.array(IMAGENET_MEAN, dtype=np.float32)[:, None, None]
    std = np.array(IMAGENET_STD, dtype=np.float32)[:, None, None]
    return (tensor - mean) / std


def keras_caffe(image):
    """load_img(color_mode="rgb", target_size=(224, 224), interpolation="nearest"),
    img_to_array, preprocess_input(mode="caffe"): RGB → BGR, minus the BGR mean."""
    if image.mode != "RGB":
        image = image.convert("RGB")
    if image.size != (224, 224):
        image = image.resize((224, 224), Image.NEAREST)
    array = np.asarray(image, dtype=np.float32)[..., ::-1].copy()
    for channel, mean in enumerate(CAFFE_MEAN_BGR):
        array[..., channel] -= mean
    return array.transpose(2, 0, 1)


def grayscale_32(image):
    image = image.convert("L")
    if image.size != (32, 32):
        image = image.resize((32, 32), Image.BILINEAR)
    return (np.asarray(image, dtype=np.float32) / np.float32(255))[None]


RECIPES = {"torchvision-imagenet": torchvision_imagenet, "keras-caffe": keras_caffe, "grayscale-32": grayscale_32}


def main():
    out = sys.argv[1]
    for path in sys.argv[2:]:
        name = os.path.basename(path)
        image = open_upright(path)
        np.save(os.path.join(out, f"{name}.rgb.npy"), np.asarray(image.convert("RGB")))
        np.save(os.path.join(out, f"{name}.l.npy"), np.asarray(image.convert("L")))
        for recipe, function in RECIPES.items():
            np.save(os.path.join(out, f"{name}.{recipe}.npy"), function(image))


if __name__ == "__main__":
    main()
