"""Writes broken or hostile Keras HDF5 files with h5py, each wrong in one way (the rest
follows the layouts Keras writes: see Sources/ZooWeights/KerasWeights.swift), for
Tests/ZooPretrainedTests/KerasHostileFileTests.swift to check the error each must give.

usage: make_hostile_keras.py OUT_DIR
"""
import os
import sys

import h5py
import numpy

out = sys.argv[1]
kernel = numpy.zeros((3, 3, 3, 4), dtype="float32")


def keras2(name, layer_names=(b"block1_conv1",)):
    file = h5py.File(os.path.join(out, name), "w")
    file.attrs["layer_names"] = numpy.asarray(layer_names)
    return file


def keras3(name):
    file = h5py.File(os.path.join(out, name), "w")
    file.create_group("vars")
    return file


with keras2("missing_weight_names.h5") as file:
    file.create_group("block1_conv1").create_dataset("block1_conv1/kernel:0", data=kernel)
with keras2("dangling_weight_name.h5") as file:
    file.create_group("block1_conv1").attrs["weight_names"] = numpy.asarray([b"block1_conv1/kernel:0"])
with keras2("missing_layer_group.h5", [b"block1_conv1", b"fc9"]) as file:
    file.create_group("block1_conv1").attrs["weight_names"] = numpy.asarray([], dtype="float64")
with keras2("numeric_layer_names.h5", numpy.arange(3)):
    pass
with keras2("duplicate_layer.h5", [b"block1_conv1", b"block1_conv1"]) as file:
    file.create_group("block1_conv1").attrs["weight_names"] = numpy.asarray([], dtype="float64")
with keras2("complex_kernel.h5") as file:
    group = file.create_group("block1_conv1")
    group.attrs["weight_names"] = numpy.asarray([b"block1_conv1/kernel:0"])
    group.create_dataset("block1_conv1/kernel:0", data=numpy.zeros((3, 3, 3, 4), dtype="complex64"))
with keras2("absurd_shape.h5") as file:
    group = file.create_group("block1_conv1")
    group.attrs["weight_names"] = numpy.asarray([b"block1_conv1/kernel:0"])
    # A 2^60-element dataset costs nothing on disk: its chunks are never written.
    group.create_dataset("block1_conv1/kernel:0", shape=(1 << 30, 1 << 30), dtype="float32", chunks=(1, 1024))
with keras3("variable_not_an_index.h5") as file:
    vars = file.create_group("layers/conv2d/vars")
    vars.attrs["name"] = "block1_conv1"
    vars.create_dataset("kernel", data=kernel)
with keras3("variable_gap.h5") as file:
    vars = file.create_group("layers/conv2d/vars")
    vars.attrs["name"] = "block1_conv1"
    vars.create_dataset("0", data=kernel)
    vars.create_dataset("2", data=numpy.zeros(4, dtype="float32"))
with keras3("same_layer_twice.h5") as file:
    # The unnamed first Conv2D is block1_conv1 by position; a named group claims it too.
    file.create_group("layers/conv2d/vars").create_dataset("0", data=kernel)
    vars = file.create_group("layers/conv2d_5/vars")
    vars.attrs["name"] = "block1_conv1"
    vars.create_dataset("0", data=kernel)
with keras3("wrong_kernel_shape.h5") as file:
    # A whole VGG-16-structured file (as in Tests/Fixtures/keras) but block1_conv1's kernel has
    # 5 output channels, and an extra layer the architecture does not have.
    widths = [[4, 4], [8, 8], [8, 8, 8], [16, 16, 16], [16, 16, 16]]
    layers = []
    channels = 3
    for block, stage in enumerate(widths, start=1):
        for index, width in enumerate(stage, start=1):
            out_channels = 5 if (block, index) == (1, 1) else width
            layers.append((f"block{block}_conv{index}", [(3, 3, channels, out_channels), (out_channels,)]))
            channels = width
    layers += [("fc1", [(7 * 7 * 16, 32), (32,)]), ("fc2", [(32, 32), (32,)]), ("predictions", [(32, 10), (10,)]),
               ("block6_conv1", [(3, 3, 16, 16), (16,)])]
    for number, (name, shapes) in enumerate(layers):
        vars = file.create_group(f"layers/layer_{number}/vars")
        vars.attrs["name"] = name
        for index, shape in enumerate(shapes):
            vars.create_dataset(str(index), data=numpy.zeros(shape, dtype="float32"))
