import ZooGraph
import ZooTensor

/// NonZero, Unique, Compress and NonMaxSuppression: how many elements they keep depends on
/// input values, which `prepare` reads (`KernelContext.requiredConstant`); a value known only
/// at run time throws `.runTimeValue` and the planner computes it first. NonZero, Unique and
/// NonMaxSuppression need all of their data, so they compute their outputs while preparing
/// and the kernel copies them out; Compress needs only its condition and gathers the data
/// when it runs.
enum SelectionKernels {
    static func prepare(_ context: KernelContext, _ op: SelectionOp) throws(RuntimeError) -> PreparedKernel {
        try context.requireNoEpilogue()
        switch op {
        case .nonZero: return try nonZero(context)
        case .unique(let attributes): return try UniqueSelection.prepare(context, attributes)
        case .compress(let axis): return try CompressKernel.prepare(context, axis: axis)
        case .nonMaxSuppression(let centerPointBox): return try NonMaxSuppression.prepare(context, centerPointBox: centerPointBox)
        }
    }

    /// The coordinates of the non-zero elements (NaN is non-zero), in row-major order: row r
    /// holds every element's coordinate on axis r. A scalar reads as one axis of length 1.
    private static func nonZero(_ context: KernelContext) throws(RuntimeError) -> PreparedKernel {
        guard let input = try context.requiredConstant(0, role: "X (NonZero's output size is its count of non-zero elements)") else {
            throw context.fail("input X is required")
        }
        let shape = input.rank == 0 ? [1] : input.shape
        let values = input.doubleValues
        let positions = values.indices.filter { values[$0] != 0 }
        let strides = StridedLayout.rowMajorStrides(shape)
        var coordinates = [Int64](repeating: 0, count: shape.count * positions.count)
        for (column, position) in positions.enumerated() {
            var remainder = position
            for axis in shape.indices {
                coordinates[axis * positions.count + column] = Int64(remainder / strides[axis])
                remainder %= strides[axis]
            }
        }
        return try PrecomputedKernel.prepared([try context.tensor(shape: [shape.count, positions.count], coordinates)])
    }
}

extension KernelContext {
    /// A tensor of computed results, its failure named as this node's.
    func tensor<Element: TensorElement>(shape: [Int], _ values: [Element]) throws(RuntimeError) -> Tensor {
        do { return try Tensor(shape: shape, scalars: values) } catch { throw .tensor(error) }
    }
}

/// Outputs computed while preparing, from input values the plan knows: running copies them.
struct PrecomputedKernel: Kernel {
    let results: [Tensor]

    static func prepared(_ results: [Tensor]) throws(RuntimeError) -> PreparedKernel {
        PreparedKernel(kernel: PrecomputedKernel(results: results), outputTypes: results.map { ValueType($0.dtype, $0.shape) })
    }

    func run(_ io: KernelIO) {
        for (index, result) in results.enumerated() {
            guard let destination = io.optionalOutput(index) else { continue }
            result.withUnsafeBytes { bytes in
                if let source = bytes.baseAddress { destination.copyMemory(from: source, byteCount: bytes.count) }
            }
        }
    }
}

extension AxisSlices {
    /// The slices along the axis (or the elements of a flattened tensor, when `axis` is nil)
    /// of a tensor of `shape`.
    init(shape: [Int], axis: Int?, elementBytes: Int) {
        if let axis {
            self.init(shape: shape, axis: axis, elementBytes: elementBytes, reversed: false)
        } else {
            self.init(shape: [shape.reduce(1, *)], axis: 0, elementBytes: elementBytes, reversed: false)
        }
    }

    /// Copies the slices `selected` (positions along the axis), in that order, into `output`.
    func gather(_ selected: [Int], from input: UnsafeRawPointer, into output: UnsafeMutableRawPointer) {
        for block in 0..<blocks {
            let source = input + block * length * blockBytes, destination = output + block * selected.count * blockBytes
            for (position, index) in selected.enumerated() {
                (destination + position * blockBytes).copyMemory(from: source + index * blockBytes, byteCount: blockBytes)
            }
        }
    }
}

/// Compress: the slices along the axis (elements of the flattened input without one) whose
/// condition is true; a condition shorter than the axis leaves the rest out.
struct CompressKernel: Kernel {
    let slices: AxisSlices
    let selected: [Int]

    static func prepare(_ context: KernelContext, axis: Int?) throws(RuntimeError) -> PreparedKernel {
        let input = try context.type(0)
        guard let condition = try context.requiredConstant(1, role: "condition (Compress's output size is its count of true values)") else {
            throw context.fail("input condition is required")
        }
        guard condition.dtype == .bool, condition.rank == 1, let flags = condition.integerValues else {
            throw context.fail("condition must be a 1-D bool tensor, got \(condition.dtype) \(condition.shape)")
        }
        let resolved = try axis.map { (axis) throws(RuntimeError) in try context.axis(axis, rank: input.rank) }
        let slices = AxisSlices(shape: input.shape, axis: resolved, elementBytes: input.dtype.byteSize)
        guard flags.count <= slices.length else {
            throw context.fail("condition has \(flags.count) values, more than the \(slices.length) \(axis == nil ? "elements" : "slices") it selects from")
        }
        let selected = flags.indices.filter { flags[$0] != 0 }
        var shape = [selected.count]
        if let resolved {
            shape = input.shape
            shape[resolved] = selected.count
        }
        return PreparedKernel(kernel: CompressKernel(slices: slices, selected: selected), outputTypes: [ValueType(input.dtype, shape)])
    }

    func run(_ io: KernelIO) {
        slices.gather(selected, from: io.input(0), into: io.output(0))
    }
}
