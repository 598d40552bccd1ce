"""Writes a model using Split in the form its opset defines: sizes as an attribute before
13, as an input from 13, and (from 18) an uneven split by num_outputs, to test that import
gives them the same meaning.

usage: make_movement_legacy_onnx.py OUT.onnx OPSET
"""
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

out, opset = sys.argv[1], int(sys.argv[2])
initializers = []
if opset < 13:
    nodes = [helper.make_node("Split", ["x"], ["a", "b"], name="split", axis=1, split=[2, 5])]
else:
    initializers.append(numpy_helper.from_array(np.array([2, 5], np.int64), "sizes"))
    nodes = [helper.make_node("Split", ["x", "sizes"], ["a", "b"], name="split", axis=1)]
chunks = {"num_outputs": 3} if opset >= 18 else {}
nodes.append(helper.make_node("Split", ["b"], ["c", "d", "e"], name="chunks", axis=-1, **chunks))
shapes = {"a": ["N", 2], "c": ["N", 2], "d": ["N", 2], "e": ["N", 1]} if opset >= 18 else None
if opset < 18:  # equal chunks only: split the 5 columns of b after padding them to 6
    initializers.append(numpy_helper.from_array(np.array([0, 0, 0, 1], np.int64), "pads"))
    nodes[-1] = helper.make_node("Pad", ["b", "pads"], ["b6"], name="pad")
    nodes.append(helper.make_node("Split", ["b6"], ["c", "d", "e"], name="chunks", axis=-1))
    shapes = {"a": ["N", 2], "c": ["N", 2], "d": ["N", 2], "e": ["N", 2]}
outputs = [helper.make_tensor_value_info(name, TensorProto.FLOAT, dims) for name, dims in shapes.items()]
graph = helper.make_graph(nodes, "split", [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", 7])], outputs,
                          initializers)
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])
model.ir_version = 7
onnx.checker.check_model(model, full_check=True)
onnx.save(model, out)
