#!/usr/bin/env python3
"""Trains the bundled example: a small CNN on scikit-learn's 8x8 digits.

Writes digits_cnn.onnx (the trained model, checked in) and
heldout.bin/heldout_labels.bin (the held-out split, float32 images in [0, 1]
shaped 1x8x8, and uint8 labels). Deterministic: fixed seeds and split.
Run with Debian's python3 (python3-torch, python3-sklearn, python3-onnx).
"""
import argparse
import os

import numpy as np
import torch
import torch.nn as nn
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split


class DigitsCnn(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 16, 3, padding=1)
        self.bn1 = nn.BatchNorm2d(16)
        self.conv2 = nn.Conv2d(16, 32, 3, padding=1)
        self.bn2 = nn.BatchNorm2d(32)
        self.pool = nn.MaxPool2d(2)
        self.fc = nn.Linear(32 * 2 * 2, 10)

    def forward(self, x):
        x = self.pool(torch.relu(self.bn1(self.conv1(x))))   # 16x4x4
        x = self.pool(torch.relu(self.bn2(self.conv2(x))))   # 32x2x2
        return self.fc(torch.flatten(x, 1))


def split():
    digits = load_digits()
    x = (digits.images / 16.0).astype(np.float32)[:, None, :, :]
    y = digits.target.astype(np.int64)
    return train_test_split(x, y, test_size=0.2, random_state=0, stratify=y)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", default=os.path.dirname(os.path.abspath(__file__)))
    parser.add_argument("--data-only", action="store_true",
                        help="only write the held-out split")
    parser.add_argument("--calibration", type=int, default=0, metavar="N",
                        help="also write the first N training images as "
                             "calibration.npy (for octetc --quantize=int8)")
    args = parser.parse_args()
    x_train, x_test, y_train, y_test = split()
    x_test.tofile(os.path.join(args.out, "heldout.bin"))
    y_test.astype(np.uint8).tofile(os.path.join(args.out, "heldout_labels.bin"))
    if args.calibration:
        np.save(os.path.join(args.out, "calibration.npy"),
                x_train[:args.calibration])
    if args.data_only:
        return

    torch.manual_seed(0)
    model = DigitsCnn()
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    xt, yt = torch.from_numpy(x_train), torch.from_numpy(y_train)
    for epoch in range(30):
        model.train()
        perm = torch.randperm(len(xt))
        for i in range(0, len(xt), 64):
            idx = perm[i:i + 64]
            opt.zero_grad()
            loss = nn.functional.cross_entropy(model(xt[idx]), yt[idx])
            loss.backward()
            opt.step()
    model.eval()
    with torch.no_grad():
        acc = (model(torch.from_numpy(x_test)).argmax(1).numpy() == y_test).mean()
    print("held-out accuracy (torch, float): %.4f on %d images" % (acc, len(y_test)))
    torch.onnx.export(model, torch.zeros(1, 1, 8, 8),
                      os.path.join(args.out, "digits_cnn.onnx"), opset_version=13,
                      input_names=["image"], output_names=["logits"])


if __name__ == "__main__":
    main()
