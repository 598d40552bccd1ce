"""Writes small, valid ONNX files whose attribute or constant VALUES are hostile (sizes near
2^62, INT64_MIN steps, infinite or NaN bounds, sums that overflow), one file per case. Each
file's offending node is named after the file, so a test can check the error names it.
The table of what each command must do is in Tests/ZooCLITests/HostileValueTests.swift;
a new operator adds its cases here and a row there.

usage: make_hostile_values.py OUT_DIR
"""
import math
import os
import sys

import numpy as np
from onnx import TensorProto, helper

out = sys.argv[1]
HUGE = 2**62
INT64_MIN = -(2**63)
INT64_MAX = 2**63 - 1
FLOAT = TensorProto.FLOAT
INT64 = TensorProto.INT64


def value(name, dims, dtype=FLOAT):
    return helper.make_tensor_value_info(name, dtype, dims)


def int64s(name, values, dims=None):
    return helper.make_tensor(name, INT64, [len(values)] if dims is None else dims, values)


def floats(name, values, dims=None):
    return helper.make_tensor(name, FLOAT, [len(values)] if dims is None else dims, values)


def output(rank, dtype=FLOAT):
    """Graph output 'y' of a known rank with unnamed sizes: the graph decides them."""
    return value("y", [f"y{axis}" for axis in range(rank)], dtype)


def save(name, nodes, inputs, outputs, initializers=(), opset=17):
    """One graph; the node that should be named in the error carries the file's name. A
    small static float input 'x' also gets values, NAME.x.npy, to compare runs with."""
    graph = helper.make_graph(nodes, name, inputs, outputs, list(initializers))
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])
    with open(os.path.join(out, name + ".onnx"), "wb") as f:
        f.write(model.SerializeToString())
    for value in inputs:
        dims = [dim.dim_value if dim.HasField("dim_value") else None for dim in value.type.tensor_type.shape.dim]
        if value.name == "x" and None not in dims and math.prod(dims) <= 1024:
            values = np.random.default_rng(len(name)).standard_normal(dims).astype(np.float32)
            np.save(os.path.join(out, name + ".x.npy"), values)


def conv(name, x_dims=(1, 1, 8, 8), w_dims=(1, 1, 3, 3), **attributes):
    save(name, [helper.make_node("Conv", ["x", "w"], ["y"], name=name, **attributes)],
         [value("x", list(x_dims))], [output(4)],
         [floats("w", [0.5] * (w_dims[0] * w_dims[1] * w_dims[2] * w_dims[3]), list(w_dims))])


def pool(name, op="MaxPool", **attributes):
    save(name, [helper.make_node(op, ["x"], ["y"], name=name, **attributes)],
         [value("x", [1, 1, 8, 8])], [output(4)])


def one_op(name, op, inputs, initializers, x_dims=(2, 3), rank=2, **attributes):
    save(name, [helper.make_node(op, inputs, ["y"], name=name, **attributes)],
         [value("x", list(x_dims))], [output(rank)], initializers)


# Convolution and pooling: pads, dilations, strides, kernel sizes and groups.
conv("conv_pads_huge", pads=[HUGE] * 4)
conv("conv_dilations_huge", dilations=[HUGE, HUGE])
conv("conv_strides_and_pads_max", strides=[INT64_MAX, INT64_MAX], pads=[HUGE, HUGE, HUGE, HUGE])
conv("conv_kernel_shape_huge", kernel_shape=[HUGE, HUGE])
conv("conv_group_huge", group=HUGE)
conv("conv_group_min", group=INT64_MIN)
conv("conv_pads_negative_huge", pads=[INT64_MIN] * 4)
pool("maxpool_kernel_huge", kernel_shape=[HUGE, HUGE], pads=[HUGE] * 4)
pool("maxpool_dilations_huge", kernel_shape=[2, 2], dilations=[HUGE, HUGE])
pool("avgpool_ceil_strides_max", op="AveragePool", kernel_shape=[2, 2], strides=[INT64_MAX, INT64_MAX],
     pads=[1, 1, 1, 1], ceil_mode=1)
pool("maxpool_same_strides_max", kernel_shape=[2, 2], strides=[INT64_MAX, INT64_MAX], auto_pad="SAME_UPPER")
save("lrn_size_huge", [helper.make_node("LRN", ["x"], ["y"], name="lrn_size_huge", size=HUGE)],
     [value("x", [1, 4, 2, 2])], [output(4)])

# Range: infinite and NaN bounds, element counts beyond 64 bits or beyond memory.
def range_case(name, start, limit, delta, dtype=FLOAT):
    make = floats if dtype == FLOAT else int64s
    save(name, [helper.make_node("Range", ["start", "limit", "delta"], ["y"], name=name)],
         [], [output(1, dtype)],
         [make("start", [start], []), make("limit", [limit], []), make("delta", [delta], [])])


range_case("range_limit_inf", 0.0, float("inf"), 1.0)
range_case("range_step_nan", 0.0, 10.0, float("nan"))
range_case("range_count_1e30", 0.0, 1e30, 1.0)
range_case("range_int64_full_span", INT64_MIN, INT64_MAX, 1, INT64)
range_case("range_count_2e12", 0.0, 2e12, 1.0)

# Slice: steps and bounds at the ends of int64.
def slice_case(name, starts, ends, steps, x_dims=(2, 8)):
    one_op(name, "Slice", ["x", "starts", "ends", "axes", "steps"],
           [int64s("starts", starts), int64s("ends", ends), int64s("axes", [1]), int64s("steps", steps)],
           x_dims=x_dims)


slice_case("slice_step_int64_min", [-1], [INT64_MIN], [INT64_MIN])
slice_case("slice_step_int64_max", [0], [INT64_MAX], [INT64_MAX])
slice_case("slice_bounds_extreme", [INT64_MIN], [INT64_MAX], [1], x_dims=(2, 2**40))
# A Slice of a Shape value, with a start of INT64_MIN (the shape-value propagation path).
save("slice_of_shape_int64_min",
     [helper.make_node("Shape", ["x"], ["s"], name="shape"),
      helper.make_node("Slice", ["s", "starts", "ends"], ["y"], name="slice_of_shape_int64_min")],
     [value("x", [2, 3])], [output(1, INT64)],
     [int64s("starts", [INT64_MIN]), int64s("ends", [INT64_MAX])])
save("shape_start_int64_min", [helper.make_node("Shape", ["x"], ["y"], name="shape_start_int64_min", start=INT64_MIN)],
     [value("x", [2, 3])], [output(1, INT64)])

# Concatenation whose sizes overflow when added.
save("concat_sum_overflow", [helper.make_node("Concat", ["x", "z"], ["y"], name="concat_sum_overflow", axis=1)],
     [value("x", [1, HUGE]), value("z", [1, HUGE])], [output(2)])
one_op("concat_axis_int64_min", "Concat", ["x", "x"], [], axis=INT64_MIN)

# Axes at the ends of int64, for every op with an axis.
one_op("softmax_axis_int64_min", "Softmax", ["x"], [], axis=INT64_MIN)
one_op("flatten_axis_int64_min", "Flatten", ["x"], [], axis=INT64_MIN)
one_op("gather_axis_int64_min", "Gather", ["x", "i"], [int64s("i", [0])], axis=INT64_MIN)
one_op("unsqueeze_axes_int64_min", "Unsqueeze", ["x", "a"], [int64s("a", [INT64_MIN])], rank=3)
one_op("squeeze_axes_int64_min", "Squeeze", ["x", "a"], [int64s("a", [INT64_MIN])], x_dims=(1, 3), rank=1)
one_op("reducemean_axes_int64_min", "ReduceMean", ["x"], [], axes=[INT64_MIN])
one_op("layernorm_axis_int64_min", "LayerNormalization", ["x", "g"], [floats("g", [1, 1, 1])], axis=INT64_MIN)
one_op("transpose_perm_huge", "Transpose", ["x"], [], perm=[HUGE, 0])

# Reshape, Expand and ConstantOfShape targets beyond memory or 64 bits.
one_op("reshape_target_overflow", "Reshape", ["x", "s"], [int64s("s", [HUGE, HUGE, -1])], rank=3)
one_op("expand_to_2pow32_squared", "Expand", ["x", "s"], [int64s("s", [2**32, 2**32])], x_dims=(1, 1))
one_op("expand_to_2pow40", "Expand", ["x", "s"], [int64s("s", [2**20, 2**20])], x_dims=(1, 1))
save("constantofshape_2pow32_squared",
     [helper.make_node("ConstantOfShape", ["s"], ["y"], name="constantofshape_2pow32_squared")],
     [], [output(2)], [int64s("s", [2**32, 2**32])])

# Gather with indices outside the data.
one_op("gather_index_huge", "Gather", ["x", "i"], [int64s("i", [HUGE])], axis=1)
one_op("gather_index_int64_min", "Gather", ["x", "i"], [int64s("i", [INT64_MIN])], axis=1)
one_op("gathernd_index_huge", "GatherND", ["x", "i"], [int64s("i", [HUGE, 0], [1, 2])], rank=1)

# LSTM hidden sizes whose gate widths overflow, or whose weights cannot fit in memory.
def lstm(name, hidden):
    save(name, [helper.make_node("LSTM", ["x", "w", "r"], ["y"], name=name, hidden_size=hidden)],
         [value("x", [2, 1, 3]), value("w", [1, 4 * hidden % 2**63, 3]), value("r", [1, 4 * hidden % 2**63, hidden])],
         [output(4)])


lstm("lstm_hidden_2pow61", 2**61)
lstm("lstm_hidden_2pow40", 2**40)

# Symbolic dimensions: a product that overflows, and sizes a run cannot allocate.
save("symbol_product_overflow", [helper.make_node("Flatten", ["x"], ["y"], name="symbol_product_overflow", axis=0)],
     [value("x", ["4294967296*4294967296", 2])], [output(2)])
save("matmul_huge_static", [helper.make_node("MatMul", ["x", "z"], ["y"], name="matmul_huge_static")],
     [value("x", [2**31, 2**31]), value("z", [2**31, 2])], [output(2)])
save("symbolic_batch", [helper.make_node("Relu", ["x"], ["y"], name="symbolic_batch")],
     [value("x", ["batch", 1024, 1024])], [output(3)])
save("input_dims_overflow", [helper.make_node("Relu", ["x"], ["y"], name="input_dims_overflow")],
     [value("x", [2**40, 2**40, 2**40])], [output(3)])
save("conv_pads_huge_symbolic",
     [helper.make_node("Conv", ["x", "w"], ["y"], name="conv_pads_huge_symbolic", pads=[HUGE, 0, 0, 0])],
     [value("x", ["batch", 1, 8, 8])], [output(4)], [floats("w", [0.5] * 9, [1, 1, 3, 3])])
range_case("range_limit_negative_inf", 0.0, float("-inf"), 1.0)
range_case("range_int64_near_max", INT64_MAX - 2000, INT64_MAX, 1, INT64)
range_case("range_int64_full_span_step_2pow62", INT64_MIN, INT64_MAX, 2**62, INT64)
pool("maxpool_window_2pow62", kernel_shape=[2**31, 2**31], strides=[2**31, 2**31], pads=[2**31 - 1] * 4)
pool("avgpool_window_2pow62", op="AveragePool", kernel_shape=[2**31, 2**31], strides=[2**31, 2**31],
     pads=[2**31 - 1] * 4, count_include_pad=1)
save("lrn_size_huge_channels_last",
     [helper.make_node("Conv", ["x", "w"], ["c"], name="conv"),
      helper.make_node("LRN", ["c"], ["y"], name="lrn_size_huge_channels_last", size=HUGE)],
     [value("x", [1, 1, 4, 4])], [output(4)], [floats("w", [0.5] * 36, [4, 1, 3, 3])])

# External data at an offset near 2^63 (the tensor 'w' is named, not a node).
with open(os.path.join(out, "w.bin"), "wb") as f:
    f.write(b"\0" * 8)
far = TensorProto(name="w", data_type=FLOAT, dims=[2], data_location=TensorProto.EXTERNAL)
far.external_data.add(key="location", value="w.bin")
far.external_data.add(key="offset", value=str(INT64_MAX))
save("external_offset_int64_max", [helper.make_node("Add", ["x", "w"], ["y"], name="external_offset_int64_max")],
     [value("x", [2])], [output(1)], [far])
# A data type code beyond 32 bits (truncated, it would read as float).
one_op("cast_to_2pow32_plus_1", "Cast", ["x"], [], to=2**32 + 1)


# Scan: a scan axis at the end of int64, and a body whose Concat overflows.
def scan_case(name, body_nodes, **attributes):
    state = value("s_prev", [2])
    body = helper.make_graph(body_nodes, "body", [state, value("x_t", [2])],
                             [value("s_next", ["n"]), value("y_t", [2])])
    save(name, [helper.make_node("Scan", ["s0", "x"], ["s_final", "y"], name=name, num_scan_inputs=1, body=body,
                                 **attributes)],
         [value("s0", [2]), value("x", [3, 2])], [value("s_final", ["n"]), value("y", [3, 2])])


running_sum = [helper.make_node("Add", ["s_prev", "x_t"], ["s_next"], name="sum"),
               helper.make_node("Identity", ["s_next"], ["y_t"], name="emit")]
scan_case("scan_input_axis_int64_min", running_sum, scan_input_axes=[INT64_MIN])
scan_case("scan_body_range_inf", [
    helper.make_node("Constant", [], ["zero"], name="zero", value=floats("zero", [0.0], [])),
    helper.make_node("Constant", [], ["inf"], name="inf", value=floats("inf", [float("inf")], [])),
    helper.make_node("Constant", [], ["one"], name="one", value=floats("one", [1.0], [])),
    helper.make_node("Range", ["zero", "inf", "one"], ["s_next"], name="range"),
    helper.make_node("Identity", ["x_t"], ["y_t"], name="emit")])


# Recurrent: GRU and RNN hidden sizes whose bias widths (6H, 2H) overflow or whose weights
# cannot fit in memory; clip NaN or negative; a sequence length beyond the sequence.
def recurrent(name, op, hidden, gates, inputs=("x", "w", "r"), initializers=(), **attributes):
    save(name, [helper.make_node(op, list(inputs), ["y"], name=name, hidden_size=hidden, **attributes)],
         [value("x", [2, 1, 3]), value("w", [1, gates * hidden % 2**63, 3]), value("r", [1, gates * hidden % 2**63, hidden])],
         [output(4)], initializers)


recurrent("gru_hidden_2pow61", "GRU", 2**61, 3)
recurrent("rnn_hidden_2pow62", "RNN", 2**62, 1)
recurrent("gru_hidden_2pow40", "GRU", 2**40, 3)
recurrent("lstm_clip_nan", "LSTM", 2, 4, clip=float("nan"))
recurrent("gru_clip_negative", "GRU", 2, 3, clip=-1.0)
recurrent("rnn_sequence_lens_huge", "RNN", 2, 1, inputs=("x", "w", "r", "", "lens"),
          initializers=[helper.make_tensor("lens", TensorProto.INT32, [1], [2**31 - 1])])


# Convolution, pooling and normalisation variants: ConvTranspose's output size, LpPool's p,
# MaxUnpool's output shape and strides, MaxPool's storage_order.
def conv_transpose(name, **attributes):
    save(name, [helper.make_node("ConvTranspose", ["x", "w"], ["y"], name=name, **attributes)],
         [value("x", [1, 1, 8, 8])], [output(4)], [floats("w", [0.5] * 9, [1, 1, 3, 3])])


conv_transpose("convtranspose_output_shape_huge", output_shape=[HUGE, HUGE])
conv_transpose("convtranspose_output_shape_2pow20_squared", output_shape=[2**20, 2**20])
conv_transpose("convtranspose_output_padding_huge", strides=[HUGE, HUGE], output_padding=[HUGE - 1, HUGE - 1])
conv_transpose("convtranspose_strides_huge", strides=[HUGE, HUGE])
conv_transpose("convtranspose_pads_huge", pads=[HUGE] * 4)
pool("lppool_p_huge", op="LpPool", kernel_shape=[2, 2], p=HUGE)
pool("lppool_p_int64_min", op="LpPool", kernel_shape=[2, 2], p=INT64_MIN)
pool("maxpool_storage_order_huge", kernel_shape=[2, 2], storage_order=HUGE)


def max_unpool(name, shape=None, **attributes):
    inputs = ["x", "i"] + (["shape"] if shape is not None else [])
    initializers = [int64s("i", list(range(0, 128, 2)), [1, 1, 8, 8])] + ([int64s("shape", shape)] if shape else [])
    save(name, [helper.make_node("MaxUnpool", inputs, ["y"], name=name, **attributes)],
         [value("x", [1, 1, 8, 8])], [output(4)], initializers)


max_unpool("maxunpool_output_shape_huge", shape=[1, 1, HUGE, HUGE], kernel_shape=[2, 2])
max_unpool("maxunpool_output_shape_2pow20_squared", shape=[1, 1, 2**20, 2**20], kernel_shape=[2, 2])
max_unpool("maxunpool_strides_huge", kernel_shape=[2, 2], strides=[HUGE, HUGE])
# Data movement and indexing: sizes from pads, repeats, split sizes, block sizes and depth;
# axes at the ends of int64; indices and sequence lengths outside the data (run time).
one_op("pad_pads_huge", "Pad", ["x", "p"], [int64s("p", [HUGE] * 4)])
one_op("pad_pads_int64_min", "Pad", ["x", "p"], [int64s("p", [INT64_MIN, 0, 0, 0])])
one_op("pad_pads_both_int64_min", "Pad", ["x", "p"], [int64s("p", [INT64_MIN, 0, INT64_MIN, 0])], mode="edge")
one_op("pad_pads_2pow40", "Pad", ["x", "p"], [int64s("p", [0, 2**40, 0, 0])])
one_op("pad_reflect_pads_2pow61", "Pad", ["x", "p"], [int64s("p", [0, 2**61, 0, 0])], mode="reflect")
one_op("tile_repeats_huge", "Tile", ["x", "r"], [int64s("r", [HUGE, HUGE])])
one_op("tile_repeats_2pow40", "Tile", ["x", "r"], [int64s("r", [1, 2**40])])
one_op("tile_repeats_negative", "Tile", ["x", "r"], [int64s("r", [-1, 1])])
save("split_sizes_overflow", [helper.make_node("Split", ["x", "s"], ["y", "z"], name="split_sizes_overflow", axis=1)],
     [value("x", [2, 3])], [output(2), value("z", ["z0", "z1"])], [int64s("s", [INT64_MAX, 4])])
save("split_axis_int64_min", [helper.make_node("Split", ["x"], ["y", "z"], name="split_axis_int64_min", axis=INT64_MIN)],
     [value("x", [2, 4])], [output(2), value("z", ["z0", "z1"])])
one_op("depthtospace_blocksize_huge", "DepthToSpace", ["x"], [], x_dims=(1, 4, 2, 2), rank=4, blocksize=HUGE)
one_op("depthtospace_blocksize_int64_min", "DepthToSpace", ["x"], [], x_dims=(1, 4, 2, 2), rank=4, blocksize=INT64_MIN)
one_op("spacetodepth_blocksize_huge", "SpaceToDepth", ["x"], [], x_dims=(1, 1, 4, 4), rank=4, blocksize=HUGE)
one_op("gatherelements_axis_int64_min", "GatherElements", ["x", "i"], [int64s("i", [0], [1, 1])], axis=INT64_MIN)
one_op("gatherelements_index_huge", "GatherElements", ["x", "i"], [int64s("i", [HUGE], [1, 1])], axis=1)
one_op("gatherelements_index_int64_min", "GatherElements", ["x", "i"], [int64s("i", [INT64_MIN], [1, 1])], axis=1)
one_op("scatterelements_index_huge", "ScatterElements", ["x", "i", "u"],
       [int64s("i", [HUGE], [1, 1]), floats("u", [1.0], [1, 1])], axis=0, reduction="add")
one_op("scatternd_index_huge", "ScatterND", ["x", "i", "u"], [int64s("i", [0, HUGE], [1, 2]), floats("u", [1.0], [1])])
one_op("onehot_depth_huge", "OneHot", ["x", "d", "v"], [int64s("d", [HUGE], []), floats("v", [0.0, 1.0])], rank=3)
one_op("onehot_depth_2pow40", "OneHot", ["x", "d", "v"], [int64s("d", [2**40], []), floats("v", [0.0, 1.0])], rank=3)
one_op("onehot_axis_int64_min", "OneHot", ["x", "d", "v"], [int64s("d", [3], []), floats("v", [0.0, 1.0])], rank=3,
       axis=INT64_MIN)
one_op("trilu_k_int64_min", "Trilu", ["x", "k"], [int64s("k", [INT64_MIN], [])])
one_op("trilu_k_int64_max", "Trilu", ["x", "k"], [int64s("k", [INT64_MAX], [])], upper=0)
one_op("eyelike_k_int64_max", "EyeLike", ["x"], [], k=INT64_MAX)
one_op("reversesequence_length_huge", "ReverseSequence", ["x", "l"], [int64s("l", [HUGE, 1, 1])])
one_op("reversesequence_axis_int64_min", "ReverseSequence", ["x", "l"], [int64s("l", [1, 1])], batch_axis=INT64_MIN)
# Reductions: axes at the ends of int64, and TopK's k beyond its axis or negative.
def reduction_case(name, op, inputs, initializers, dtype=FLOAT, outputs=("y",), **attributes):
    save(name, [helper.make_node(op, inputs, list(outputs), name=name, **attributes)],
         [value("x", [2, 3])], [value(output, [f"{output}{axis}" for axis in range(2)], dtype if output == "y" else INT64)
                                for output in outputs], initializers)


reduction_case("reducesum_axes_int64_min", "ReduceSum", ["x", "a"], [int64s("a", [INT64_MIN])])
reduction_case("reducel2_axes_int64_max", "ReduceL2", ["x"], [], axes=[INT64_MAX])
reduction_case("argmax_axis_int64_min", "ArgMax", ["x"], [], dtype=INT64, axis=INT64_MIN)
reduction_case("cumsum_axis_int64_min", "CumSum", ["x", "axis"], [int64s("axis", [INT64_MIN], [])])
reduction_case("topk_k_huge", "TopK", ["x", "k"], [int64s("k", [HUGE])], outputs=("y", "i"))
reduction_case("topk_k_int64_min", "TopK", ["x", "k"], [int64s("k", [INT64_MIN])], outputs=("y", "i"))
reduction_case("topk_axis_int64_min", "TopK", ["x", "k"], [int64s("k", [1])], outputs=("y", "i"), axis=INT64_MIN)
reduction_case("logsoftmax_axis_int64_min", "LogSoftmax", ["x"], [], axis=INT64_MIN)
reduction_case("hardmax_axis_int64_max", "Hardmax", ["x"], [], axis=INT64_MAX)
# An empty input whose other dims multiply beyond 64 bits: reducing them must not overflow.
# (Its input is not 'x', which would get sample values: numpy cannot make that shape.)
save("reducesum_empty_2pow80", [helper.make_node("ReduceSum", ["data", "a"], ["y"], name="reducesum_empty_2pow80")],
     [value("data", [0, 2**40, 2**40])], [output(3)], [int64s("a", [1, 2])])
# Losses and image sampling and folding: labels outside the classes (run time), an extreme
# ignore_index; Col2Im's image_shape, block_shape, dilations, pads and strides; AffineGrid's
# size; GridSample at grid points that are NaN, infinite or far outside the image.
def loss_case(name, op, labels, opset, **attributes):
    save(name, [helper.make_node(op, ["x", "t"], ["y"], name=name, **attributes)], [value("x", [2, 3])], [output(0)],
         [int64s("t", labels)], opset=opset)


loss_case("sce_label_huge", "SoftmaxCrossEntropyLoss", [0, HUGE], 13)
loss_case("nll_ignore_index_int64_min", "NegativeLogLikelihoodLoss", [INT64_MIN, 2], 22, ignore_index=INT64_MIN)
def col2im(name, image, block, x_dims=(1, 4, 9), **attributes):
    save(name, [helper.make_node("Col2Im", ["x", "image", "block"], ["y"], name=name, **attributes)], [value("x", list(x_dims))],
         [output(4)], [int64s("image", image), int64s("block", block)], opset=18)


col2im("col2im_image_shape_huge", [HUGE, HUGE], [2, 2])
col2im("col2im_block_shape_int64_min", [4, 4], [INT64_MIN, 1])
col2im("col2im_dilations_int64_max", [4, 4], [2, 2], dilations=[INT64_MAX, 1])
col2im("col2im_pads_int64_max", [4, 4], [2, 2], pads=[INT64_MAX, 0, 0, 0])
col2im("col2im_strides_int64_max", [4, 4], [2, 2], x_dims=(1, 4, 1), strides=[INT64_MAX, INT64_MAX])
col2im("col2im_output_2pow80", [2**40, 2**40], [1, 1], x_dims=(1, 1, 1), strides=[INT64_MAX, INT64_MAX])
def affine_grid(name, size):
    save(name, [helper.make_node("AffineGrid", ["x", "size"], ["y"], name=name)], [value("x", [1, 2, 3])], [output(4)],
         [int64s("size", size)], opset=20)


affine_grid("affinegrid_size_huge", [1, 1, HUGE, HUGE])
affine_grid("affinegrid_size_2pow40", [1, 1, 2**20, 2**20])
affine_grid("affinegrid_size_negative", [1, 1, -1, 4])
def grid_sample(name, **attributes):
    points = [float("nan"), 0.5, float("inf"), -float("inf"), 1e30, -1e30, 3e9, -0.2]
    save(name, [helper.make_node("GridSample", ["x", "grid"], ["y"], name=name, **attributes)], [value("x", [1, 2, 3, 4])],
         [output(4)], [floats("grid", points, [1, 2, 2, 2])], opset=22)


grid_sample("gridsample_points_nan_inf_linear_zeros")
grid_sample("gridsample_points_nan_inf_nearest_reflection", mode="nearest", padding_mode="reflection")
grid_sample("gridsample_points_nan_inf_cubic_border", mode="cubic", padding_mode="border")
# Algebra and signal: transform, frame and window lengths, Einsum sizes and equations, axes.
one_op("dft_length_2pow62", "DFT", ["x", "n"], [int64s("n", [HUGE], [])], x_dims=(1, 8, 1), rank=3)
one_op("dft_length_2pow40", "DFT", ["x", "n"], [int64s("n", [2**40], [])], x_dims=(1, 8, 1), rank=3)
one_op("dft_length_zero", "DFT", ["x", "n"], [int64s("n", [0], [])], x_dims=(1, 8, 1), rank=3)
one_op("dft_axis_int64_min", "DFT", ["x"], [], x_dims=(1, 8, 1), rank=3, axis=INT64_MIN)
one_op("stft_frame_step_zero", "STFT", ["x", "s", "", "n"], [int64s("s", [0], []), int64s("n", [4], [])], x_dims=(1, 8, 1), rank=4)
one_op("stft_frame_length_2pow62", "STFT", ["x", "s", "", "n"], [int64s("s", [1], []), int64s("n", [HUGE], [])],
       x_dims=(1, 8, 1), rank=4)
save("hannwindow_size_2pow62", [helper.make_node("HannWindow", ["n"], ["y"], name="hannwindow_size_2pow62")],
     [], [output(1)], [int64s("n", [HUGE], [])])
save("blackmanwindow_size_negative", [helper.make_node("BlackmanWindow", ["n"], ["y"], name="blackmanwindow_size_negative")],
     [], [output(1)], [int64s("n", [-5], [])])
save("einsum_outer_2pow80", [helper.make_node("Einsum", ["x", "z"], ["y"], name="einsum_outer_2pow80", equation="i,j->ij")],
     [value("x", [2**40]), value("z", [2**40])], [output(2)])
one_op("einsum_label_not_in_operands", "Einsum", ["x"], [], equation="ij->ik")
one_op("lpnormalization_axis_int64_min", "LpNormalization", ["x"], [], axis=INT64_MIN)
one_op("globallppool_p_int64_min", "GlobalLpPool", ["x"], [], x_dims=(1, 2, 3), rank=3, p=INT64_MIN)
# Spatial resampling: Resize's scales (output lengths floor(scale * n)) and sizes beyond
# 64 bits or memory, NaN, negative or infinite operands, a filter widened by a tiny
# antialias scale; CenterCropPad's shape.
def resample_case(name, op, inputs, initializers, opset=18, **attributes):
    save(name, [helper.make_node(op, inputs, ["y"], name=name, **attributes)], [value("x", [2, 3])], [output(2)],
         initializers, opset=opset)


resample_case("resize_scales_huge", "Resize", ["x", "", "s"], [floats("s", [1.0, 1e30])])
resample_case("resize_scales_2pow40", "Resize", ["x", "", "s"], [floats("s", [1.0, 2.0**40])], mode="linear")
resample_case("resize_scales_nan", "Resize", ["x", "", "s"], [floats("s", [1.0, math.nan])])
resample_case("resize_scales_negative", "Resize", ["x", "", "s"], [floats("s", [1.0, -2.0])])
resample_case("resize_sizes_huge", "Resize", ["x", "", "", "n"], [int64s("n", [2, HUGE])])
resample_case("resize_sizes_int64_min", "Resize", ["x", "", "", "n"], [int64s("n", [2, INT64_MIN])])
resample_case("resize_sizes_2pow40_not_larger", "Resize", ["x", "", "", "n"], [int64s("n", [2**40, 2**40])],
              keep_aspect_ratio_policy="not_larger")
resample_case("resize_antialias_tiny_scale", "Resize", ["x", "", "s"], [floats("s", [1.0, 1e-30])], mode="cubic", antialias=1)
resample_case("resize_roi_infinite", "Resize", ["x", "r", "s"], [floats("r", [0.0, -math.inf, 1.0, 1.0]), floats("s", [1.0, 2.0])],
              mode="linear", coordinate_transformation_mode="tf_crop_and_resize")
resample_case("resize_axes_int64_min", "Resize", ["x", "", "s"], [floats("s", [2.0])], axes=[INT64_MIN])
resample_case("centercroppad_shape_huge", "CenterCropPad", ["x", "n"], [int64s("n", [2, HUGE])])
resample_case("centercroppad_shape_negative", "CenterCropPad", ["x", "n"], [int64s("n", [-1, 3])])
# Attention and rotary embedding: head counts near 2^62, kv heads that do not divide the
# query heads, head sizes that differ, odd or huge rotary dimensions.
def attention_case(name, q_dims, k_dims, v_dims, **attributes):
    save(name, [helper.make_node("Attention", ["q", "k", "v"], ["y"], name=name, **attributes)],
         [value("q", list(q_dims)), value("k", list(k_dims)), value("v", list(v_dims))], [output(len(q_dims))], opset=23)


def rotary_case(name, x_dims, cache_dims, **attributes):
    save(name, [helper.make_node("RotaryEmbedding", ["x", "cos", "sin"], ["y"], name=name, **attributes)],
         [value("x", list(x_dims))], [output(len(x_dims))],
         [floats("cos", [0.5] * math.prod(cache_dims), list(cache_dims)), floats("sin", [0.5] * math.prod(cache_dims), list(cache_dims))],
         opset=23)


attention_case("attention_q_num_heads_huge", (1, 2, 8), (1, 2, 8), (1, 2, 8), q_num_heads=HUGE, kv_num_heads=1)
attention_case("attention_kv_num_heads_int64_min", (1, 2, 8), (1, 2, 8), (1, 2, 8), q_num_heads=2, kv_num_heads=INT64_MIN)
attention_case("attention_kv_heads_not_dividing", (1, 3, 2, 4), (1, 2, 2, 4), (1, 2, 2, 4))
attention_case("attention_head_sizes_differ", (1, 2, 2, 4), (1, 2, 2, 8), (1, 2, 2, 4))
attention_case("attention_scores_2pow80", (1, 1, 2**40, 1), (1, 1, 2**40, 1), (1, 1, 2**40, 1))
rotary_case("rotaryembedding_dim_odd", (1, 2, 3, 4), (1, 3, 1), rotary_embedding_dim=3)
rotary_case("rotaryembedding_num_heads_huge", (1, 3, 8), (1, 3, 4), num_heads=HUGE)
# Selection by value and regions: RoiAlign's output size, sampling grid and regions, DeformConv's
# geometry and far or NaN offsets, NonMaxSuppression's limits and thresholds, Compress's
# condition, Unique's axis.
def roi_align(name, rois=(0.0, 0.0, 3.0, 3.0), **attributes):
    save(name, [helper.make_node("RoiAlign", ["x", "rois", "batch"], ["y"], name=name, **attributes)], [value("x", [1, 2, 4, 4])],
         [output(4)], [floats("rois", list(rois), [1, 4]), int64s("batch", [0])], opset=16)


roi_align("roialign_output_size_huge", output_height=HUGE, output_width=HUGE)
roi_align("roialign_output_size_2pow40", output_height=2**20, output_width=2**20)
roi_align("roialign_sampling_ratio_huge", sampling_ratio=HUGE)
roi_align("roialign_region_1e30_sampling_zero", rois=(-1e30, -1e30, 1e30, 1e30))
roi_align("roialign_region_nan_inf", rois=(math.nan, 0.0, math.inf, -math.inf), mode="max")
roi_align("roialign_spatial_scale_nan", spatial_scale=math.nan)


def deform_conv(name, offsets=None, output_size=3, **attributes):
    offset_values = offsets if offsets is not None else [0.5] * 8 * output_size * output_size
    save(name, [helper.make_node("DeformConv", ["x", "w", "offset"], ["y"], name=name, **attributes)], [value("x", [1, 1, 4, 4])],
         [output(4)], [floats("w", [0.25] * 4, [1, 1, 2, 2]), floats("offset", offset_values, [1, 8, output_size, output_size])], opset=19)


deform_conv("deformconv_pads_huge", pads=[HUGE] * 4)
deform_conv("deformconv_dilations_huge", dilations=[HUGE, HUGE])
deform_conv("deformconv_strides_int64_max", output_size=1, strides=[INT64_MAX, INT64_MAX])
deform_conv("deformconv_group_int64_min", group=INT64_MIN)
deform_conv("deformconv_offsets_nan_inf_far", offsets=[math.nan, math.inf, -math.inf, 1e30, -1e30, 3e9, -0.5, 2.5, 4.0] * 8)


def nms(name, maximum=(5,), iou=(0.5,), score=None):
    inputs, initializers = ["boxes", "scores", "max", "iou"], [
        floats("boxes", [0.0, 0.0, 1.0, 1.0, 0.0, 0.1, 1.0, 1.1, 0.0, -0.1, 1.0, 0.9, 0.0, 10.0, 1.0, 11.0], [1, 4, 4]),
        floats("scores", [0.9, 0.75, 0.6, 0.95], [1, 1, 4]), int64s("max", list(maximum), [1]), floats("iou", list(iou), [1])]
    if score is not None:
        inputs.append("score")
        initializers.append(floats("score", list(score), [1]))
    save(name, [helper.make_node("NonMaxSuppression", inputs, ["y"], name=name)], [], [output(2, INT64)], initializers)


nms("nms_max_output_int64_max", maximum=(INT64_MAX,))
nms("nms_max_output_int64_min", maximum=(INT64_MIN,))
nms("nms_iou_threshold_nan", iou=(math.nan,))
nms("nms_score_threshold_infinite", score=(-math.inf,))
one_op("compress_condition_longer_than_axis", "Compress", ["x", "c"],
       [helper.make_tensor("c", TensorProto.BOOL, [5], [True, False, True, True, False])], axis=0)
one_op("compress_axis_int64_min", "Compress", ["x", "c"], [helper.make_tensor("c", TensorProto.BOOL, [2], [True, False])], axis=INT64_MIN)
save("unique_axis_int64_min", [helper.make_node("Unique", ["c"], ["y"], name="unique_axis_int64_min", axis=INT64_MIN)], [], [output(1)],
     [floats("c", [1.0, 2.0, 1.0])])
# Quantized operators: zero and negative scales, zero points of the wrong dtype or shape,
# block sizes that do not fit the scale, axes out of range.
def quantized_case(name, nodes, initializers, rank=2, dtype=TensorProto.UINT8, x_dims=(2, 3), opset=21):
    save(name, nodes, [value("x", list(x_dims))], [output(rank, dtype)], initializers, opset=opset)


def quantize(name, scale, zero_point=None, **attributes):
    inputs = ["x", "s"] + (["z"] if zero_point is not None else [])  # the values are the file's initializers
    return helper.make_node("QuantizeLinear", inputs, ["q" if name.endswith("_in") else "y"], name=name, **attributes)


quantized_case("quantizelinear_scale_zero", [quantize("quantizelinear_scale_zero", 0.0)], [floats("s", [0.0], [])])
quantized_case("quantizelinear_zero_point_int64", [quantize("quantizelinear_zero_point_int64", 1.0, 0)],
               [floats("s", [1.0], []), int64s("z", [0], [])])
quantized_case("quantizelinear_zero_point_wrong_shape", [quantize("quantizelinear_zero_point_wrong_shape", 1.0, 0, axis=1)],
               [floats("s", [1.0, 2.0, 3.0]), helper.make_tensor("z", TensorProto.UINT8, [2], [0, 0])])
quantized_case("quantizelinear_block_size_not_fitting", [quantize("quantizelinear_block_size_not_fitting", 1.0, axis=1, block_size=2)],
               [floats("s", [1.0] * 4, [2, 2])], x_dims=(2, 5))
quantized_case("quantizelinear_block_size_negative", [quantize("quantizelinear_block_size_negative", 1.0, axis=1, block_size=-3)],
               [floats("s", [1.0] * 4, [2, 2])], x_dims=(2, 5))
quantized_case("quantizelinear_axis_int64_min", [quantize("quantizelinear_axis_int64_min", 1.0, axis=INT64_MIN)],
               [floats("s", [1.0, 2.0, 3.0])])
quantized_case("dequantizelinear_scale_negative",
               [quantize("dequantizelinear_scale_negative_in", 1.0),
                helper.make_node("DequantizeLinear", ["q", "n"], ["y"], name="dequantizelinear_scale_negative")],
               [floats("s", [1.0], []), floats("n", [-0.5], [])], dtype=FLOAT)
quantized_case("qlinearconv_weight_scale_zero",
               [quantize("qlinearconv_weight_scale_zero_in", 0.1, 0),
                helper.make_node("QLinearConv", ["q", "s", "z", "w", "ws", "wz", "s", "z"], ["y"], name="qlinearconv_weight_scale_zero")],
               [floats("s", [0.1], []), helper.make_tensor("z", TensorProto.UINT8, [], [128]),
                helper.make_tensor("w", TensorProto.INT8, [2, 1, 3, 3], [1] * 18), floats("ws", [0.5, 0.0]),
                helper.make_tensor("wz", TensorProto.INT8, [2], [0, 0])], rank=4, x_dims=(1, 1, 5, 5))
quantized_case("qlinearmatmul_zero_point_per_row",
               [quantize("qlinearmatmul_zero_point_per_row_in", 0.1, 0),
                helper.make_node("QLinearMatMul", ["q", "s", "zr", "b", "s", "bz", "s", "z"], ["y"], name="qlinearmatmul_zero_point_per_row")],
               [floats("s", [0.1], []), helper.make_tensor("z", TensorProto.UINT8, [], [128]),
                helper.make_tensor("zr", TensorProto.UINT8, [2], [128, 128]), helper.make_tensor("b", TensorProto.UINT8, [3, 2], [1] * 6),
                helper.make_tensor("bz", TensorProto.UINT8, [], [0])])
# Control flow: a Loop's trip count, a loop that never stops, If nested beyond the limit.
def loop_case(name, trip_count, condition_input=""):
    body = helper.make_graph(
        [helper.make_node("Identity", ["c"], ["c_next"], name="keep"), helper.make_node("Neg", ["s"], ["s_next"], name="negate"),
         helper.make_node("Identity", ["s_next"], ["s_out"], name="emit")],
        "body", [value("i", [], INT64), value("c", [], TensorProto.BOOL), value("s", [2, 3])],
        [value("c_next", [], TensorProto.BOOL), value("s_next", [2, 3]), value("s_out", [2, 3])])
    initializers = [int64s("m", [trip_count], [])] if trip_count is not None else []
    save(name, [helper.make_node("Loop", ["m" if trip_count is not None else "", condition_input, "x"], ["s_final", "y"],
                                 name=name, body=body)],
         [value("x", [2, 3])], [value("s_final", [2, 3]), output(3)], initializers)


loop_case("loop_trip_count_2pow62", HUGE)
loop_case("loop_without_end", None)


def nested_if(depth):
    branch_output = value("y", [2, 3])
    inner = helper.make_graph([helper.make_node("Identity", ["x"], ["y"], name="leaf")], "leaf", [], [branch_output])
    for level in range(depth):
        node = helper.make_node("If", ["c"], ["y"], name="if_nested_20_deep" if level == depth - 1 else f"if{level}",
                                then_branch=inner, else_branch=inner)
        inner = helper.make_graph([node], f"level{level}", [], [branch_output])
    return node


save("if_nested_20_deep", [nested_if(20)], [value("x", [2, 3])], [value("y", [2, 3])],
     [helper.make_tensor("c", TensorProto.BOOL, [], [True])])
# MelWeightMatrix: its sizes (num_mel_bins, dft_length) and band edges are input values.
def mel_weight_matrix(name, bins, length, rate=8192, lower=0.0, upper=4096.0):
    save(name, [helper.make_node("MelWeightMatrix", ["b", "n", "r", "lo", "hi"], ["y"], name=name)], [], [output(2)],
         [int64s("b", [bins], []), int64s("n", [length], []), int64s("r", [rate], []), floats("lo", [lower], []),
          floats("hi", [upper], [])])


mel_weight_matrix("melweightmatrix_dft_length_2pow62", 8, HUGE)
mel_weight_matrix("melweightmatrix_mel_bins_2pow62", HUGE, 16)
mel_weight_matrix("melweightmatrix_upper_above_nyquist", 8, 16, upper=8000.0)
# Stateful decoding operators: TensorScatter's axis and write indices far outside the cache,
# CausalConvWithState's activation and a kernel 2^40 long.
def tensorscatter_case(name, indices, **attributes):
    save(name, [helper.make_node("TensorScatter", ["x", "u", "i"], ["y"], name=name, **attributes)],
         [value("x", [2, 6, 3])], [output(3)], [floats("u", [0.5] * 12, [2, 2, 3]), int64s("i", indices)], opset=24)


def causalconv_case(name, w_dims, **attributes):
    save(name, [helper.make_node("CausalConvWithState", ["x", "w"], ["y"], name=name, **attributes)],
         [value("x", [1, 2, 5]), value("w", list(w_dims))], [output(3)], opset=27)


tensorscatter_case("tensorscatter_axis_int64_min", [0, 0], axis=INT64_MIN)
tensorscatter_case("tensorscatter_axis_batch", [0, 0], axis=0)
tensorscatter_case("tensorscatter_write_index_huge", [HUGE, 0])
tensorscatter_case("tensorscatter_write_index_int64_min", [INT64_MIN, 1])
tensorscatter_case("tensorscatter_circular_index_int64_extremes", [INT64_MIN, INT64_MAX], mode="circular")
causalconv_case("causalconvwithstate_activation_unknown", (2, 1, 3), activation="relu")
causalconv_case("causalconvwithstate_kernel_2pow40", (2, 1, 2**40))
# LinearAttention: head counts near 2^62 or INT64_MIN, a missing head count, a state of 2^80 elements.
def linearattention_case(name, hidden, **attributes):
    save(name, [helper.make_node("LinearAttention", ["q", "k", "v"], ["y"], name=name, update_rule="linear", **attributes)],
         [value("q", [1, 2, hidden]), value("k", [1, 2, hidden]), value("v", [1, 2, hidden])], [output(3)], opset=27)


linearattention_case("linearattention_q_num_heads_huge", 8, q_num_heads=HUGE, kv_num_heads=1)
linearattention_case("linearattention_kv_num_heads_int64_min", 8, q_num_heads=2, kv_num_heads=INT64_MIN)
linearattention_case("linearattention_kv_num_heads_missing", 8, q_num_heads=2)
linearattention_case("linearattention_state_2pow80", 2**40, q_num_heads=1, kv_num_heads=1)
