"""Plain numpy reference kernels for the ONNX ops the codegen tests check.

Each follows the ONNX operator specification directly (loops and textbook
formulas, no shared code with the compiler). Floating-point kernels compute
in float64, so a test's reported error is the error of the generated f32
code.
"""

import numpy as np


def sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def _directions(direction):
    return {"forward": [False], "reverse": [True],
            "bidirectional": [False, True]}[direction]


def gru(x, w, r, b=None, h0=None, linear_before_reset=0,
        direction="forward"):
    """ONNX GRU, layout 0: returns (Y [seq, dirs, batch, H], Y_h)."""
    x, w, r = (np.asarray(a, np.float64) for a in (x, w, r))
    seq, batch, _ = x.shape
    dirs, hidden = w.shape[0], w.shape[1] // 3
    y = np.zeros((seq, dirs, batch, hidden))
    y_h = np.zeros((dirs, batch, hidden))
    for d, reverse in enumerate(_directions(direction)):
        wz, wr, wh = np.split(w[d], 3)
        rz, rr, rh = np.split(r[d], 3)
        bias = np.zeros(6 * hidden) if b is None else np.asarray(b[d], np.float64)
        wbz, wbr, wbh, rbz, rbr, rbh = np.split(bias, 6)
        h = np.zeros((batch, hidden)) if h0 is None else np.asarray(h0[d], np.float64)
        for t in (reversed(range(seq)) if reverse else range(seq)):
            xt = x[t]
            z = sigmoid(xt @ wz.T + h @ rz.T + wbz + rbz)
            rt = sigmoid(xt @ wr.T + h @ rr.T + wbr + rbr)
            if linear_before_reset:
                hh = np.tanh(xt @ wh.T + rt * (h @ rh.T + rbh) + wbh)
            else:
                hh = np.tanh(xt @ wh.T + (rt * h) @ rh.T + rbh + wbh)
            h = (1 - z) * hh + z * h
            y[t, d] = h
        y_h[d] = h
    return y, y_h


def lstm(x, w, r, b=None, h0=None, c0=None, p=None, direction="forward"):
    """ONNX LSTM, layout 0, gates i, o, f, c and peepholes i, o, f: returns
    (Y [seq, dirs, batch, H], Y_h, Y_c)."""
    x, w, r = (np.asarray(a, np.float64) for a in (x, w, r))
    seq, batch, _ = x.shape
    dirs, hidden = w.shape[0], w.shape[1] // 4
    y = np.zeros((seq, dirs, batch, hidden))
    y_h = np.zeros((dirs, batch, hidden))
    y_c = np.zeros((dirs, batch, hidden))
    for d, reverse in enumerate(_directions(direction)):
        wi, wo, wf, wc = np.split(w[d], 4)
        ri, ro, rf, rc = np.split(r[d], 4)
        bias = np.zeros(8 * hidden) if b is None else np.asarray(b[d], np.float64)
        wbi, wbo, wbf, wbc, rbi, rbo, rbf, rbc = np.split(bias, 8)
        peep = np.zeros(3 * hidden) if p is None else np.asarray(p[d], np.float64)
        pi, po, pf = np.split(peep, 3)
        h = np.zeros((batch, hidden)) if h0 is None else np.asarray(h0[d], np.float64)
        c = np.zeros((batch, hidden)) if c0 is None else np.asarray(c0[d], np.float64)
        for t in (reversed(range(seq)) if reverse else range(seq)):
            xt = x[t]
            i = sigmoid(xt @ wi.T + h @ ri.T + pi * c + wbi + rbi)
            f = sigmoid(xt @ wf.T + h @ rf.T + pf * c + wbf + rbf)
            ct = np.tanh(xt @ wc.T + h @ rc.T + wbc + rbc)
            c = f * c + i * ct
            o = sigmoid(xt @ wo.T + h @ ro.T + po * c + wbo + rbo)
            h = o * np.tanh(c)
            y[t, d] = h
        y_h[d], y_c[d] = h, c
    return y, y_h, y_c


def _zero_point(zp, n):
    """A scalar or per-channel zero point as n int64 values."""
    if zp is None:
        return np.zeros(n, np.int64)
    return np.broadcast_to(np.asarray(zp, np.int64).reshape(-1), (n,))


def conv_integer(x, w, x_zp=None, w_zp=None, pads=(0, 0, 0, 0),
                 strides=(1, 1), dilations=(1, 1), group=1):
    """ONNX ConvInteger, NCHW, pads [top, left, bottom, right]; exact int
    arithmetic by explicit loops."""
    x = np.asarray(x, np.int64) - _zero_point(x_zp, 1)[0]
    w = np.asarray(w, np.int64) - _zero_point(w_zp, w.shape[0]).reshape(-1, 1, 1, 1)
    n, c, height, width = x.shape
    o, cg, kh, kw = w.shape
    x = np.pad(x, ((0, 0), (0, 0), (pads[0], pads[2]), (pads[1], pads[3])))
    oh = (x.shape[2] - dilations[0] * (kh - 1) - 1) // strides[0] + 1
    ow = (x.shape[3] - dilations[1] * (kw - 1) - 1) // strides[1] + 1
    y = np.zeros((n, o, oh, ow), np.int64)
    per_group = o // group
    for b in range(n):
        for f in range(o):
            g = f // per_group
            for i in range(oh):
                for j in range(ow):
                    acc = 0
                    for ch in range(cg):
                        for u in range(kh):
                            for v in range(kw):
                                acc += (x[b, g * cg + ch,
                                          i * strides[0] + u * dilations[0],
                                          j * strides[1] + v * dilations[1]]
                                        * w[f, ch, u, v])
                    y[b, f, i, j] = acc
    return y.astype(np.int32)


def matmul_integer(a, b, a_zp=None, b_zp=None):
    """ONNX MatMulInteger: per-row a zero point, per-column b zero point."""
    a = np.asarray(a, np.int64)
    b = np.asarray(b, np.int64)
    if a_zp is not None:
        zp = np.asarray(a_zp, np.int64).reshape(-1)
        a = a - (zp.reshape(-1, 1) if a.ndim >= 2 and zp.size > 1 else zp[0])
    if b_zp is not None:
        zp = np.asarray(b_zp, np.int64).reshape(-1)
        b = b - (zp if zp.size > 1 else zp[0])
    return np.matmul(a, b).astype(np.int32)


def dynamic_quantize_linear(x):
    """ONNX DynamicQuantizeLinear as onnxruntime computes it: (y, scale, zp).

    All in float32, as the spec's reference; scale 1 when max == min (an
    all-zero input), onnxruntime's guard against 0 / 0."""
    x = np.asarray(x, np.float32)
    lo = np.float32(min(np.float32(0), x.min()))
    hi = np.float32(max(np.float32(0), x.max()))
    scale = np.float32(1.0) if hi == lo else np.float32(hi - lo) / np.float32(255)
    zp = np.float32(np.clip(np.float32(0) - lo / scale, 0, 255))
    zp = np.rint(zp)
    y = np.clip(np.rint(x / scale) + zp, 0, 255)
    return y.astype(np.uint8), np.float32(scale), zp.astype(np.uint8)
