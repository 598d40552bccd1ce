"""Writes Tests/Fixtures/attention: two small decoder blocks with opset-23 Attention and a
key/value cache, each with inputs at two sequence lengths (and past lengths) and reference
outputs:

- decoder_dynamo: a grouped-query attention block (4 query heads, 2 key/value heads) whose
  cache is concatenated before torch's scaled_dot_product_attention, exported by torch's
  dynamo exporter at opset 23 (it writes Attention), with PyTorch's own outputs.
- decoder_rope: written with onnx.helper, RotaryEmbedding on Q and K (3-D, position_ids)
  and a causal Attention that takes past_key/past_value and gives present_key/present_value,
  with onnxruntime's outputs, checked here against onnx's reference evaluator (the spec).

Run once by hand, with the fixture venv (torch) and onnxruntime from the repository's .venv:

    PYTHONPATH=.venv/lib/python3.11/site-packages /tmp/fixtures/bin/python Tests/interop/make_attention_fixtures.py [OUT_DIR]
"""
import os
import sys
import types

sys.modules["torchvision._meta_registrations"] = types.ModuleType("torchvision._meta_registrations")

import numpy as np  # noqa: E402
import onnx  # noqa: E402
import torch  # noqa: E402
from onnx import TensorProto, helper, numpy_helper  # noqa: E402
from onnx.reference import ReferenceEvaluator  # noqa: E402
from torch import nn  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_pytorch_fixtures import ROOT, write_tensors  # noqa: E402

OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "Tests", "Fixtures", "attention")
HIDDEN, QUERY_HEADS, KEY_VALUE_HEADS, HEAD_SIZE = 32, 4, 2, 8
# (batch, sequence, past): a prompt after a short cache, then one decoding step.
SIZES = [(2, 3, 4), (2, 1, 7)]


class GroupedQueryBlock(nn.Module):
    def __init__(self):
        super().__init__()
        self.query = nn.Linear(HIDDEN, QUERY_HEADS * HEAD_SIZE, bias=False)
        self.key = nn.Linear(HIDDEN, KEY_VALUE_HEADS * HEAD_SIZE, bias=False)
        self.value = nn.Linear(HIDDEN, KEY_VALUE_HEADS * HEAD_SIZE, bias=False)
        self.out = nn.Linear(QUERY_HEADS * HEAD_SIZE, HIDDEN)

    def forward(self, x, past_key, past_value):
        batch, sequence, _ = x.shape
        q = self.query(x).view(batch, sequence, QUERY_HEADS, HEAD_SIZE).transpose(1, 2)
        k = self.key(x).view(batch, sequence, KEY_VALUE_HEADS, HEAD_SIZE).transpose(1, 2)
        v = self.value(x).view(batch, sequence, KEY_VALUE_HEADS, HEAD_SIZE).transpose(1, 2)
        k, v = torch.cat([past_key, k], 2), torch.cat([past_value, v], 2)
        y = nn.functional.scaled_dot_product_attention(q, k, v, enable_gqa=True)
        return self.out(y.transpose(1, 2).reshape(batch, sequence, QUERY_HEADS * HEAD_SIZE)), k, v


def data_sets(seed):
    generator = np.random.default_rng(seed)
    for batch, sequence, past in SIZES:
        yield [generator.standard_normal((batch, sequence, HIDDEN)).astype(np.float32),
               generator.standard_normal((batch, KEY_VALUE_HEADS, past, HEAD_SIZE)).astype(np.float32),
               generator.standard_normal((batch, KEY_VALUE_HEADS, past, HEAD_SIZE)).astype(np.float32)]


def write(name, model_path_writer, outputs_of):
    directory = os.path.join(OUT, name)
    os.makedirs(directory, exist_ok=True)
    path = os.path.join(directory, "model.onnx")
    model_path_writer(path)
    onnx.checker.check_model(path, full_check=True)
    for index, inputs in enumerate(data_sets(len(name))):
        data = os.path.join(directory, f"test_data_set_{index}")
        outputs = outputs_of(path, inputs)  # may append inputs the model takes besides x and the cache
        write_tensors(data, "input", inputs)
        write_tensors(data, "output", outputs)
    print(f"{name}: {os.path.getsize(path)} bytes, ops {[n.op_type for n in onnx.load(path).graph.node]}")


def decoder_dynamo():
    torch.manual_seed(0)
    model = GroupedQueryBlock().eval()
    sequence, past = torch.export.Dim("sequence", max=64), torch.export.Dim("past", max=64)

    def export(path):
        example = [torch.from_numpy(t) for t in next(data_sets(0))]
        program = torch.onnx.export(model, tuple(example), dynamo=True, opset_version=23,
                                    input_names=["x", "past_key", "past_value"], output_names=["y", "present_key", "present_value"],
                                    dynamic_shapes=({1: sequence}, {2: past}, {2: past}))
        program.save(path, external_data=False)

    def outputs(_, inputs):
        with torch.no_grad():
            return [t.numpy() for t in model(*[torch.from_numpy(t) for t in inputs])]

    write("decoder_dynamo", export, outputs)


def decoder_rope():
    generator = np.random.default_rng(1)

    def weight(name, shape):
        return numpy_helper.from_array((generator.standard_normal(shape) / np.sqrt(shape[0])).astype(np.float32), name)

    positions = np.arange(64)[:, None] / (10000 ** (np.arange(0, HEAD_SIZE, 2) / HEAD_SIZE))[None, :]
    initializers = [weight("wq", (HIDDEN, QUERY_HEADS * HEAD_SIZE)), weight("wk", (HIDDEN, KEY_VALUE_HEADS * HEAD_SIZE)),
                    weight("wv", (HIDDEN, KEY_VALUE_HEADS * HEAD_SIZE)), weight("wo", (QUERY_HEADS * HEAD_SIZE, HIDDEN)),
                    numpy_helper.from_array(np.cos(positions).astype(np.float32), "cos"),
                    numpy_helper.from_array(np.sin(positions).astype(np.float32), "sin")]
    nodes = [
        helper.make_node("MatMul", ["x", "wq"], ["q"]), helper.make_node("MatMul", ["x", "wk"], ["k"]),
        helper.make_node("MatMul", ["x", "wv"], ["v"]),
        helper.make_node("RotaryEmbedding", ["q", "cos", "sin", "position_ids"], ["q_rotated"], num_heads=QUERY_HEADS),
        helper.make_node("RotaryEmbedding", ["k", "cos", "sin", "position_ids"], ["k_rotated"], num_heads=KEY_VALUE_HEADS,
                         interleaved=1),
        helper.make_node("Attention", ["q_rotated", "k_rotated", "v", "", "past_key", "past_value"],
                         ["attended", "present_key", "present_value"], is_causal=1, q_num_heads=QUERY_HEADS,
                         kv_num_heads=KEY_VALUE_HEADS),
        helper.make_node("MatMul", ["attended", "wo"], ["y"]),
    ]
    cache = ["batch", KEY_VALUE_HEADS, "past", HEAD_SIZE]
    total = ["batch", KEY_VALUE_HEADS, "total", HEAD_SIZE]
    graph = helper.make_graph(
        nodes, "decoder_rope",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["batch", "sequence", HIDDEN]),
         helper.make_tensor_value_info("past_key", TensorProto.FLOAT, cache),
         helper.make_tensor_value_info("past_value", TensorProto.FLOAT, cache),
         helper.make_tensor_value_info("position_ids", TensorProto.INT64, ["batch", "sequence"])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["batch", "sequence", HIDDEN]),
         helper.make_tensor_value_info("present_key", TensorProto.FLOAT, total),
         helper.make_tensor_value_info("present_value", TensorProto.FLOAT, total)],
        initializers)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 23)], ir_version=10)

    def save(path):
        onnx.save(model, path)

    def outputs(path, inputs):
        import onnxruntime

        batch, sequence, past = inputs[0].shape[0], inputs[0].shape[1], inputs[1].shape[2]
        inputs.append(np.tile(np.arange(past, past + sequence, dtype=np.int64), (batch, 1)))
        feeds = dict(zip(["x", "past_key", "past_value", "position_ids"], inputs))
        session = onnxruntime.InferenceSession(path, providers=["CPUExecutionProvider"])
        results = session.run(None, feeds)
        for result, spec in zip(results, ReferenceEvaluator(path).run(None, feeds)):
            np.testing.assert_allclose(result, spec, rtol=1e-4, atol=1e-5)
        return results

    write("decoder_rope", save, outputs)


if __name__ == "__main__":
    decoder_dynamo()
    decoder_rope()
