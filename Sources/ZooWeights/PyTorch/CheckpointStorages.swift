import Foundation
import ZooTensor

/// Turns the strided views a checkpoint's pickle describes into contiguous tensors, reading
/// each storage's bytes from its stored zip entry in the mapped file. Views of one storage
/// (tied weights, slices at an offset) each read the same bytes; nothing is read past the
/// entry or the bytes the storage declares, and every index computation is checked.
struct CheckpointStorages {
    let file: MappedFile
    let archive: ZipDirectory
    let prefix: String

    func tensor(_ view: TensorView, name: String) throws(WeightsError) -> Tensor {
        func fail(_ reason: String) -> WeightsError {
            .invalidTensor(file: file.path, name: name, reason: reason)
        }
        let storage = view.storage
        let entryName = prefix + "data/" + storage.key
        guard let entry = archive.entries[entryName] else { throw fail("its storage '\(entryName)' is not in the archive") }
        let elementSize = view.dtype.byteSize
        let declaredBytes: Int
        do {
            declaredBytes = try CheckedArithmetic.multiply(storage.elementCount, storage.dtype?.byteSize ?? 1)
        } catch { throw fail("storage '\(storage.key)' declares \(storage.elementCount) elements, an absurd size") }
        guard declaredBytes <= entry.byteCount else {
            throw fail("storage '\(storage.key)' claims \(declaredBytes) bytes, but its entry holds \(entry.byteCount)")
        }
        guard view.shape.allSatisfy({ $0 >= 0 }), view.strides.allSatisfy({ $0 >= 0 }), view.offset >= 0 else {
            throw fail("size \(view.shape), stride \(view.strides) or offset \(view.offset) is negative")
        }
        let available = declaredBytes / elementSize
        var count = 0, lastIndex = view.offset
        do {
            count = try CheckedArithmetic.product(view.shape)
            for (size, stride) in zip(view.shape, view.strides) {
                lastIndex = try CheckedArithmetic.add(lastIndex, try CheckedArithmetic.multiply(max(size - 1, 0), stride))
            }
        } catch {
            throw fail("size \(view.shape) with stride \(view.strides) from offset \(view.offset) overflows: \(error)")
        }
        guard count <= available else {
            throw fail("size \(view.shape) has \(count) elements, more than storage '\(storage.key)' holds (\(available)): "
                       + "broadcast views (stride 0) are not read")
        }
        guard count == 0 || lastIndex < available else {
            throw fail("size \(view.shape), stride \(view.strides) and offset \(view.offset) reach element \(lastIndex) "
                       + "of storage '\(storage.key)', which holds \(available) \(view.dtype) elements")
        }
        var tensor: Tensor
        do { tensor = try Tensor(zeros: view.shape, dtype: view.dtype) } catch { throw fail(error.description) }
        guard count > 0, let source = file.bytes(at: entry.dataOffset, count: declaredBytes) else { return tensor }
        tensor.withUnsafeMutableBytes { destination in
            copy(view, elementSize: elementSize, from: source, to: destination)
        }
        if let (index, byte) = tensor.firstInvalidBoolean {
            throw fail("BOOL element \(index) is \(byte), not 0 or 1")
        }
        return tensor
    }

    /// Row-major strides of `shape`, as torch gives a contiguous tensor (for sizes of 1 any
    /// stride would do, but torch writes these).
    private static func contiguousStrides(_ shape: [Int]) -> [Int] {
        var strides = [Int](repeating: 1, count: shape.count)
        for axis in shape.indices.dropLast().reversed() { strides[axis] = strides[axis + 1] * max(shape[axis + 1], 1) }
        return strides
    }

    /// Gathers the view's elements in row-major order: a contiguous view in one copy, else
    /// row by row (rows whose innermost stride is 1 copied whole). Every index was bounded by
    /// `tensor(_:name:)`, and the element count by the storage's, so nothing here overflows.
    private func copy(_ view: TensorView, elementSize: Int, from source: UnsafeRawBufferPointer, to destination: UnsafeMutableRawBufferPointer) {
        guard let from = source.baseAddress, let to = destination.baseAddress else { return }
        let rank = view.shape.count
        if view.strides == Self.contiguousStrides(view.shape) {
            to.copyMemory(from: from + view.offset * elementSize, byteCount: destination.count)
            return
        }
        let rowLength = view.shape[rank - 1], rowStride = view.strides[rank - 1]
        var index = [Int](repeating: 0, count: rank - 1)
        var written = 0
        while written < destination.count {
            var start = view.offset
            for axis in 0..<(rank - 1) { start += index[axis] * view.strides[axis] }
            if rowStride == 1 || rowLength == 1 {
                (to + written).copyMemory(from: from + start * elementSize, byteCount: rowLength * elementSize)
                written += rowLength * elementSize
            } else {
                for column in 0..<rowLength {
                    (to + written).copyMemory(from: from + (start + column * rowStride) * elementSize, byteCount: elementSize)
                    written += elementSize
                }
            }
            var axis = rank - 2
            while axis >= 0 {
                index[axis] += 1
                if index[axis] < view.shape[axis] { break }
                index[axis] = 0
                axis -= 1
            }
        }
    }
}
