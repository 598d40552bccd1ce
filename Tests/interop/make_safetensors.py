"""Writes safetensors files with a small writer of its own (struct + json, the format as
its specification states it; no safetensors package needed): one valid file holding every
supported dtype, and a corpus of files each broken in one way. Prints the valid file's
expected contents as JSON: {"metadata": {...}, "tensors": {name: {"dtype", "shape", "values"}}}.

usage: make_safetensors.py OUT_DIR
"""
import json
import os
import struct
import sys

import numpy

out = sys.argv[1]

# safetensors dtype name -> (numpy dtype of the stored bytes, ModelZoo dtype)
DTYPES = {"F32": ("<f4", "float32"), "F16": ("<f2", "float16"), "F64": ("<f8", "float64"),
          "I64": ("<i8", "int64"), "I32": ("<i4", "int32"), "I16": ("<i2", "int16"), "I8": ("i1", "int8"),
          "U64": ("<u8", "uint64"), "U32": ("<u4", "uint32"), "U16": ("<u2", "uint16"), "U8": ("u1", "uint8"),
          "BOOL": ("?", "bool")}


def write(name, header, data, header_length=None):
    """The specification's layout: u64 little-endian header length, JSON header (padded with
    spaces to a multiple of 8, as the reference writer does), data region."""
    text = json.dumps(header, separators=(",", ":")).encode() if isinstance(header, dict) else header
    text += b" " * (-len(text) % 8)
    length = len(text) if header_length is None else header_length
    with open(os.path.join(out, name), "wb") as file:
        file.write(struct.pack("<Q", length) + text + data)


def bfloat16_bits(values):
    """bfloat16 as the top half of float32; the values are chosen to be exact."""
    return (numpy.asarray(values, dtype="<f4").view("<u4") >> 16).astype("<u2")


def valid_file():
    arrays = {
        "embeddings.word_embeddings.weight": ("F32", numpy.arange(12, dtype="<f4").reshape(3, 4) / 4 - 1),
        "encoder.layer.0.output.dense.weight": ("F16", numpy.arange(6, dtype="<f2").reshape(2, 3) * 0.5),
        "pooler.dense.bias": ("F64", numpy.array([1e-300, -2.5, 3e300], dtype="<f8")),
        "embeddings.position_ids": ("I64", numpy.arange(-2, 3, dtype="<i8").reshape(1, 5)),
        "counts": ("I32", numpy.array([-7, 2**31 - 1], dtype="<i4")),
        "signs": ("I8", numpy.array([-128, 127, 0], dtype="i1")),
        "bytes": ("U8", numpy.array([0, 255], dtype="u1")),
        "shorts": ("I16", numpy.array([-32768, 32767], dtype="<i2")),
        "unsigned_shorts": ("U16", numpy.array([0, 65535], dtype="<u2")),
        "unsigned_words": ("U32", numpy.array([2**32 - 1, 7], dtype="<u4")),
        "unsigned_longs": ("U64", numpy.array([2**53, 9], dtype="<u8")),
        "mask": ("BOOL", numpy.array([[True, False], [False, True]])),
        "scale": ("F32", numpy.array(2.5, dtype="<f4")),
        "pruned": ("F32", numpy.zeros((0, 3), dtype="<f4")),
    }
    header, data, expected = {}, b"", {}
    for name, (dtype, array) in arrays.items():
        raw = array.astype(DTYPES[dtype][0]).tobytes()
        header[name] = {"dtype": dtype, "shape": list(array.shape), "data_offsets": [len(data), len(data) + len(raw)]}
        data += raw
        expected[name] = {"dtype": DTYPES[dtype][1], "shape": list(array.shape),
                          "values": array.astype(numpy.float64).ravel().tolist()}
    bf16 = [1.0, -2.0, 0.15625, 3.5]
    raw = bfloat16_bits(bf16).tobytes()
    header["classifier.weight"] = {"dtype": "BF16", "shape": [2, 2], "data_offsets": [len(data), len(data) + len(raw)]}
    data += raw
    expected["classifier.weight"] = {"dtype": "bfloat16", "shape": [2, 2], "values": bf16}
    header["__metadata__"] = {"format": "pt", "source": "make_safetensors.py"}
    write("valid.safetensors", header, data)
    return {"metadata": header["__metadata__"], "tensors": expected}


def tensor(dtype="F32", shape=(4,), begin=0, end=16):
    return {"dtype": dtype, "shape": list(shape), "data_offsets": [begin, end]}


def hostile_files():
    sixteen = bytes(16)
    with open(os.path.join(out, "too_short.safetensors"), "wb") as file:
        file.write(b"\x05\x00\x00")
    write("header_past_end.safetensors", {"w": tensor()}, sixteen, header_length=1000)
    write("header_too_large.safetensors", {"w": tensor()}, sixteen, header_length=100_000_001)
    write("not_json.safetensors", b'{"w": {"dtype": "F32", ', sixteen)
    write("not_an_object.safetensors", b"[1, 2, 3]", sixteen)
    write("offsets_out_of_range.safetensors", {"w": tensor(shape=(100,), end=400)}, sixteen)
    write("offsets_reversed.safetensors", {"w": tensor(shape=(0,), begin=16, end=0)}, sixteen)
    write("offsets_not_a_pair.safetensors", {"w": {"dtype": "F32", "shape": [4], "data_offsets": [0]}}, sixteen)
    write("overlapping.safetensors", {"a": tensor(end=16), "b": tensor(begin=8, end=24)}, bytes(24))
    write("gap.safetensors", {"a": tensor(shape=(2,), end=8), "b": tensor(shape=(2,), begin=12, end=20)}, bytes(20))
    write("trailing_bytes.safetensors", {"w": tensor(shape=(2,), end=8)}, bytes(12))
    write("wrong_byte_count.safetensors", {"w": tensor(shape=(3,), end=16)}, sixteen)
    write("unsupported_dtype.safetensors", {"w": tensor(dtype="F8_E4M3", shape=(16,))}, sixteen)
    write("negative_dimension.safetensors", {"w": tensor(shape=(-4,))}, sixteen)
    write("huge_shape.safetensors", {"w": tensor(shape=(2**62, 4))}, sixteen)
    write("fractional_dimension.safetensors", b'{"w": {"dtype": "F32", "shape": [1.5], "data_offsets": [0, 16]}}', sixteen)
    write("missing_dtype.safetensors", {"w": {"shape": [4], "data_offsets": [0, 16]}}, sixteen)
    write("metadata_not_strings.safetensors", {"__metadata__": {"epoch": 3}, "w": tensor()}, sixteen)
    write("bool_not_0_or_1.safetensors", {"m": tensor(dtype="BOOL", shape=(4,), end=4)}, bytes([1, 0, 7, 1]))


expected = valid_file()
hostile_files()
print(json.dumps(expected))
