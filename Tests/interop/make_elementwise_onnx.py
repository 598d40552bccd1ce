"""Writes a model of the elementwise family (unary math, activations with non-default
attributes, binary, variadic Sum/Mean/Min/Max, logical, bitwise, CastLike) in the form the
given opset defines, its inputs, and onnxruntime's outputs on it, to test import, the
kernels and re-export. Ops newer than the opset are left out.

usage: make_elementwise_onnx.py OUT_DIR OPSET
"""
import sys

import numpy as np
import onnx
import onnxruntime
from onnx import TensorProto, helper, numpy_helper

out, opset = sys.argv[1], int(sys.argv[2])
rng = np.random.default_rng(11)
feeds = {"x": rng.uniform(-3, 3, (2, 3, 4)).astype(np.float32),
         "bits": rng.integers(0, 255, (2, 3, 4)).astype(np.uint8)}
initializers = [numpy_helper.from_array(rng.uniform(0.1, 0.5, (3, 1)).astype(np.float32), "slope"),
                numpy_helper.from_array(np.array(0.7, np.float32), "divisor"),
                numpy_helper.from_array(np.array([1, 2, 3, 4], np.uint8), "shift")]
nodes = []


def add(op, inputs, output, since=1, **attributes):
    """Adds the node when the opset has it; returns the value to use next."""
    if opset < since:
        return inputs[0]
    nodes.append(helper.make_node(op, inputs, [output], name=output, **attributes))
    return output


v = add("LeakyRelu", ["x"], "leaky", alpha=0.3)
v = add("HardSwish", [v], "hard_swish", since=14)
c = add("Celu", ["x"], "celu", since=12, alpha=1.5)
v = add("Sum", [v, c, "x"], "sum")
v = add("Mean", [v, "x"], "mean")
v = add("Min", [v, "x", c], "min")
v = add("Max", [v, "x", "leaky"], "max")
v = add("PRelu", [v, "slope"], "prelu")
v = add("Mod", [v, "divisor"], "mod", since=10, fmod=1)
v = add("Shrink", [v], "shrink", since=9, bias=0.1, lambd=0.2)
v = add("Selu", [v], "selu", alpha=1.2, gamma=0.9)
v = add("Elu", [v], "elu", alpha=0.8)
v = add("HardSigmoid", [v], "hard_sigmoid", alpha=0.3, beta=0.4)
v = add("ThresholdedRelu", [v], "thresholded", since=10, alpha=0.45)
v = add("Softplus", [v], "softplus")
v = add("Mish", [v], "mish", since=18)
v = add("Softsign", [v], "softsign")
v = add("Gelu", [v], "gelu", since=20, approximate="tanh")
v = add("Gelu", [v], "gelu_exact", since=20)
v = add("Sin", [v], "sin")
greater = add("Greater", [v, "x"], "greater")
less = add("LessOrEqual", [v, "x"], "less_or_equal", since=12)
logic = add("Xor", [greater, add("Not", [less], "not")], "xor")
flag = add("CastLike", [logic, "x"], "flag", since=15)
if opset < 15:
    flag = add("Cast", [logic], "flag", to=TensorProto.FLOAT)
add("Add", [add("Add", [v, flag], "flagged"), add("Round", ["x"], "round", since=11)], "y")
b = add("BitShift", ["bits", "shift"], "shifted", since=11, direction="LEFT")
add("BitwiseXor", [b, "bits"], "bits_out", since=18)
if opset < 18:
    add("Identity", [b], "bits_out")
add("IsInf", [add("Reciprocal", [add("Floor", ["x"], "floor")], "reciprocal")], "inf", since=10, detect_negative=0)

graph = helper.make_graph(
    nodes, "elementwise",
    [helper.make_tensor_value_info("x", TensorProto.FLOAT, [2, 3, 4]),
     helper.make_tensor_value_info("bits", TensorProto.UINT8, [2, 3, 4])],
    [helper.make_tensor_value_info("y", TensorProto.FLOAT, [2, 3, 4]),
     helper.make_tensor_value_info("bits_out", TensorProto.UINT8, [2, 3, 4]),
     helper.make_tensor_value_info("inf", TensorProto.BOOL, [2, 3, 4])],
    initializers)
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])
model.ir_version = 8
onnx.checker.check_model(model, full_check=True)
onnx.save(model, f"{out}/model.onnx")
session = onnxruntime.InferenceSession(f"{out}/model.onnx", providers=["CPUExecutionProvider"])
for name, value in feeds.items():
    np.save(f"{out}/{name}.npy", value)
for output, value in zip([o.name for o in session.get_outputs()], session.run(None, feeds)):
    np.save(f"{out}/expected_{output}.npy", value)
