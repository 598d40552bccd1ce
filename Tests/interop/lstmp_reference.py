"""Runs a projected LSTM layer (LSTMP) exported as ONNX Scans with onnxruntime and compares
its output with a numpy implementation written from the equations, with the weights read
from the file. Prints one JSON object.

usage: lstmp_reference.py MODEL.onnx PREFIX SEQ BATCH [--bidirectional] [--reverse]
                          [--cell-clip C] [--projection-clip C]

The model's only input is x [seq, batch, input] and its only output the layer's
[seq, batch, directions * projection]. Parameters are PREFIX.W [4H, I], .R [4H, P], .B [4H]
and .P [P, H] (PREFIX.forward.W etc. when bidirectional), gates in ONNX's order i, o, f, c:

    gates = x_t W^T + h R^T + B;  c' = clip(sigma(f) c + sigma(i) tanh(c~));
    h' = clip((sigma(o) tanh(c')) P^T)
"""
import argparse
import json

import numpy as np
import onnx
import onnxruntime
from onnx import numpy_helper

parser = argparse.ArgumentParser()
parser.add_argument("model")
parser.add_argument("prefix")
parser.add_argument("seq", type=int)
parser.add_argument("batch", type=int)
parser.add_argument("--bidirectional", action="store_true")
parser.add_argument("--reverse", action="store_true")
parser.add_argument("--cell-clip", type=float)
parser.add_argument("--projection-clip", type=float)
args = parser.parse_args()

weights = {t.name: numpy_helper.to_array(t).astype(np.float64) for t in onnx.load(args.model).graph.initializer}


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def lstmp(x, prefix, reverse):
    """One direction in float64; also returns how often each clip bound was reached."""
    W, R, B, P = (weights[f"{prefix}.{name}"] for name in ("W", "R", "B", "P"))
    hidden, projection = W.shape[0] // 4, P.shape[0]
    h = np.zeros((x.shape[1], projection))
    c = np.zeros((x.shape[1], hidden))
    out = np.zeros((x.shape[0], x.shape[1], projection))
    clipped = {"cell": 0, "projection": 0}
    for t in (reversed(range(x.shape[0])) if reverse else range(x.shape[0])):
        i, o, f, candidate = np.split(x[t] @ W.T + h @ R.T + B, 4, axis=1)
        c = sigmoid(f) * c + sigmoid(i) * np.tanh(candidate)
        if args.cell_clip is not None:
            clipped["cell"] += int(np.sum(np.abs(c) > args.cell_clip))
            c = np.clip(c, -args.cell_clip, args.cell_clip)
        h = (sigmoid(o) * np.tanh(c)) @ P.T
        if args.projection_clip is not None:
            clipped["projection"] += int(np.sum(np.abs(h) > args.projection_clip))
            h = np.clip(h, -args.projection_clip, args.projection_clip)
        out[t] = h
    return out, clipped


directions = [(f"{args.prefix}.forward", False), (f"{args.prefix}.reverse", True)] if args.bidirectional \
    else [(args.prefix, args.reverse)]
input_size = weights[f"{directions[0][0]}.W"].shape[1]
x = (2 * np.random.default_rng(0).standard_normal((args.seq, args.batch, input_size))).astype(np.float32)

session = onnxruntime.InferenceSession(args.model, providers=["CPUExecutionProvider"])
(ours,) = session.run(None, {session.get_inputs()[0].name: x})
results = [lstmp(x.astype(np.float64), prefix, reverse) for prefix, reverse in directions]
reference = np.concatenate([out for out, _ in results], axis=2)
# Element by element, the tests' fp32 tolerance: |ours - reference| <= 1e-5 + 1e-4·|reference|.
error = np.abs(ours.astype(np.float64) - reference)
print(json.dumps({
    "output_shape": list(ours.shape),
    "output_dtype": str(ours.dtype),
    "max_abs_error": float(error.max()),
    "max_abs_reference": float(np.abs(reference).max()),
    "within_tolerance": bool(np.all(error <= 1e-5 + 1e-4 * np.abs(reference))),
    "cell_clipped": sum(clipped["cell"] for _, clipped in results),
    "projection_clipped": sum(clipped["projection"] for _, clipped in results),
    "elements": int(reference.size),
}))
