// 64-byte aligned f32 buffers filled with reproducible pseudo-random values in [-1, 1).

final class FloatBuffer {
    let count: Int
    let pointer: UnsafeMutablePointer<Float>
    init(count: Int) {
        self.count = count
        pointer = UnsafeMutableRawPointer.allocate(byteCount: count * 4, alignment: 64)
            .bindMemory(to: Float.self, capacity: count)
        pointer.initialize(repeating: 0, count: count)
    }
    convenience init(count: Int, seed: UInt64) {
        self.init(count: count)
        var state = seed &* 0x9E37_79B9_7F4A_7C15 | 1
        for i in 0..<count {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            pointer[i] = Float(Int32(truncatingIfNeeded: state >> 32)) * (1.0 / 2147483648.0)
        }
    }
    func fill(_ value: Float) { pointer.update(repeating: value, count: count) }
    var raw: UnsafeMutableRawPointer { UnsafeMutableRawPointer(pointer) }
    subscript(i: Int) -> Float { pointer[i] }
    deinit { pointer.deallocate() }
}

/// Deterministic sample positions for spot checks (includes both corners).
func samplePoints(_ count: Int, below limit: Int, seed: UInt64) -> [Int] {
    var state = seed | 1
    var out = [0, limit - 1]
    while out.count < count {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        out.append(Int((state >> 33) % UInt64(limit)))
    }
    return out
}
