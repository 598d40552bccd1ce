import Foundation
import ZooGraph
import ZooTensor

/// Reshape, Flatten, Squeeze, Unsqueeze, Identity and Dropout (inference, or training mode
/// with a ratio of 0): the bytes are unchanged, only the shape differs. Dropout's optional
/// mask output is all true.
struct CopyKernel: Kernel {
    let byteCount: Int
    let maskCount: Int?

    static func prepare(_ context: KernelContext) throws(RuntimeError) -> PreparedKernel {
        try context.requireNoEpilogue()
        let input = try context.type(0)
        let shape = try outputShape(context, input: input.shape)
        let outputCount = try? CheckedArithmetic.product(shape)
        guard outputCount == input.elementCount else {
            throw context.fail("cannot reshape \(input) into \(shape)")
        }
        let output = ValueType(input.dtype, shape)
        let wantsMask = context.node.outputs.count > 1 && !context.node.outputs[1].isEmpty
        let kernel = CopyKernel(byteCount: input.byteCount, maskCount: wantsMask ? input.elementCount : nil)
        return PreparedKernel(kernel: kernel, outputTypes: wantsMask ? [output, ValueType(.bool, shape)] : [output])
    }

    static func outputShape(_ context: KernelContext, input: [Int]) throws(RuntimeError) -> [Int] {
        switch context.node.op {
        case .reshape(let allowZero):
            guard let requested = try context.constantIntegers(1, role: "shape") else { throw context.fail("missing shape") }
            return try reshape(input, to: requested, allowZero: allowZero, context)
        case .flatten(let axis):
            let split = axis < 0 ? axis + input.count : axis
            guard (0...input.count).contains(split) else { throw context.fail("flatten axis \(axis) is outside rank \(input.count)") }
            return [input[..<split].reduce(1, *), input[split...].reduce(1, *)]
        case .squeeze:
            let axes = try context.constantIntegers(1, role: "axes")
            var removed = Set<Int>()
            for axis in axes ?? input.indices.filter({ input[$0] == 1 }) {
                let position = try context.axis(axis, rank: input.count, name: "axes")
                guard input[position] == 1 else { throw context.fail("cannot squeeze axis \(position) of size \(input[position])") }
                removed.insert(position)
            }
            return input.indices.filter { !removed.contains($0) }.map { input[$0] }
        case .unsqueeze:
            guard let axes = try context.constantIntegers(1, role: "axes") else { throw context.fail("missing axes") }
            let rank = input.count + axes.count
            var inserted = Set<Int>()
            for axis in axes { inserted.insert(try context.axis(axis, rank: rank, name: "axes")) }
            var remaining = input.makeIterator()
            return (0..<rank).map { inserted.contains($0) ? 1 : remaining.next() ?? 1 }
        case .dropout:
            if let mode = try context.requiredConstant(2, role: "training_mode"), mode.integerValues != [0] {
                let ratio = try context.requiredConstant(1, role: "ratio")
                guard DropoutTraining.isDeterministic(trainingMode: mode, ratio: ratio) else {
                    throw context.unsupported(DropoutTraining.refusal)
                }
            }
            return input
        default:
            return input
        }
    }

    /// ONNX Reshape: 0 copies the input's size (unless allowzero), -1 is inferred.
    static func reshape(_ input: [Int], to requested: [Int], allowZero: Bool, _ context: KernelContext)
        throws(RuntimeError) -> [Int]
    {
        var shape = requested
        for (index, size) in requested.enumerated() where size == 0 && !allowZero {
            guard index < input.count else { throw context.fail("shape \(requested) copies axis \(index) of \(input)") }
            shape[index] = input[index]
        }
        let total = input.reduce(1, *)
        if let inferred = shape.firstIndex(of: -1) {
            let known = try context.checked("the target shape \(requested)") { () throws(ArithmeticOverflow) in
                try CheckedArithmetic.product(shape.enumerated().filter { $0.offset != inferred }.map(\.element))
            }
            guard known > 0, total % known == 0 else { throw context.fail("cannot reshape \(input) into \(requested)") }
            shape[inferred] = total / known
        }
        guard shape.allSatisfy({ $0 >= 0 }) else { throw context.fail("invalid target shape \(requested)") }
        return shape
    }

    func run(_ io: KernelIO) {
        if io.output(0) != UnsafeMutableRawPointer(mutating: io.input(0)) {
            io.output(0).copyMemory(from: io.input(0), byteCount: byteCount)
        }
        if let maskCount {
            io.output(1).initializeMemory(as: Bool.self, repeating: true, count: maskCount)
        }
    }
}

/// Transpose, Slice and Expand: a copy that reads the input through per-axis strides
/// (permuted, stepped or zero), whole rows at a time where the input row is contiguous.
struct StridedCopyKernel: Kernel {
    let layout: StridedLayout
    let elementSize: Int
    let threads: Int

    static func prepare(_ context: KernelContext) throws(RuntimeError) -> PreparedKernel {
        try context.requireNoEpilogue()
        let input = try context.type(0)
        let inputStrides = StridedLayout.rowMajorStrides(input.shape)
        let shape: [Int], strides: [Int]
        var offset = 0
        switch context.node.op {
        case .transpose(let perm):
            let permutation = perm ?? Array((0..<input.rank).reversed())
            guard permutation.sorted() == Array(0..<input.rank) else { throw context.fail("perm \(permutation) is not a permutation") }
            shape = permutation.map { input.shape[$0] }
            strides = permutation.map { inputStrides[$0] }
        case .expand:
            guard let requested = try context.constantIntegers(1, role: "shape") else { throw context.fail("missing shape") }
            guard let broadcast = BinaryKernel.broadcastShape(input.shape, requested) else {
                throw context.fail("cannot expand \(input) to \(requested)")
            }
            try context.requireAllocatable(ValueType(input.dtype, broadcast), value: context.node.outputs[0])
            shape = broadcast
            strides = StridedLayout.broadcastStrides(of: input.shape, to: broadcast)
        default:
            (shape, strides, offset) = try sliceGeometry(context, input: input.shape, inputStrides: inputStrides)
        }
        let layout = StridedLayout(shape: shape, strides: [StridedLayout.rowMajorStrides(shape), strides],
                                   baseOffsets: [0, offset])
        let kernel = StridedCopyKernel(layout: layout, elementSize: input.dtype.byteSize, threads: context.threads)
        return PreparedKernel(kernel: kernel, outputTypes: [ValueType(input.dtype, shape)])
    }

    /// ONNX Slice with constant starts, ends, axes, steps (clamped as the spec says).
    static func sliceGeometry(_ context: KernelContext, input: [Int], inputStrides: [Int])
        throws(RuntimeError) -> (shape: [Int], strides: [Int], offset: Int)
    {
        guard let starts = try context.constantIntegers(1, role: "starts"),
              let ends = try context.constantIntegers(2, role: "ends") else { throw context.fail("missing starts or ends") }
        let axes = try context.constantIntegers(3, role: "axes") ?? Array(0..<starts.count)
        let steps = try context.constantIntegers(4, role: "steps") ?? Array(repeating: 1, count: starts.count)
        guard ends.count == starts.count, axes.count == starts.count, steps.count == starts.count else {
            throw context.fail("starts, ends, axes and steps differ in length")
        }
        var shape = input, strides = inputStrides, offset = 0
        for (index, axis) in axes.enumerated() {
            let position = try context.axis(axis, rank: input.count, name: "axes")
            let size = input[position], step = steps[index]
            guard step != 0 else { throw context.fail("steps may not contain 0") }
            func resolve(_ value: Int, _ low: Int, _ high: Int) -> Int {
                min(max(value < 0 ? value &+ size : value, low), high)
            }
            let first = step > 0 ? resolve(starts[index], 0, size) : resolve(starts[index], 0, size - 1)
            let last = step > 0 ? resolve(ends[index], 0, size) : resolve(ends[index], -1, size - 1)
            // ⌈distance / |step|⌉ as (distance − 1) / |step| + 1: with steps near ±2^63
            // neither distance + step nor −step fits in 64 bits.
            let distance = step > 0 ? last - first : first - last
            let length = distance > 0 ? Int(UInt(distance - 1) / step.magnitude) + 1 : 0
            shape[position] = length
            // A step only moves between elements when there are two: then |step| < size and
            // the stride is within the input.
            strides[position] = length > 1 ? inputStrides[position] * step : 0
            if length > 0 { offset += first * inputStrides[position] }
        }
        return (shape, strides, offset)
    }

    func run(_ io: KernelIO) {
        Self.copy(layout, elementSize: elementSize, from: io.input(0), to: io.output(0), threads: threads)
    }

    /// Writes the elements `layout` reads from operand 1 of `input` row-major into `output`.
    static func copy(_ layout: StridedLayout, elementSize: Int, from input: UnsafeRawPointer, to output: UnsafeMutableRawPointer,
                     threads: Int) {
        let rowStride = layout.rowStrides[1]
        Parallel.forRanges(layout.elementCount, threads: threads, minimumChunk: 1 << 16) { range in
            layout.forEachSpan(in: range) { outputOffset, offsets, count in
                let destination = output + outputOffset * elementSize
                let source = input + offsets[1] * elementSize
                if rowStride == 1 {
                    destination.copyMemory(from: source, byteCount: count * elementSize)
                    return
                }
                switch elementSize {
                case 4: Self.gather(UInt32.self, source, destination, count, rowStride)
                case 8: Self.gather(UInt64.self, source, destination, count, rowStride)
                case 2: Self.gather(UInt16.self, source, destination, count, rowStride)
                default: Self.gather(UInt8.self, source, destination, count, rowStride)
                }
            }
        }
    }

    @inline(__always)
    static func gather<Element>(_ type: Element.Type, _ source: UnsafeRawPointer, _ destination: UnsafeMutableRawPointer,
                                _ count: Int, _ stride: Int) {
        let from = source.assumingMemoryBound(to: Element.self), to = destination.assumingMemoryBound(to: Element.self)
        for index in 0..<count { to[index] = from[index * stride] }
    }
}

/// Constant, ConstantOfShape and Shape: outputs known from the plan alone, so constant
/// folding always replaces these nodes; the kernel exists for completeness of evaluation.
struct FillKernel: Kernel {
    let value: Tensor
    let repeats: Int

    static func prepare(_ context: KernelContext) throws(RuntimeError) -> PreparedKernel {
        try context.requireNoEpilogue()
        let value: Tensor, shape: [Int]
        switch context.node.op {
        case .constant(let tensor):
            (value, shape) = (tensor, tensor.shape)
        case .constantOfShape(let tensor):
            guard let requested = try context.constantIntegers(0, role: "shape") else { throw context.fail("missing shape") }
            guard tensor.elementCount == 1, requested.allSatisfy({ $0 >= 0 }) else { throw context.fail("invalid value or shape \(requested)") }
            try context.requireAllocatable(ValueType(tensor.dtype, requested), value: context.node.outputs[0])
            (value, shape) = (tensor, requested)
        case .shape(let start, let end):
            let input = try context.type(0).shape
            let clamp = { (value: Int) in min(max(value < 0 ? value + input.count : value, 0), input.count) }
            let selected = Array(input[clamp(start)..<max(clamp(end ?? input.count), clamp(start))])
            do { value = try Tensor(shape: [selected.count], scalars: selected.map { Int64($0) }) } catch { throw .tensor(error) }
            shape = [selected.count]
        default:
            throw context.unsupported("not a fill op")
        }
        let repeats = shape.reduce(1, *) / max(value.elementCount, 1)
        return PreparedKernel(kernel: FillKernel(value: value, repeats: repeats), outputTypes: [ValueType(value.dtype, shape)])
    }

    func run(_ io: KernelIO) {
        value.withUnsafeBytes { bytes in
            guard let base = bytes.baseAddress else { return }
            for index in 0..<repeats { (io.output(0) + index * bytes.count).copyMemory(from: base, byteCount: bytes.count) }
        }
    }
}
