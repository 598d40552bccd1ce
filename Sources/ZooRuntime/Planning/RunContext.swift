import Foundation
import ZooTensor

/// Counts the buffers a session allocates for runs (arenas and returned output tensors),
/// so tests can check that a warmed-up session allocates nothing.
public final class AllocationCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var total = 0

    public init() {}

    public var count: Int { lock.withLock { total } }

    func record() { lock.withLock { total += 1 } }
}

/// The memory one execution of a plan works in: the arena holding every intermediate and
/// scratch buffer, a oneDNN stream, and the operand address tables the steps fill in. A run
/// owns one through its RunContext; a Scan's body borrows one carved from the Scan's scratch.
struct RunMemory {
    let arena: UnsafeMutableRawPointer
    let stream: DNNLStream?
    let inputTable: UnsafeMutablePointer<UnsafeRawPointer?>
    let outputTable: UnsafeMutablePointer<UnsafeMutableRawPointer?>
}

/// What one run owns exclusively: its RunMemory.
final class RunContext {
    let memory: RunMemory

    init(arenaByteCount: Int, operandCount: Int) throws(RuntimeError) {
        let stream = try DNNLStream(try DNNLEngine.shared.get())
        let arena: UnsafeMutableRawPointer
        do { arena = try MachineMemory.allocate(byteCount: arenaByteCount, alignment: MemoryPlanner.alignment) } catch {
            throw .memory(needed: arenaByteCount, available: nil, purpose: "the run's arena")
        }
        memory = RunMemory(
            arena: arena, stream: stream,
            inputTable: .allocate(capacity: max(operandCount, 1)), outputTable: .allocate(capacity: max(operandCount, 1)))
    }

    deinit {
        free(memory.arena)
        memory.inputTable.deallocate()
        memory.outputTable.deallocate()
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
