"""Writes Zoo/lenet5/digits.npy, the README's sample input for the pretrained LeNet-5: the
first 8 images of the test split train.py holds out (scikit-learn's digits, preprocessed as
train.py does; Tests/interop/digits_test_split.py reproduces that with numpy alone), as
float32 [8, 1, 32, 32]. Prints their true labels.

usage: .venv/bin/python Zoo/lenet5/make_digits.py [OUT_DIR]   (default: Zoo/lenet5)
"""
import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "Tests", "interop"))
from digits_test_split import test_split  # noqa: E402  (the path above makes it importable)

COUNT = 8


def main():
    images, labels = test_split()
    np.save(os.path.join(sys.argv[1] if len(sys.argv) > 1 else HERE, "digits.npy"), images[:COUNT])
    print(" ".join(map(str, labels[:COUNT])))


if __name__ == "__main__":
    main()
