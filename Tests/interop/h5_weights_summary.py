"""Reads a ModelZoo weights file with h5py alone and prints what it finds as JSON, so tests
can compare it with what ModelZoo wrote:

  {"attributes": {root attribute: value},
   "datasets": {parameter name: {"path", "shape", "dtype", "sum", "sha256", "recorded_sha256",
                                 "layout", "compression", "chunks"}}}

"dtype" is numpy's name for what h5py reads (bfloat16 reads as float32, exactly), "sum" the
float64 sum of the values, "sha256" the digest of the elements as stored (the file's own
datatype, row-major), which is what the dataset's "sha256" attribute records.

usage: h5_weights_summary.py FILE
"""
import hashlib
import json
import sys

import h5py
import numpy


LAYOUTS = {h5py.h5d.COMPACT: "compact", h5py.h5d.CONTIGUOUS: "contiguous", h5py.h5d.CHUNKED: "chunked"}


def stored_bytes(dataset):
    """The dataset's elements in the file's datatype, without h5py converting them."""
    file_type = dataset.id.get_type()
    raw = numpy.empty(dataset.shape, dtype=f"V{file_type.get_size()}")
    if raw.size:
        dataset.id.read(h5py.h5s.ALL, h5py.h5s.ALL, raw, mtype=file_type)
    return raw.tobytes()


def plain(value):
    """Attributes as JSON values: ModelZoo's fixed-length strings come back from h5py as bytes."""
    value = value.item() if isinstance(value, numpy.generic) else value
    return value.decode("utf-8") if isinstance(value, bytes) else value


def main():
    datasets = {}
    with h5py.File(sys.argv[1], "r") as file:
        def visit(path, item):
            if isinstance(item, h5py.Dataset):
                values = item[()]
                datasets[path.replace("/", ".")] = {
                    "path": "/" + path,
                    "shape": list(item.shape),
                    "dtype": str(values.dtype),
                    "sum": float(numpy.sum(values, dtype=numpy.float64)),
                    "sha256": hashlib.sha256(stored_bytes(item)).hexdigest(),
                    "recorded_sha256": plain(item.attrs.get("sha256")),
                    "layout": LAYOUTS.get(item.id.get_create_plist().get_layout(), "other"),
                    "compression": item.compression,
                    "chunks": list(item.chunks) if item.chunks else None,
                }
        file.visititems(visit)
        attributes = {key: plain(value) for key, value in file.attrs.items()}
    print(json.dumps({"attributes": attributes, "datasets": datasets}))


main()
