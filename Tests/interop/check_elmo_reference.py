"""Checks elmo_reference.py's pieces against PyTorch (run with the fixtures venv, which has
torch): its TensorFlow-LSTMCell step against torch.nn.LSTM(proj_size=...) loaded as AllenNLP
loads bilm-tf weights (gates i, j, f, o → torch's i, f, g, o, forget bias + 1, kernels
transposed), with the clips out of reach; its character CNN against torch's conv1d (AllenNLP's
[n, E, w] kernels). Prints the largest differences; exits non-zero above 1e-5.

usage: /tmp/fixtures/bin/python Tests/interop/check_elmo_reference.py [Tests/Fixtures/elmo]
"""
import json
import sys
from pathlib import Path

import h5py
import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).parent))
from elmo_reference import lstm_direction, token_embeddings  # noqa: E402

directory = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).parents[1] / "Fixtures/elmo")
options = json.loads((directory / "elmo_options.json").read_text())
options["lstm"].update(cell_clip=None, proj_clip=None, use_skip_connections=False, n_layers=1)
char_ids = np.load(directory / "elmo_char_ids.npy")
worst = {}
with h5py.File(directory / "elmo_weights.hdf5", "r") as weights:
    tokens = token_embeddings(weights, options, char_ids)

    # The character CNN: per filter, torch conv1d over [batch·seq, E, chars], max, relu,
    # against the reference's features (no highways, an identity projection).
    table = np.concatenate([np.zeros((1, weights["char_embed"].shape[1])), weights["char_embed"][...]])
    embedded = torch.tensor(table[char_ids].reshape(-1, char_ids.shape[2], table.shape[1]).transpose(0, 2, 1))
    filters = sum(c for _, c in options["char_cnn"]["filters"])
    view = {name: weights[name][...] for name in ["char_embed"] + [f"CNN/{k}" for k in weights["CNN"]]}
    view["CNN_proj/W_proj"], view["CNN_proj/b_proj"] = np.eye(filters), np.zeros(filters)
    cnn_only = dict(options, char_cnn=dict(options["char_cnn"], n_highway=0))
    reference_features = token_embeddings(view, cnn_only, char_ids).reshape(-1, filters)
    offset = 0
    for index, (width, count) in enumerate(options["char_cnn"]["filters"]):
        kernel = torch.tensor(np.transpose(weights[f"CNN/W_cnn_{index}"][...][0], (2, 1, 0)).astype(np.float64))
        bias = torch.tensor(weights[f"CNN/b_cnn_{index}"][...].astype(np.float64))
        expected = torch.relu(torch.nn.functional.conv1d(embedded, kernel, bias).max(dim=2).values).numpy()
        worst[f"char CNN filter {index} (width {width})"] = float(np.abs(reference_features[:, offset:offset + count] - expected).max())
        offset += count

    # One forward layer: torch's LSTM with proj_size, from bilm-tf's arrays as AllenNLP converts them.
    prefix = "RNN_0/RNN/MultiRNNCell/Cell0/LSTMCell"
    W, B, P = (weights[f"{prefix}/{n}"][...].astype(np.float64) for n in ("W_0", "B", "W_P_0"))
    cell, projection = P.shape
    tf_to_torch = np.concatenate([np.arange(k * cell, (k + 1) * cell) for k in (0, 2, 1, 3)])  # i, f, j, o
    bias = B.copy()
    bias[2 * cell:3 * cell] += 1.0
    lstm = torch.nn.LSTM(projection, cell, proj_size=projection, batch_first=True, dtype=torch.float64)
    with torch.no_grad():
        lstm.weight_ih_l0.copy_(torch.tensor(W[:projection].T[tf_to_torch]))
        lstm.weight_hh_l0.copy_(torch.tensor(W[projection:].T[tf_to_torch]))
        lstm.bias_ih_l0.copy_(torch.tensor(bias[tf_to_torch]))
        lstm.bias_hh_l0.zero_()
        lstm.weight_hr_l0.copy_(torch.tensor(P.T))
        expected = lstm(torch.tensor(tokens))[0].numpy()
    ours = lstm_direction(weights, options, tokens, 0, "ijfo", 1.0)[0]
    worst["LSTM layer 0 forward"] = float(np.abs(ours - expected).max())
print(json.dumps(worst))
sys.exit(0 if max(worst.values()) < 1e-5 else 1)
