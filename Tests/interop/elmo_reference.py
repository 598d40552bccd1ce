"""An independent numpy forward pass of bilm-tf's ELMo biLM (Peters et al. 2018; bilm-tf's
bilm/model.py, AllenNLP's allennlp/modules/elmo.py and elmo_lstm.py), reading the weights in
bilm-tf's own HDF5 layout and its options.json, written from their semantics (not from ours):

  char_embed [n_characters - 1, dim]: index 0 (padding) gets a zero row prepended, as bilm-tf's
      and AllenNLP's loaders do; char ids are AllenNLP's (byte + 1, 0 = padding).
  CNN/W_cnn_i [1, width, dim, count], b_cnn_i [count]: VALID correlation over the characters,
      max over positions, then the activation.
  CNN_high_k: carry = sigmoid(x W_carry + b_carry), y = carry * relu(x W_transform + b_transform)
      + (1 - carry) * x  (bilm-tf calls the gate on the transformed path "carry").
  CNN_proj/W_proj [filters, projection], b_proj.
  RNN_d/RNN/MultiRNNCell/Cell{l}/LSTMCell: TensorFlow's LSTMCell with num_proj:
      [i, j, f, o] = [x, m] W_0 + B;  c = sigmoid(f + forget_bias) c + sigmoid(i) tanh(j),
      clipped to cell_clip;  m = (sigmoid(o) tanh(c)) W_P_0, clipped to proj_clip;
      forget_bias = 1.0 (added at run time, not stored). Layers after the first add their
      input (ResidualWrapper). d = 0 reads the tokens forwards, d = 1 backwards.
  The representation: layer 0 is [token; token], layer l is [forward_l; backward_l], mixed
  with equal weights (a fresh ScalarMix: softmax of zeros, gamma 1).

usage: elmo_reference.py WEIGHTS.hdf5 OPTIONS.json CHAR_IDS.npy OUT.npy
       [--gate-order ijfo|ifjo] [--forget-bias B]   (the last two only to show what a wrong
       conversion would give)
"""
import argparse
import json

import h5py
import numpy as np


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def token_embeddings(weights, options, char_ids):
    cnn = options["char_cnn"]
    table = np.asarray(weights["char_embed"], dtype=np.float64)
    table = np.concatenate([np.zeros((1, table.shape[1])), table])
    embedded = table[char_ids]  # [batch, seq, chars, dim]
    features = []
    for index, (width, count) in enumerate(cnn["filters"]):
        kernel = np.asarray(weights[f"CNN/W_cnn_{index}"], dtype=np.float64)[0]  # [width, dim, count]
        bias = np.asarray(weights[f"CNN/b_cnn_{index}"], dtype=np.float64)
        positions = embedded.shape[2] - width + 1
        convolved = np.stack([np.einsum("bswd,wdc->bsc", embedded[:, :, p:p + width], kernel) for p in range(positions)], axis=2)
        pooled = (convolved + bias).max(axis=2)
        features.append(np.maximum(pooled, 0) if cnn["activation"] == "relu" else np.tanh(pooled))
    x = np.concatenate(features, axis=-1)
    for k in range(cnn["n_highway"]):
        group = f"CNN_high_{k}"
        carry = sigmoid(x @ weights[f"{group}/W_carry"][...] + weights[f"{group}/b_carry"][...])
        transformed = np.maximum(x @ weights[f"{group}/W_transform"][...] + weights[f"{group}/b_transform"][...], 0)
        x = carry * transformed + (1 - carry) * x
    return x @ weights["CNN_proj/W_proj"][...] + weights["CNN_proj/b_proj"][...]


def lstm_direction(weights, options, tokens, direction, gate_order, forget_bias):
    lstm = options["lstm"]
    sequence = tokens[:, ::-1] if direction == 1 else tokens
    outputs = []
    layer_input = sequence
    for layer in range(lstm["n_layers"]):
        prefix = f"RNN_{direction}/RNN/MultiRNNCell/Cell{layer}/LSTMCell"
        W = np.asarray(weights[f"{prefix}/W_0"], dtype=np.float64)
        B = np.asarray(weights[f"{prefix}/B"], dtype=np.float64)
        P = np.asarray(weights[f"{prefix}/W_P_0"], dtype=np.float64)
        cell_size, projection = P.shape
        batch, steps = layer_input.shape[:2]
        m, c = np.zeros((batch, projection)), np.zeros((batch, cell_size))
        out = np.zeros((batch, steps, projection))
        for t in range(steps):
            blocks = dict(zip(gate_order, np.split(np.concatenate([layer_input[:, t], m], axis=1) @ W + B, 4, axis=1)))
            c = sigmoid(blocks["f"] + forget_bias) * c + sigmoid(blocks["i"]) * np.tanh(blocks["j"])
            if lstm.get("cell_clip"):
                c = np.clip(c, -lstm["cell_clip"], lstm["cell_clip"])
            m = (sigmoid(blocks["o"]) * np.tanh(c)) @ P
            if lstm.get("proj_clip"):
                m = np.clip(m, -lstm["proj_clip"], lstm["proj_clip"])
            out[:, t] = m
        if layer > 0 and lstm.get("use_skip_connections"):
            out = out + layer_input
        outputs.append(out)
        layer_input = out
    return [o[:, ::-1] if direction == 1 else o for o in outputs]


def representation(weights, options, char_ids, gate_order="ijfo", forget_bias=1.0):
    tokens = token_embeddings(weights, options, char_ids)
    forward = lstm_direction(weights, options, tokens, 0, gate_order, forget_bias)
    backward = lstm_direction(weights, options, tokens, 1, gate_order, forget_bias)
    layers = [np.concatenate([tokens, tokens], axis=-1)] + [np.concatenate(pair, axis=-1) for pair in zip(forward, backward)]
    return sum(layers) / len(layers)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("weights")
    parser.add_argument("options")
    parser.add_argument("char_ids")
    parser.add_argument("out")
    parser.add_argument("--gate-order", default="ijfo")
    parser.add_argument("--forget-bias", type=float, default=1.0)
    args = parser.parse_args()
    with h5py.File(args.weights, "r") as weights, open(args.options) as handle:
        result = representation(weights, json.load(handle), np.load(args.char_ids), args.gate_order, args.forget_bias)
    np.save(args.out, result.astype(np.float32))
