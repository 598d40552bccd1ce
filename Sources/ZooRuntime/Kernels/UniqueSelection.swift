import ZooGraph
import ZooTensor

/// Unique, computed while preparing from X's values: the distinct elements of the flattened
/// input, or the distinct slices along `axis` (compared element by element in row-major
/// order), sorted ascending or in order of first occurrence; with the index of each one's
/// first occurrence, each input element's (slice's) position in Y, and each one's count. One
/// stable sort of the slice positions, O(n log n) comparisons, then one pass groups equal
/// neighbours. NaNs are equal to each other and sort last; −0 equals 0.
enum UniqueSelection {
    static func prepare(_ context: KernelContext, _ attributes: UniqueAttributes) throws(RuntimeError) -> PreparedKernel {
        guard let input = try context.requiredConstant(0, role: "X (Unique's output size is its count of distinct values)") else {
            throw context.fail("input X is required")
        }
        guard input.dtype != .uint64 else { throw context.unsupported("uint64 input is not supported") }
        let axis = try attributes.axis.map { (axis) throws(RuntimeError) in
            guard input.rank >= 1 else { throw context.fail("input X must have an axis, got a scalar") }
            return try context.axis(axis, rank: input.rank)
        }
        let slices = AxisSlices(shape: input.shape, axis: axis, elementBytes: input.dtype.byteSize)
        let keys = SliceKeys(input, slices)
        let order = Array(0..<slices.length).sorted { first, second in
            let comparison = keys.compare(first, second)
            return comparison < 0 || (comparison == 0 && first < second)
        }
        // Groups of equal slices in sorted order; each group's first member is its first occurrence.
        var groupFirsts: [Int] = [], groupCounts: [Int] = []
        var groupOfSlice = [Int](repeating: 0, count: slices.length)
        for (rank, slice) in order.enumerated() {
            if rank == 0 || keys.compare(order[rank - 1], slice) != 0 {
                groupFirsts.append(slice)
                groupCounts.append(0)
            }
            groupCounts[groupCounts.count - 1] += 1
            groupOfSlice[slice] = groupFirsts.count - 1
        }
        // Y's order: sorted groups, or groups by first occurrence; positionOfGroup maps between them.
        var outputOrder = Array(groupFirsts.indices)
        if !attributes.sorted { outputOrder.sort { groupFirsts[$0] < groupFirsts[$1] } }
        var positionOfGroup = [Int](repeating: 0, count: groupFirsts.count)
        for (position, group) in outputOrder.enumerated() { positionOfGroup[group] = position }
        let firsts = outputOrder.map { groupFirsts[$0] }

        var shape = [firsts.count]
        if let axis {
            shape = input.shape
            shape[axis] = firsts.count
        }
        var values = [UInt8](repeating: 0, count: shape.reduce(1, *) * input.dtype.byteSize)
        input.withUnsafeBytes { source in
            values.withUnsafeMutableBytes { destination in
                guard let source = source.baseAddress, let destination = destination.baseAddress else { return }
                slices.gather(firsts, from: source, into: destination)
            }
        }
        let unique: Tensor
        do { unique = try Tensor(dtype: input.dtype, shape: shape, bytes: values) } catch { throw .tensor(error) }
        return try PrecomputedKernel.prepared([
            unique,
            try context.tensor(shape: [firsts.count], firsts.map { Int64($0) }),
            try context.tensor(shape: [slices.length], groupOfSlice.map { Int64(positionOfGroup[$0]) }),
            try context.tensor(shape: [firsts.count], outputOrder.map { Int64(groupCounts[$0]) }),
        ])
    }
}

/// The elements of each slice as comparable numbers: integers exactly, floating point as
/// Double (every float16, bfloat16, float32 and float64 exactly).
private struct SliceKeys {
    enum Elements {
        case integers([Int])
        case reals([Double])
    }

    let elements: Elements
    let slices: AxisSlices
    let inner: Int

    init(_ tensor: Tensor, _ slices: AxisSlices) {
        elements = tensor.integerValues.map(Elements.integers) ?? .reals(tensor.doubleValues)
        self.slices = slices
        inner = slices.blockBytes / max(tensor.dtype.byteSize, 1)
    }

    /// −1, 0 or 1 as slice `first` orders before, equal to or after slice `second`.
    func compare(_ first: Int, _ second: Int) -> Int {
        for block in 0..<slices.blocks {
            let base = block * slices.length * inner
            for element in 0..<inner {
                let (a, b) = (base + first * inner + element, base + second * inner + element)
                let order: Int
                switch elements {
                case .integers(let values): order = values[a] == values[b] ? 0 : (values[a] < values[b] ? -1 : 1)
                case .reals(let values): order = Self.compare(values[a], values[b])
                }
                if order != 0 { return order }
            }
        }
        return 0
    }

    private static func compare(_ x: Double, _ y: Double) -> Int {
        if x == y || (x.isNaN && y.isNaN) { return 0 }
        if x.isNaN { return 1 }
        if y.isNaN { return -1 }
        return x < y ? -1 : 1
    }
}
