/// Places every intermediate buffer in one arena so that buffers alive at the same step
/// never overlap: greedy by size (largest first), each at the lowest offset that fits
/// between buffers already placed with overlapping lifetimes (best fit among the gaps).
enum MemoryPlanner {
    struct Buffer {
        /// First and last step (inclusive) at which the buffer is in use.
        var firstStep: Int
        var lastStep: Int
        var byteCount: Int
    }

    static let alignment = 64

    /// Offsets per buffer (in the given order) and the arena size.
    static func place(_ buffers: [Buffer]) -> (offsets: [Int], arenaByteCount: Int) {
        var offsets = [Int](repeating: 0, count: buffers.count)
        var placed: [Int] = []
        var arenaByteCount = 0
        let bySize = buffers.indices.sorted { buffers[$0].byteCount > buffers[$1].byteCount }
        for index in bySize {
            let buffer = buffers[index]
            let size = aligned(buffer.byteCount)
            let neighbours = placed
                .filter { buffers[$0].firstStep <= buffer.lastStep && buffer.firstStep <= buffers[$0].lastStep }
                .map { (start: offsets[$0], end: offsets[$0] + aligned(buffers[$0].byteCount)) }
                .sorted { $0.start < $1.start }
            var best: (offset: Int, gap: Int)?
            var cursor = 0
            for neighbour in neighbours {
                let gap = neighbour.start - cursor
                if gap >= size, gap < (best?.gap ?? .max) { best = (cursor, gap) }
                cursor = max(cursor, neighbour.end)
            }
            offsets[index] = best?.offset ?? cursor
            arenaByteCount = max(arenaByteCount, offsets[index] + size)
            placed.append(index)
        }
        return (offsets, arenaByteCount)
    }

    static func aligned(_ bytes: Int) -> Int { (bytes + alignment - 1) / alignment * alignment }
}
