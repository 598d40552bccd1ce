import ZooGraph
import ZooTensor

/// float16 and float64 operands for kernels that compute in float32 only (MatMul, Gemm, Conv,
/// ConvTranspose, the pools, the normalizations, the recurrent ops, IsNaN, MaxUnpool, the
/// losses, GridSample, AffineGrid, Col2Im, DeformConv, RotaryEmbedding), as onnxruntime's CPU
/// provider runs float16 nodes it has no half kernel for: the float32 kernel is prepared on
/// float32 types; each run converts the float16/float64 inputs to float32 in scratch, runs it,
/// and rounds its float32 outputs back (to nearest, ties to even). Constant inputs are
/// converted once, here.
///
/// Accuracy: float16 results are the float32 results rounded once to half, as onnxruntime's
/// are. float64 results carry float32's precision (about 7 significant digits, relative error
/// of order 1e-7 · √(reduction length)), not float64's; float64 is taken only by the ops for
/// which onnxruntime has a float64 CPU kernel and whose results stay within the node suite's
/// tolerance (rtol 1e-3) at that precision: MatMul, Gemm, MaxPool, the batch, layer, group
/// and RMS normalizations, IsNaN, the losses, AffineGrid and DeformConv (not GridSample:
/// onnxruntime's opset-16 kernel has no float64). bfloat16
/// is refused: onnxruntime's CPU kernels take none of these ops in bfloat16. Conversions run
/// on one thread (constants, the weights of most models, only once).
struct WidenedFloatKernel: Kernel {
    let inner: any Kernel
    let wide: DType
    /// Per input: element count to convert at run time, nil when the input is not converted.
    let convertedInputs: [Int?]
    /// Per input: its float32 copy, made at prepare (constant inputs).
    let constants: ConvertedConstants
    /// Per output: element count to round back, nil when the output stays as the kernel wrote it.
    let convertedOutputs: [Int?]

    /// `kernel` prepared for the node: widened when the node has float16/float64 operands and
    /// its op computes in float32 only, as it is otherwise.
    static func prepare(_ context: KernelContext, _ kernel: (KernelContext) throws(RuntimeError) -> PreparedKernel)
        throws(RuntimeError) -> PreparedKernel {
        let wideTypes = Set(context.inputTypes.compactMap { $0?.dtype }.filter(isWide))
        guard computesInFloat32Only(context.node.op), let wide = wideTypes.first else { return try kernel(context) }
        guard wideTypes.count == 1 else {
            throw context.unsupported("operands mix \(wideTypes.map(\.description).sorted().joined(separator: " and ")); this kernel computes in float32")
        }
        guard wide == .float16 || (wide == .float64 && takesFloat64(context.node.op)) else {
            let name = context.inputTypes.indices.first { context.inputTypes[$0]?.dtype == wide }.map { context.node.inputs[$0] } ?? ""
            throw context.unsupported("input '\(name)' is \(wide), which onnxruntime's CPU kernel for this op does not take; this kernel computes in float32")
        }
        let narrowTypes = context.inputTypes.map { type in type.map { isWide($0.dtype) ? ValueType(.float32, $0.shape) : $0 } }
        var narrowConstants: [Tensor?] = []
        for tensor in context.constants {
            guard let tensor, isWide(tensor.dtype) else { narrowConstants.append(tensor); continue }
            narrowConstants.append(try float32Copy(tensor, context))
        }
        let narrow = KernelContext(node: context.node, inputTypes: narrowTypes, constants: narrowConstants,
                                   options: context.options, compilesPrimitives: context.compilesPrimitives)
        let prepared = try kernel(narrow)
        let constantInputs = narrowConstants.indices.map { index in
            index < context.inputTypes.count && context.inputTypes[index].map { isWide($0.dtype) } == true
                && !prepared.packedInputs.contains(index) ? narrowConstants[index] : nil
        }
        let convertedInputs = context.inputTypes.indices.map { index -> Int? in
            guard let type = context.inputTypes[index], isWide(type.dtype), index >= constantInputs.count || constantInputs[index] == nil,
                  !prepared.packedInputs.contains(index) else { return nil }
            return type.elementCount
        }
        let roundedBack = roundsBack(context.node.op)
        var outputTypes = prepared.outputTypes
        var convertedOutputs: [Int?] = []
        for index in outputTypes.indices {
            let type = outputTypes[index]
            guard type.dtype == .float32, roundedBack.contains(index) else { convertedOutputs.append(nil); continue }
            outputTypes[index] = ValueType(wide, type.shape)
            convertedOutputs.append(type.elementCount)
        }
        let kernel = WidenedFloatKernel(inner: prepared.kernel, wide: wide, convertedInputs: convertedInputs,
                                        constants: ConvertedConstants(constantInputs), convertedOutputs: convertedOutputs)
        return PreparedKernel(kernel: kernel, outputTypes: outputTypes, packedInputs: prepared.packedInputs)
    }

    private static func isWide(_ dtype: DType) -> Bool { dtype == .float16 || dtype == .float64 || dtype == .bfloat16 }

    private static func computesInFloat32Only(_ op: Op) -> Bool {
        switch op {
        case .conv, .convTranspose, .gemm, .matMul, .lstm, .recurrent, .maxPool, .averagePool, .lpPool,
             .globalAveragePool, .globalMaxPool, .lrn, .batchNormalization, .layerNormalization, .normalization,
             .isNaN, .maxUnpool, .loss, .spatial, .region(.deformConv), .attention(.rotaryEmbedding):
            true
        default: false
        }
    }

    private static func takesFloat64(_ op: Op) -> Bool {
        switch op {
        case .gemm, .matMul, .maxPool, .batchNormalization, .layerNormalization, .normalization(.group), .normalization(.rms),
             .isNaN, .loss, .spatial(.affineGrid), .region(.deformConv):
            true
        default: false
        }
    }

    /// Outputs of the op's float type T; LayerNormalization's mean and inverse deviation are
    /// float32 whatever T is.
    private static func roundsBack(_ op: Op) -> Range<Int> {
        if case .layerNormalization = op { return 0..<1 }
        return 0..<Int.max
    }

    private static func float32Copy(_ tensor: Tensor, _ context: KernelContext) throws(RuntimeError) -> Tensor {
        do { return try Tensor(shape: tensor.shape, scalars: tensor.doubleValues.map { Float($0) }) } catch {
            throw context.fail("constant converted to float32: \(error)")
        }
    }

    private var regions: [Int] {
        (convertedInputs + convertedOutputs).map { Self.aligned(($0 ?? 0) * 4) }
    }

    private static func aligned(_ bytes: Int) -> Int { (bytes + 63) / 64 * 64 }

    var scratchByteCount: Int { regions.reduce(0, +) + Self.aligned(inner.scratchByteCount) }

    func run(_ io: KernelIO) throws(RuntimeError) {
        var offset = 0  // scratch holds the converted values in order (empty ones need none), then the kernel's own
        var inputs = Array(io.inputs)
        for (index, count) in convertedInputs.enumerated() {
            if let constant = constants.pointer(index) { inputs[index] = constant; continue }
            guard let count, count > 0, let scratch = io.scratch, let source = io.inputs[index] else { continue }
            let destination = (scratch + offset).assumingMemoryBound(to: Float.self)
            Self.widen(source, wide, count, into: destination)
            inputs[index] = UnsafeRawPointer(destination)
            offset += Self.aligned(count * 4)
        }
        var outputs = Array(io.outputs)
        var rounded: [(UnsafeMutableRawPointer, UnsafeMutablePointer<Float>, Int)] = []
        for (index, count) in convertedOutputs.enumerated() {
            guard let count, count > 0, let scratch = io.scratch, let destination = io.outputs[index] else { continue }
            let buffer = (scratch + offset).assumingMemoryBound(to: Float.self)
            outputs[index] = UnsafeMutableRawPointer(buffer)
            rounded.append((destination, buffer, count))
            offset += Self.aligned(count * 4)
        }
        let innerScratch = inner.scratchByteCount > 0 ? io.scratch.map { $0 + regions.reduce(0, +) } : nil
        try inputs.withUnsafeBufferPointer { (inputBuffer) throws(RuntimeError) in
            try outputs.withUnsafeBufferPointer { (outputBuffer) throws(RuntimeError) in
                try inner.run(KernelIO(inputs: inputBuffer, outputs: outputBuffer, scratch: innerScratch,
                                       stream: io.stream, threads: io.threads))
            }
        }
        for (destination, buffer, count) in rounded { Self.narrow(buffer, count, into: destination, wide) }
    }

    private static func widen(_ source: UnsafeRawPointer, _ dtype: DType, _ count: Int, into destination: UnsafeMutablePointer<Float>) {
        switch dtype {
        case .float16:
            let values = source.assumingMemoryBound(to: Float16.self)
            for index in 0..<count { destination[index] = Float(values[index]) }
        default:
            let values = source.assumingMemoryBound(to: Double.self)
            for index in 0..<count { destination[index] = Float(values[index]) }
        }
    }

    private static func narrow(_ source: UnsafePointer<Float>, _ count: Int, into destination: UnsafeMutableRawPointer, _ dtype: DType) {
        switch dtype {
        case .float16:
            let values = destination.assumingMemoryBound(to: Float16.self)
            for index in 0..<count { values[index] = Float16(source[index]) }
        default:
            let values = destination.assumingMemoryBound(to: Double.self)
            for index in 0..<count { values[index] = Double(source[index]) }
        }
    }
}

/// float32 copies of a node's float16/float64 constant inputs, kept for the kernel's lifetime.
/// Unchecked Sendable: immutable after init, and the addresses point into the tensors it holds.
final class ConvertedConstants: @unchecked Sendable {
    private let tensors: [Tensor?]
    private let addresses: [UnsafeRawPointer?]

    init(_ tensors: [Tensor?]) {
        self.tensors = tensors
        self.addresses = tensors.map { tensor in tensor?.withUnsafeBytes { $0.baseAddress } }
    }

    /// The copy's address: its storage is a reference the tensors above keep alive.
    func pointer(_ index: Int) -> UnsafeRawPointer? { index < addresses.count ? addresses[index] : nil }
}
