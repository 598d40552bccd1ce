"""Writes the ONNX backend conformance node tests (from the installed onnx package's own
test-case definitions) for the given operator types, in the layout of onnx's
`backend-test-tools generate-data`: OUT/<case>/model.onnx and
OUT/<case>/test_data_set_N/{input,output}_M.pb. Prints the number of cases written.

usage: generate_node_tests.py OUT_DIR OP_TYPE ...
"""
import os
import sys

from onnx import TensorProto, numpy_helper
from onnx.backend.test.case import node as node_cases

out, op_types = sys.argv[1], set(sys.argv[2:])


def write_tensor(path, value, name):
    tensor = value if isinstance(value, TensorProto) else numpy_helper.from_array(value, name)
    with open(path, "wb") as f:
        f.write(tensor.SerializeToString())


written = 0
for case in node_cases.collect_testcases(None):
    graph = case.model.graph
    if not {node.op_type for node in graph.node} <= op_types:
        continue
    if not all(v.type.HasField("tensor_type") for v in list(graph.input) + list(graph.output)):
        continue
    directory = os.path.join(out, case.name)
    os.makedirs(directory, exist_ok=True)
    with open(os.path.join(directory, "model.onnx"), "wb") as f:
        f.write(case.model.SerializeToString())
    for index, (inputs, outputs) in enumerate(case.data_sets):
        data = os.path.join(directory, f"test_data_set_{index}")
        os.makedirs(data, exist_ok=True)
        for position, value in enumerate(inputs):
            write_tensor(os.path.join(data, f"input_{position}.pb"), value, graph.input[position].name)
        for position, value in enumerate(outputs):
            write_tensor(os.path.join(data, f"output_{position}.pb"), value, graph.output[position].name)
    written += 1
print(written)
