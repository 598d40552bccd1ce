import Foundation
import Testing
import ZooIO
import ZooTestSupport

/// Small, valid ONNX files with hostile values (Tests/interop/make_hostile_values.py), each
/// through `zoo inspect`, `zoo count` and `zoo run` as a user would. A refusal must exit with
/// status 1 (a trap or abort exits by signal) and name what it refuses; a file the spec
/// allows (a stride near 2^63 gives one window) must run, and give onnxruntime's outputs
/// where onnxruntime runs it (Tests/interop/ort_compare.py). A new operator adds its files to
/// the script and its rows here.
@Suite struct HostileValueTests {
    enum Command: String, CaseIterable, Sendable { case inspect, count, run }

    struct Case: Sendable, CustomTestStringConvertible {
        /// The file's name without `.onnx`; its offending node has the same name.
        let file: String
        /// Commands that must refuse the file; the others must succeed.
        let refusedBy: Set<Command>
        /// Extra arguments of `zoo run`.
        var runArguments: [String] = []
        /// What refusals name, when it is not the node (a tensor of the file).
        var names: String? = nil
        /// What a refusal by `run` names, when it is not the node (an input too large to make).
        var runNames: String? = nil
        /// For a file `run` accepts: whether onnxruntime runs it too, to compare with.
        var onnxRuntimeRuns = true

        var testDescription: String { file }

        func named(by command: Command) -> String {
            (command == .run ? runNames : nil) ?? names ?? "node '\(file)' ("
        }
    }

    static let everywhere: Set<Command> = [.inspect, .count, .run]

    static let cases: [Case] = [
        // Convolution and pooling.
        Case(file: "conv_pads_huge", refusedBy: everywhere),
        Case(file: "conv_pads_huge_symbolic", refusedBy: everywhere),
        Case(file: "conv_pads_negative_huge", refusedBy: everywhere),
        Case(file: "conv_dilations_huge", refusedBy: everywhere),
        Case(file: "conv_strides_and_pads_max", refusedBy: everywhere),
        Case(file: "conv_kernel_shape_huge", refusedBy: everywhere),
        Case(file: "conv_group_huge", refusedBy: everywhere),
        Case(file: "conv_group_min", refusedBy: everywhere),
        Case(file: "maxpool_kernel_huge", refusedBy: everywhere),
        Case(file: "maxpool_dilations_huge", refusedBy: everywhere),
        Case(file: "avgpool_ceil_strides_max", refusedBy: []),
        // onnxruntime fails on this one ("Integer overflow" in its pad computation).
        Case(file: "maxpool_same_strides_max", refusedBy: [], onnxRuntimeRuns: false),
        // A window of 2^31 × 2^31 over an 8×8 plane: the kernel visits only the plane.
        // Its count (outputs × window) exceeds 64 bits.
        Case(file: "maxpool_window_2pow62", refusedBy: [.count]),
        Case(file: "avgpool_window_2pow62", refusedBy: [.count]),
        // LRN's size only scales the count past 64 bits; onnxruntime refuses an even size.
        Case(file: "lrn_size_huge", refusedBy: [.count], onnxRuntimeRuns: false),
        Case(file: "lrn_size_huge_channels_last", refusedBy: [.count], onnxRuntimeRuns: false),
        // Range.
        Case(file: "range_limit_inf", refusedBy: everywhere),
        Case(file: "range_limit_negative_inf", refusedBy: everywhere),
        Case(file: "range_step_nan", refusedBy: everywhere),
        Case(file: "range_count_1e30", refusedBy: everywhere),
        Case(file: "range_int64_full_span", refusedBy: everywhere),
        Case(file: "range_count_2e12", refusedBy: [.run]),
        Case(file: "range_int64_near_max", refusedBy: []),
        Case(file: "range_int64_full_span_step_2pow62", refusedBy: []),
        // Slice and Shape bounds and steps.
        Case(file: "slice_step_int64_min", refusedBy: []),
        Case(file: "slice_step_int64_max", refusedBy: []),
        Case(file: "slice_bounds_extreme", refusedBy: [.run], runNames: "input 'x' of shape [2, 1099511627776]"),
        Case(file: "slice_of_shape_int64_min", refusedBy: []),
        Case(file: "shape_start_int64_min", refusedBy: []),
        // Concatenation and axes.
        Case(file: "concat_sum_overflow", refusedBy: everywhere),
        Case(file: "concat_axis_int64_min", refusedBy: everywhere),
        Case(file: "softmax_axis_int64_min", refusedBy: everywhere),
        Case(file: "flatten_axis_int64_min", refusedBy: everywhere),
        Case(file: "gather_axis_int64_min", refusedBy: everywhere),
        Case(file: "unsqueeze_axes_int64_min", refusedBy: everywhere),
        Case(file: "squeeze_axes_int64_min", refusedBy: everywhere),
        Case(file: "reducemean_axes_int64_min", refusedBy: everywhere),
        Case(file: "layernorm_axis_int64_min", refusedBy: everywhere),
        Case(file: "transpose_perm_huge", refusedBy: everywhere),
        // Reshape, Expand and ConstantOfShape targets.
        Case(file: "reshape_target_overflow", refusedBy: everywhere),
        Case(file: "expand_to_2pow32_squared", refusedBy: everywhere),
        Case(file: "expand_to_2pow40", refusedBy: [.run]),
        Case(file: "constantofshape_2pow32_squared", refusedBy: everywhere),
        // Gather indices.
        Case(file: "gather_index_huge", refusedBy: [.run]),
        Case(file: "gather_index_int64_min", refusedBy: [.run]),
        Case(file: "gathernd_index_huge", refusedBy: [.run]),
        // Hidden sizes.
        Case(file: "lstm_hidden_2pow61", refusedBy: everywhere),
        Case(file: "lstm_hidden_2pow40", refusedBy: [.count, .run], runNames: "input 'w' of shape [1, 4398046511104, 3]"),
        // Declared and symbolic sizes.
        Case(file: "input_dims_overflow", refusedBy: everywhere),
        Case(file: "symbol_product_overflow", refusedBy: everywhere),
        Case(file: "matmul_huge_static", refusedBy: [.count, .run], runNames: "input 'x' of shape [2147483648, 2147483648]"),
        Case(file: "symbolic_batch", refusedBy: [.run], runArguments: ["--batch", "1000000"],
             runNames: "input 'x' of shape [1000000, 1024, 1024]"),
        // Scan: its axes, and what its body computes.
        Case(file: "scan_input_axis_int64_min", refusedBy: everywhere),
        Case(file: "scan_body_range_inf", refusedBy: everywhere),
        // Import: a data type code beyond 32 bits.
        Case(file: "cast_to_2pow32_plus_1", refusedBy: everywhere,
             names: "node 'cast_to_2pow32_plus_1': Cast (opset 17): cast to data type 4294967297 is not supported"),
        // External data.
        Case(file: "external_offset_int64_max", refusedBy: everywhere,
             names: "tensor 'w': external data 'w.bin' has 8 bytes, the tensor needs bytes 9223372036854775807..<9223372036854775807 + 8"),
        // Recurrent: hidden sizes, clip, sequence lengths.
        Case(file: "gru_hidden_2pow61", refusedBy: everywhere),
        Case(file: "rnn_hidden_2pow62", refusedBy: everywhere),
        Case(file: "gru_hidden_2pow40", refusedBy: [.count, .run], runNames: "input 'w' of shape [1, 3298534883328, 3]"),
        Case(file: "lstm_clip_nan", refusedBy: everywhere),
        Case(file: "gru_clip_negative", refusedBy: everywhere),
        Case(file: "rnn_sequence_lens_huge", refusedBy: [.run]),
        // Convolution, pooling and normalisation variants.
        Case(file: "convtranspose_output_shape_huge", refusedBy: everywhere),
        Case(file: "convtranspose_output_shape_2pow20_squared", refusedBy: [.run]),
        Case(file: "convtranspose_output_padding_huge", refusedBy: everywhere),
        Case(file: "convtranspose_strides_huge", refusedBy: everywhere),
        Case(file: "convtranspose_pads_huge", refusedBy: everywhere),
        Case(file: "lppool_p_huge", refusedBy: []),
        Case(file: "lppool_p_int64_min", refusedBy: everywhere),
        Case(file: "maxpool_storage_order_huge", refusedBy: everywhere),
        Case(file: "maxunpool_output_shape_huge", refusedBy: everywhere),
        Case(file: "maxunpool_output_shape_2pow20_squared", refusedBy: [.run]),
        Case(file: "maxunpool_strides_huge", refusedBy: everywhere),
        // Data movement and indexing: sizes, axes, then indices read at run time.
        Case(file: "pad_pads_huge", refusedBy: everywhere),
        Case(file: "pad_pads_int64_min", refusedBy: everywhere),
        Case(file: "pad_pads_both_int64_min", refusedBy: everywhere),
        Case(file: "pad_pads_2pow40", refusedBy: [.run]),
        // Its output's bytes (2^64) overflow the count's activation memory.
        Case(file: "pad_reflect_pads_2pow61", refusedBy: [.count, .run]),
        Case(file: "tile_repeats_huge", refusedBy: everywhere),
        Case(file: "tile_repeats_2pow40", refusedBy: [.run]),
        Case(file: "tile_repeats_negative", refusedBy: everywhere),
        Case(file: "split_sizes_overflow", refusedBy: everywhere),
        Case(file: "split_axis_int64_min", refusedBy: everywhere),
        Case(file: "depthtospace_blocksize_huge", refusedBy: everywhere),
        Case(file: "depthtospace_blocksize_int64_min", refusedBy: everywhere),
        Case(file: "spacetodepth_blocksize_huge", refusedBy: everywhere),
        Case(file: "gatherelements_axis_int64_min", refusedBy: everywhere),
        Case(file: "gatherelements_index_huge", refusedBy: [.run]),
        Case(file: "gatherelements_index_int64_min", refusedBy: [.run]),
        Case(file: "scatterelements_index_huge", refusedBy: [.run]),
        Case(file: "scatternd_index_huge", refusedBy: [.run]),
        Case(file: "onehot_depth_huge", refusedBy: everywhere),
        Case(file: "onehot_depth_2pow40", refusedBy: [.run]),
        Case(file: "onehot_axis_int64_min", refusedBy: everywhere),
        Case(file: "trilu_k_int64_min", refusedBy: []),
        Case(file: "trilu_k_int64_max", refusedBy: []),
        Case(file: "eyelike_k_int64_max", refusedBy: []),
        Case(file: "reversesequence_length_huge", refusedBy: [.run]),
        Case(file: "reversesequence_axis_int64_min", refusedBy: everywhere),
        // Reductions: axes and k.
        Case(file: "reducesum_axes_int64_min", refusedBy: everywhere),
        Case(file: "reducel2_axes_int64_max", refusedBy: everywhere),
        Case(file: "argmax_axis_int64_min", refusedBy: everywhere),
        Case(file: "cumsum_axis_int64_min", refusedBy: everywhere),
        Case(file: "topk_k_huge", refusedBy: everywhere),
        Case(file: "topk_k_int64_min", refusedBy: everywhere),
        Case(file: "topk_axis_int64_min", refusedBy: everywhere),
        Case(file: "logsoftmax_axis_int64_min", refusedBy: everywhere),
        Case(file: "hardmax_axis_int64_max", refusedBy: everywhere),
        Case(file: "reducesum_empty_2pow80", refusedBy: [.run]),
        // Losses and image sampling and folding: labels read at run time, Col2Im's geometry,
        // AffineGrid's size, GridSample at NaN, infinite and far points (onnxruntime converts
        // those to integers without a check, so its values there are not a reference).
        Case(file: "sce_label_huge", refusedBy: [.run]),
        Case(file: "nll_ignore_index_int64_min", refusedBy: []),
        Case(file: "col2im_image_shape_huge", refusedBy: everywhere),
        Case(file: "col2im_block_shape_int64_min", refusedBy: everywhere),
        Case(file: "col2im_dilations_int64_max", refusedBy: everywhere),
        Case(file: "col2im_pads_int64_max", refusedBy: everywhere),
        Case(file: "col2im_strides_int64_max", refusedBy: []),
        Case(file: "col2im_output_2pow80", refusedBy: everywhere),
        Case(file: "affinegrid_size_huge", refusedBy: everywhere),
        Case(file: "affinegrid_size_2pow40", refusedBy: [.run]),
        Case(file: "affinegrid_size_negative", refusedBy: everywhere),
        Case(file: "gridsample_points_nan_inf_linear_zeros", refusedBy: [], onnxRuntimeRuns: false),
        Case(file: "gridsample_points_nan_inf_nearest_reflection", refusedBy: [], onnxRuntimeRuns: false),
        Case(file: "gridsample_points_nan_inf_cubic_border", refusedBy: [], onnxRuntimeRuns: false),
        // Algebra and signal: transform, frame and window lengths, Einsum sizes and equations, axes.
        Case(file: "dft_length_2pow62", refusedBy: everywhere),
        Case(file: "dft_length_2pow40", refusedBy: [.run]),
        Case(file: "dft_length_zero", refusedBy: everywhere),
        Case(file: "dft_axis_int64_min", refusedBy: everywhere),
        Case(file: "stft_frame_step_zero", refusedBy: everywhere),
        Case(file: "stft_frame_length_2pow62", refusedBy: everywhere),
        Case(file: "hannwindow_size_2pow62", refusedBy: [.run]),
        Case(file: "blackmanwindow_size_negative", refusedBy: everywhere),
        Case(file: "einsum_outer_2pow80", refusedBy: everywhere),
        Case(file: "einsum_label_not_in_operands", refusedBy: everywhere,
             names: "node 'einsum_label_not_in_operands': Einsum (opset 17): equation 'ij->ik': output label 'k' is in no operand"),
        Case(file: "lpnormalization_axis_int64_min", refusedBy: everywhere),
        Case(file: "globallppool_p_int64_min", refusedBy: everywhere),
        // Spatial resampling: output lengths from scales and sizes, bad operands, CenterCropPad's shape.
        Case(file: "resize_scales_huge", refusedBy: everywhere),
        Case(file: "resize_scales_2pow40", refusedBy: [.run]),
        Case(file: "resize_scales_nan", refusedBy: everywhere),
        Case(file: "resize_scales_negative", refusedBy: everywhere),
        Case(file: "resize_sizes_huge", refusedBy: everywhere),
        Case(file: "resize_sizes_int64_min", refusedBy: everywhere),
        Case(file: "resize_sizes_2pow40_not_larger", refusedBy: everywhere),
        // An empty output: a filter 10^30 cells wide reads nothing.
        Case(file: "resize_antialias_tiny_scale", refusedBy: []),
        Case(file: "resize_roi_infinite", refusedBy: everywhere),
        Case(file: "resize_axes_int64_min", refusedBy: everywhere),
        Case(file: "centercroppad_shape_huge", refusedBy: everywhere),
        Case(file: "centercroppad_shape_negative", refusedBy: everywhere),
        // Attention and rotary embedding: head counts, head sizes, a score matrix of 2^80 elements.
        Case(file: "attention_q_num_heads_huge", refusedBy: everywhere),
        Case(file: "attention_kv_num_heads_int64_min", refusedBy: everywhere,
             names: "node 'attention_kv_num_heads_int64_min': Attention (opset 23): kv_num_heads must be positive"),
        Case(file: "attention_kv_heads_not_dividing", refusedBy: everywhere),
        Case(file: "attention_head_sizes_differ", refusedBy: everywhere),
        // The graph is valid; its count overflows 64 bits and its inputs exceed memory.
        Case(file: "attention_scores_2pow80", refusedBy: [.count, .run], runNames: "input 'q' of shape [1, 1, 1099511627776, 1]"),
        Case(file: "rotaryembedding_dim_odd", refusedBy: everywhere),
        Case(file: "rotaryembedding_num_heads_huge", refusedBy: everywhere),
        // Selection by value and regions: RoiAlign's output size, sampling grid and regions
        // (non-finite ones refused, as onnxruntime does), DeformConv's geometry and offsets,
        // NonMaxSuppression's limits and thresholds, Compress's condition, Unique's axis.
        Case(file: "roialign_output_size_huge", refusedBy: everywhere),
        Case(file: "roialign_output_size_2pow40", refusedBy: [.run]),
        Case(file: "roialign_sampling_ratio_huge", refusedBy: [.count, .run]),
        Case(file: "roialign_region_1e30_sampling_zero", refusedBy: [.run]),
        Case(file: "roialign_region_nan_inf", refusedBy: [.run]),
        Case(file: "roialign_spatial_scale_nan", refusedBy: everywhere),
        Case(file: "deformconv_pads_huge", refusedBy: everywhere),
        Case(file: "deformconv_dilations_huge", refusedBy: everywhere),
        Case(file: "deformconv_strides_int64_max", refusedBy: []),
        Case(file: "deformconv_group_int64_min", refusedBy: everywhere),
        Case(file: "deformconv_offsets_nan_inf_far", refusedBy: []),
        Case(file: "nms_max_output_int64_max", refusedBy: []),
        Case(file: "nms_max_output_int64_min", refusedBy: []),
        Case(file: "nms_iou_threshold_nan", refusedBy: [.run]),
        Case(file: "nms_score_threshold_infinite", refusedBy: []),
        Case(file: "compress_condition_longer_than_axis", refusedBy: everywhere),
        Case(file: "compress_axis_int64_min", refusedBy: everywhere),
        Case(file: "unique_axis_int64_min", refusedBy: everywhere),
        // Quantized operators: scales (checked when run), zero points, block sizes, axes.
        Case(file: "quantizelinear_scale_zero", refusedBy: [.run]),
        Case(file: "quantizelinear_zero_point_int64", refusedBy: everywhere),
        Case(file: "quantizelinear_zero_point_wrong_shape", refusedBy: everywhere),
        Case(file: "quantizelinear_block_size_not_fitting", refusedBy: everywhere),
        Case(file: "quantizelinear_block_size_negative", refusedBy: everywhere),
        Case(file: "quantizelinear_axis_int64_min", refusedBy: everywhere),
        Case(file: "dequantizelinear_scale_negative", refusedBy: [.run]),
        Case(file: "qlinearconv_weight_scale_zero", refusedBy: [.run]),
        Case(file: "qlinearmatmul_zero_point_per_row", refusedBy: everywhere),
        // Control flow: at most 2^24 iterations; a loop that would never stop; If nested past 16 levels.
        Case(file: "loop_trip_count_2pow62", refusedBy: everywhere,
             names: "trip count M = 4611686018427387904 is more than the 16777216 iterations a Loop may run"),
        Case(file: "loop_without_end", refusedBy: everywhere, names: "has no trip count and its condition stays true: it would never stop"),
        Case(file: "if_nested_20_deep", refusedBy: everywhere, names: "subgraphs nest more than 16 levels deep"),
        // MelWeightMatrix: sizes and band edges from input values.
        Case(file: "melweightmatrix_dft_length_2pow62", refusedBy: everywhere),
        Case(file: "melweightmatrix_mel_bins_2pow62", refusedBy: everywhere),
        Case(file: "melweightmatrix_upper_above_nyquist", refusedBy: [.run]),
        // Stateful decoding operators: axes, write indices outside the cache (a linear write is
        // checked when run; a circular one wraps), an unknown activation, a 2^40-long kernel,
        // LinearAttention's head counts and a 2^80-element state.
        Case(file: "tensorscatter_axis_int64_min", refusedBy: everywhere),
        Case(file: "tensorscatter_axis_batch", refusedBy: everywhere),
        Case(file: "tensorscatter_write_index_huge", refusedBy: [.run]),
        Case(file: "tensorscatter_write_index_int64_min", refusedBy: [.run]),
        // Wrapped as the spec's pseudocode does (Python's modulo); onnxruntime refuses any negative index.
        Case(file: "tensorscatter_circular_index_int64_extremes", refusedBy: [], onnxRuntimeRuns: false),
        Case(file: "causalconvwithstate_activation_unknown", refusedBy: everywhere,
             names: "node 'causalconvwithstate_activation_unknown': CausalConvWithState (opset 27): activation must be"),
        Case(file: "causalconvwithstate_kernel_2pow40", refusedBy: [.run], runNames: "input 'w' of shape [2, 1, 1099511627776]"),
        Case(file: "linearattention_q_num_heads_huge", refusedBy: everywhere),
        Case(file: "linearattention_kv_num_heads_int64_min", refusedBy: everywhere,
             names: "node 'linearattention_kv_num_heads_int64_min': LinearAttention (opset 27): q_num_heads 2 must be a positive multiple"),
        Case(file: "linearattention_kv_num_heads_missing", refusedBy: everywhere,
             names: "node 'linearattention_kv_num_heads_missing': LinearAttention (opset 27): required attribute 'kv_num_heads' is missing"),
        // The graph is valid; its count overflows 64 bits and its inputs exceed memory.
        Case(file: "linearattention_state_2pow80", refusedBy: [.count, .run], runNames: "input 'q' of shape [1, 2, 1099511627776]"),
    ]

    /// The files, written once for every row.
    static let directory: Result<String, any Error> = Result {
        let directory = try temporaryDirectory()
        _ = try Python.run(script: "make_hostile_values.py", [directory])
        return directory
    }

    @Test func everyFileHasARowAndEveryRowAFile() throws {
        let written = try FileManager.default.contentsOfDirectory(atPath: try Self.directory.get())
            .filter { $0.hasSuffix(".onnx") }.map { String($0.dropLast(5)) }
        #expect(Set(written) == Set(Self.cases.map(\.file)))
        #expect(written.count == Self.cases.count)
    }

    /// A random input that fits in physical memory but not in what is available is refused
    /// before it is filled. The address-space limit makes a regression trap on allocating
    /// instead of filling gigabytes on a shared machine.
    @Test func randomInputBeyondTheAvailableMemoryIsRefused() throws {
        let meminfo = try String(contentsOfFile: "/proc/meminfo", encoding: .utf8)
        func kibibytes(_ key: String) throws -> Int {
            let line = try #require(meminfo.split(separator: "\n").first { $0.hasPrefix(key) })
            return try #require(line.split(separator: " ").dropFirst().first.flatMap { Int($0) })
        }
        let (total, available) = (try kibibytes("MemTotal:"), try kibibytes("MemAvailable:"))
        // Halfway between available and total: a [batch, 1024, 1024] float32 input is 4096 KiB per batch.
        let batch = (total + available) / 2 / 4096
        let path = "\(try Self.directory.get())/symbolic_batch.onnx"
        let result = try Subprocess.run("/bin/sh", ["-c", "ulimit -v 8000000; exec \"$0\" run \"$1\" --batch \(batch)",
                                                    ZooTool.executable.path, path])
        #expect(result.status == 1, "\(result.errors)")
        #expect(result.errors.hasPrefix("Error: input 'x' of shape [\(batch), 1024, 1024] needs "), "\(result.errors)")
        #expect(result.errors.contains("GiB available"), "\(result.errors)")
    }

    @Test(arguments: cases) func refusedWithANamedErrorOrRun(_ row: Case) throws {
        let directory = try Self.directory.get()
        let path = "\(directory)/\(row.file).onnx"
        for command in Command.allCases {
            let result = try ZooTool.run([command.rawValue, path] + (command == .run ? row.runArguments : []))
            if row.refusedBy.contains(command) {
                #expect(result.status == 1, "zoo \(command) \(row.file): status \(result.status)\n\(result.errors)")
                #expect(result.errors.hasPrefix("Error: "), "zoo \(command) \(row.file): \(result.errors)")
                #expect(result.errors.contains(row.named(by: command)), "zoo \(command) \(row.file): \(result.errors)")
            } else {
                #expect(result.status == 0, "zoo \(command) \(row.file): status \(result.status)\n\(result.errors)")
            }
        }
        guard !row.refusedBy.contains(.run), row.onnxRuntimeRuns else { return }
        let input = "\(directory)/\(row.file).x.npy"
        let feeds = FileManager.default.fileExists(atPath: input) ? ["x=\(input)"] : []
        let outputs = "\(directory)/\(row.file).outputs"
        let run = try ZooTool.run(["run", path, "--output", outputs] + feeds.flatMap { ["--input", $0] })
        #expect(run.status == 0, "\(run.errors)")
        _ = try Python.run(script: "ort_compare.py", [path, outputs] + feeds)
    }
}
