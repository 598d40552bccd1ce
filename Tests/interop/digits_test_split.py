"""The test split of the zoo's pretrained LeNet-5 (Zoo/lenet5/train.py), made with
scikit-learn and numpy only: scikit-learn's 8x8 digits scaled from 0..16 to 0..1, resized
to 32x32 as torch.nn.functional.interpolate(mode="bilinear", align_corners=False) does, and
the stratified 75/25 split with random_state=0.

usage: digits_test_split.py OUT_DIR [--print-labels]
writes OUT_DIR/images.npy (float32 [450, 1, 32, 32]) and OUT_DIR/labels.npy (int64 [450]);
with --print-labels also prints the labels, separated by spaces
"""
import os
import sys

import numpy as np
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split


def bilinear_weights(source_size, target_size):
    """For each target index: the two source indices and their weights, by PyTorch's
    align_corners=False rule: source = (target + 0.5) * source_size / target_size - 0.5,
    clamped at 0; the upper neighbour is clamped to the last index."""
    scale = np.float32(source_size / target_size)
    source = np.maximum((np.arange(target_size, dtype=np.float32) + np.float32(0.5)) * scale - np.float32(0.5), np.float32(0))
    lower = source.astype(np.int64)
    upper = np.minimum(lower + 1, source_size - 1)
    upper_weight = source - lower
    return lower, upper, np.float32(1) - upper_weight, upper_weight


def resize_bilinear(images, size):
    """images [N, H, W] float32 → [N, size, size]: rows, then columns, as separable weights."""
    rows = bilinear_weights(images.shape[1], size)
    columns = bilinear_weights(images.shape[2], size)
    lower, upper, lower_weight, upper_weight = rows
    vertical = images[:, lower, :] * lower_weight[None, :, None] + images[:, upper, :] * upper_weight[None, :, None]
    lower, upper, lower_weight, upper_weight = columns
    return vertical[:, :, lower] * lower_weight[None, None, :] + vertical[:, :, upper] * upper_weight[None, None, :]


def test_digits():
    """scikit-learn's digits (8x8, 0..16) of the test split, and their indices in load_digits()."""
    digits = load_digits()
    _, test_index = train_test_split(np.arange(len(digits.target)), test_size=0.25, random_state=0, stratify=digits.target)
    return digits, test_index


def test_split():
    """images float32 [450, 1, 32, 32] in 0..1 and labels int64 [450]."""
    digits, test_index = test_digits()
    images = resize_bilinear(digits.images.astype(np.float32) / np.float32(16), 32)[:, None]
    return images[test_index].astype(np.float32), digits.target[test_index].astype(np.int64)


def main():
    images, labels = test_split()
    os.makedirs(sys.argv[1], exist_ok=True)
    np.save(os.path.join(sys.argv[1], "images.npy"), images)
    np.save(os.path.join(sys.argv[1], "labels.npy"), labels)
    if "--print-labels" in sys.argv:
        print(" ".join(map(str, labels)))


if __name__ == "__main__":
    main()
