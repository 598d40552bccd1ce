"""Writes weights files in ModelZoo's layout (Schemas/weights-hdf5.md) with h5py alone, the
way a Python user following the schema would, and prints the expected contents as JSON:

  {file name: {parameter name: {"dtype": ModelZoo dtype, "shape": [...], "values": [...]}}}

  float32.h5      float32 parameters, an int64 scalar, a bool mask; checksums on some
  float16.h5      float16 parameters (numpy float16)
  bfloat16.h5     bfloat16 parameters, a custom 16-bit HDF5 float written through h5py's low-level API
  compressed.h5   chunked, shuffled and gzip-compressed float32
  big_endian.h5   big-endian float32 and int64, which ModelZoo reads in its own byte order

usage: write_h5_weights.py OUT_DIR
"""
import hashlib
import json
import os
import sys

import h5py
import numpy

out = sys.argv[1]


def bfloat16_type():
    """sign bit 15, exponent bits 7-14 (bias 127), mantissa bits 0-6: the schema's bfloat16."""
    datatype = h5py.h5t.IEEE_F32LE.copy()
    datatype.set_fields(15, 7, 8, 0, 7)
    datatype.set_size(2)
    datatype.set_ebias(127)
    return datatype


def values(shape, dtype, scale=0.5, offset=-3.0):
    """Multiples of 0.5 below 128 in magnitude: exact in float16 and bfloat16 alike."""
    count = int(numpy.prod(shape))
    return (numpy.arange(count, dtype=numpy.float64) * scale + offset).reshape(shape).astype(dtype)


def write_root(file, dtype):
    file.attrs["format"] = "modelzoo-weights"
    file.attrs["format_version"] = 1
    file.attrs["architecture"] = "tiny-net"
    file.attrs["config"] = json.dumps({"classes": 2})
    file.attrs["dtype"] = dtype
    file.attrs["created_by"] = f"h5py {h5py.__version__}"


expected = {}


def record(file_name, name, dtype, array):
    expected.setdefault(file_name, {})[name] = {
        "dtype": dtype, "shape": list(array.shape), "values": array.astype(numpy.float64).ravel().tolist()}


with h5py.File(os.path.join(out, "float32.h5"), "w") as file:
    write_root(file, "float32")
    for name, shape in [("features.0.weight", (4, 3, 3, 3)), ("features.0.bias", (4,)), ("classifier.weight", (2, 8))]:
        array = values(shape, "<f4")
        dataset = file.create_dataset(name.replace(".", "/"), data=array)
        if name != "features.0.bias":  # the checksum is optional
            dataset.attrs["sha256"] = hashlib.sha256(array.tobytes()).hexdigest()
        record("float32.h5", name, "float32", array)
    steps = numpy.array(7, dtype="<i8")
    file.create_dataset("bn/num_batches_tracked", data=steps)
    record("float32.h5", "bn.num_batches_tracked", "int64", steps)
    mask = numpy.array([True, False, True])
    file.create_dataset("attention/mask", data=mask)
    record("float32.h5", "attention.mask", "bool", mask)

with h5py.File(os.path.join(out, "float16.h5"), "w") as file:
    write_root(file, "float16")
    array = values((3, 5), "<f2")
    file.create_dataset("encoder/layer/0/dense/weight", data=array)
    record("float16.h5", "encoder.layer.0.dense.weight", "float16", array)

with h5py.File(os.path.join(out, "bfloat16.h5"), "w") as file:
    write_root(file, "bfloat16")
    array = values((6, 4), "<f4", scale=-1.5, offset=20.0)
    group = file.create_group("embeddings/word_embeddings")
    dataset = h5py.h5d.create(group.id, b"weight", bfloat16_type(), h5py.h5s.create_simple(array.shape))
    dataset.write(h5py.h5s.ALL, h5py.h5s.ALL, array)  # libhdf5 converts float32 to the 16-bit type
    record("bfloat16.h5", "embeddings.word_embeddings.weight", "bfloat16", array)

with h5py.File(os.path.join(out, "compressed.h5"), "w") as file:
    write_root(file, "float32")
    array = values((64, 33), "<f4", scale=0.25)
    file.create_dataset("fc/weight", data=array, chunks=(16, 33), compression="gzip", shuffle=True)
    record("compressed.h5", "fc.weight", "float32", array)

with h5py.File(os.path.join(out, "big_endian.h5"), "w") as file:
    write_root(file, "float32")
    array = values((5, 2), ">f4")
    file.create_dataset("fc/weight", data=array)
    record("big_endian.h5", "fc.weight", "float32", array)
    indices = numpy.arange(-2, 4, dtype=">i8")
    file.create_dataset("position_ids", data=indices)
    record("big_endian.h5", "position_ids", "int64", indices)

print(json.dumps(expected))
