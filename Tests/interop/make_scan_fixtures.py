"""Writes Scan models with the onnx package's own helpers (so they are not ours): one valid
model, and broken or hostile ones, each wrong in one way.

usage: make_scan_fixtures.py OUT_DIR
"""
import os
import sys

import numpy as np
from onnx import TensorProto, helper, numpy_helper

out = sys.argv[1]


def save(name, model):
    with open(os.path.join(out, name), "wb") as f:
        f.write(model.SerializeToString())


def vector(name):
    return helper.make_tensor_value_info(name, TensorProto.FLOAT, ["batch", 2])


def running_sum_body(name="body", weight="w"):
    """s' = s + x_t * w, emitted at every step; w is read from the enclosing graph."""
    return helper.make_graph(
        [helper.make_node("Mul", ["x_t", weight], ["weighted"], name="weighted"),
         helper.make_node("Add", ["s_prev", "weighted"], ["s_next"], name="sum"),
         helper.make_node("Identity", ["s_next"], ["y_t"], name="emit")],
        name, [vector("s_prev"), vector("x_t")], [vector("s_next"), vector("y_t")])


def model_with(nodes, opset=17, initializers=None):
    graph = helper.make_graph(
        nodes, "scan_fixture",
        [vector("s0"), helper.make_tensor_value_info("x", TensorProto.FLOAT, ["seq", "batch", 2])],
        [vector("s_final"), helper.make_tensor_value_info("y", TensorProto.FLOAT, ["seq", "batch", 2])],
        initializers if initializers is not None else [numpy_helper.from_array(np.array([2.0, 3.0], np.float32), "w")])
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])


def scan(body, **attributes):
    return helper.make_node("Scan", ["s0", "x"], ["s_final", "y"], name="scan", num_scan_inputs=1, body=body, **attributes)


save("running_sum.onnx", model_with([scan(running_sum_body(), scan_input_directions=[1], scan_output_directions=[1])]))
save("missing_body.onnx", model_with([helper.make_node("Scan", ["s0", "x"], ["s_final", "y"], name="scan", num_scan_inputs=1)]))
save("opset_8.onnx", model_with([scan(running_sum_body())], opset=8))
save("undefined_outer_value.onnx", model_with([scan(running_sum_body(weight="ghost"))]))
unsupported = running_sum_body()
unsupported.node[0].op_type = "StringNormalizer"
save("unsupported_body_node.onnx", model_with([scan(unsupported)]))


def nested(depth):
    """Scans nested `depth` deep that sum x over and over, each body scanning the main
    graph's x again; a state only, no per-step outputs."""
    body = helper.make_graph([helper.make_node("Add", ["s_prev", "x_t"], ["s_next"], name="sum")],
                             "innermost", [vector("s_prev"), vector("x_t")], [vector("s_next")])
    for level in range(depth - 1):
        names = [f"s_prev{level}", f"x_t{level}", f"s_next{level}"]
        body = helper.make_graph(
            [helper.make_node("Scan", [names[0], "x"], [names[2]], name="scan", num_scan_inputs=1, body=body)],
            f"level{level}", [vector(names[0]), vector(names[1])], [vector(names[2])])
    graph = helper.make_graph(
        [helper.make_node("Scan", ["s0", "x"], ["s_final"], name="scan", num_scan_inputs=1, body=body)], "nested",
        [vector("s0"), helper.make_tensor_value_info("x", TensorProto.FLOAT, ["seq", "batch", 2])], [vector("s_final")])
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])


save("nested_16.onnx", nested(16))
save("nested_17.onnx", nested(17))


def varint(value):
    encoded = bytearray()
    while True:
        byte, value = value & 0x7F, value >> 7
        encoded.append(byte | (0x80 if value else 0))
        if not value:
            return bytes(encoded)


def header(number, length):
    """A length-delimited field's key and length; its payload follows."""
    return varint(number << 3 | 2) + varint(length)


# 100,000 Scans inside each other, written as raw protobuf: 2.7 MB that would take
# protobuf-c's recursive parser some 300,000 levels deep. Every level wraps the one inside
# it at its end (graph.node, node.attribute, attribute.g are each a message's last field), so
# the file is the levels' prefixes, outermost first, built from the inside out.
prefixes, length = [], 0
for _ in range(100_000):
    attribute = header(1, 4) + b"body" + varint(20 << 3) + varint(5) + header(6, length)
    node = header(4, 4) + b"Scan" + header(5, len(attribute) + length)
    graph = header(1, len(node) + len(attribute) + length)
    prefixes += [attribute, node, graph]
    length += len(graph) + len(node) + len(attribute)
opset = varint(2 << 3) + varint(17)
with open(os.path.join(out, "nested_100000.onnx"), "wb") as f:
    f.write(varint(1 << 3) + varint(8) + header(8, len(opset)) + opset + header(7, length) + b"".join(reversed(prefixes)))
