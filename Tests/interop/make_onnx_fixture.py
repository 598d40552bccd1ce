"""Writes a small ONNX model with the onnx helper API (not our writer), for import tests:
Conv → Relu → MaxPool → Unsqueeze/Squeeze (axes as attributes at opset 11, as inputs at 13)
→ Flatten → Gemm, weights as typed float_data fields and as raw_data.

usage: make_onnx_fixture.py OUT.onnx OPSET
"""
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

out, opset = sys.argv[1], int(sys.argv[2])
rng = np.random.default_rng(1)
conv_w = rng.standard_normal((4, 1, 3, 3)).astype(np.float32)
fc_w = rng.standard_normal((3, 64)).astype(np.float32)
initializers = [
    helper.make_tensor("conv.weight", TensorProto.FLOAT, conv_w.shape, conv_w.flatten().tolist()),  # float_data
    numpy_helper.from_array(fc_w, "fc.weight"),  # raw_data
    numpy_helper.from_array(np.zeros(3, np.float32), "fc.bias"),
]
nodes = [
    helper.make_node("Conv", ["x", "conv.weight"], ["c"], name="conv", pads=[1, 1, 1, 1]),
    helper.make_node("Relu", ["c"], ["r"], name="relu"),
    helper.make_node("MaxPool", ["r"], ["p"], name="pool", kernel_shape=[2, 2], strides=[2, 2]),
]
if opset < 13:
    nodes += [helper.make_node("Unsqueeze", ["p"], ["u"], name="unsqueeze", axes=[0]),
              helper.make_node("Squeeze", ["u"], ["s"], name="squeeze", axes=[0])]
else:
    initializers.append(numpy_helper.from_array(np.array([0], np.int64), "axes"))
    nodes += [helper.make_node("Unsqueeze", ["p", "axes"], ["u"], name="unsqueeze"),
              helper.make_node("Squeeze", ["u", "axes"], ["s"], name="squeeze")]
nodes += [helper.make_node("Flatten", ["s"], ["f"], name="flatten"),
          helper.make_node("Gemm", ["f", "fc.weight", "fc.bias"], ["y"], name="fc", transB=1)]
graph = helper.make_graph(
    nodes, "fixture",
    [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", 1, 8, 8])],
    [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["N", 3])],
    initializers)
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)], producer_name="onnx-helper")
model.ir_version = 7
onnx.checker.check_model(model, full_check=True)
onnx.save(model, out)
