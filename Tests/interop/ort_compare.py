"""Runs an ONNX file with onnxruntime on the given inputs and compares every output with
the .npy file of the same name that `zoo run --output DIR` wrote: same dtype and shape;
integers exactly, floats to 1e-6 relative plus 1e-7 absolute per element (a few float32
roundings of a handful of values). Prints what differs and exits 1 if anything does.

usage: ort_compare.py MODEL.onnx ZOO_OUTPUT_DIR NAME=INPUT.npy ...
"""
import sys

import numpy as np
import onnxruntime
from output_file import output_file

model, zoo_dir = sys.argv[1], sys.argv[2]
feeds = {name: np.load(path) for name, path in (arg.split("=", 1) for arg in sys.argv[3:])}
session = onnxruntime.InferenceSession(model, providers=["CPUExecutionProvider"])
names = [output.name for output in session.get_outputs()]
failures = []
for name, expected in zip(names, session.run(names, feeds)):
    ours = np.load(output_file(zoo_dir, name))
    if ours.dtype != expected.dtype or ours.shape != expected.shape:
        failures.append(f"{name}: zoo {ours.dtype}{list(ours.shape)}, onnxruntime {expected.dtype}{list(expected.shape)}")
    elif np.issubdtype(expected.dtype, np.integer) and not np.array_equal(ours, expected):
        failures.append(f"{name}: zoo {ours.tolist()}, onnxruntime {expected.tolist()}")
    elif not np.allclose(ours, expected, rtol=1e-6, atol=1e-7):
        failures.append(f"{name}: zoo {ours.ravel()[:8]}, onnxruntime {expected.ravel()[:8]}")
if failures:
    print("\n".join(failures))
    sys.exit(1)
