"""Writes models whose nodes use forms their declared opset does not define, for the
importer's refusals: opset 13 with Shape's start, LayerNormalization, Gelu, ReduceMean with
axes as an input, Unsqueeze with axes as an attribute, Reshape's allowzero and
BatchNormalization's training_mode; opset 18 with ReduceMax's axes as an attribute.

usage: make_opset_mismatch_onnx.py OUT.onnx OPSET   (OPSET 13 or 18)
"""
import sys

import numpy as np
from onnx import TensorProto, helper, numpy_helper, save

out, opset = sys.argv[1], int(sys.argv[2])
x = helper.make_tensor_value_info("x", TensorProto.FLOAT, [2, 3, 4])
if opset == 13:
    initializers = [numpy_helper.from_array(np.ones(4, np.float32), name) for name in ("scale", "bn.scale", "bn.bias", "bn.mean", "bn.var")]
    initializers += [numpy_helper.from_array(np.array([-1], np.int64), "axes"),
                     numpy_helper.from_array(np.array([1, 2, 3, 4], np.int64), "target")]
    nodes = [
        helper.make_node("Shape", ["x"], ["s"], name="shape", start=1),
        helper.make_node("LayerNormalization", ["x", "scale"], ["n"], name="norm"),
        helper.make_node("Gelu", ["n"], ["g"], name="gelu"),
        helper.make_node("ReduceMean", ["g", "axes"], ["m"], name="mean"),
        helper.make_node("Unsqueeze", ["m"], ["u"], name="unsqueeze", axes=[0]),
        helper.make_node("Reshape", ["u", "target"], ["r"], name="reshape", allowzero=1),
        helper.make_node("BatchNormalization", ["r", "bn.scale", "bn.bias", "bn.mean", "bn.var"], ["y"], name="bn",
                         training_mode=0),
    ]
    y = helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 2, 3, 4])
else:
    initializers = []
    nodes = [helper.make_node("ReduceMax", ["x"], ["y"], name="max", axes=[2])]
    y = helper.make_tensor_value_info("y", TensorProto.FLOAT, [2, 3, 1])
graph = helper.make_graph(nodes, "mismatch", [x], [y], initializers)
save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)], ir_version=8), out)
