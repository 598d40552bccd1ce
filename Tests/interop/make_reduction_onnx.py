"""Writes one ONNX file exercising the reductions family in the forms of an opset: at 11,
LogSoftmax and Hardmax coerced to 2-D, Reduce axes as attributes, TopK's k as an input; at
18, Reduce axes as inputs and noop_with_empty_axes. Input 'x' is float32 [2, 3, 4]; with
--run-time-axes (opset 18 or later) ReduceSumSquare's axes are a second graph input, 'axes'
(int64 [2]), instead of a constant.

usage: make_reduction_onnx.py OUT.onnx OPSET [--run-time-axes]
"""
import sys

from onnx import TensorProto, helper

path, opset = sys.argv[1], int(sys.argv[2])
run_time_axes = "--run-time-axes" in sys.argv[3:]
FLOAT, INT64 = TensorProto.FLOAT, TensorProto.INT64
nodes = [
    helper.make_node("LogSoftmax", ["x"], ["log_softmax"], name="log_softmax", axis=1),
    helper.make_node("Hardmax", ["x"], ["hardmax"], name="hardmax", axis=2),
    helper.make_node("TopK", ["x", "k"], ["top_values", "top_indices"], name="top", axis=1, largest=0),
    helper.make_node("ArgMax", ["x"], ["arg_max"], name="arg_max", axis=-1, keepdims=0),
    helper.make_node("CumSum", ["x", "axis"], ["cumulative"], name="cumulative", exclusive=1),
]
initializers = [helper.make_tensor("k", INT64, [1], [2]), helper.make_tensor("axis", INT64, [], [2])]
if opset < 18:
    nodes += [
        helper.make_node("ReduceL2", ["x"], ["l2"], name="l2", axes=[0, 2], keepdims=0),
        helper.make_node("ReduceLogSumExp", ["x"], ["log_sum_exp"], name="log_sum_exp"),
    ]
    reduced = [("l2", [3]), ("log_sum_exp", [1, 1, 1])]
else:
    if not run_time_axes:
        initializers.append(helper.make_tensor("axes", INT64, [2], [0, -1]))
    nodes += [
        helper.make_node("ReduceSumSquare", ["x", "axes"], ["l2"], name="l2", keepdims=0),
        helper.make_node("ReduceMax", ["x"], ["log_sum_exp"], name="log_sum_exp", noop_with_empty_axes=1),
    ]
    reduced = [("l2", [3]), ("log_sum_exp", [2, 3, 4])]
outputs = [("log_softmax", FLOAT, [2, 3, 4]), ("hardmax", FLOAT, [2, 3, 4]), ("top_values", FLOAT, [2, 2, 4]),
           ("top_indices", INT64, [2, 2, 4]), ("arg_max", INT64, [2, 3]), ("cumulative", FLOAT, [2, 3, 4])]
outputs += [(name, FLOAT, dims) for name, dims in reduced]
inputs = [helper.make_tensor_value_info("x", FLOAT, [2, 3, 4])]
if run_time_axes:
    inputs.append(helper.make_tensor_value_info("axes", INT64, [2]))
graph = helper.make_graph(nodes, "reductions", inputs,
                          [helper.make_tensor_value_info(name, dtype, dims) for name, dtype, dims in outputs],
                          initializers)
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])
with open(path, "wb") as f:
    f.write(model.SerializeToString())
