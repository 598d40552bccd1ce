"""Checks the model of a directory laid out as the ONNX backend tests are (model.onnx,
test_data_set_N/input_<i>.pb) with onnx.checker (full check), runs it with onnxruntime (CPU,
ORT_ENABLE_ALL) on one data set (test_data_set_0 unless named) and writes each output as
OUTPUT_DIR/output_<i>.pb, in graph-output order. With --pairs, does so for each MODEL_DIR
OUTPUT_DIR pair on test_data_set_0, in one process (Python and onnxruntime start once).

usage: ort_run_test_data.py MODEL_DIR OUTPUT_DIR [DATA_SET]
       ort_run_test_data.py --pairs MODEL_DIR OUTPUT_DIR [MODEL_DIR OUTPUT_DIR ...]
"""
import os
import sys

import onnx
import onnxruntime
from onnx import numpy_helper


def run(model_dir, output_dir, data_set="test_data_set_0"):
    model_path = os.path.join(model_dir, "model.onnx")
    onnx.checker.check_model(model_path, full_check=True)
    session = onnxruntime.InferenceSession(model_path, providers=["CPUExecutionProvider"])
    feeds = {}
    for index, model_input in enumerate(session.get_inputs()):
        with open(os.path.join(model_dir, data_set, f"input_{index}.pb"), "rb") as f:
            feeds[model_input.name] = numpy_helper.to_array(onnx.TensorProto.FromString(f.read()))
    for index, value in enumerate(session.run(None, feeds)):
        with open(os.path.join(output_dir, f"output_{index}.pb"), "wb") as f:
            f.write(numpy_helper.from_array(value).SerializeToString())


if sys.argv[1] == "--pairs":
    pairs = sys.argv[2:]
    for model_dir, output_dir in zip(pairs[0::2], pairs[1::2]):
        run(model_dir, output_dir)
else:
    run(*sys.argv[1:4])
