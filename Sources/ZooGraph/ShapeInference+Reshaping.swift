import ZooTensor

// Ops that move data or change shapes without arithmetic.
extension NodeContext {
    func inferConcat(axis: Int) throws(GraphError) -> Output {
        let first = try type(0)
        let resolved = try self.axis(axis, rank: first.rank)
        var dims = first.dims
        var total: Int? = first.dims[resolved].value
        for index in 1..<node.inputs.count {
            let other = try type(index)
            try requireSameDType(index, as: 0)
            guard other.rank == first.rank else { throw fail("input '\(node.inputs[index])' is \(other), but the first input is \(first)") }
            for position in 0..<first.rank where position != resolved {
                if let a = dims[position].value, let b = other.dims[position].value, a != b {
                    throw fail("inputs disagree outside the concatenation axis \(resolved): \(first) vs \(other)")
                }
                if dims[position].value == nil, other.dims[position].value != nil { dims[position] = other.dims[position] }
            }
            if let size = other.dims[resolved].value, let sum = total {
                total = try checked("the length of axis \(resolved)") { () throws(ArithmeticOverflow) in try CheckedArithmetic.add(sum, size) }
            } else {
                total = nil
            }
        }
        dims[resolved] = total.map(Dim.fixed) ?? (node.inputs.count == 1 ? first.dims[resolved] : freshDim(resolved))
        return Output(type: TensorType(first.dtype, dims))
    }

    func inferReshape(allowZero: Bool) throws(GraphError) -> Output {
        let input = try type(0)
        let requested = try shapeDims(1, role: "target shape")
        let shown = "[\(requested.map(\.description).joined(separator: ", "))]"
        var dims: [Dim] = []
        var inferredAxis: Int?
        for (index, value) in requested.enumerated() {
            switch value {
            case .symbolic: dims.append(value)
            case .fixed(-1):
                guard inferredAxis == nil else { throw fail("target shape \(shown) has more than one -1") }
                inferredAxis = index
                dims.append(.fixed(1))
            case .fixed(0) where !allowZero:
                guard index < input.rank else { throw fail("target shape \(shown) copies axis \(index) (0), but the input \(input) has rank \(input.rank)") }
                dims.append(input.dims[index])
            case .fixed(let size) where size >= 0: dims.append(.fixed(size))
            case .fixed(let size): throw fail("target shape \(shown) has the invalid size \(size)")
            }
        }
        let inputCount = try product(input.dims)
        let outputCount = try product(dims)
        if let inferredAxis {
            if let quotient = inputCount.dividing(by: outputCount) {
                dims[inferredAxis] = quotient.dim
            } else if inputCount.symbols.isEmpty && outputCount.symbols.isEmpty {
                throw fail("cannot reshape \(input) (\(inputCount.factor) elements) into \(shown)")
            } else {
                dims[inferredAxis] = freshDim(inferredAxis)
            }
        } else if inputCount.symbols.isEmpty && outputCount.symbols.isEmpty && inputCount.factor != outputCount.factor {
            throw fail("cannot reshape \(input) (\(inputCount.factor) elements) into \(shown) (\(outputCount.factor) elements)")
        }
        return Output(type: TensorType(input.dtype, dims))
    }

    func inferFlatten(axis: Int) throws(GraphError) -> Output {
        let input = try type(0)
        let split = axis < 0 ? axis + input.rank : axis
        guard (0...input.rank).contains(split) else {
            throw badAttribute("axis", "is \(axis), outside [-\(input.rank), \(input.rank)] for \(input)")
        }
        let outer = try product(input.dims[..<split]).dim
        let inner = try product(input.dims[split...]).dim
        return Output(type: TensorType(input.dtype, [outer, inner]))
    }

    func inferTranspose(perm: [Int]?) throws(GraphError) -> Output {
        let input = try type(0)
        let permutation = perm ?? Array((0..<input.rank).reversed())
        guard permutation.sorted() == Array(0..<input.rank) else {
            throw badAttribute("perm", "is \(permutation), not a permutation of the \(input.rank) axes of \(input)")
        }
        return Output(type: TensorType(input.dtype, permutation.map { input.dims[$0] }))
    }

    func inferGather(axis: Int) throws(GraphError) -> Output {
        let data = try requireRank(0, 1...8, role: "data")
        let indices = try integerType(1)
        let resolved = try self.axis(axis, rank: data.rank)
        let dims = Array(data.dims[..<resolved]) + indices.dims + Array(data.dims[(resolved + 1)...])
        return Output(type: TensorType(data.dtype, dims))
    }

    /// GatherND: `indices[..., k]` addresses the first k axes of `data` after the
    /// `batchDims` leading axes both share; the output is `indices.dims[..<last]` followed by
    /// the axes of `data` not addressed.
    func inferGatherND(batchDims: Int) throws(GraphError) -> Output {
        let data = try requireRank(0, 1...8, role: "data")
        let indices = try requireRank(1, 1...8, role: "indices")
        _ = try type(1, dtypeIn: [.int64], described: "int64")
        guard let depth = indices.dims[indices.rank - 1].value else {
            throw fail("the last axis of indices \(indices) must have a fixed size: it says how many axes each index addresses")
        }
        guard batchDims >= 0, batchDims < min(data.rank, indices.rank) else {
            throw badAttribute("batch_dims", "is \(batchDims), but must be below the ranks of data \(data) and indices \(indices)")
        }
        guard (1...(data.rank - batchDims)).contains(depth) else {
            throw fail("indices \(indices) address \(depth) axes, but data \(data) has \(data.rank - batchDims) after the batch axes")
        }
        return Output(type: TensorType(data.dtype, Array(indices.dims.dropLast()) + Array(data.dims[(batchDims + depth)...])))
    }

    func inferUnsqueeze() throws(GraphError) -> Output {
        let input = try type(0)
        if case .runTime = try integerInput(1) {
            return freshType(input.dtype, rank: input.rank + (try runTimeCount(1, role: "axes")))
        }
        guard let axes = try constantIntegers(1, role: "axes") else { throw fail("missing axes input") }
        let rank = input.rank + axes.count
        var inserted = Set<Int>()
        for axis in axes {
            let resolved = try self.axis(axis, rank: rank, attribute: "axes")
            guard inserted.insert(resolved).inserted else { throw fail("axes \(axes) name axis \(resolved) twice") }
        }
        var remaining = input.dims.makeIterator()
        let dims = (0..<rank).map { inserted.contains($0) ? Dim.fixed(1) : remaining.next()! }
        return Output(type: TensorType(input.dtype, dims))
    }

    func inferSqueeze() throws(GraphError) -> Output {
        let input = try type(0)
        let axes: Set<Int>
        if case .runTime = try integerInput(1) {
            let count = try runTimeCount(1, role: "axes")
            guard count <= input.rank else { throw fail("axes '\(node.inputs[1])' has \(count) values for the \(input.rank) axes of \(input)") }
            return freshType(input.dtype, rank: input.rank - count)
        }
        if let requested = try constantIntegers(1, role: "axes") {
            var resolved = Set<Int>()
            for axis in requested {
                let position = try self.axis(axis, rank: input.rank, attribute: "axes")
                if let size = input.dims[position].value, size != 1 {
                    throw fail("cannot squeeze axis \(position) of \(input): its size is \(size), not 1")
                }
                resolved.insert(position)
            }
            axes = resolved
        } else {
            axes = Set(input.dims.indices.filter { input.dims[$0] == .fixed(1) })
        }
        let dims = input.dims.indices.filter { !axes.contains($0) }.map { input.dims[$0] }
        return Output(type: TensorType(input.dtype, dims))
    }

    func inferShape(start: Int, end: Int?) throws(GraphError) -> Output {
        let input = try type(0)
        let clamp = { (value: Int) in min(max(value < 0 ? value + input.rank : value, 0), input.rank) }
        let first = clamp(start)
        let last = max(clamp(end ?? input.rank), first)
        let selected = Array(input.dims[first..<last])
        let type = TensorType(.int64, [.fixed(selected.count)])
        guard let sizes = TensorType(input.dtype, selected).staticShape else { return Output(type: type) }
        return Output(type: type, constant: try tensor { () throws(TensorError) in
            try Tensor(shape: [sizes.count], scalars: sizes.map { Int64($0) })
        })
    }

    func inferSlice() throws(GraphError) -> Output {
        let input = try type(0)
        _ = try integerType(1)
        _ = try integerType(2)
        guard let starts = knownDims(1), let ends = knownDims(2) else {
            return try inferSliceWithRuntimeBounds(input)
        }
        guard case .known(let steps) = try integerInput(4).defaulted(Array(repeating: 1, count: starts.count)) else {
            return try inferSliceWithRuntimeBounds(input)
        }
        guard case .known(let axes) = try integerInput(3).defaulted(Array(0..<starts.count)) else {
            return freshType(input.dtype, rank: input.rank)
        }
        guard ends.count == starts.count, axes.count == starts.count, steps.count == starts.count else {
            throw fail("starts, ends, axes and steps must have the same length, got \(starts.count), \(ends.count), \(axes.count), \(steps.count)")
        }
        var dims = input.dims
        for (index, axis) in axes.enumerated() {
            let position = try self.axis(axis, rank: input.rank, attribute: "axes")
            let step = steps[index]
            guard step != 0 else { throw fail("steps may not contain 0") }
            dims[position] = Self.sliceLength(of: input.dims[position], start: starts[index], end: ends[index], step: step)
                ?? freshDim(position)
        }
        return Output(type: TensorType(input.dtype, dims))
    }

    /// The length of start:end:step on an axis, when it can be known: all fixed; or the
    /// whole axis; or `0:n` with a symbolic n, taken to lie within the axis (positions[:seq]).
    static func sliceLength(of axis: Dim, start: Dim, end: Dim, step: Int) -> Dim? {
        if let size = axis.value, let first = start.value, let last = end.value {
            return .fixed(sliceLength(size: size, start: first, end: last, step: step))
        }
        guard step == 1, start == .fixed(0) else { return nil }
        if end == axis || (end.value ?? 0) >= Int(Int32.max) { return axis }
        if case .symbolic = end { return end }
        return nil
    }

    /// Starts, ends or steps computed at run time, typically from the Shape of a symbolic
    /// value (`positions[:seq]`): the sliced axes get fresh sizes, every axis when the axes
    /// are absent or known only at run time too.
    func inferSliceWithRuntimeBounds(_ input: TensorType) throws(GraphError) -> Output {
        _ = try integerType(1)
        _ = try integerType(2)
        guard case .known(let axes) = try integerInput(3) else { return freshType(input.dtype, rank: input.rank) }
        var dims = input.dims
        for axis in axes {
            let position = try self.axis(axis, rank: input.rank, attribute: "axes")
            dims[position] = freshDim(position)
        }
        return Output(type: TensorType(input.dtype, dims))
    }

    /// Elements selected by start:end:step on an axis of `size`, with ONNX's clamping.
    static func sliceLength(size: Int, start: Int, end: Int, step: Int) -> Int {
        func clamp(_ value: Int, _ low: Int, _ high: Int) -> Int {
            let resolved = value < 0 ? value &+ size : value
            return min(max(resolved, low), high)
        }
        // ⌈distance / |step|⌉ as (distance − 1) / |step| + 1: with steps near ±2^63 neither
        // distance + step nor −step fits in 64 bits.
        if step > 0 {
            let first = clamp(start, 0, size), last = clamp(end, 0, size)
            return last > first ? (last - first - 1) / step + 1 : 0
        }
        let first = clamp(start, 0, size - 1), last = clamp(end, -1, size - 1)
        return first > last ? Int(UInt(first - last - 1) / step.magnitude) + 1 : 0
    }

    func inferExpand() throws(GraphError) -> Output {
        let input = try type(0)
        let shape = try shapeDims(1, role: "shape")
        guard shape.allSatisfy({ ($0.value ?? 0) >= 0 }) else { throw fail("target shape \(shape) has a negative size") }
        return Output(type: TensorType(input.dtype, try broadcast(input.dims, shape)))
    }

    func inferConstantOfShape(value: Tensor) throws(GraphError) -> Output {
        let shape = try shapeDims(0, role: "shape")
        guard shape.allSatisfy({ ($0.value ?? 0) >= 0 }) else { throw fail("shape \(shape) has a negative size") }
        guard value.elementCount == 1 else {
            throw badAttribute("value", "must hold one element, got \(value.shape)")
        }
        return Output(type: TensorType(value.dtype, shape))
    }

    /// Range: max(⌈(limit − start) / delta⌉, 0) elements. A limit read from a shape keeps its
    /// symbol when counting from 0 in steps of 1 (`arange(seq)`); other runtime bounds give
    /// a fresh size.
    func inferRange() throws(GraphError) -> Output {
        let start = try type(0, dtypeIn: [.float32, .float64, .float16, .int32, .int64], described: "a number")
        for index in 0..<3 {
            try requireSameDType(index, as: 0)
            guard try type(index).rank == 0 else { throw fail("input '\(node.inputs[index])' must be a scalar, got \(try type(index))") }
        }
        let length: Dim
        if constants.count == 3, let first = constants[0], let last = constants[1], let delta = constants[2],
           [first, last, delta].allSatisfy({ $0.elementCount == 1 }) {
            guard delta.doubleValues[0] != 0 else { throw fail("delta is 0") }
            length = .fixed(try checked("the element count") { () throws(ArithmeticOverflow) in
                try RangeCount.count(start: first, limit: last, delta: delta)
            })
        } else if knownDims(0) == [.fixed(0)], knownDims(2) == [.fixed(1)], let limit = knownDims(1)?.first {
            length = limit
        } else {
            length = freshDim(0)
        }
        return Output(type: TensorType(start.dtype, [length]))
    }

    /// Runs a tensor constructor, naming this node if it fails.
    func tensor(_ make: () throws(TensorError) -> Tensor) throws(GraphError) -> Tensor {
        do { return try make() } catch { throw .tensor(node: node.name, op: opName, error) }
    }
}
