"""Writes one ONNX file of an operator variant read as another op.

  scatter: Scatter at opset 10 (ScatterElements' older name), axis 1; inputs 'data'
           float32 [3, 4], 'indices' int64 [3, 2], 'updates' float32 [3, 2].
  dropout: Dropout at opset 22 in training mode with a constant ratio of 0, and its mask;
           input 'x' float32 [2, 5]. With RATIO given, that ratio instead.

usage: make_variant_onnx.py OUT.onnx scatter|dropout [RATIO]
"""
import sys

from onnx import TensorProto, helper

path, variant = sys.argv[1], sys.argv[2]
FLOAT, INT64, BOOL = TensorProto.FLOAT, TensorProto.INT64, TensorProto.BOOL
if variant == "scatter":
    opset = 10
    nodes = [helper.make_node("Scatter", ["data", "indices", "updates"], ["y"], name="scatter", axis=1)]
    inputs = [helper.make_tensor_value_info("data", FLOAT, [3, 4]), helper.make_tensor_value_info("indices", INT64, [3, 2]),
              helper.make_tensor_value_info("updates", FLOAT, [3, 2])]
    outputs = [helper.make_tensor_value_info("y", FLOAT, [3, 4])]
    initializers = []
else:
    opset = 22
    ratio = float(sys.argv[3]) if len(sys.argv) > 3 else 0.0
    nodes = [helper.make_node("Dropout", ["x", "ratio", "training_mode"], ["y", "mask"], name="dropout", seed=0)]
    inputs = [helper.make_tensor_value_info("x", FLOAT, [2, 5])]
    outputs = [helper.make_tensor_value_info("y", FLOAT, [2, 5]), helper.make_tensor_value_info("mask", BOOL, [2, 5])]
    initializers = [helper.make_tensor("ratio", FLOAT, [], [ratio]), helper.make_tensor("training_mode", BOOL, [], [True])]
graph = helper.make_graph(nodes, variant, inputs, outputs, initializers)
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])
with open(path, "wb") as f:
    f.write(model.SerializeToString())
