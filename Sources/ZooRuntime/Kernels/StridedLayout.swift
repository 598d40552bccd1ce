/// An output of some shape read from up to three operands through per-axis element strides
/// (0 for broadcast axes, permuted for transposes, stepped for slices). Axes that are
/// contiguous in every operand are merged, so a same-shape elementwise op is one long row.
struct StridedLayout: Sendable {
    /// Length of the innermost (merged) axis.
    let rowLength: Int
    let rowCount: Int
    /// Outer axes (all but the innermost), row-major.
    let outerShape: [Int]
    /// Per operand: element strides of the outer axes.
    let outerStrides: [[Int]]
    /// Per operand: element stride along the row (0 = broadcast, 1 = contiguous).
    let rowStrides: [Int]
    /// Per operand: element offset of the first element.
    let baseOffsets: [Int]

    /// `strides[operand][axis]` in elements, for an output of `shape`.
    init(shape: [Int], strides: [[Int]], baseOffsets: [Int]? = nil) {
        var mergedShape: [Int] = []
        var mergedStrides: [[Int]] = Array(repeating: [], count: strides.count)
        for axis in shape.indices where shape[axis] != 1 {
            if let last = mergedShape.last,
               strides.indices.allSatisfy({ strides[$0][axis] * shape[axis] == mergedStrides[$0].last! }) {
                mergedShape[mergedShape.count - 1] = last * shape[axis]
                for operand in strides.indices { mergedStrides[operand][mergedStrides[operand].count - 1] = strides[operand][axis] }
            } else {
                mergedShape.append(shape[axis])
                for operand in strides.indices { mergedStrides[operand].append(strides[operand][axis]) }
            }
        }
        let isEmpty = shape.contains(0)
        rowLength = isEmpty ? 0 : (mergedShape.last ?? 1)
        outerShape = Array(mergedShape.dropLast())
        rowCount = isEmpty ? 0 : outerShape.reduce(1, *)
        rowStrides = mergedStrides.map { $0.last ?? 0 }
        outerStrides = mergedStrides.map { Array($0.dropLast()) }
        self.baseOffsets = baseOffsets ?? Array(repeating: 0, count: strides.count)
    }

    /// Strides of a row-major tensor of `shape`, broadcast to `outputShape` (numpy rules:
    /// shapes aligned on the right, size-1 axes repeat).
    static func broadcastStrides(of shape: [Int], to outputShape: [Int]) -> [Int] {
        var strides = Array(repeating: 0, count: outputShape.count)
        var stride = 1
        for index in shape.indices.reversed() {
            let axis = outputShape.count - shape.count + index
            strides[axis] = shape[index] == 1 ? 0 : stride
            stride *= shape[index]
        }
        return strides
    }

    static func rowMajorStrides(_ shape: [Int]) -> [Int] {
        var strides = Array(repeating: 1, count: shape.count)
        for axis in shape.indices.dropLast().reversed() { strides[axis] = strides[axis + 1] * shape[axis + 1] }
        return strides
    }

    var elementCount: Int { rowLength * rowCount }

    /// Element offsets of `row`'s first element in each operand (up to three).
    func offsets(ofRow row: Int) -> SIMD4<Int> {
        var result = SIMD4<Int>(repeating: 0)
        for operand in baseOffsets.indices { result[operand] = baseOffsets[operand] }
        var remaining = row
        for axis in outerShape.indices.reversed() {
            let index = remaining % outerShape[axis]
            remaining /= outerShape[axis]
            for operand in outerStrides.indices { result[operand] += index * outerStrides[operand][axis] }
        }
        return result
    }

    /// Visits the flat output elements in `range` as spans inside rows: `body(outputOffset,
    /// operandOffsets, count)`; operand offsets advance by `rowStrides` within the span.
    func forEachSpan(in range: Range<Int>, _ body: (Int, SIMD4<Int>, Int) -> Void) {
        guard rowLength > 0 else { return }
        var position = range.lowerBound
        var strides = SIMD4<Int>(repeating: 0)
        for operand in rowStrides.indices { strides[operand] = rowStrides[operand] }
        while position < range.upperBound {
            let row = position / rowLength, column = position % rowLength
            let count = min(rowLength - column, range.upperBound - position)
            body(position, offsets(ofRow: row) &+ strides &* column, count)
            position += count
        }
    }
}
