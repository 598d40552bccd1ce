"""Writes the PyTorch checkpoint fixtures in Tests/Fixtures/checkpoints with torch.save, each
with PyTorch's own outputs on a seeded input:

- features.pth: one state dict exercising the reader: every dtype, a transposed
  (non-contiguous) view, a view at a storage offset, a tied entry, a scalar, an empty tensor;
  nested.pth: the same tensors under {"epoch", "state_dict"} with DataParallel's "module."
- lstm_lm.pth: an nn.LSTM language model named like PyTorch's word_language_model example
  (encoder, rnn, decoder), which is the zoo's lstm-lm at a small size.
- bert_pytorch_model.bin: a Hugging Face BertForPreTraining (bert-tiny's sizes, a 1,000-word
  vocabulary), so the names carry "bert." and the pre-training heads "cls.*", with the decoder
  tied to the word embeddings.
- resnet18 / resnet50_10 / googlenet: torchvision's resnet18 (1000 classes), resnet50 with a
  10-class fc, and googlenet with its auxiliary classifiers (which eval mode does not run),
  at full size from seeded numpy parameters. Too large to commit: only PyTorch's logits,
  the file's SHA-256 and its "skeleton" (the file without the storages' bytes) are kept, and
  regenerate_checkpoint.py rebuilds the file byte for byte without torch.

Run once by hand with the fixtures venv (see make_world_fixtures.py for how it was made):

    /tmp/fixtures/bin/python Tests/interop/make_pytorch_checkpoints.py
"""
import collections
import hashlib
import json
import os
import sys
import types
import zipfile

import numpy as np
import torch
from torch import nn

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from seeded_state_dict import seeded_image, seeded_parameters  # noqa: E402

OUT = os.path.join(os.path.dirname(HERE), "Fixtures", "checkpoints")


def import_torchvision():
    """torchvision.models without its C++ operators' fake registrations (see make_world_fixtures.py)."""
    sys.modules["torchvision._meta_registrations"] = types.ModuleType("torchvision._meta_registrations")
    import torchvision.models
    return torchvision.models


def features():
    base = torch.arange(12, dtype=torch.float32).reshape(3, 4)
    tensors = collections.OrderedDict()
    tensors["float32"] = base
    tensors["transposed"] = base.t()
    tensors["rows_from_1"] = base[1:]
    tensors["column_2"] = base[:, 2]
    tensors["tied"] = base
    for name, dtype in [("float16", torch.float16), ("bfloat16", torch.bfloat16), ("float64", torch.float64),
                        ("int64", torch.int64), ("int32", torch.int32), ("int8", torch.int8), ("uint8", torch.uint8)]:
        tensors[name] = (torch.arange(6) - (0 if dtype == torch.uint8 else 2)).to(dtype).reshape(2, 3)
    tensors["bool"] = torch.tensor([True, False, True])
    tensors["scalar"] = torch.tensor(3.5)
    tensors["empty"] = torch.zeros(0, 3)
    torch.save(tensors, os.path.join(OUT, "features.pth"))
    nested = {"epoch": 3, "state_dict": collections.OrderedDict(("module." + k, v) for k, v in tensors.items())}
    torch.save(nested, os.path.join(OUT, "nested.pth"))


class LSTMLanguageModel(nn.Module):
    """The layout of PyTorch's word_language_model example (its RNNModel with LSTM)."""

    def __init__(self, vocabulary=50, embedding=16, hidden=16, layers=2):
        super().__init__()
        self.encoder = nn.Embedding(vocabulary, embedding)
        self.drop = nn.Dropout(0.5)
        self.rnn = nn.LSTM(embedding, hidden, layers, dropout=0.5)
        self.decoder = nn.Linear(hidden, vocabulary)

    def forward(self, ids):
        output, _ = self.rnn(self.drop(self.encoder(ids)))
        return self.decoder(self.drop(output))


def lstm_language_model():
    torch.manual_seed(0)
    model = LSTMLanguageModel().eval()
    ids = torch.randint(0, 50, (7, 2), generator=torch.Generator().manual_seed(1))
    torch.save(model.state_dict(), os.path.join(OUT, "lstm_lm.pth"))
    np.save(os.path.join(OUT, "lstm_lm_input_ids.npy"), ids.numpy())
    with torch.no_grad():
        np.save(os.path.join(OUT, "lstm_lm_logits.npy"), model(ids).numpy())


def bert():
    import transformers
    config = transformers.BertConfig(vocab_size=1000, hidden_size=128, num_hidden_layers=2, num_attention_heads=2,
                                     intermediate_size=512, max_position_embeddings=64)
    torch.manual_seed(0)
    model = transformers.BertForPreTraining(config).eval()
    generator = torch.Generator().manual_seed(2)
    ids = torch.randint(0, 1000, (2, 16), generator=generator)
    types_ = torch.randint(0, 2, (2, 16), generator=generator)
    mask = torch.ones(2, 16, dtype=torch.int64)
    mask[1, 11:] = 0
    torch.save(model.state_dict(), os.path.join(OUT, "bert_pytorch_model.bin"))
    for name, value in [("input_ids", ids), ("token_type_ids", types_), ("attention_mask", mask)]:
        np.save(os.path.join(OUT, f"bert_{name}.npy"), value.numpy())
    with torch.no_grad():
        outputs = model.bert(input_ids=ids, token_type_ids=types_, attention_mask=mask)
    np.save(os.path.join(OUT, "bert_last_hidden_state.npy"), outputs.last_hidden_state.numpy())
    np.save(os.path.join(OUT, "bert_pooler_output.npy"), outputs.pooler_output.numpy())


def full_size(name, make_model, seed, image_seed, image_shape, directory):
    """torch.save of seeded parameters in a torchvision model; keeps the skeleton and logits."""
    model = make_model().eval()
    layout = [(key, list(value.shape), str(value.dtype).replace("torch.", "")) for key, value in model.state_dict().items()]
    parameters = seeded_parameters(layout, seed)
    model.load_state_dict({key: torch.from_numpy(value) for key, value in parameters.items()})
    path = os.path.join(directory, name + ".pth")
    torch.save(model.state_dict(), path)
    with torch.no_grad():
        logits = model(torch.from_numpy(seeded_image(image_shape, image_seed)))
    np.save(os.path.join(OUT, name + "_logits.npy"), logits.numpy())

    # Which storage holds which parameter: torch.save numbers storages in order of first use,
    # and each parameter of a fresh state dict owns its whole storage.
    with open(path, "rb") as file:
        contents = file.read()
    archive = zipfile.ZipFile(path)
    prefix = archive.namelist()[0].split("/")[0] + "/"
    order = list(parameters)
    holes = []
    for info in archive.infolist():
        if not info.filename.startswith(prefix + "data/"):
            continue
        key = int(info.filename[len(prefix + "data/"):])
        local_name_length = int.from_bytes(contents[info.header_offset + 26:info.header_offset + 28], "little")
        local_extra_length = int.from_bytes(contents[info.header_offset + 28:info.header_offset + 30], "little")
        start = info.header_offset + 30 + local_name_length + local_extra_length
        data = np.ascontiguousarray(parameters[order[key]]).tobytes()
        assert contents[start:start + info.file_size] == data, f"storage {key} is not {order[key]}"
        holes.append({"parameter": order[key], "file_offset": start, "byte_count": info.file_size})
    holes.sort(key=lambda hole: hole["file_offset"])
    skeleton, taken, removed = [], 0, 0
    for hole in holes:
        skeleton.append(contents[taken:hole["file_offset"]])
        hole["skeleton_offset"] = hole["file_offset"] - removed
        removed += hole["byte_count"]
        taken = hole["file_offset"] + hole["byte_count"]
        del hole["file_offset"]
    skeleton.append(contents[taken:])
    with open(os.path.join(OUT, name + ".skeleton"), "wb") as file:
        file.write(b"".join(skeleton))
    recipe = {"seed": seed, "image_seed": image_seed, "image_shape": list(image_shape), "parameters": layout,
              "sha256": hashlib.sha256(contents).hexdigest(), "size": len(contents), "storages": holes,
              "torch": torch.__version__}
    with open(os.path.join(OUT, name + ".json"), "w") as file:
        json.dump(recipe, file, indent=1)
        file.write("\n")


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    models = import_torchvision()   # before transformers, which imports torchvision
    features()
    lstm_language_model()
    bert()
    scratch = sys.argv[1] if len(sys.argv) > 1 else "/tmp"
    full_size("resnet18", lambda: models.resnet18(), 18, 7, (1, 3, 224, 224), scratch)
    full_size("resnet50_10", lambda: models.resnet50(num_classes=10), 50, 8, (1, 3, 224, 224), scratch)
    full_size("googlenet", lambda: models.googlenet(aux_logits=True, init_weights=False), 22, 9, (1, 3, 224, 224), scratch)
