"""An independent BERT encoder in numpy, read straight from a Hugging Face safetensors file,
for checking our graph, weight mapping and executor on a real checkpoint. Follows
`transformers`' BertModel (post-LayerNorm, exact erf GELU) and sentence-transformers' mean
pooling + L2 normalisation.

usage: bert_reference.py MODEL.safetensors HEADS IDS.json
IDS.json: {"input_ids": [[...], ...], "attention_mask": [[...], ...]} (rows of equal length)
prints {"last_hidden_state": [...], "pooler_output": [...], "sentence_embedding": [...]}
"""
import json
import math
import struct
import sys

import numpy as np

DTYPES = {"F32": np.float32, "F16": np.float16, "I64": np.int64}


def load_safetensors(path):
    with open(path, "rb") as f:
        length = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(length))
        data = f.read()
    tensors = {}
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        begin, end = entry["data_offsets"]
        tensors[name] = np.frombuffer(data[begin:end], dtype=DTYPES[entry["dtype"]]).reshape(entry["shape"]).astype(np.float64 if entry["dtype"] != "I64" else np.int64)
    return tensors


def layer_norm(x, weight, bias, eps=1e-12):
    mean = x.mean(-1, keepdims=True)
    variance = ((x - mean) ** 2).mean(-1, keepdims=True)
    return (x - mean) / np.sqrt(variance + eps) * weight + bias


def gelu(x):
    erf = np.vectorize(math.erf)
    return 0.5 * x * (1 + erf(x / math.sqrt(2)))


def encode(weights, heads, ids, mask):
    """last_hidden_state, pooler_output and sentence_embedding (float64 arrays) for int64
    ids [batch, seq] and a 0/1 mask of the same shape, with token type 0 everywhere."""
    mask = mask.astype(np.float64)
    w = lambda name: weights[name]
    batch, length = ids.shape
    x = w("embeddings.word_embeddings.weight")[ids] + w("embeddings.position_embeddings.weight")[:length][None] \
        + w("embeddings.token_type_embeddings.weight")[np.zeros_like(ids)]
    x = layer_norm(x, w("embeddings.LayerNorm.weight"), w("embeddings.LayerNorm.bias"))
    hidden = x.shape[-1]
    head_size = hidden // heads
    bias = (1.0 - mask)[:, None, None, :] * np.finfo(np.float32).min
    layer = 0
    while f"encoder.layer.{layer}.attention.self.query.weight" in weights:
        p = f"encoder.layer.{layer}."
        dense = lambda t, name: t @ w(p + name + ".weight").T + w(p + name + ".bias")
        split = lambda t: t.reshape(batch, length, heads, head_size).transpose(0, 2, 1, 3)
        q, k, v = (split(dense(x, f"attention.self.{n}")) for n in ("query", "key", "value"))
        scores = q @ k.transpose(0, 1, 3, 2) / math.sqrt(head_size) + bias
        scores = np.exp(scores - scores.max(-1, keepdims=True))
        probabilities = scores / scores.sum(-1, keepdims=True)
        context = (probabilities @ v).transpose(0, 2, 1, 3).reshape(batch, length, hidden)
        x = layer_norm(dense(context, "attention.output.dense") + x, w(p + "attention.output.LayerNorm.weight"),
                       w(p + "attention.output.LayerNorm.bias"))
        intermediate = gelu(dense(x, "intermediate.dense"))
        x = layer_norm(dense(intermediate, "output.dense") + x, w(p + "output.LayerNorm.weight"), w(p + "output.LayerNorm.bias"))
        layer += 1
    pooled = np.tanh(x[:, 0] @ w("pooler.dense.weight").T + w("pooler.dense.bias"))
    summed = (x * mask[:, :, None]).sum(1) / np.maximum(mask.sum(1, keepdims=True), 1e-9)
    embedding = summed / np.maximum(np.linalg.norm(summed, axis=1, keepdims=True), 1e-12)
    return {"last_hidden_state": x, "pooler_output": pooled, "sentence_embedding": embedding}


def main():
    weights = load_safetensors(sys.argv[1])
    with open(sys.argv[3]) as f:
        request = json.load(f)
    outputs = encode(weights, int(sys.argv[2]), np.array(request["input_ids"], dtype=np.int64),
                     np.array(request["attention_mask"], dtype=np.int64))
    print(json.dumps({name: value.tolist() for name, value in outputs.items()}))

if __name__ == "__main__":
    main()
