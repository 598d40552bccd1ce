"""Training recipe for the zoo's pretrained LeNet-5 (`lenet5`: sigmoid, average pooling).

Data: the UCI handwritten digits that ship inside scikit-learn (`load_digits`, 1797 8x8
images, no download), scaled from 0..16 to 0..1 and resized to 32x32 by bilinear
interpolation (align_corners=False); a stratified 75/25 split with random_state=0.
Model: the same layout and parameter names as ModelZoo's `lenet5` (features.0/3,
classifier.0/2/4). Optimiser: Adam, lr 0.002, 60 epochs of mini-batches of 64, seed 0.

Writes `weights.npz` (state_dict names → float32 arrays) and prints the test accuracy that
PyTorch measures (0.9689: 436 of 450). The npz was converted by name, values unchanged, into
the zoo's `weights.h5` and is not kept; `manifest.json` pins the result and records the
accuracy our executor measures (Tests/ZooPretrainedTests/LeNetAccuracyTests.swift).

Run once, by hand, in a venv with torch (CPU) and scikit-learn:
    python -m venv /tmp/train && /tmp/train/bin/pip install torch scikit-learn numpy
    /tmp/train/bin/python Zoo/lenet5/train.py
"""
import os

import numpy as np
import torch
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from torch import nn

HERE = os.path.dirname(os.path.abspath(__file__))


def digits_32x32():
    """Images [N, 1, 32, 32] in 0..1 and labels [N], split as documented above."""
    digits = load_digits()
    images = torch.tensor(digits.images, dtype=torch.float32).unsqueeze(1) / 16.0
    images = nn.functional.interpolate(images, size=(32, 32), mode="bilinear", align_corners=False)
    labels = torch.tensor(digits.target, dtype=torch.int64)
    train_index, test_index = train_test_split(
        np.arange(len(labels)), test_size=0.25, random_state=0, stratify=digits.target)
    return (images[train_index], labels[train_index]), (images[test_index], labels[test_index])


class LeNet5(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(1, 6, 5), nn.Sigmoid(), nn.AvgPool2d(2),
            nn.Conv2d(6, 16, 5), nn.Sigmoid(), nn.AvgPool2d(2))
        self.classifier = nn.Sequential(
            nn.Linear(400, 120), nn.Sigmoid(), nn.Linear(120, 84), nn.Sigmoid(), nn.Linear(84, 10))

    def forward(self, x):
        return self.classifier(torch.flatten(self.features(x), 1))


def main():
    torch.manual_seed(0)
    (train_x, train_y), (test_x, test_y) = digits_32x32()
    model = LeNet5()
    optimiser = torch.optim.Adam(model.parameters(), lr=0.002)
    for epoch in range(60):
        order = torch.randperm(len(train_y))
        for start in range(0, len(order), 64):
            batch = order[start:start + 64]
            optimiser.zero_grad()
            loss = nn.functional.cross_entropy(model(train_x[batch]), train_y[batch])
            loss.backward()
            optimiser.step()
    model.eval()
    with torch.no_grad():
        accuracy = (model(test_x).argmax(1) == test_y).float().mean().item()
    print(f"test accuracy (PyTorch): {accuracy:.4f} on {len(test_y)} images; final train loss {loss.item():.4f}")
    np.savez(os.path.join(HERE, "weights.npz"), **{k: v.numpy() for k, v in model.state_dict().items()})


if __name__ == "__main__":
    main()
