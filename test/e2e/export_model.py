#!/usr/bin/env python3
"""Exports one of the e2e test models (models.py) to ONNX.

  export_model.py MODEL OUT.onnx [--keep-batch-norm] [--inputs-npy PREFIX]

torch's exporter folds BatchNormalization into the preceding Conv when it
exports an eval-mode model; --keep-batch-norm exports it as it is
(TrainingMode.PRESERVE, still inference semantics), so that Octet's own
octet-fold-batch-norm has something to fold. --inputs-npy writes the
example inputs as PREFIX0.npy, PREFIX1.npy, ..."""
import argparse
import os
import sys
import warnings

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import models  # noqa: E402


def export(name, path, keep_batch_norm=False):
    """Exports `name` to `path`; returns (model, example inputs)."""
    model, inputs = models.build(name)
    mode = (torch.onnx.TrainingMode.PRESERVE if keep_batch_norm
            else torch.onnx.TrainingMode.EVAL)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(model, tuple(inputs), path, opset_version=13,
                          training=mode,
                          input_names=["input%d" % i for i in range(len(inputs))])
    return model, inputs


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("model", choices=sorted(models.MODELS))
    p.add_argument("out")
    p.add_argument("--keep-batch-norm", action="store_true")
    p.add_argument("--inputs-npy", metavar="PREFIX")
    args = p.parse_args()
    _, inputs = export(args.model, args.out, args.keep_batch_norm)
    if args.inputs_npy:
        for i, t in enumerate(inputs):
            np.save("%s%d.npy" % (args.inputs_npy, i), t.numpy())


if __name__ == "__main__":
    main()
