#!/usr/bin/env python3
"""Cross-checks the numpy GRU/LSTM of onnx_ref.py against torch.

Not run by lit (torch is optional): `/usr/bin/python3 check_rnn_against_torch.py`.
torch's GRU is ONNX's GRU with linear_before_reset = 1 and gates ordered
r, z, n; its LSTM has gates i, f, g, o and no peepholes. Bidirectional torch
layers concatenate the two directions on the last axis.
"""

import sys

import numpy as np
import torch

import onnx_ref


def to_onnx_gates(t, order, hidden):
    """Reorders torch's stacked gate blocks into ONNX's order."""
    blocks = np.split(t.detach().numpy().astype(np.float64), len(order))
    return np.concatenate([blocks[i] for i in order])


def run(layer, x, h0, c0=None):
    with torch.no_grad():
        xt = torch.from_numpy(x)
        state = torch.from_numpy(h0) if c0 is None else (
            torch.from_numpy(h0), torch.from_numpy(c0))
        y, last = layer(xt, state)
    return y.double().numpy(), last


def main():
    rng = np.random.default_rng(0)
    seq, batch, inputs, hidden = 6, 3, 4, 5
    x = rng.uniform(-1, 1, (seq, batch, inputs))
    worst = 0.0
    for bidirectional in (False, True):
        dirs = 2 if bidirectional else 1
        h0 = rng.uniform(-1, 1, (dirs, batch, hidden))
        c0 = rng.uniform(-1, 1, (dirs, batch, hidden))
        direction = "bidirectional" if bidirectional else "forward"
        for kind in ("gru", "lstm"):
            cls = torch.nn.GRU if kind == "gru" else torch.nn.LSTM
            layer = cls(inputs, hidden, bidirectional=bidirectional).double()
            # torch gate order -> ONNX gate order.
            order = [1, 0, 2] if kind == "gru" else [0, 3, 1, 2]
            w, r, b = [], [], []
            for d in range(dirs):
                sfx = "_reverse" if d else ""
                get = lambda n: getattr(layer, n + "_l0" + sfx)  # noqa: E731
                w.append(to_onnx_gates(get("weight_ih"), order, hidden))
                r.append(to_onnx_gates(get("weight_hh"), order, hidden))
                b.append(np.concatenate(
                    [to_onnx_gates(get("bias_ih"), order, hidden),
                     to_onnx_gates(get("bias_hh"), order, hidden)]))
            w, r, b = np.stack(w), np.stack(r), np.stack(b)
            if kind == "gru":
                y, last = run(layer, x, h0)
                ref_y, ref_h = onnx_ref.gru(x, w, r, b, h0,
                                            linear_before_reset=1,
                                            direction=direction)
                pairs = [(ref_h, last.numpy())]
            else:
                y, (last_h, last_c) = run(layer, x, h0, c0)
                ref_y, ref_h, ref_c = onnx_ref.lstm(x, w, r, b, h0, c0,
                                                    direction=direction)
                pairs = [(ref_h, last_h.numpy()), (ref_c, last_c.numpy())]
            # torch y: [seq, batch, dirs * hidden]; ONNX: [seq, dirs, batch, hidden].
            torch_y = y.reshape(seq, batch, dirs, hidden).transpose(0, 2, 1, 3)
            err = max([np.abs(ref_y - torch_y).max()] +
                      [np.abs(a - t).max() for a, t in pairs])
            worst = max(worst, err)
            print(f"{kind} {direction}: max abs difference {err:.3g}")
    sys.exit(0 if worst < 1e-12 else 1)


if __name__ == "__main__":
    main()
