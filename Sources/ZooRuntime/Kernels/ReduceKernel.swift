import Foundation
import ZooGraph

/// Chooses the reduction family's kernels, specialised for the input's element type.
enum ReductionKernels {
    static func prepareReduce(_ context: KernelContext, _ operation: ReduceOperation, _ attributes: ReduceAttributes) throws(RuntimeError) -> PreparedKernel {
        try context.requireNoEpilogue()
        let (input, element) = try context.reductionElement(0)
        var axes = Set(0..<input.rank)
        if let requested = attributes.requestedAxes(axesInput: try context.constantIntegers(1, role: "axes")) {
            axes = []
            for axis in requested {
                guard axes.insert(try context.axis(axis, rank: input.rank, name: "axes")).inserted else {
                    throw context.fail("axes \(requested) name axis \(axis) more than once")
                }
            }
        }
        return reduce(element, context, operation, input, axes: axes, keepDims: attributes.keepDims)
    }

    private static func reduce<Element: ReductionElement>(_: Element.Type, _ context: KernelContext, _ operation: ReduceOperation,
                                                          _ input: ValueType, axes: Set<Int>, keepDims: Bool) -> PreparedKernel {
        ReduceKernel<Element>.make(context, operation, input, axes: axes, keepDims: keepDims)
    }
}

/// Every Reduce* over any axes, in each dtype of `DType.reductionElement`.
///
/// Contract: output element o = finish(fold of the input elements that map to o), with the
/// fold's identity for an empty set (see `ReduceOperation`). After dropping axes of size 1
/// and merging neighbouring axes of the same kind, the kept axes address the output (in
/// order) and the reduced axes a set walked as runs along the innermost reduced axis;
/// output elements are spread over threads. Where the innermost axis is kept, whole rows
/// are folded at once instead (`runKeptRows`). Float32 sums, means and maxima over contiguous
/// runs (the innermost axis reduced, as in a LayerNorm's mean or a spatial pool) fold 16
/// lanes at a time. `axes == []` reduces nothing: each element is folded alone (|x| for L1,
/// x² for SumSquare), as ONNX's reference does.
struct ReduceKernel<Element: ReductionElement>: Kernel {
    typealias Number = Element.Number

    let operation: ReduceOperation
    /// Sizes and input strides of the merged kept axes (outer first) and reduced axes.
    let keptSizes: [Int], keptStrides: [Int]
    let reducedSizes: [Int], reducedStrides: [Int]
    let outputCount: Int
    let reducedCount: Int
    let threads: Int

    static func make(_ context: KernelContext, _ operation: ReduceOperation, _ input: ValueType, axes: Set<Int>,
                     keepDims: Bool) -> PreparedKernel {
        // Axes of size 1 change no offset; neighbours of one kind merge (row-major, so an
        // axis's stride is the product of the sizes after it).
        var merged: [(size: Int, stride: Int, isReduced: Bool)] = []
        var stride = 1
        for axis in input.shape.indices.reversed() {
            let size = input.shape[axis], isReduced = axes.contains(axis)
            defer { stride *= size }
            if size == 1 { continue }
            if let last = merged.last, last.isReduced == isReduced {
                merged[merged.count - 1].size = last.size * size
            } else {
                merged.append((size, stride, isReduced))
            }
        }
        let kept = merged.reversed().filter { !$0.isReduced }, reduced = merged.reversed().filter(\.isReduced)
        let keptShape = input.shape.enumerated().map { axes.contains($0.offset) ? 1 : $0.element }
        let shape = keepDims ? keptShape : input.shape.indices.filter { !axes.contains($0) }.map { input.shape[$0] }
        let kernel = ReduceKernel(
            operation: operation, keptSizes: kept.map(\.size), keptStrides: kept.map(\.stride),
            reducedSizes: reduced.map(\.size), reducedStrides: reduced.map(\.stride),
            outputCount: keptShape.reduce(1, *), reducedCount: axes.map { input.shape[$0] }.reduce(1, *),
            threads: context.threads)
        return PreparedKernel(kernel: kernel, outputTypes: [ValueType(input.dtype, shape)])
    }

    func run(_ io: KernelIO) {
        let input = UnsafeSendable(io.input(0).assumingMemoryBound(to: Element.self))
        let output = UnsafeSendable(io.output(0).assumingMemoryBound(to: Element.self))
        let isEmpty = reducedSizes.contains(0) || keptSizes.contains(0)
        if let rowLength = keptSizes.last, keptStrides.last == 1, !isEmpty, operation != .logSumExp, Element.self == Number.self {
            return runKeptRows(io, rowLength: rowLength)
        }
        let minimumChunk = max(1, 16384 / max(reducedCount, 1))
        Parallel.forRanges(outputCount, threads: threads, minimumChunk: minimumChunk) { range in
            for index in range {
                let value = isEmpty ? finish(initial, shift: .lowest) : reduce(input.value + offset(ofOutput: index))
                output.value[index] = Element(number: value)
            }
        }
    }

    /// The input offset of output element `index`'s first reduced element.
    private func offset(ofOutput index: Int) -> Int {
        var remainder = index, offset = 0
        for axis in keptSizes.indices.reversed() {
            let (quotient, position) = remainder.quotientAndRemainder(dividingBy: keptSizes[axis])
            offset += position * keptStrides[axis]
            remainder = quotient
        }
        return offset
    }

    private var initial: Number {
        switch operation {
        case .max: .lowest
        case .min: .highest
        case .product: .one
        default: .zero
        }
    }

    /// Folds the set starting at `base`; LogSumExp first finds the maximum it shifts by.
    private func reduce(_ base: UnsafePointer<Element>) -> Number {
        guard operation == .logSumExp else { return finish(fold(base, operation, into: initial, shift: 0), shift: 0) }
        let maximum = fold(base, .max, into: .lowest, shift: 0)
        let shift = maximum.isUnordered || !maximum.double.isFinite ? 0 : maximum.double
        return finish(fold(base, .logSumExp, into: .zero, shift: shift), shift: shift)
    }

    /// `accumulator` with every element of the set folded in, run by run along the innermost
    /// reduced axis (the whole set is one run of one element when nothing is reduced).
    private func fold(_ base: UnsafePointer<Element>, _ operation: ReduceOperation, into accumulator: Number, shift: Double) -> Number {
        var accumulator = accumulator
        guard let runLength = reducedSizes.last, let runStride = reducedStrides.last else {
            return combine(accumulator, base.pointee.number, operation, shift: shift)
        }
        forEachReducedOffset(axes: reducedSizes.count - 1) { offset in
            accumulator = foldRun(base + offset, count: runLength, stride: runStride, operation, into: accumulator, shift: shift)
        }
        return accumulator
    }

    /// Calls `body` with the offset of every position of the first `axes` reduced axes: an
    /// odometer, last axis fastest.
    private func forEachReducedOffset(axes: Int, _ body: (Int) -> Void) {
        // On the stack: this runs once per output element.
        withUnsafeTemporaryAllocation(of: Int.self, capacity: axes) { position in
            position.initialize(repeating: 0)
            var offset = 0
            while true {
                body(offset)
                var axis = axes - 1
                while axis >= 0 {
                    position[axis] += 1
                    offset += reducedStrides[axis]
                    if position[axis] < reducedSizes[axis] { break }
                    offset -= position[axis] * reducedStrides[axis]
                    position[axis] = 0
                    axis -= 1
                }
                if axis < 0 { return }
            }
        }
    }

    /// Outputs in contiguous rows (the innermost axis kept: a sum over a matrix's rows, a
    /// mean over a sequence's steps): each piece of an output row folds in the matching
    /// pieces of its input rows, so the inner loop runs along contiguous memory. Pieces of
    /// rows are spread over threads. The results accumulate in the output, so the element
    /// type must compute in itself.
    private func runKeptRows(_ io: KernelIO, rowLength: Int) {
        let input = UnsafeSendable(io.input(0).assumingMemoryBound(to: Element.self))
        let output = UnsafeSendable(io.output(0).assumingMemoryBound(to: Number.self))
        let width = 1024, piecesPerRow = (rowLength + 1023) / 1024
        let minimumChunk = max(1, 16384 / max(reducedCount * min(width, rowLength), 1))
        Parallel.forRanges(outputCount / rowLength * piecesPerRow, threads: threads, minimumChunk: minimumChunk) { range in
            for unit in range {
                let (row, piece) = unit.quotientAndRemainder(dividingBy: piecesPerRow)
                let first = row * rowLength + piece * width, count = min(width, rowLength - piece * width)
                let target = output.value + first, base = input.value + offset(ofOutput: first)
                target.update(repeating: initial, count: count)
                forEachReducedOffset(axes: reducedSizes.count) { offset in foldRow(base + offset, into: target, count: count) }
                for index in 0..<count { target[index] = finish(target[index], shift: 0) }
            }
        }
    }

    private func foldRow(_ source: UnsafePointer<Element>, into target: UnsafeMutablePointer<Number>, count: Int) {
        // Sums get a loop of their own, which the compiler vectorises.
        if operation == .sum || operation == .mean {
            for index in 0..<count { target[index] = Number.plus(target[index], source[index].number) }
        } else {
            for index in 0..<count { target[index] = combine(target[index], source[index].number, operation, shift: 0) }
        }
    }

    private func foldRun(_ run: UnsafePointer<Element>, count: Int, stride: Int, _ operation: ReduceOperation,
                         into accumulator: Number, shift: Double) -> Number {
        if stride == 1, Element.self == Float.self, let start = accumulator as? Float,
           let folded = ContiguousFloatFold.fold(UnsafeRawPointer(run).assumingMemoryBound(to: Float.self), count: count,
                                                 operation, into: start),
           let result = folded as? Number {
            return result
        }
        var accumulator = accumulator
        for index in 0..<count { accumulator = combine(accumulator, run[index * stride].number, operation, shift: shift) }
        return accumulator
    }

    @inline(__always)
    private func combine(_ accumulator: Number, _ value: Number, _ operation: ReduceOperation, shift: Double) -> Number {
        switch operation {
        case .sum, .mean, .logSum: Number.plus(accumulator, value)
        case .l1: Number.plus(accumulator, value.absolute)
        case .l2, .sumSquare: Number.plus(accumulator, Number.times(value, value))
        case .product: Number.times(accumulator, value)
        case .max: accumulator.isUnordered || !(value > accumulator || value.isUnordered) ? accumulator : value
        case .min: accumulator.isUnordered || !(value < accumulator || value.isUnordered) ? accumulator : value
        case .logSumExp: Number.plus(accumulator, Number(computed: Foundation.exp(value.double - shift)))
        }
    }

    private func finish(_ accumulator: Number, shift: Double) -> Number {
        switch operation {
        case .mean: accumulator.divided(by: reducedCount)
        case .l2: Number(computed: accumulator.double.squareRoot())
        case .logSum: Number(computed: Foundation.log(accumulator.double))
        case .logSumExp: Number(computed: Foundation.log(accumulator.double) + shift)
        default: accumulator
        }
    }
}

/// Float32 folds of a contiguous run, 16 lanes at a time: sums (of x, x² or |x|) and
/// extrema. The other folds (product, LogSumExp) take the scalar loop.
enum ContiguousFloatFold {
    /// nil for the operations without a vector form here, and runs under 16 elements.
    static func fold(_ run: UnsafePointer<Float>, count: Int, _ operation: ReduceOperation, into accumulator: Float) -> Float? {
        guard count >= 16 else { return nil }
        switch operation {
        case .sum, .mean, .logSum: return accumulator + sum(run, count) { $0 }
        case .sumSquare, .l2: return accumulator + sum(run, count) { $0 * $0 }
        case .l1: return accumulator + sum(run, count, VectorMath.abs)
        case .max: return extremum(run, count, into: accumulator) { $0 .> $1 }
        case .min: return extremum(run, count, into: accumulator) { $0 .< $1 }
        case .product, .logSumExp: return nil
        }
    }

    private static func sum(_ run: UnsafePointer<Float>, _ count: Int, _ map: (Float16x) -> Float16x) -> Float {
        let raw = UnsafeRawPointer(run)
        var sums = Float16x(repeating: 0), index = 0
        while index + 16 <= count {
            sums += map(raw.loadUnaligned(fromByteOffset: index * 4, as: Float16x.self))
            index += 16
        }
        var total = sums.sum()
        while index < count { total += map(Float16x(repeating: run[index]))[0]; index += 1 }
        return total
    }

    /// The running extremum, where `beats(value, current)` says which lanes a value replaces.
    /// Compare and replace compiles to vector blends; a NaN stays, nothing beats it.
    private static func extremum(_ run: UnsafePointer<Float>, _ count: Int, into accumulator: Float,
                                 _ beats: (Float16x, Float16x) -> SIMDMask<SIMD16<Int32>>) -> Float {
        let raw = UnsafeRawPointer(run)
        var current = Float16x(repeating: accumulator), index = 0
        while index + 16 <= count {
            let value = raw.loadUnaligned(fromByteOffset: index * 4, as: Float16x.self)
            current.replace(with: value, where: (beats(value, current) .| (value .!= value)) .& (current .== current))
            index += 16
        }
        var result = accumulator
        for lane in 0..<16 { result = pick(result, current[lane], beats) }
        while index < count { result = pick(result, run[index], beats); index += 1 }
        return result
    }

    private static func pick(_ current: Float, _ value: Float, _ beats: (Float16x, Float16x) -> SIMDMask<SIMD16<Int32>>) -> Float {
        guard !current.isNaN else { return current }
        return value.isNaN || beats(Float16x(repeating: value), Float16x(repeating: current))[0] ? value : current
    }
}
