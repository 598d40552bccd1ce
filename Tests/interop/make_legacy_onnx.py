"""Writes a model in the forms older opsets use, to test import across opset versions:
BatchNormalization with spatial, Dropout with a ratio attribute, Slice with bounds as
attributes (before 10), Unsqueeze with axes as an attribute (before 13), Softmax with the
2-D coercion semantics (before 13), and Constant's value_ints (from 12).

usage: make_legacy_onnx.py OUT.onnx OPSET
"""
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

out, opset = sys.argv[1], int(sys.argv[2])
rng = np.random.default_rng(3)
initializers = [numpy_helper.from_array(rng.standard_normal(4).astype(np.float32), name)
                for name in ("bn.scale", "bn.bias", "bn.mean")]
initializers.append(numpy_helper.from_array(np.abs(rng.standard_normal(4)).astype(np.float32) + 0.5, "bn.var"))
bn_attributes = {"epsilon": 1e-5}
if opset < 9:
    bn_attributes["spatial"] = 1
nodes = [helper.make_node("BatchNormalization", ["x", "bn.scale", "bn.bias", "bn.mean", "bn.var"], ["bn"], name="bn", **bn_attributes)]
nodes.append(helper.make_node("Dropout", ["bn"], ["drop"], name="drop", **({"ratio": 0.5} if opset < 12 else {})))
if opset < 10:
    nodes.append(helper.make_node("Slice", ["drop"], ["sliced"], name="slice", starts=[1], ends=[5], axes=[3]))
else:
    initializers += [numpy_helper.from_array(np.array(v, np.int64), n) for n, v in (("starts", [1]), ("ends", [5]), ("axes", [3]))]
    nodes.append(helper.make_node("Slice", ["drop", "starts", "ends", "axes"], ["sliced"], name="slice"))
nodes.append(helper.make_node("Softmax", ["sliced"], ["probabilities"], name="softmax", axis=1))
if opset < 13:
    nodes.append(helper.make_node("Unsqueeze", ["probabilities"], ["y"], name="unsqueeze", axes=[0]))
else:
    nodes.append(helper.make_node("Constant", [], ["axes0"], name="axes0", value_ints=[0]))
    nodes.append(helper.make_node("Unsqueeze", ["probabilities", "axes0"], ["y"], name="unsqueeze"))
inputs = [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", 4, 3, 6])]
if opset < 8:  # IR version 3 lists every initializer as a graph input too
    inputs += [helper.make_tensor_value_info(t.name, t.data_type, t.dims) for t in initializers]
graph = helper.make_graph(nodes, "legacy", inputs,
                          [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, "N", 4, 3, 4])], initializers)
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])
model.ir_version = 3 if opset < 8 else 7
onnx.checker.check_model(model, full_check=True)
onnx.save(model, out)
