"""Checks an ONNX file with the reference tools: onnx.checker (full check), onnx shape
inference, and onnxruntime on seeded random inputs. Prints one JSON object.

usage: onnx_check.py MODEL.onnx [DIM=VALUE ...]   (values for symbolic dims when running)
"""
import json
import sys

import numpy as np
import onnx
import onnxruntime

path = sys.argv[1]
dim_values = dict(arg.split("=") for arg in sys.argv[2:])
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
    shape = [dim if isinstance(dim, int) else int(dim_values.get(dim, 1)) for dim in graph_input.shape]
    if "int" in graph_input.type:
        feeds[graph_input.name] = rng.integers(0, 2, size=shape).astype(np.int64)
    else:
        feeds[graph_input.name] = rng.standard_normal(shape).astype(np.float32)
outputs = session.run(None, feeds)
print(json.dumps({
    "ir_version": model.ir_version,
    "opset": [op.version for op in model.opset_import if op.domain in ("", "ai.onnx")][0],
    "producer": model.producer_name,
    "metadata": {p.key: p.value for p in model.metadata_props},
    "types": types,
    "output_shapes": [list(o.shape) for o in outputs],
}))
