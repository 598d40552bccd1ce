"""Checks an ONNX file with the reference tools: onnx.checker (full check), onnx shape
inference, and onnxruntime on seeded random inputs or on given ones. Prints one JSON object.

usage: onnx_check.py MODEL.onnx [DIM=VALUE ...] [NAME=INPUT.npy ...] [--outputs DIR]
DIM=VALUE sets symbolic dims for random inputs; NAME=INPUT.npy feeds that input; with
--outputs, onnxruntime's outputs are also written as DIR/output_<i>.npy.
"""
import json
import sys

import numpy as np
import onnx
import onnxruntime

arguments = sys.argv[2:]
output_dir = None
if "--outputs" in arguments:
    index = arguments.index("--outputs")
    output_dir = arguments[index + 1]
    del arguments[index:index + 2]
path = sys.argv[1]
pairs = [arg.split("=", 1) for arg in arguments]
given = {name: np.load(value) for name, value in pairs if value.endswith(".npy")}
dim_values = {name: value for name, value in pairs if not value.endswith(".npy")}
model = onnx.load(path)
onnx.checker.check_model(model, full_check=True)
inferred = onnx.shape_inference.infer_shapes(model, strict_mode=True)


def describe(value_info):
    tensor_type = value_info.type.tensor_type
    dims = [d.dim_param if d.HasField("dim_param") else d.dim_value for d in tensor_type.shape.dim]
    return {"dtype": onnx.helper.tensor_dtype_to_np_dtype(tensor_type.elem_type).name, "dims": dims}


types = {v.name: describe(v) for v in list(inferred.graph.value_info) + list(inferred.graph.output)}
session = onnxruntime.InferenceSession(path, providers=["CPUExecutionProvider"])
rng = np.random.default_rng(0)
feeds = {}
for graph_input in session.get_inputs():
    if graph_input.name in given:
        feeds[graph_input.name] = given[graph_input.name]
        continue
    shape = [dim if isinstance(dim, int) else int(dim_values.get(dim, 1)) for dim in graph_input.shape]
    if "int" in graph_input.type:
        feeds[graph_input.name] = rng.integers(0, 2, size=shape).astype(np.int64)
    else:
        feeds[graph_input.name] = rng.standard_normal(shape).astype(np.float32)
outputs = session.run(None, feeds)
if output_dir:
    for index, value in enumerate(outputs):
        np.save(f"{output_dir}/output_{index}.npy", np.ascontiguousarray(value))
print(json.dumps({
    "ir_version": model.ir_version,
    "opset": [op.version for op in model.opset_import if op.domain in ("", "ai.onnx")][0],
    "producer": model.producer_name,
    "metadata": {p.key: p.value for p in model.metadata_props},
    "types": types,
    "output_shapes": [list(o.shape) for o in outputs],
}))
