"""Writes small ONNX files with one LSTM, GRU or RNN node in forms other exporters write
(activation names in lower case, alpha and beta lists that only some functions consume, constant sequence_lens, older opsets), with
seeded initializers; X [4, 2, 3] is the only graph input.

usage: make_recurrent_onnx.py OUT_DIR
"""
import os
import sys

import numpy as np
from onnx import TensorProto, helper, numpy_helper

out = sys.argv[1]
rng = np.random.default_rng(7)
SEQUENCE, BATCH, INPUT, HIDDEN = 4, 2, 3, 5


def save(name, op, opset, directions=1, extra_inputs=(), outputs=("Y", "Y_h"), **attributes):
    gates = {"LSTM": 4, "GRU": 3, "RNN": 1}[op]
    initializers = [
        numpy_helper.from_array(rng.uniform(-1, 1, (directions, gates * HIDDEN, INPUT)).astype(np.float32), "W"),
        numpy_helper.from_array(rng.uniform(-0.5, 0.5, (directions, gates * HIDDEN, HIDDEN)).astype(np.float32), "R"),
        numpy_helper.from_array(rng.uniform(-1, 1, (directions, 2 * gates * HIDDEN)).astype(np.float32), "B"),
    ]
    inputs = ["X", "W", "R", "B"]
    for input_name, value in extra_inputs:
        inputs.append(input_name)
        if value is not None:
            initializers.append(numpy_helper.from_array(value, input_name))
    node = helper.make_node(op, inputs, list(outputs), name=name, hidden_size=HIDDEN, **attributes)
    graph = helper.make_graph(
        [node], name, [helper.make_tensor_value_info("X", TensorProto.FLOAT, [SEQUENCE, BATCH, INPUT])],
        [helper.make_tensor_value_info(output, TensorProto.FLOAT, [None] * (4 if output == "Y" else 3))
         for output in outputs], initializers)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])
    with open(os.path.join(out, name + ".onnx"), "wb") as f:
        f.write(model.SerializeToString())


save("gru_bidirectional_lower_case", "GRU", 17, directions=2, direction="bidirectional",
     activations=["hardsigmoid", "LeakyRelu", "sigmoid", "elu"], activation_alpha=[0.3, 0.05, 0.6],
     activation_beta=[0.4],
     linear_before_reset=1, clip=2.0)
save("rnn_constant_sequence_lens", "RNN", 14, extra_inputs=[("sequence_lens", np.array([3, 1], np.int32))],
     activations=["Affine"], activation_alpha=[0.8], activation_beta=[0.1])
save("lstm_input_forget_peepholes_opset13", "LSTM", 13, direction="reverse",
     extra_inputs=[("", None), ("", None), ("", None),
                   ("P", rng.uniform(-1, 1, (1, 3 * HIDDEN)).astype(np.float32))],
     outputs=("Y", "Y_h", "Y_c"), input_forget=1, activations=["Sigmoid", "ScaledTanh", "Tanh"],
     activation_alpha=[1.2], activation_beta=[0.9])
save("gru_opset7", "GRU", 7, direction="reverse")
