"""Writes Tests/Fixtures/quantized: LeNet-5 as `zoo export lenet5` writes it (seeded weights,
opset 17), quantized by onnxruntime's own quantizer (`onnxruntime.quantization.quantize_static`,
activations uint8, weights int8, calibrated with MinMax on 16 seeded random images), in two
formats:

- `lenet5_qdq`: QuantFormat.QDQ, every Conv and Gemm (QuantizeLinear/DequantizeLinear pairs,
  int32 biases dequantized);
- `lenet5_qoperator`: QuantFormat.QOperator with op_types_to_quantize Conv and MatMul, after
  rewriting each Gemm as MatMul + Add: for Gemm the quantizer writes com.microsoft's QGemm,
  and for Add com.microsoft's QLinearAdd, which are not operators of the default domain.
  The file then holds QLinearConv and QLinearMatMul, with QuantizeLinear/DequantizeLinear
  around the float Sigmoid, AveragePool and Add.

Each directory holds model.onnx and test_data_set_0 (batch 2), test_data_set_1 (batch 3)
with onnxruntime's outputs (CPU, default graph optimisations).

Run once by hand, with the repository's .venv (onnxruntime 1.32.0) and a built zoo:

    .venv/bin/python Tests/interop/make_quantized_fixtures.py .build/debug/zoo [OUT_DIR]
"""
import os
import subprocess
import sys
import tempfile

import numpy as np
import onnx
import onnxruntime
from onnx import helper, numpy_helper
from onnxruntime.quantization import CalibrationDataReader, QuantFormat, QuantType, quantize_static

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ZOO = sys.argv[1]
OUT = sys.argv[2] if len(sys.argv) > 2 else os.path.join(ROOT, "Tests", "Fixtures", "quantized")


class SeededImages(CalibrationDataReader):
    def __init__(self, name, count=16):
        rng = np.random.default_rng(0)
        self.batches = iter([{name: rng.standard_normal((1, 1, 32, 32)).astype(np.float32)} for _ in range(count)])

    def get_next(self):
        return next(self.batches, None)


def gemm_as_matmul_add(model):
    """Each Gemm (alpha = beta = 1, transB = 1 as our exporter writes it) as MatMul by the
    transposed weight, then Add of the bias."""
    initializers = {i.name: i for i in model.graph.initializer}
    nodes = []
    for node in model.graph.node:
        if node.op_type != "Gemm":
            nodes.append(node)
            continue
        attributes = {a.name: helper.get_attribute_value(a) for a in node.attribute}
        assert attributes.get("transA", 0) == 0 and attributes.get("alpha", 1.0) == 1.0 and attributes.get("beta", 1.0) == 1.0
        a, b, c = node.input
        if attributes.get("transB", 0):
            weight = numpy_helper.to_array(initializers[b])
            initializers[b].CopyFrom(numpy_helper.from_array(np.ascontiguousarray(weight.T), b))
        product = node.output[0] + "_matmul"
        nodes.append(helper.make_node("MatMul", [a, b], [product], name=node.name + "_matmul"))
        nodes.append(helper.make_node("Add", [product, c], list(node.output), name=node.name + "_add"))
    del model.graph.node[:]
    model.graph.node.extend(nodes)
    return model


def write_data_sets(directory, model_path, input_name):
    session = onnxruntime.InferenceSession(model_path, providers=["CPUExecutionProvider"])
    rng = np.random.default_rng(1)
    for index, batch in enumerate([2, 3]):
        data_set = os.path.join(directory, f"test_data_set_{index}")
        os.makedirs(data_set, exist_ok=True)
        images = rng.standard_normal((batch, 1, 32, 32)).astype(np.float32)
        with open(os.path.join(data_set, "input_0.pb"), "wb") as f:
            f.write(numpy_helper.from_array(images, input_name).SerializeToString())
        for position, value in enumerate(session.run(None, {input_name: images})):
            with open(os.path.join(data_set, f"output_{position}.pb"), "wb") as f:
                f.write(numpy_helper.from_array(value, session.get_outputs()[position].name).SerializeToString())


def main():
    with tempfile.TemporaryDirectory() as work:
        source = os.path.join(work, "lenet5.onnx")
        subprocess.run([ZOO, "export", "lenet5", "-o", source], check=True)
        input_name = onnx.load(source).graph.input[0].name
        rewritten = os.path.join(work, "lenet5_matmul.onnx")
        onnx.save(gemm_as_matmul_add(onnx.load(source)), rewritten)
        for name, float_model, quant_format, op_types in [
            ("lenet5_qdq", source, QuantFormat.QDQ, ["Conv", "Gemm"]),
            ("lenet5_qoperator", rewritten, QuantFormat.QOperator, ["Conv", "MatMul"]),
        ]:
            directory = os.path.join(OUT, name)
            os.makedirs(directory, exist_ok=True)
            model_path = os.path.join(directory, "model.onnx")
            quantize_static(float_model, model_path, SeededImages(input_name), quant_format=quant_format,
                            op_types_to_quantize=op_types, activation_type=QuantType.QUInt8, weight_type=QuantType.QInt8,
                            per_channel=name == "lenet5_qdq")
            onnx.checker.check_model(model_path, full_check=True)
            write_data_sets(directory, model_path, input_name)
            ops = sorted({(n.domain or "ai.onnx", n.op_type) for n in onnx.load(model_path).graph.node})
            print(name, os.path.getsize(model_path), "bytes", ops)


if __name__ == "__main__":
    main()
