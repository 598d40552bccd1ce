"""Writes Zoo/lenet5/digits/digit1.png … digit8.png, the pictures `zoo classify` reads in the
README: the same 8 test images as digits.npy, in the same order, but as the source holds
them: scikit-learn's 8x8 digits, values 0..16 scaled to 0..255 (rounded) as 8-bit grayscale
PNGs, light strokes on black. Prints their true labels (2 0 4 9 4 1 2 4).

usage: .venv/bin/python Zoo/lenet5/make_digit_pngs.py [OUT_DIR]   (default: Zoo/lenet5/digits)
"""
import os
import sys

import numpy as np
from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "Tests", "interop"))
from digits_test_split import test_digits  # noqa: E402  (the path above makes it importable)

COUNT = 8


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "digits")
    os.makedirs(out, exist_ok=True)
    digits, test_index = test_digits()
    for number, index in enumerate(test_index[:COUNT], start=1):
        pixels = np.round(digits.images[index] * 255 / 16).astype(np.uint8)
        Image.fromarray(pixels, "L").save(os.path.join(out, f"digit{number}.png"))
    print(" ".join(str(digits.target[index]) for index in test_index[:COUNT]))


if __name__ == "__main__":
    main()
