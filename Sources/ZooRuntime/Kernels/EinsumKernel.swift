import CDNNL
import ZooGraph
import ZooTensor

/// Einsum, planned at compile time into batched matrix products. Every label gets a size
/// (ellipsis axes broadcast, numpy rules) and each operand becomes a strided view over its
/// distinct labels: a repeated label (a diagonal) strides by the sum of its axes' strides.
/// Operands are folded left to right (a single operand with the scalar 1): each step keeps
/// the labels the output or a later operand needs, gathers A as [batch, left, contracted]
/// and B as [batch, contracted, right] (stride 0 where an operand lacks a contracted
/// label, which sums it), multiplies them (oneDNN matmul for float32, a loop accumulating in
/// Double for the half types and float64, in wrapping Int64 for int32 and int64) and hands [batch, left, right] on. In float32 an operand whose
/// label groups each merge into one stride (attention's Q, K and V) is read in place. The last step writes the
/// output directly when its labels are already in output order, else a gather permutes it.
/// Scratch holds every step's gathered operands and results, then oneDNN's scratchpad.
struct EinsumKernel: Kernel {
    /// One operand as the plan sees it: distinct labels with their element strides.
    struct View {
        enum Source { case input(Int), step(Int), one }
        var source: Source
        var labels: [Int]
        var strides: [Int]

        func stride(of label: Int) -> Int { labels.firstIndex(of: label).map { strides[$0] } ?? 0 }
    }

    struct Step {
        var left: View, right: View
        var batch: Int, rows: Int, columns: Int, inner: Int
        /// How each operand reaches the product: gathered into scratch at a byte offset, or
        /// read in place (float32, when each label group merges into one stride).
        enum Operand { case gathered(StridedLayout, offset: Int), inPlace }
        var leftOperand: Operand, rightOperand: Operand
        /// Byte offset in scratch of the result.
        var resultOffset: Int
        var writesOutput: Bool
        var call: (call: DNNLCall, source: dnnl_memory_desc_t, destination: dnnl_memory_desc_t, weights: dnnl_memory_desc_t)?
    }

    let steps: [Step]
    /// The last result permuted into the output, when its order differs.
    let finalGather: StridedLayout?
    let finalOffset: Int
    let dtype: DType
    let ownScratch: Int
    let threads: Int

    var scratchByteCount: Int { ownScratch + (steps.compactMap { $0.call?.call.scratchByteCount }.max() ?? 0) }

    static func prepare(_ context: KernelContext, _ equation: EinsumEquation) throws(RuntimeError) -> PreparedKernel {
        try context.requireNoEpilogue()
        let types = try (0..<context.node.inputs.count).map { (index: Int) throws(RuntimeError) in try context.type(index) }
        guard let dtype = types.first?.dtype, [.float32, .float64, .float16, .bfloat16, .int32, .int64].contains(dtype) else {
            throw context.unsupported("Einsum takes floating-point, int32 or int64 operands; input '\(context.node.inputs.first ?? "")' is \(types.first?.dtype.rawValue ?? "absent")")
        }
        guard equation.operands.count == types.count else {
            throw context.fail("'\(equation.text)' names \(equation.operands.count) operands; the node has \(types.count) inputs")
        }
        let (views, sizes, outputLabels) = try labelViews(context, equation, types.map(\.shape))
        let outputShape = outputLabels.map { sizes[$0] ?? 1 }
        let output = ValueType(dtype, outputShape)
        try context.requireAllocatable(output, value: context.node.outputs[0])

        var steps: [Step] = []
        var scratch = 0
        func reserve(_ elements: Int) throws(RuntimeError) -> Int {
            let bytes = try context.checked("Einsum scratch") { () throws(ArithmeticOverflow) in
                try CheckedArithmetic.multiply(elements, dtype.byteSize)
            }
            try context.requireAllocatable(ValueType(.uint8, [bytes]), value: "\(context.node.outputs[0]) (scratch)")
            defer { scratch = MemoryPlanner.aligned(scratch + bytes) }
            return scratch
        }
        var accumulated = views[0]
        let operands = views.count == 1 ? [View(source: .one, labels: [], strides: [])] : Array(views.dropFirst())
        for (index, next) in operands.enumerated() {
            let later = Set(operands.dropFirst(index + 1).flatMap(\.labels))
            let kept = Set(outputLabels).union(later)
            let batch = accumulated.labels.filter { kept.contains($0) && next.labels.contains($0) }
            let left = accumulated.labels.filter { kept.contains($0) && !next.labels.contains($0) }
            let right = next.labels.filter { kept.contains($0) && !accumulated.labels.contains($0) }
            let contracted = (accumulated.labels + next.labels.filter { !accumulated.labels.contains($0) }).filter { !kept.contains($0) }
            func count(_ labels: [Int]) throws(RuntimeError) -> Int {
                try context.checked("Einsum sizes") { () throws(ArithmeticOverflow) in try CheckedArithmetic.product(labels.map { sizes[$0] ?? 1 }) }
            }
            let (b, m, n, k) = (try count(batch), try count(left), try count(right), try count(contracted))
            let leftOrder = batch + left + contracted, rightOrder = batch + contracted + right
            let leftShape = leftOrder.map { sizes[$0] ?? 1 }, rightShape = rightOrder.map { sizes[$0] ?? 1 }
            let resultLabels = batch + left + right
            let isLast = index == operands.count - 1
            let writesOutput = isLast && resultLabels == outputLabels
            let usesPrimitive = dtype == .float32 && b > 0 && m > 0 && n > 0 && k > 0
            let leftInPlace = usesPrimitive ? groupStrides([batch, left, contracted], accumulated, sizes) : nil
            let rightInPlace = usesPrimitive ? groupStrides([batch, contracted, right], next, sizes) : nil
            let leftOperand: Step.Operand = leftInPlace == nil
                ? .gathered(gather(shape: leftShape, from: leftOrder.map(accumulated.stride)), offset: try reserve(try count(leftOrder))) : .inPlace
            let rightOperand: Step.Operand = rightInPlace == nil
                ? .gathered(gather(shape: rightShape, from: rightOrder.map(next.stride)), offset: try reserve(try count(rightOrder))) : .inPlace
            let resultOffset = writesOutput ? 0 : try reserve(try count(resultLabels))
            var step = Step(left: accumulated, right: next, batch: b, rows: m, columns: n, inner: k,
                            leftOperand: leftOperand, rightOperand: rightOperand, resultOffset: resultOffset,
                            writesOutput: writesOutput, call: nil)
            if usesPrimitive, context.compilesPrimitives {
                let geometry = MatMulKernel.Geometry(
                    source: [b, m, k], sourceStrides: leftInPlace ?? [m * k, k, 1], weights: [b, k, n],
                    weightsStrides: rightInPlace ?? [k * n, n, 1], destination: [b, m, n], outputShape: [b, m, n], columns: n)
                step.call = try MatMulKernel.compile(geometry, weights: nil, bias: nil,
                                                     attributes: try DNNLAttributes(node: context.node.name), node: context.node.name)
            }
            steps.append(step)
            let resultShape = resultLabels.map { sizes[$0] ?? 1 }
            accumulated = View(source: .step(index), labels: resultLabels, strides: StridedLayout.rowMajorStrides(resultShape))
        }
        let finalGather = steps.last?.writesOutput == true ? nil : gather(shape: outputShape, from: outputLabels.map(accumulated.stride))
        let kernel = EinsumKernel(steps: steps, finalGather: finalGather, finalOffset: steps.last?.resultOffset ?? 0, dtype: dtype,
                                  ownScratch: scratch, threads: context.threads)
        return PreparedKernel(kernel: kernel, outputTypes: [output])
    }

    /// One element stride per group of labels (batch, rows or columns, inner), when every
    /// group's labels lie in `view` as one evenly strided run (a single label, or labels whose
    /// strides nest): then the product reads the operand in place. nil when a group does
    /// not merge or a stride is 0 (a broadcast), which oneDNN does not take.
    private static func groupStrides(_ groups: [[Int]], _ view: View, _ sizes: [Int: Int]) -> [Int]? {
        var strides: [Int] = []
        for group in groups {
            let spanning = group.filter { (sizes[$0] ?? 1) > 1 }
            guard let innermost = spanning.last else { strides.append(1); continue }
            for (outer, inner) in zip(spanning, spanning.dropFirst())
            where view.stride(of: outer) != view.stride(of: inner) * (sizes[inner] ?? 1) {
                return nil
            }
            guard spanning.allSatisfy({ view.stride(of: $0) > 0 }) else { return nil }
            strides.append(view.stride(of: innermost))
        }
        return strides
    }

    /// The output of `shape` read row-major from a source with `strides`.
    private static func gather(shape: [Int], from strides: [Int]) -> StridedLayout {
        let isEmpty = shape.contains(0)
        return StridedLayout(shape: isEmpty ? [0] : shape,
                             strides: isEmpty ? [[1], [1]] : [StridedLayout.rowMajorStrides(shape), strides])
    }

    /// Each operand's view over label ids (letters by their code; ellipsis axes 1000 + their
    /// position from the right), every label's size, and the output's labels.
    private static func labelViews(_ context: KernelContext, _ equation: EinsumEquation, _ shapes: [[Int]])
        throws(RuntimeError) -> (views: [View], sizes: [Int: Int], output: [Int])
    {
        var sizes: [Int: Int] = [:]
        var ellipsisRank = 0
        var axisLabels: [[Int]] = []
        for (index, labels) in equation.operands.enumerated() {
            let letters = labels.filter { $0 != .ellipsis }.count
            let shape = shapes[index]
            guard labels.contains(.ellipsis) ? shape.count >= letters : shape.count == letters else {
                throw context.fail("operand \(index) of shape \(shape) does not have the \(letters) axes '\(equation.text)' names")
            }
            let rank = shape.count - letters
            ellipsisRank = max(ellipsisRank, rank)
            var ids: [Int] = []
            for label in labels {
                switch label {
                case .letter(let letter): ids.append(Int(letter.asciiValue ?? 0))
                case .ellipsis: ids += (0..<rank).map { 1000 + rank - 1 - $0 }
                }
            }
            for (id, size) in zip(ids, shape) {
                if let known = sizes[id], known != size {
                    // Ellipsis axes broadcast; letters must agree.
                    guard id >= 1000, known == 1 || size == 1 else {
                        throw context.fail("'\(equation.text)': an axis of size \(size) meets one of size \(known)")
                    }
                    sizes[id] = max(known, size)
                } else {
                    sizes[id] = size
                }
            }
            axisLabels.append(ids)
        }
        var views: [View] = []
        for (ids, shape) in zip(axisLabels, shapes) {
            let rowMajor = StridedLayout.rowMajorStrides(shape)
            var view = View(source: .input(views.count), labels: [], strides: [])
            for (axis, id) in ids.enumerated() {
                // A size-1 axis broadcast against a longer one reads its single element.
                let stride = shape[axis] == 1 && (sizes[id] ?? 1) > 1 ? 0 : rowMajor[axis]
                if let position = view.labels.firstIndex(of: id) {
                    view.strides[position] += stride
                } else {
                    view.labels.append(id)
                    view.strides.append(stride)
                }
            }
            views.append(view)
        }
        let output = equation.output.flatMap { label -> [Int] in
            switch label {
            case .letter(let letter): [Int(letter.asciiValue ?? 0)]
            case .ellipsis: (0..<ellipsisRank).map { 1000 + ellipsisRank - 1 - $0 }
            }
        }
        return (views, sizes, output)
    }

    func run(_ io: KernelIO) throws(RuntimeError) {
        // Without scratch every gathered operand is empty and nothing is written there.
        let scratch = io.scratch ?? io.output(0)
        let size = dtype.byteSize
        var one: UInt64 = 0
        switch dtype {
        case .float32: one = UInt64(Float(1).bitPattern)
        case .float64: one = Double(1).bitPattern
        case .float16: one = UInt64(Float16(1).bitPattern)
        case .bfloat16: one = UInt64(BFloat16(fromDouble: 1).bitPattern)
        default: one = 1  // int32 and int64, little-endian
        }
        try withUnsafeBytes(of: &one) { (oneBytes: UnsafeRawBufferPointer) throws(RuntimeError) in
            for step in steps {
                func address(_ view: View) -> UnsafeRawPointer {
                    switch view.source {
                    case .input(let index): io.input(index)
                    case .step(let index): UnsafeRawPointer(scratch + steps[index].resultOffset)
                    case .one: oneBytes.baseAddress!  // a local of 8 bytes
                    }
                }
                func operand(_ operand: Step.Operand, _ view: View) -> UnsafeRawPointer {
                    guard case .gathered(let layout, let offset) = operand else { return address(view) }
                    StridedCopyKernel.copy(layout, elementSize: size, from: address(view), to: scratch + offset, threads: threads)
                    return UnsafeRawPointer(scratch + offset)
                }
                let left = operand(step.leftOperand, step.left), right = operand(step.rightOperand, step.right)
                let result = step.writesOutput ? io.output(0) : scratch + step.resultOffset
                try multiply(step, left, right, result, io)
            }
        }
        if let finalGather {
            StridedCopyKernel.copy(finalGather, elementSize: size, from: scratch + finalOffset, to: io.output(0), threads: threads)
        }
    }

    private func multiply(_ step: Step, _ a: UnsafeRawPointer, _ b: UnsafeRawPointer, _ c: UnsafeMutableRawPointer,
                          _ io: KernelIO) throws(RuntimeError) {
        let (batch, rows, columns, inner) = (step.batch, step.rows, step.columns, step.inner)
        if let call = step.call {
            try call.call.execute([(DNNLArgument.source, call.source, a),
                                   (DNNLArgument.weights, call.weights, b),
                                   (DNNLArgument.destination, call.destination, UnsafeRawPointer(c))], io, scratchOffset: ownScratch)
            return
        }
        let shape = (batch, rows, columns, inner, threads)
        switch dtype {
        case .float32: Self.product(Float.self, shape, a, b, c)
        case .float64: Self.product(Double.self, shape, a, b, c)
        case .float16: Self.product(Float16.self, shape, a, b, c)
        case .bfloat16: Self.product(BFloat16.self, shape, a, b, c)
        case .int32: Self.product(Int32.self, shape, a, b, c)
        default: Self.product(Int64.self, shape, a, b, c)
        }
    }

    /// C[b] = A[b]·B[b] in the element's accumulator (EinsumAccumulation), rows spread over
    /// threads: the half types, float64 and the integers, and empty float32 products.
    private static func product<Element: EinsumAccumulation>(_: Element.Type, _ shape: (batch: Int, rows: Int, columns: Int, inner: Int, threads: Int),
                                                             _ a: UnsafeRawPointer, _ b: UnsafeRawPointer, _ c: UnsafeMutableRawPointer) {
        let a = a.assumingMemoryBound(to: Element.self), b = b.assumingMemoryBound(to: Element.self)
        let c = c.assumingMemoryBound(to: Element.self)
        let (rows, columns, inner) = (shape.rows, shape.columns, shape.inner)
        Parallel.forRanges(shape.batch * rows, threads: shape.threads, minimumChunk: max(1, 65536 / max(1, columns * inner))) { range in
            var sums = [Element.Sum](repeating: .zero, count: columns)
            for row in range {
                let matrix = row / max(rows, 1)
                for index in sums.indices { sums[index] = .zero }
                for position in 0..<inner {
                    let value = a[row * inner + position]
                    let bRow = b + (matrix * inner + position) * columns
                    for column in 0..<columns { Element.accumulate(&sums[column], value, bRow[column]) }
                }
                for column in 0..<columns { c[row * columns + column] = Element(sum: sums[column]) }
            }
        }
    }
}

/// How Einsum's loop accumulates an element type: floats in Double, int32 and int64 in
/// Int64 with wrapping arithmetic (as integer matrix products wrap in onnxruntime).
protocol EinsumAccumulation {
    associatedtype Sum: AdditiveArithmetic
    static func accumulate(_ sum: inout Sum, _ left: Self, _ right: Self)
    init(sum: Sum)
}

extension EinsumAccumulation where Self: TensorElement, Sum == Double {
    static func accumulate(_ sum: inout Double, _ left: Self, _ right: Self) { sum += left.doubleValue * right.doubleValue }
    init(sum: Double) { self.init(fromDouble: sum) }
}

extension Float: EinsumAccumulation { typealias Sum = Double }
extension Double: EinsumAccumulation { typealias Sum = Double }
extension Float16: EinsumAccumulation { typealias Sum = Double }
extension BFloat16: EinsumAccumulation { typealias Sum = Double }

extension EinsumAccumulation where Self: FixedWidthInteger, Sum == Int64 {
    static func accumulate(_ sum: inout Int64, _ left: Self, _ right: Self) {
        sum &+= Int64(truncatingIfNeeded: left) &* Int64(truncatingIfNeeded: right)
    }
    init(sum: Int64) { self.init(truncatingIfNeeded: sum) }
}

extension Int32: EinsumAccumulation { typealias Sum = Int64 }
extension Int64: EinsumAccumulation { typealias Sum = Int64 }
