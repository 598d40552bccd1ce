/// The slices of a row-major tensor along one axis, as Scan reads its scanned inputs and
/// writes its stacked outputs: slice `t` is `blocks` runs of `blockBytes` bytes, run `b` at
/// byte offset (b·length + t)·blockBytes.
struct AxisSlices: Sendable {
    let blocks: Int
    let length: Int
    let blockBytes: Int
    /// Scan's direction 1: step 0 is the last slice.
    let reversed: Bool

    init(shape: [Int], axis: Int, elementBytes: Int, reversed: Bool) {
        blocks = shape[..<axis].reduce(1, *)
        length = shape[axis]
        blockBytes = shape[(axis + 1)...].reduce(1, *) * elementBytes
        self.reversed = reversed
    }

    /// One run per slice (only sizes of 1 before the axis): a slice can be read in place.
    var isContiguous: Bool { blocks == 1 }

    var sliceBytes: Int { blocks * blockBytes }

    /// Byte offset of the first run of the slice that step `step` visits.
    func offset(step: Int) -> Int {
        (reversed ? length - 1 - step : step) * blockBytes
    }

    func gather(step: Int, from tensor: UnsafeRawPointer, into slice: UnsafeMutableRawPointer) {
        let first = offset(step: step), stride = length * blockBytes
        for block in 0..<blocks {
            (slice + block * blockBytes).copyMemory(from: tensor + first + block * stride, byteCount: blockBytes)
        }
    }

    func scatter(step: Int, from slice: UnsafeRawPointer, into tensor: UnsafeMutableRawPointer) {
        let first = offset(step: step), stride = length * blockBytes
        for block in 0..<blocks {
            (tensor + first + block * stride).copyMemory(from: slice + block * blockBytes, byteCount: blockBytes)
        }
    }
}
