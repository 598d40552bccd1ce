import ZooGraph
import ZooTensor

/// MatMulInteger (int32 `(A − a_zp)·(B − b_zp)`) and QLinearMatMul (the same product
/// requantized to y's scale and zero point), numpy semantics: 1-D operands promoted, batch
/// axes broadcast. a's zero point is a scalar or, for MatMulInteger, one per row; b's zero
/// point (and QLinearMatMul's b scale) a scalar or one per column. Where the operands map
/// onto oneDNN's int8 matmul (IntegerMatMulPrimitive: int8 weights without batch axes or
/// zero point, a scalar zero point for A, a CPU with VNNI) all batch rows run as one oneDNN product; otherwise,
/// per batch matrix, the shifted operands go to scratch as Int32 and IntegerArithmetic
/// multiplies them.
struct IntegerMatMulKernel: Kernel {
    let requantized: Bool
    let aType: DType, bType: DType, outputType: DType
    let rows: Int, inner: Int, columns: Int
    /// Element offsets of each output batch matrix's operands in A and B.
    let aOffsets: [Int], bOffsets: [Int]
    let aZeroLayout: IntegerArithmetic.ZeroPointLayout, bZeroLayout: IntegerArithmetic.ZeroPointLayout
    /// Dtypes of the parameters, by input position (zero points and scales).
    let parameterTypes: [DType?]
    let bScaleCount: Int
    let threads: Int
    let node: String
    /// oneDNN's product of all batch rows at once, where it applies.
    let primitive: IntegerMatMulPrimitive?

    /// Input positions: QLinearMatMul (a, a_scale, a_zp, b, b_scale, b_zp, y_scale, y_zp);
    /// MatMulInteger (A, B, a_zp, b_zp).
    private var bIndex: Int { requantized ? 3 : 1 }
    private var bZeroIndex: Int { requantized ? 5 : 3 }

    var scratchByteCount: Int {
        guard let primitive else { return (rows * inner + inner * columns + (requantized ? rows * columns + columns : 0)) * 4 }
        return primitiveScratchOffset + primitive.scratchByteCount
    }

    /// With the primitive, scratch holds every batch row's accumulators (for requantizing),
    /// the multipliers, A's zero point as int32, then oneDNN's scratchpad (64-byte aligned).
    private var primitiveScratchOffset: Int {
        ((aOffsets.count * rows * columns + columns + 1) * 4 + 63) / 64 * 64
    }

    static func prepare(_ context: KernelContext, requantized: Bool) throws(RuntimeError) -> PreparedKernel {
        let (bIndex, aZeroIndex, bZeroIndex) = requantized ? (3, 2, 5) : (1, 2, 3)
        let a = try context.type(0), b = try context.type(bIndex)
        for operand in [a, b] where operand.dtype != .int8 && operand.dtype != .uint8 {
            throw context.fail("operands must be int8 or uint8, got \(operand)")
        }
        let aMatrix = a.rank == 1 ? [1] + a.shape : a.shape, bMatrix = b.rank == 1 ? b.shape + [1] : b.shape
        guard aMatrix.count >= 2, bMatrix.count >= 2 else { throw context.fail("operands must not be scalars") }
        let (m, k) = (aMatrix[aMatrix.count - 2], aMatrix[aMatrix.count - 1])
        let (k2, n) = (bMatrix[bMatrix.count - 2], bMatrix[bMatrix.count - 1])
        let aBatch = Array(aMatrix.dropLast(2)), bBatch = Array(bMatrix.dropLast(2))
        guard k == k2, let batch = BinaryKernel.broadcastShape(aBatch, bBatch) else {
            throw context.fail("cannot multiply \(a) by \(b)")
        }
        let aZeroLayout = try zeroPointLayout(context, aZeroIndex, operandDType: a.dtype, perEntry: requantized ? nil : (m, k, m))
        let bZeroLayout = try zeroPointLayout(context, bZeroIndex, operandDType: b.dtype, perEntry: (n, 1, n))
        let parameterTypes: [DType?] = (0..<8).map { context.optionalType($0)?.dtype }
        var bScaleCount = 0
        var outputType = DType.int32
        if requantized {
            (bScaleCount, outputType) = try QuantizedKernels.requantization(context, channels: n, role: "b_scale")
        }
        let outputShape = batch + (a.rank == 1 ? [] : [m]) + (b.rank == 1 ? [] : [n])
        let batchCount = batch.reduce(1, *)
        let aStrides = StridedLayout.broadcastStrides(of: aBatch, to: batch), bStrides = StridedLayout.broadcastStrides(of: bBatch, to: batch)
        let offsets = { (strides: [Int], matrix: Int) in
            (0..<batchCount).map { flat in
                var (rest, offset) = (flat, 0)
                for axis in batch.indices.reversed() {
                    offset += (rest % batch[axis]) * strides[axis]
                    rest /= batch[axis]
                }
                return offset * matrix
            }
        }
        _ = try context.checked("scratch for the shifted operands") { () throws(ArithmeticOverflow) in
            try CheckedArithmetic.multiply(try CheckedArithmetic.sum([try CheckedArithmetic.multiply(m, k), try CheckedArithmetic.multiply(k, n),
                                                                      try CheckedArithmetic.multiply(m, n), n]), 4)
        }
        let bZeroIsZero = context.node.input(bZeroIndex) == nil || context.constant(bZeroIndex)?.integerValues?.allSatisfy { $0 == 0 } == true
        let mapsOntoDNNL = context.compilesPrimitives && IntegerMatMulPrimitive.isExact && b.dtype == .int8 && bBatch.allSatisfy { $0 == 1 } && bZeroIsZero
            && aZeroLayout.modulus == 1 && m * k > 0 && n > 0
        let primitive = mapsOntoDNNL
            ? try IntegerMatMulPrimitive.make(rows: batchCount * m, inner: k, columns: n, sourceType: a.dtype,
                                              sourceHasZeroPoint: context.node.input(aZeroIndex) != nil, node: context.node.name)
            : nil
        let kernel = IntegerMatMulKernel(
            requantized: requantized, aType: a.dtype, bType: b.dtype, outputType: outputType, rows: m, inner: k, columns: n,
            aOffsets: offsets(aStrides, m * k), bOffsets: offsets(bStrides, k * n), aZeroLayout: aZeroLayout, bZeroLayout: bZeroLayout,
            parameterTypes: parameterTypes, bScaleCount: bScaleCount, threads: context.threads, node: context.node.name,
            primitive: primitive)
        return PreparedKernel(kernel: kernel, outputTypes: [ValueType(outputType, outputShape)])
    }

    /// A zero point: absent, a scalar, or (where `perEntry` allows) `count` values laid out
    /// with `divisor` and `modulus` over the operand's row-major elements.
    static func zeroPointLayout(_ context: KernelContext, _ index: Int, operandDType: DType,
                                perEntry: (count: Int, divisor: Int, modulus: Int)?) throws(RuntimeError) -> IntegerArithmetic.ZeroPointLayout {
        guard let zero = context.optionalType(index) else { return .init() }
        guard zero.dtype == operandDType else {
            throw context.fail("zero point '\(context.node.inputs[index])' is \(zero.dtype), its operand \(operandDType)")
        }
        if zero.elementCount == 1 { return .init() }
        guard let perEntry, zero.shape == [perEntry.count] else {
            throw context.fail("zero point '\(context.node.inputs[index])' \(zero) must be a scalar\(perEntry.map { " or [\($0.count)]" } ?? "")")
        }
        return .init(divisor: perEntry.divisor, modulus: perEntry.modulus)
    }

    private func reader(_ io: KernelIO, _ index: Int) -> ParameterReader {
        ParameterReader(base: io.optionalInput(index), dtype: parameterTypes[index] ?? .int32)
    }

    func run(_ io: KernelIO) throws(RuntimeError) {
        guard let scratch = io.scratch else { return }
        if let primitive { return try run(io, primitive, scratch) }
        let shiftedA = scratch.assumingMemoryBound(to: Int32.self)
        let shiftedB = shiftedA + rows * inner
        let accumulators = shiftedB + inner * columns
        let multipliers = UnsafeMutableRawPointer(accumulators + rows * columns).assumingMemoryBound(to: Float.self)
        if requantized { try prepareMultipliers(io, into: multipliers) }
        let (aBytes, bBytes) = (io.input(0), io.input(bIndex))
        let (aZero, bZero) = (reader(io, 2), reader(io, bZeroIndex))
        let yZero = Float(reader(io, 7).integer(0))
        var (lastA, lastB) = (-1, -1)
        for batch in aOffsets.indices {
            if aOffsets[batch] != lastA {
                IntegerArithmetic.shift(aBytes + aOffsets[batch], dtype: aType, count: rows * inner, zeroPoints: aZero, layout: aZeroLayout, into: shiftedA)
                lastA = aOffsets[batch]
            }
            if bOffsets[batch] != lastB {
                IntegerArithmetic.shift(bBytes + bOffsets[batch], dtype: bType, count: inner * columns, zeroPoints: bZero, layout: bZeroLayout, into: shiftedB)
                lastB = bOffsets[batch]
            }
            let matrix = batch * rows * columns
            guard requantized else {
                let output = io.output(0).assumingMemoryBound(to: Int32.self) + matrix
                IntegerArithmetic.multiply(shiftedA, shiftedB, output, rows: rows, inner: inner, columns: columns, threads: threads)
                continue
            }
            IntegerArithmetic.multiply(shiftedA, shiftedB, accumulators, rows: rows, inner: inner, columns: columns, threads: threads)
            if outputType == .int8 {
                requantize(accumulators, multipliers, yZero, into: io.output(0).assumingMemoryBound(to: Int8.self) + matrix)
            } else {
                requantize(accumulators, multipliers, yZero, into: io.output(0).assumingMemoryBound(to: UInt8.self) + matrix)
            }
        }
    }

    /// One oneDNN product of every batch row, then requantization of all of them.
    private func run(_ io: KernelIO, _ primitive: IntegerMatMulPrimitive, _ scratch: UnsafeMutableRawPointer) throws(RuntimeError) {
        let totalRows = aOffsets.count * rows
        let accumulators = scratch.assumingMemoryBound(to: Int32.self)
        let multipliers = UnsafeMutableRawPointer(accumulators + totalRows * columns).assumingMemoryBound(to: Float.self)
        let zeroPoint = UnsafeMutableRawPointer(multipliers + columns).assumingMemoryBound(to: Int32.self)
        zeroPoint.pointee = reader(io, 2).integer(0)
        if requantized { try prepareMultipliers(io, into: multipliers) }
        let target = requantized ? accumulators : io.output(0).assumingMemoryBound(to: Int32.self)
        try primitive.execute(a: io.input(0), b: io.input(bIndex), c: target, zeroPoint: zeroPoint, io, scratchOffset: primitiveScratchOffset)
        guard requantized else { return }
        let yZero = Float(reader(io, 7).integer(0))
        for batch in 0..<aOffsets.count {
            let matrix = batch * rows * columns
            if outputType == .int8 {
                requantize(accumulators + matrix, multipliers, yZero, into: io.output(0).assumingMemoryBound(to: Int8.self) + matrix)
            } else {
                requantize(accumulators + matrix, multipliers, yZero, into: io.output(0).assumingMemoryBound(to: UInt8.self) + matrix)
            }
        }
    }

    /// `a_scale · b_scale[j] / y_scale` per column, after checking every scale.
    private func prepareMultipliers(_ io: KernelIO, into multipliers: UnsafeMutablePointer<Float>) throws(RuntimeError) {
        let (aScale, bScale, yScale) = (reader(io, 1), reader(io, 4), reader(io, 6))
        try aScale.requirePositiveScales(count: 1, role: "a_scale", node: node, op: "QLinearMatMul")
        try bScale.requirePositiveScales(count: bScaleCount, role: "b_scale", node: node, op: "QLinearMatMul")
        try yScale.requirePositiveScales(count: 1, role: "y_scale", node: node, op: "QLinearMatMul")
        for column in 0..<columns {
            multipliers[column] = aScale.float(0) * bScale.float(bScaleCount == 1 ? 0 : column) / yScale.float(0)
        }
    }

    private func requantize<Q: FixedWidthInteger>(_ accumulators: UnsafePointer<Int32>, _ multipliers: UnsafePointer<Float>,
                                                  _ zeroPoint: Float, into destination: UnsafeMutablePointer<Q>) {
        for row in 0..<rows {
            for column in 0..<columns {
                let index = row * columns + column
                IntegerArithmetic.requantize(accumulators + index, count: 1, bias: 0, multiplier: multipliers[column],
                                             zeroPoint: zeroPoint, into: destination + index)
            }
        }
    }
}
