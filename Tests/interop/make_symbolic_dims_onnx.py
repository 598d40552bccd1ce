"""Writes, with the onnx helper API (not our writer), a two-input model whose symbolic
dimensions are named N and sequence rather than batch and seq, and inputs for it, for the
CLI's dimension options and --top on a file:

  tokens float[N, sequence, 4], mask float[N, sequence]
  scores[N, 3] = Gemm(Flatten(MatMul(mask[:, None, :], tokens)), W, b, transB=1)

(the MatMul sums the tokens the mask keeps)

writes OUT_DIR/model.onnx, OUT_DIR/tokens.npy (float32 [2, 3, 4]) and OUT_DIR/mask.npy
(float32 [2, 3] of 0 and 1); prints {"ranking": each row's classes, best first} as JSON,
computed by numpy in float64.

usage: make_symbolic_dims_onnx.py OUT_DIR
"""
import json
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

out = sys.argv[1]
rng = np.random.default_rng(18)
weight = rng.standard_normal((3, 4)).astype(np.float32)
bias = rng.standard_normal(3).astype(np.float32)
tokens = rng.standard_normal((2, 3, 4)).astype(np.float32)
mask = np.array([[1, 1, 0], [1, 0, 1]], np.float32)

nodes = [
    helper.make_node("Unsqueeze", ["mask", "middle_axis"], ["mask_row"], name="unsqueeze"),
    helper.make_node("MatMul", ["mask_row", "tokens"], ["summed"], name="pool"),
    helper.make_node("Flatten", ["summed"], ["pooled"], name="flatten", axis=1),
    helper.make_node("Gemm", ["pooled", "fc.weight", "fc.bias"], ["scores"], name="fc", transB=1),
]
initializers = [
    numpy_helper.from_array(np.array([1], np.int64), "middle_axis"),
    numpy_helper.from_array(weight, "fc.weight"),
    numpy_helper.from_array(bias, "fc.bias"),
]
graph = helper.make_graph(
    nodes, "symbolic_dims",
    [helper.make_tensor_value_info("tokens", TensorProto.FLOAT, ["N", "sequence", 4]),
     helper.make_tensor_value_info("mask", TensorProto.FLOAT, ["N", "sequence"])],
    [helper.make_tensor_value_info("scores", TensorProto.FLOAT, ["N", 3])],
    initializers)
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
onnx.checker.check_model(model, full_check=True)
os.makedirs(out, exist_ok=True)
onnx.save(model, os.path.join(out, "model.onnx"))
np.save(os.path.join(out, "tokens.npy"), tokens)
np.save(os.path.join(out, "mask.npy"), mask)

pooled = (tokens.astype(np.float64) * mask[:, :, None]).sum(axis=1)
scores = pooled @ weight.astype(np.float64).T + bias
print(json.dumps({"ranking": np.argsort(-scores, axis=1).tolist(), "scores": scores.tolist()}))
