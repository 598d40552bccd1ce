"""Writes a corpus of hostile or broken ONNX files, each wrong in one way, with the onnx
package's own protobuf classes (so the files are well-formed protobuf).

usage: make_hostile_onnx.py OUT_DIR
"""
import os
import sys

from onnx import TensorProto, helper

out = sys.argv[1]


def save(name, model):
    with open(os.path.join(out, name), "wb") as f:
        f.write(model.SerializeToString())


def model_with(nodes=(), initializers=(), inputs=None, outputs=None, opset=17):
    inputs = inputs if inputs is not None else [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 4])]
    outputs = outputs if outputs is not None else [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 4])]
    graph = helper.make_graph(list(nodes), "hostile", inputs, outputs, list(initializers))
    opsets = [helper.make_opsetid("", opset)] if opset else []
    return helper.make_model(graph, opset_imports=opsets)


relu = [helper.make_node("Relu", ["x"], ["y"], name="relu")]


def raw_tensor(dims, data):
    tensor = TensorProto(name="w", data_type=TensorProto.FLOAT, dims=dims)
    tensor.raw_data = data
    return tensor


save("petabyte_tensor.onnx", model_with(relu, [raw_tensor([2**48, 4], b"\0" * 8)]))
save("negative_dim.onnx", model_with(relu, [raw_tensor([-2], b"\0" * 8)]))
typed = TensorProto(name="w", data_type=TensorProto.FLOAT, dims=[3])
typed.float_data.extend([1.0, 2.0])
save("typed_count_mismatch.onnx", model_with(relu, [typed]))


def external(location):
    tensor = TensorProto(name="w", data_type=TensorProto.FLOAT, dims=[2], data_location=TensorProto.EXTERNAL)
    tensor.external_data.add(key="location", value=location)
    return tensor


save("external_escape.onnx", model_with(relu, [external("../../etc/passwd")]))
save("external_absolute.onnx", model_with(relu, [external("/etc/passwd")]))
os.symlink("/etc/hostname", os.path.join(out, "link.bin"))
save("external_symlink.onnx", model_with(relu, [external("link.bin")]))
with open(os.path.join(out, "short.bin"), "wb") as f:
    f.write(b"\0" * 4)
save("external_short.onnx", model_with(relu, [external("short.bin")]))
save("external_missing.onnx", model_with(relu, [external("nowhere.bin")]))
save("string_tensor.onnx", model_with(relu, [TensorProto(name="w", data_type=TensorProto.STRING, dims=[1], string_data=[b"a"])]))
save("no_opset.onnx", model_with(relu, opset=None))
save("negative_input_dim.onnx", model_with(relu, inputs=[helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, -5])]))
branch = helper.make_graph([], "branch", [], [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 4])])
save("subgraph_attribute.onnx", model_with(
    [helper.make_node("If", ["c"], ["y"], name="if", then_branch=branch, else_branch=branch)],
    inputs=[helper.make_tensor_value_info("c", TensorProto.BOOL, [])]))
save("cycle.onnx", model_with([helper.make_node("Add", ["x", "b"], ["a"], name="a"),
                               helper.make_node("Relu", ["a"], ["b"], name="b"),
                               helper.make_node("Identity", ["a"], ["y"], name="out")]))
save("dangling_input.onnx", model_with([helper.make_node("Relu", ["ghost"], ["y"], name="relu")]))

# Sparse initializers: one valid (linear indices), one with an index outside the dense shape.
def sparse(indices):
    values = helper.make_tensor("w", TensorProto.FLOAT, [2], [1.5, -2.0])
    index_tensor = helper.make_tensor("w_indices", TensorProto.INT64, [2], indices)
    return helper.make_sparse_tensor(values, index_tensor, [2, 3])


def sparse_model(indices):
    model = model_with([helper.make_node("Add", ["x", "w"], ["y"], name="add")],
                       inputs=[helper.make_tensor_value_info("x", TensorProto.FLOAT, [2, 3])],
                       outputs=[helper.make_tensor_value_info("y", TensorProto.FLOAT, [2, 3])])
    model.graph.sparse_initializer.append(sparse(indices))
    return model


save("sparse_valid.onnx", sparse_model([1, 5]))
save("sparse_out_of_range.onnx", sparse_model([1, 6]))
