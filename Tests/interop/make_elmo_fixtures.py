"""Writes Tests/Fixtures/elmo: a small biLM in bilm-tf's HDF5 layout (h5py, seeded random
values, the dataset names and shapes bilm-tf's dump_weights writes), its options.json, seeded
AllenNLP-style char ids, and elmo_reference.py's representation of them. Also the outputs a
conversion with TensorFlow's gate order taken as ours, or without the forget bias, would give
(elmo_wrong_*.npy), so the tests can show they tell them apart.

usage: make_elmo_fixtures.py [DIRECTORY]   (then check_elmo_reference.py checks the reference against PyTorch)
"""
import json
import sys
from pathlib import Path

import h5py
import numpy as np

from elmo_reference import representation

directory = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).parents[1] / "Fixtures/elmo")
directory.mkdir(parents=True, exist_ok=True)
options = {
    "lstm": {"use_skip_connections": True, "projection_dim": 6, "cell_clip": 3, "proj_clip": 3, "dim": 10, "n_layers": 2},
    "char_cnn": {"activation": "relu", "filters": [[1, 4], [2, 4], [3, 8]], "n_highway": 2, "embedding": {"dim": 5},
                 "n_characters": 262, "max_characters_per_token": 12},
}
rng = np.random.default_rng(13)


def random(*shape, scale=0.5):
    return (rng.standard_normal(shape) * scale).astype(np.float32)


cnn, lstm = options["char_cnn"], options["lstm"]
filters = sum(count for _, count in cnn["filters"])
with h5py.File(directory / "elmo_weights.hdf5", "w") as f:
    f["char_embed"] = random(cnn["n_characters"] - 1, cnn["embedding"]["dim"], scale=1.0)
    for index, (width, count) in enumerate(cnn["filters"]):
        f[f"CNN/W_cnn_{index}"] = random(1, width, cnn["embedding"]["dim"], count)
        f[f"CNN/b_cnn_{index}"] = random(count, scale=0.1)
    for k in range(cnn["n_highway"]):
        for name in ("carry", "transform"):
            f[f"CNN_high_{k}/W_{name}"] = random(filters, filters, scale=0.3)
            f[f"CNN_high_{k}/b_{name}"] = random(filters, scale=0.3)
    f["CNN_proj/W_proj"] = random(filters, lstm["projection_dim"])
    f["CNN_proj/b_proj"] = random(lstm["projection_dim"], scale=0.1)
    for direction in range(2):
        for layer in range(lstm["n_layers"]):
            prefix = f"RNN_{direction}/RNN/MultiRNNCell/Cell{layer}/LSTMCell"
            f[f"{prefix}/W_0"] = random(2 * lstm["projection_dim"], 4 * lstm["dim"], scale=0.8)
            f[f"{prefix}/B"] = random(4 * lstm["dim"], scale=0.5)
            f[f"{prefix}/W_P_0"] = random(lstm["dim"], lstm["projection_dim"], scale=0.8)
(directory / "elmo_options.json").write_text(json.dumps(options, indent=1) + "\n")

# Two sentences of five tokens: bytes + 1, padded with 0 after each word (no BOS/EOS here).
char_ids = np.zeros((2, 5, cnn["max_characters_per_token"]), dtype=np.int64)
lengths = rng.integers(1, cnn["max_characters_per_token"] + 1, size=(2, 5))
for b in range(2):
    for s in range(5):
        char_ids[b, s, :lengths[b, s]] = rng.integers(1, cnn["n_characters"], size=lengths[b, s])
np.save(directory / "elmo_char_ids.npy", char_ids)
with h5py.File(directory / "elmo_weights.hdf5", "r") as weights:
    np.save(directory / "elmo_output.npy", representation(weights, options, char_ids).astype(np.float32))
    np.save(directory / "elmo_wrong_gate_order.npy", representation(weights, options, char_ids, gate_order="iofj").astype(np.float32))
    np.save(directory / "elmo_wrong_forget_bias.npy", representation(weights, options, char_ids, forget_bias=0.0).astype(np.float32))

# Hostile and incomplete files, each in its own directory with the options beside it:
# incomplete/ lacks a CNN kernel and a backward bias, has a mis-shaped projection and a
# dataset bilm-tf never writes; tanh/ names an activation the zoo's ELMo does not have.
hostile = directory / "hostile"


def _items(group):
    found = []
    group.visititems(lambda path, item: found.append((path, item)))
    return found


for name in ("incomplete", "tanh"):
    (hostile / name).mkdir(parents=True, exist_ok=True)
    with h5py.File(directory / "elmo_weights.hdf5", "r") as source, h5py.File(hostile / name / "elmo_weights.hdf5", "w") as f:
        for path in [path for path, item in _items(source) if isinstance(item, h5py.Dataset)]:
            f[path] = source[path][...]
        if name == "incomplete":
            del f["CNN/W_cnn_1"]
            del f["RNN_1/RNN/MultiRNNCell/Cell1/LSTMCell/B"]
            del f["CNN_proj/W_proj"]
            f["CNN_proj/W_proj"] = random(filters, lstm["projection_dim"] + 1)
            f["CNN_proj/extra"] = random(3)
    changed = json.loads(json.dumps(options))
    if name == "tanh":
        changed["char_cnn"]["activation"] = "tanh"
    (hostile / name / "elmo_options.json").write_text(json.dumps(changed, indent=1) + "\n")
