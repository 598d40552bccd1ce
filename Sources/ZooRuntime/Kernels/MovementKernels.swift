import ZooGraph
import ZooTensor

/// Kernels of the data movement and indexing ops (MovementOp). They move elements by their
/// byte size, so every dtype runs; only the scatter reductions compute, per dtype. Operands
/// that size the output (pads, repeats, split sizes, depth) must be constants once shapes
/// are known; index values are checked as they are read, and an index out of range stops
/// the run with an error naming the node.
enum MovementKernels {
    static func prepare(_ context: KernelContext, _ op: MovementOp) throws(RuntimeError) -> PreparedKernel {
        try context.requireNoEpilogue()
        return switch op {
        case .pad(let mode): try PadKernel.prepare(context, mode: mode)
        case .split(let axis, let numOutputs): try SplitKernel.prepare(context, axis: axis, numOutputs: numOutputs)
        case .tile: try tile(context)
        case .depthToSpace(let blockSize, let mode): try blockRearrangement(context, blockSize: blockSize, mode: mode, toSpace: true)
        case .spaceToDepth(let blockSize, let mode): try blockRearrangement(context, blockSize: blockSize, mode: mode, toSpace: false)
        case .gatherElements(let axis): try ElementIndexKernel.prepare(context, axis: axis, reduction: nil)
        case .scatterElements(let axis, let reduction): try ElementIndexKernel.prepare(context, axis: axis, reduction: reduction)
        case .scatterND(let reduction): try ScatterNDKernel.prepare(context, reduction: reduction)
        case .oneHot(let axis): try OneHotKernel.prepare(context, axis: axis)
        case .trilu(let upper): try TriluKernel.prepare(context, upper: upper)
        case .eyeLike(let dtype, let k): try EyeLikeKernel.prepare(context, dtype: dtype, k: k)
        case .reverseSequence(let batchAxis, let timeAxis):
            try ReverseSequenceKernel.prepare(context, batchAxis: batchAxis, timeAxis: timeAxis)
        case .size: try SizeKernel.prepare(context)
        }
    }

    /// Tile as a strided copy: the output viewed as `[r0, d0, r1, d1, …]` reads the input
    /// with stride 0 along each repeat axis.
    static func tile(_ context: KernelContext) throws(RuntimeError) -> PreparedKernel {
        let input = try context.type(0)
        guard let repeats = try context.constantIntegers(1, role: "repeats") else { throw context.fail("missing repeats") }
        guard repeats.count == input.rank, repeats.allSatisfy({ $0 >= 0 }) else {
            throw context.fail("repeats \(repeats) must give a count of at least 0 for each of the \(input.rank) axes of \(input)")
        }
        var shape: [Int] = []
        for (size, count) in zip(input.shape, repeats) {
            shape.append(try context.checked("the tiled length \(size) × \(count)") { () throws(ArithmeticOverflow) in
                try CheckedArithmetic.multiply(size, count)
            })
        }
        let inputStrides = StridedLayout.rowMajorStrides(input.shape)
        let view = zip(repeats, input.shape).flatMap { [$0, $1] }
        let strides = inputStrides.flatMap { [0, $0] }
        return try stridedCopy(context, output: ValueType(input.dtype, shape), view: view, strides: strides)
    }

    /// DepthToSpace and SpaceToDepth as strided copies over a 6-axis view of the output.
    /// DepthToSpace reads `[N, C', H, b, W, b]` from the input seen as `[N, b, b, C', H, W]`
    /// (DCR) or `[N, C', b, b, H, W]` (CRD); SpaceToDepth writes the inverse.
    static func blockRearrangement(_ context: KernelContext, blockSize b: Int, mode: BlockOrder, toSpace: Bool)
        throws(RuntimeError) -> PreparedKernel
    {
        let input = try context.type(0)
        guard input.rank == 4, b >= 1 else { throw context.fail("needs a 4-D input and a blocksize of at least 1, got \(input) and \(b)") }
        let (n, c, h, w) = (input.shape[0], input.shape[1], input.shape[2], input.shape[3])
        let dcr = mode == .depthColumnRow
        let area = try context.checked("blocksize²") { () throws(ArithmeticOverflow) in try CheckedArithmetic.multiply(b, b) }
        if toSpace {
            guard c % area == 0 else { throw context.fail("channels of \(input) are not a multiple of \(b)²") }
            let (height, width) = try context.checked("the output size") { () throws(ArithmeticOverflow) in
                (try CheckedArithmetic.multiply(h, b), try CheckedArithmetic.multiply(w, b))
            }
            // Within the input from here on: the output has its element count.
            let depth = c / area, plane = h * w
            let (depthStride, rowStride, columnStride) = dcr ? (plane, b * depth * plane, depth * plane) : (area * plane, b * plane, plane)
            return try stridedCopy(context, output: ValueType(input.dtype, [n, depth, height, width]),
                                   view: [n, depth, h, b, w, b], strides: [c * plane, depthStride, w, rowStride, 1, columnStride])
        }
        guard h % b == 0, w % b == 0 else { throw context.fail("height and width of \(input) are not multiples of \(b)") }
        let (rows, columns) = (h / b, w / b)
        let channels = try context.checked("the output channels") { () throws(ArithmeticOverflow) in try CheckedArithmetic.multiply(c, area) }
        let output = ValueType(input.dtype, [n, channels, rows, columns])
        // Input strides of the view [N, C, H', b, W', b].
        let (batch, channel, row, blockRow, column, blockColumn) = (c * h * w, h * w, b * w, w, b, 1)
        if dcr {
            return try stridedCopy(context, output: output, view: [n, b, b, c, rows, columns],
                                   strides: [batch, blockRow, blockColumn, channel, row, column])
        }
        return try stridedCopy(context, output: output, view: [n, c, b, b, rows, columns],
                               strides: [batch, channel, blockRow, blockColumn, row, column])
    }

    /// A StridedCopyKernel writing `output` in the order of `view` (the same elements split
    /// into more axes), reading input element `Σ index·stride`.
    private static func stridedCopy(_ context: KernelContext, output: ValueType, view: [Int], strides: [Int])
        throws(RuntimeError) -> PreparedKernel
    {
        try context.requireAllocatable(output, value: context.node.outputs[0])
        // An empty output copies nothing; its other axes may be too large to stride over.
        let isEmpty = output.shape.contains(0)
        let layout = StridedLayout(shape: isEmpty ? [0] : view,
                                   strides: isEmpty ? [[1], [1]] : [StridedLayout.rowMajorStrides(view), strides])
        let kernel = StridedCopyKernel(layout: layout, elementSize: output.dtype.byteSize, threads: context.threads)
        return PreparedKernel(kernel: kernel, outputTypes: [output])
    }
}

/// Split along an axis: for every index of the axes before it, each output takes one
/// contiguous run of (its length) × (elements after the axis).
struct SplitKernel: Kernel {
    let outerCount: Int
    let inputRowBytes: Int
    /// Bytes each output takes per outer index, and where they start in an input row.
    let partBytes: [Int]
    let partOffsets: [Int]
    let threads: Int

    static func prepare(_ context: KernelContext, axis: Int, numOutputs: Int?) throws(RuntimeError) -> PreparedKernel {
        let input = try context.type(0)
        let resolved = try context.axis(axis, rank: input.rank)
        let count = context.node.outputs.count, length = input.shape[resolved]
        let sizes: [Int]
        if let requested = try context.constantIntegers(1, role: "split") {
            guard requested.count == count, requested.allSatisfy({ $0 >= 0 }),
                  (try? CheckedArithmetic.sum(requested)) == length else {
                throw context.fail("split \(requested) does not divide axis \(resolved) of \(input) into \(count) parts")
            }
            sizes = requested
        } else {
            guard numOutputs ?? count == count, let chunks = MovementOp.chunkSizes(length: length, count: count) else {
                throw context.fail("cannot split axis \(resolved) of \(input) into \(count) chunks")
            }
            sizes = chunks
        }
        let inner = input.shape[(resolved + 1)...].reduce(1, *) * input.dtype.byteSize
        var offsets: [Int] = [], offset = 0
        for size in sizes {
            offsets.append(offset)
            offset += size * inner
        }
        let kernel = SplitKernel(outerCount: input.shape[..<resolved].reduce(1, *), inputRowBytes: length * inner,
                                 partBytes: sizes.map { $0 * inner }, partOffsets: offsets, threads: context.threads)
        let types = sizes.map { size in
            var shape = input.shape
            shape[resolved] = size
            return ValueType(input.dtype, shape)
        }
        return PreparedKernel(kernel: kernel, outputTypes: types)
    }

    func run(_ io: KernelIO) {
        let input = io.input(0)
        let outputs = UnsafeSendable(partBytes.indices.map { io.optionalOutput($0) })
        Parallel.forRanges(outerCount, threads: threads, minimumChunk: max(1, (1 << 16) / max(inputRowBytes, 1))) { range in
            for outer in range {
                for (part, output) in outputs.value.enumerated() {
                    guard let output else { continue }
                    let bytes = partBytes[part]
                    (output + outer * bytes).copyMemory(from: input + outer * inputRowBytes + partOffsets[part], byteCount: bytes)
                }
            }
        }
    }
}

/// Size: the input's element count as an int64 scalar.
struct SizeKernel: Kernel {
    let count: Int64

    static func prepare(_ context: KernelContext) throws(RuntimeError) -> PreparedKernel {
        PreparedKernel(kernel: SizeKernel(count: Int64(try context.type(0).elementCount)), outputTypes: [ValueType(.int64, [])])
    }

    func run(_ io: KernelIO) {
        io.output(0).storeBytes(of: count, as: Int64.self)
    }
}

/// EyeLike: zeros of the input's 2-D shape (in `dtype`, else the input's) with ones on
/// the k-th diagonal (above the main one for k > 0).
struct EyeLikeKernel: Kernel {
    let rows: Int
    let columns: Int
    let k: Int
    let one: [UInt8]

    static func prepare(_ context: KernelContext, dtype: DType?, k: Int) throws(RuntimeError) -> PreparedKernel {
        let input = try context.type(0)
        guard input.rank == 2 else { throw context.fail("input must be 2-D, got \(input)") }
        let output = ValueType(dtype ?? input.dtype, input.shape)
        let one = try ElementBytes.one(of: output.dtype, context)
        // |k| beyond the matrix leaves it all zero; clamping keeps i + k in range.
        let clamped = min(max(k, -input.shape[0]), input.shape[1])
        return PreparedKernel(kernel: EyeLikeKernel(rows: input.shape[0], columns: input.shape[1], k: clamped, one: one),
                              outputTypes: [output])
    }

    func run(_ io: KernelIO) {
        let output = io.output(0), size = one.count
        output.initializeMemory(as: UInt8.self, repeating: 0, count: rows * columns * size)
        for row in max(0, -k)..<max(max(0, -k), min(rows, columns - k)) {
            (output + (row * columns + row + k) * size).copyMemory(from: one, byteCount: size)
        }
    }
}

/// Element values as bytes, for kernels that fill without knowing the element type.
enum ElementBytes {
    /// The bytes of the value 1 in `dtype`: for integers and bool a little-endian 1, whatever
    /// the width.
    static func one(of dtype: DType, _ context: KernelContext) throws(RuntimeError) -> [UInt8] {
        func bytes<Element: TensorElement>(_ value: Element) -> [UInt8] { withUnsafeBytes(of: value) { Array($0) } }
        switch dtype {
        case .float32: return bytes(Float(1))
        case .float64: return bytes(Double(1))
        case .float16: return bytes(Float16(1))
        case .bfloat16: return bytes(BFloat16(Float(1)))
        default:
            guard !dtype.isFloatingPoint else { throw context.unsupported("no value 1 is known for \(dtype)") }
            return [1] + Array(repeating: 0, count: dtype.byteSize - 1)
        }
    }

    /// Fills `count` elements at `destination` with the element at `pattern`.
    static func fill(_ destination: UnsafeMutableRawPointer, count: Int, with pattern: UnsafeRawPointer, size: Int) {
        guard count > 0 else { return }
        switch size {
        case 1: destination.initializeMemory(as: UInt8.self, repeating: pattern.load(as: UInt8.self), count: count)
        case 2: destination.initializeMemory(as: UInt16.self, repeating: pattern.loadUnaligned(as: UInt16.self), count: count)
        case 4: destination.initializeMemory(as: UInt32.self, repeating: pattern.loadUnaligned(as: UInt32.self), count: count)
        case 8: destination.initializeMemory(as: UInt64.self, repeating: pattern.loadUnaligned(as: UInt64.self), count: count)
        default:
            for index in 0..<count { (destination + index * size).copyMemory(from: pattern, byteCount: size) }
        }
    }

    /// Copies one element of `size` bytes.
    @inline(__always)
    static func copy(_ destination: UnsafeMutableRawPointer, _ source: UnsafeRawPointer, size: Int) {
        switch size {
        case 4: destination.storeBytes(of: source.loadUnaligned(as: UInt32.self), as: UInt32.self)
        case 8: destination.storeBytes(of: source.loadUnaligned(as: UInt64.self), as: UInt64.self)
        case 2: destination.storeBytes(of: source.loadUnaligned(as: UInt16.self), as: UInt16.self)
        case 1: destination.storeBytes(of: source.load(as: UInt8.self), as: UInt8.self)
        default: destination.copyMemory(from: source, byteCount: size)
        }
    }

    /// Integer index `position` of an int64 or int32 tensor.
    @inline(__always)
    static func index(_ indices: UnsafeRawPointer, _ position: Int, isInt64: Bool) -> Int {
        isInt64 ? Int(indices.load(fromByteOffset: position * 8, as: Int64.self))
                : Int(indices.load(fromByteOffset: position * 4, as: Int32.self))
    }
}
