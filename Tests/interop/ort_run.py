"""Runs an ONNX file with onnxruntime (CPU, ORT_ENABLE_ALL) on inputs read from .npy files
and writes every output as OUTPUT_DIR/output_<i>.npy, in graph-output order.

usage: ort_run.py [--reference] MODEL.onnx OUTPUT_DIR NAME=INPUT.npy ...
--reference uses onnx.reference.ReferenceEvaluator instead, for the op variants
onnxruntime refuses (LSTM layout 1, LRN with an even size).
Prints the output names as a JSON list.
"""
import json
import sys

import numpy as np
import onnxruntime

arguments = sys.argv[1:]
use_reference = arguments[0] == "--reference"
if use_reference:
    arguments = arguments[1:]
model, output_dir = arguments[0], arguments[1]
feeds = {name: np.load(path) for name, path in (arg.split("=", 1) for arg in arguments[2:])}
if use_reference:
    import onnx
    from onnx.reference import ReferenceEvaluator

    session = ReferenceEvaluator(onnx.load(model))
    names = list(session.output_names)
else:
    options = onnxruntime.SessionOptions()
    options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_ALL
    session = onnxruntime.InferenceSession(model, options, providers=["CPUExecutionProvider"])
    names = [output.name for output in session.get_outputs()]
for index, value in enumerate(session.run(names, feeds)):
    # np.ascontiguousarray would turn a scalar (Size's output) into shape (1,).
    np.save(f"{output_dir}/output_{index}.npy", np.require(value, requirements="C"))
print(json.dumps(names))
