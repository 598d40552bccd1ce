"""Writes Tests/Fixtures/control_flow: small models with If and Loop, each in the layout of the
ONNX backend tests (model.onnx, test_data_set_0 and _1 at two input sizes, outputs computed by
onnxruntime). Four are written with the onnx package's helpers; one is exported by PyTorch's
TorchScript exporter from a scripted function with a for loop and an if (when torch is
importable: run with the fixture venv).

    /tmp/fixtures/bin/python Tests/interop/make_control_flow_fixtures.py [OUT_DIR]

- if_nested: an If on sum(x) > 0 whose then-branch reads the outer weight w and holds a
  nested If (on x[0,0] > 0) that reads x; the else-branch reads x. Data set 0 takes the then
  branch, data set 1 the else branch.
- loop_scan_outputs: Loop with a constant M = 4 and no condition, carrying s and stacking
  s at every iteration (s' = s + x * i), x read from the outer graph.
- loop_early_exit: Loop with M = 50 and a condition the body computes (max(s') < 10):
  the iteration count depends on the data; carried values only.
- loop_in_if: an If whose then-branch runs a Loop (M = 3, condition given) reading x.
- torch_scripted: torch.jit.script of a module with `for i in range(x.size(0))` (a Loop
  whose trip count is the batch size) and `if x.sum() > 0`, exported with a dynamic batch.
"""
import os
import sys

import numpy as np
import onnx
import onnxruntime
from onnx import TensorProto, helper, numpy_helper

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "Tests", "Fixtures", "control_flow")
FLOAT = TensorProto.FLOAT


def value(name, dims, dtype=FLOAT):
    return helper.make_tensor_value_info(name, dtype, dims)


def const(name, array):
    return helper.make_node("Constant", [], [name], name=name, value=numpy_helper.from_array(np.array(array)))


def save(name, model, inputs):
    """Writes the model and, for each feed dict in `inputs`, a data set with onnxruntime's outputs."""
    onnx.checker.check_model(model, full_check=True)
    directory = os.path.join(OUT, name)
    os.makedirs(directory, exist_ok=True)
    with open(os.path.join(directory, "model.onnx"), "wb") as f:
        f.write(model.SerializeToString())
    session = onnxruntime.InferenceSession(os.path.join(directory, "model.onnx"), providers=["CPUExecutionProvider"])
    for index, feeds in enumerate(inputs):
        data_set = os.path.join(directory, f"test_data_set_{index}")
        os.makedirs(data_set, exist_ok=True)
        for position, model_input in enumerate(session.get_inputs()):
            with open(os.path.join(data_set, f"input_{position}.pb"), "wb") as f:
                f.write(numpy_helper.from_array(feeds[model_input.name], model_input.name).SerializeToString())
        for position, result in enumerate(session.run(None, feeds)):
            with open(os.path.join(data_set, f"output_{position}.pb"), "wb") as f:
                f.write(numpy_helper.from_array(np.require(result, requirements="C")).SerializeToString())


def model(nodes, inputs, outputs, initializers=(), opset=17):
    graph = helper.make_graph(nodes, "control_flow", inputs, outputs, list(initializers))
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])


rng = np.random.default_rng(12)
W = numpy_helper.from_array(rng.standard_normal(4).astype(np.float32), "w")


def x_feeds(positive_first=True):
    small = np.abs(rng.standard_normal((2, 4))).astype(np.float32)
    large = -np.abs(rng.standard_normal((5, 4))).astype(np.float32)
    return [{"x": small}, {"x": large}] if positive_first else [{"x": -small}, {"x": -large}]


def if_nested():
    inner_then = helper.make_graph([helper.make_node("Mul", ["x", "x"], ["inner_out"], name="square")],
                                   "inner_then", [], [value("inner_out", ["batch", 4])])
    inner_else = helper.make_graph([helper.make_node("Neg", ["x"], ["inner_out_else"], name="negate")],
                                   "inner_else", [], [value("inner_out_else", ["batch", 4])])
    then_branch = helper.make_graph(
        [helper.make_node("Mul", ["x", "w"], ["scaled"], name="scale"),
         helper.make_node("Slice", ["x", "zero", "one"], ["corner"], name="corner"),
         helper.make_node("ReduceSum", ["corner"], ["corner_sum"], name="corner_sum", keepdims=0),
         helper.make_node("Greater", ["corner_sum", "zero_f"], ["inner_condition"], name="inner_condition"),
         helper.make_node("If", ["inner_condition"], ["inner"], name="inner_if", then_branch=inner_then, else_branch=inner_else),
         helper.make_node("Add", ["scaled", "inner"], ["then_out"], name="combine")],
        "then_branch", [], [value("then_out", ["batch", 4])],
        [numpy_helper.from_array(np.array([0], np.int64), "zero"), numpy_helper.from_array(np.array([1], np.int64), "one"),
         numpy_helper.from_array(np.array(0, np.float32), "zero_f")])
    else_branch = helper.make_graph([helper.make_node("Sub", ["x", "w"], ["else_out"], name="shift")],
                                    "else_branch", [], [value("else_out", ["batch", 4])])
    nodes = [helper.make_node("ReduceSum", ["x"], ["total"], name="total", keepdims=0),
             const("zero_total", np.float32(0)),
             helper.make_node("Greater", ["total", "zero_total"], ["positive"], name="positive"),
             helper.make_node("If", ["positive"], ["y"], name="branch", then_branch=then_branch, else_branch=else_branch)]
    save("if_nested", model(nodes, [value("x", ["batch", 4])], [value("y", ["batch", 4])], [W]), x_feeds())


def loop_scan_outputs():
    body = helper.make_graph(
        [helper.make_node("Cast", ["i"], ["i_float"], name="i_float", to=FLOAT),
         helper.make_node("Mul", ["x", "i_float"], ["step"], name="step"),
         helper.make_node("Add", ["s", "step"], ["s_next"], name="accumulate"),
         helper.make_node("Identity", ["condition"], ["condition_next"], name="keep_going"),
         helper.make_node("Identity", ["s_next"], ["s_out"], name="emit")],
        "body", [value("i", [], TensorProto.INT64), value("condition", [], TensorProto.BOOL), value("s", ["batch", 4])],
        [value("condition_next", [], TensorProto.BOOL), value("s_next", ["batch", 4]), value("s_out", ["batch", 4])])
    nodes = [const("trip_count", np.int64(4)),
             helper.make_node("Mul", ["x", "w"], ["s0"], name="start"),
             helper.make_node("Loop", ["trip_count", "", "s0"], ["s_final", "history"], name="loop", body=body)]
    save("loop_scan_outputs", model(nodes, [value("x", ["batch", 4])],
                                    [value("s_final", ["batch", 4]), value("history", [4, "batch", 4])], [W]), x_feeds())


def loop_early_exit():
    body = helper.make_graph(
        [helper.make_node("Abs", ["x"], ["magnitude"], name="magnitude"),
         helper.make_node("Add", ["s", "magnitude"], ["s_next"], name="accumulate"),
         helper.make_node("ReduceMax", ["s_next"], ["largest"], name="largest", keepdims=0),
         const("limit", np.float32(10)),
         helper.make_node("Less", ["largest", "limit"], ["condition_next"], name="below_limit"),
         helper.make_node("Add", ["count", "one"], ["count_next"], name="count")],
        "body", [value("i", [], TensorProto.INT64), value("condition", [], TensorProto.BOOL),
                 value("s", ["batch", 4]), value("count", [], TensorProto.INT64)],
        [value("condition_next", [], TensorProto.BOOL), value("s_next", ["batch", 4]), value("count_next", [], TensorProto.INT64)],
        [numpy_helper.from_array(np.array(1, np.int64), "one")])
    nodes = [const("trip_count", np.int64(50)), const("start", np.array(True)), const("no_count", np.int64(0)),
             helper.make_node("Mul", ["x", "zero"], ["s0"], name="s0"),
             helper.make_node("Loop", ["trip_count", "start", "s0", "no_count"], ["s_final", "iterations"], name="loop", body=body)]
    save("loop_early_exit", model(nodes, [value("x", ["batch", 4])],
                                  [value("s_final", ["batch", 4]), value("iterations", [], TensorProto.INT64)],
                                  [numpy_helper.from_array(np.array(0, np.float32), "zero")]), x_feeds())


def loop_in_if():
    body = helper.make_graph(
        [helper.make_node("Mul", ["s", "x"], ["s_next"], name="multiply"),
         helper.make_node("Identity", ["condition"], ["condition_next"], name="keep_going")],
        "body", [value("i", [], TensorProto.INT64), value("condition", [], TensorProto.BOOL), value("s", ["batch", 4])],
        [value("condition_next", [], TensorProto.BOOL), value("s_next", ["batch", 4]), ])
    then_branch = helper.make_graph(
        [const("three", np.int64(3)), const("go", np.array(True)),
         helper.make_node("Loop", ["three", "go", "x"], ["cubed"], name="power", body=body)],
        "then_branch", [], [value("cubed", ["batch", 4])])
    else_branch = helper.make_graph([helper.make_node("Identity", ["x"], ["unchanged"], name="unchanged")],
                                    "else_branch", [], [value("unchanged", ["batch", 4])])
    nodes = [helper.make_node("ReduceMean", ["x"], ["mean"], name="mean", keepdims=0),
             const("zero", np.float32(0)),
             helper.make_node("Greater", ["mean", "zero"], ["positive"], name="positive"),
             helper.make_node("If", ["positive"], ["y"], name="branch", then_branch=then_branch, else_branch=else_branch)]
    save("loop_in_if", model(nodes, [value("x", ["batch", 4])], [value("y", ["batch", 4])]), x_feeds())


def torch_scripted():
    try:
        import torch
    except ImportError:
        print("torch is not importable: torch_scripted not written")
        return

    class Scripted(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.weight = torch.nn.Parameter(torch.linspace(-1, 1, 4))

        def forward(self, x):
            s = x * self.weight
            for i in range(x.size(0)):
                s = s + x[i] * float(i)
            if bool(x.sum() > 0):
                s = s * 2.0
            else:
                s = s - 1.0
            return s

    module = torch.jit.script(Scripted())
    directory = os.path.join(OUT, "torch_scripted")
    os.makedirs(directory, exist_ok=True)
    path = os.path.join(directory, "model.onnx")
    torch.onnx.export(module, (torch.ones(2, 4),), path, input_names=["x"], output_names=["y"],
                      dynamic_axes={"x": {0: "batch"}, "y": {0: "batch"}}, opset_version=17, dynamo=False)
    save("torch_scripted", onnx.load(path), x_feeds())


os.makedirs(OUT, exist_ok=True)
if_nested()
loop_scan_outputs()
loop_early_exit()
loop_in_if()
torch_scripted()
