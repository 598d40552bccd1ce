"""Writes a model holding Upsample or Resize in the form an old opset defines, to test that
import gives it the same meaning as onnxruntime does:
- 7: Upsample with scales as an attribute (nearest, integer factors) and linear;
- 9: Upsample with scales as an input (nearest, linear);
- 10: Resize(X, scales), nearest upsampling and linear (asymmetric);
- 11: Resize(X, roi, scales, sizes) with tf_half_pixel_for_nn nearest and cubic to sizes.
Each node reads x [N, 2, 3, 4] and writes one output.

usage: make_resample_legacy_onnx.py OUT.onnx OPSET
"""
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

out, opset = sys.argv[1], int(sys.argv[2])
initializers = []


def constant(name, values, dtype=np.float32):
    initializers.append(numpy_helper.from_array(np.array(values, dtype), name))
    return name


if opset < 9:
    nodes = [helper.make_node("Upsample", ["x"], ["a"], name="nearest", mode="nearest", scales=[1.0, 1.0, 2.0, 3.0]),
             helper.make_node("Upsample", ["x"], ["b"], name="linear", mode="linear", scales=[1.0, 1.0, 2.5, 1.5])]
elif opset == 9:
    nodes = [helper.make_node("Upsample", ["x", constant("s1", [1, 1, 2, 3])], ["a"], name="nearest", mode="nearest"),
             helper.make_node("Upsample", ["x", constant("s2", [1, 1, 2.5, 1.5])], ["b"], name="linear", mode="linear")]
elif opset == 10:
    nodes = [helper.make_node("Resize", ["x", constant("s1", [1, 1, 2, 1.5])], ["a"], name="nearest", mode="nearest"),
             helper.make_node("Resize", ["x", constant("s2", [1, 1, 0.7, 2.5])], ["b"], name="linear", mode="linear")]
else:
    roi = constant("roi", [])
    nodes = [helper.make_node("Resize", ["x", roi, constant("s1", [1, 1, 1.5, 2.5])], ["a"], name="nearest", mode="nearest",
                              coordinate_transformation_mode="tf_half_pixel_for_nn"),
             helper.make_node("Resize", ["x", roi, constant("s2", []), constant("n", [1, 2, 5, 7], np.int64)], ["b"],
                              name="cubic", mode="cubic")]
outputs = [helper.make_tensor_value_info(name, TensorProto.FLOAT, [f"{name}{axis}" for axis in range(4)]) for name in ("a", "b")]
graph = helper.make_graph(nodes, "resample", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 2, 3, 4])], outputs,
                          initializers)
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])
model.ir_version = 7
onnx.checker.check_model(model, full_check=True)
onnx.save(model, out)
