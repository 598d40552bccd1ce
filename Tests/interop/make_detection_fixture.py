"""Writes Tests/Fixtures/detection/tiny_detector: a small detection-style graph built with
onnx.helper (random seeded weights): a Conv head reads boxes (center form, through Sigmoid)
and two classes' scores from an image of any height and width, NonMaxSuppression keeps at
most 20 boxes per class (IoU 0.3, score above 0.7), and Gather picks the kept boxes. The number
of kept boxes depends on the image's values, so running it needs the executor to learn
NonMaxSuppression's inputs first.

Two data sets, images 1 x 3 x 12 x 16 and 1 x 3 x 20 x 10 (seeds 1 and 2), with
onnxruntime's outputs (onnx.checker full check first). Made once with onnx 1.23.2 and
onnxruntime 1.32.0; used by Tests/ZooConformanceTests/DetectionFixture*Tests.swift.

usage: make_detection_fixture.py [OUT_DIR]   (default Tests/Fixtures/detection/tiny_detector)
"""
import os
import sys

import numpy as np
import onnx
import onnxruntime
from onnx import TensorProto, helper, numpy_helper

root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(root, "Tests/Fixtures/detection/tiny_detector")
rng = np.random.default_rng(0)


def weight(name, shape, scale=0.4):
    return numpy_helper.from_array((rng.standard_normal(shape) * scale).astype(np.float32), name)


def int64s(name, values):
    return numpy_helper.from_array(np.array(values, dtype=np.int64), name)


def floats(name, values):
    return numpy_helper.from_array(np.array(values, dtype=np.float32), name)


nodes = [
    helper.make_node("Conv", ["image", "box_weight", "box_bias"], ["box_map"], name="box_head", pads=[1, 1, 1, 1]),
    helper.make_node("Sigmoid", ["box_map"], ["box_unit"], name="box_sigmoid"),
    helper.make_node("Reshape", ["box_unit", "box_rows"], ["box_rows_by_coordinate"], name="box_reshape"),
    helper.make_node("Transpose", ["box_rows_by_coordinate"], ["boxes"], name="box_transpose", perm=[0, 2, 1]),
    helper.make_node("Conv", ["image", "score_weight", "score_bias"], ["score_map"], name="score_head", pads=[1, 1, 1, 1]),
    helper.make_node("Sigmoid", ["score_map"], ["score_unit"], name="score_sigmoid"),
    helper.make_node("Reshape", ["score_unit", "score_rows"], ["scores"], name="score_reshape"),
    helper.make_node("NonMaxSuppression", ["boxes", "scores", "max_per_class", "iou", "score_threshold"], ["selected"],
                     name="nms", center_point_box=1),
    helper.make_node("Gather", ["selected", "box_column"], ["box_index"], name="box_index", axis=1),
    helper.make_node("Squeeze", ["boxes", "batch_axis"], ["image_boxes"], name="image_boxes"),
    helper.make_node("Gather", ["image_boxes", "box_index"], ["detections"], name="detections", axis=0),
]
initializers = [
    weight("box_weight", [4, 3, 3, 3], 0.1), weight("box_bias", [4], 0.1), weight("score_weight", [2, 3, 3, 3]), weight("score_bias", [2]),
    int64s("box_rows", [1, 4, -1]), int64s("score_rows", [1, 2, -1]), int64s("max_per_class", [20]), floats("iou", [0.3]),
    floats("score_threshold", [0.7]), int64s("box_column", 2), int64s("batch_axis", [0]),
]
graph = helper.make_graph(
    nodes, "tiny_detector", [helper.make_tensor_value_info("image", TensorProto.FLOAT, [1, 3, "height", "width"])],
    [helper.make_tensor_value_info("selected", TensorProto.INT64, ["kept", 3]),
     helper.make_tensor_value_info("detections", TensorProto.FLOAT, ["kept", 4])], initializers)
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], producer_name="make_detection_fixture.py")
os.makedirs(out, exist_ok=True)
path = os.path.join(out, "model.onnx")
onnx.save(model, path)
onnx.checker.check_model(path, full_check=True)
session = onnxruntime.InferenceSession(path, providers=["CPUExecutionProvider"])
for index, (shape, seed) in enumerate([((1, 3, 12, 16), 1), ((1, 3, 20, 10), 2)]):
    data_set = os.path.join(out, f"test_data_set_{index}")
    os.makedirs(data_set, exist_ok=True)
    image = np.random.default_rng(seed).standard_normal(shape).astype(np.float32)
    with open(os.path.join(data_set, "input_0.pb"), "wb") as f:
        f.write(numpy_helper.from_array(image, "image").SerializeToString())
    for output_index, value in enumerate(session.run(None, {"image": image})):
        with open(os.path.join(data_set, f"output_{output_index}.pb"), "wb") as f:
            f.write(numpy_helper.from_array(value).SerializeToString())
        print(f"{data_set}: output {output_index} {value.shape}")
