import ZooTensor

extension Tensor {
    /// For a bool tensor read from a file, the first element whose byte is neither 0 nor 1,
    /// with that byte. Swift's Bool has no other valid representation, so such a tensor must
    /// be refused before anything reads its elements.
    var firstInvalidBoolean: (index: Int, byte: UInt8)? {
        guard dtype == .bool else { return nil }
        return withUnsafeBytes { bytes in
            bytes.firstIndex { $0 > 1 }.map { ($0, bytes[$0]) }
        }
    }
}
