import Foundation

/// Counts the buffers a session allocates for runs (arenas and returned output tensors),
/// so tests can check that a warmed-up session allocates nothing.
public final class AllocationCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var total = 0

    public init() {}

    public var count: Int { lock.withLock { total } }

    func record() { lock.withLock { total += 1 } }
}

/// What one run owns exclusively: the arena holding every intermediate and scratch
/// buffer, a oneDNN stream, and the operand address tables the steps fill in.
final class RunContext {
    let arena: UnsafeMutableRawPointer
    let stream: DNNLStream
    let inputTable: UnsafeMutablePointer<UnsafeRawPointer?>
    let outputTable: UnsafeMutablePointer<UnsafeMutableRawPointer?>

    init(arenaByteCount: Int, operandCount: Int) throws(RuntimeError) {
        stream = try DNNLStream(try DNNLEngine.shared.get())
        arena = UnsafeMutableRawPointer.allocate(byteCount: max(arenaByteCount, 1), alignment: MemoryPlanner.alignment)
        inputTable = .allocate(capacity: max(operandCount, 1))
        outputTable = .allocate(capacity: max(operandCount, 1))
    }

    deinit {
        arena.deallocate()
        inputTable.deallocate()
        outputTable.deallocate()
    }
}

/// Run contexts of one plan, reused between runs: a run takes one (making a new one only
/// when all are busy, as when several threads run at once) and gives it back.
final class RunContextPool: @unchecked Sendable {
    private let lock = NSLock()
    private var idle: [RunContext] = []
    private let arenaByteCount: Int
    private let operandCount: Int
    private let allocations: AllocationCounter

    init(arenaByteCount: Int, operandCount: Int, allocations: AllocationCounter) {
        self.arenaByteCount = arenaByteCount
        self.operandCount = operandCount
        self.allocations = allocations
    }

    func withContext<Result>(_ body: (RunContext) throws(RuntimeError) -> Result) throws(RuntimeError) -> Result {
        let reused = lock.withLock { idle.popLast() }
        let context: RunContext
        if let reused {
            context = reused
        } else {
            context = try RunContext(arenaByteCount: arenaByteCount, operandCount: operandCount)
            allocations.record()
        }
        defer { lock.withLock { idle.append(context) } }
        return try body(context)
    }
}
