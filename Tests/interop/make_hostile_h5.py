"""Writes a corpus of broken or hostile weights files with h5py, each wrong in one way
(the rest follows Schemas/weights-hdf5.md), for the tests to check the error each must give.

usage: make_hostile_h5.py OUT_DIR
"""
import json
import os
import sys

import h5py
import numpy

out = sys.argv[1]


def weights_file(name, dtype="float32", **overrides):
    file = h5py.File(os.path.join(out, name), "w")
    attributes = {"format": "modelzoo-weights", "format_version": 1, "architecture": "hostile",
                  "config": json.dumps({}), "dtype": dtype, "created_by": "make_hostile_h5.py"}
    attributes.update(overrides)
    for key, value in attributes.items():
        if value is not None:
            file.attrs[key] = value
    return file


with weights_file("complex_dataset.h5") as file:
    file.create_dataset("fc/weight", data=numpy.zeros((2, 2), dtype="<c8"))
with weights_file("string_dataset.h5") as file:
    file.create_dataset("vocab", data=[b"a", b"b"])
with weights_file("petabyte_shape.h5") as file:
    # Chunked, so libhdf5 accepts the shape without storing anything.
    file.create_dataset("fc/weight", shape=(2**62,), dtype="<f4", chunks=(1024,))
with weights_file("unwritten_chunks.h5") as file:
    file.create_dataset("fc/weight", shape=(64, 64), dtype="<f4", chunks=(16, 64))
with weights_file("unwritten_contiguous.h5") as file:
    file.create_dataset("fc/weight", shape=(64, 64), dtype="<f4")
with weights_file("null_dataspace.h5") as file:
    file.create_dataset("fc/weight", data=h5py.Empty("<f4"))
with weights_file("external_storage.h5") as file:
    raw = os.path.join(out, "external_storage.raw")
    numpy.zeros(16, dtype="<f4").tofile(raw)
    file.create_dataset("fc/weight", shape=(16,), dtype="<f4", external=[(raw, 0, 64)])
with weights_file("bool_not_0_or_1.h5") as file:
    # h5py's bool type, with a raw 5 written past the conversion that would refuse it.
    dataset = file.create_dataset("attention/mask", shape=(3,), dtype=bool)
    dataset.id.write(h5py.h5s.ALL, h5py.h5s.ALL, numpy.array([1, 5, 0], dtype="i1"), mtype=dataset.id.get_type())
with weights_file("dotted_group.h5") as file:
    file.create_dataset("layer1.0/weight", data=numpy.zeros(2, dtype="<f4"))
with weights_file("dtype_disagrees.h5", dtype="float16") as file:
    file.create_dataset("fc/weight", data=numpy.zeros(2, dtype="<f4"))
with weights_file("wrong_checksum.h5") as file:
    dataset = file.create_dataset("fc/weight", data=numpy.ones(4, dtype="<f4"))
    dataset.attrs["sha256"] = "0" * 64
with weights_file("no_format.h5", format=None) as file:
    pass
with weights_file("foreign_format.h5", format="keras") as file:
    pass
with weights_file("newer_version.h5", format_version=2) as file:
    pass
with weights_file("version_as_text.h5", format_version="1") as file:
    pass
with weights_file("integer_dtype.h5", dtype="int32") as file:
    pass
with weights_file("virtual_dataset.h5") as file:
    file.create_dataset("source", data=numpy.zeros(4, dtype="<f4"))
    layout = h5py.VirtualLayout(shape=(4,), dtype="<f4")
    layout[:] = h5py.VirtualSource(file["source"])
    file.create_virtual_dataset("fc/weight", layout)

# A contiguous dataset whose data runs past the end of the file: the file is cut in the
# middle of the data, and the end-of-file address in the superblock (version 0, bytes
# 40-47) is set to the new length, so that libhdf5 opens the file without complaint.
path = os.path.join(out, "past_end.h5")
with weights_file("past_end.h5") as file:
    dataset = file.create_dataset("fc/weight", data=numpy.ones((256, 256), dtype="<f4"))
    data_end = dataset.id.get_offset() + dataset.id.get_storage_size()
with open(path, "r+b") as file:
    assert data_end == os.path.getsize(path), "the data is expected to come last"
    length = data_end - 128 * 1024
    file.truncate(length)
    file.seek(40)
    file.write(length.to_bytes(8, "little"))
