import ZooTensor

/// Where an If's or Loop's subgraph runs inside the kernel's scratch: an arena big enough for
/// each of its plans, their operand tables, the subgraph's input address table and any
/// buffers the kernel adds (carried values, the iteration number). Byte offsets, so the
/// kernel stays immutable and concurrent runs share nothing mutable.
struct SubgraphScratch: Sendable {
    private(set) var byteCount = 0
    private var arenaOffset = 0
    private var operandCount = 0
    private var operandTablesOffset = 0
    private(set) var inputCount = 0
    private var inputTableOffset = 0

    init() {}

    /// Room for any one of `plans` at a time, with `inputCount` input addresses.
    init(plans: [ExecutionPlan], inputCount: Int) {
        arenaOffset = reserve(plans.map(\.arenaByteCount).max() ?? 0)
        operandCount = plans.map(\.operandCount).max() ?? 0
        operandTablesOffset = reserve(2 * operandCount * MemoryLayout<UnsafeRawPointer>.stride)
        self.inputCount = inputCount
        // Never empty, so the kernel always gets scratch to run in.
        inputTableOffset = reserve(max(inputCount, 1) * MemoryLayout<UnsafeRawPointer>.stride)
    }

    /// Reserves `bytes` more (aligned) and returns their offset.
    mutating func reserve(_ bytes: Int) -> Int {
        defer { byteCount += MemoryPlanner.aligned(bytes) }
        return byteCount
    }

    func inputTable(in base: UnsafeMutableRawPointer) -> UnsafeMutablePointer<UnsafeRawPointer> {
        (base + inputTableOffset).bindMemory(to: UnsafeRawPointer.self, capacity: max(inputCount, 1))
    }

    func memory(in base: UnsafeMutableRawPointer, stream: DNNLStream?) -> RunMemory {
        let tables = base + operandTablesOffset
        return RunMemory(
            arena: base + arenaOffset, stream: stream,
            inputTable: tables.bindMemory(to: UnsafeRawPointer?.self, capacity: operandCount),
            outputTable: (tables + operandCount * MemoryLayout<UnsafeRawPointer>.stride)
                .bindMemory(to: UnsafeMutableRawPointer?.self, capacity: operandCount))
    }

    /// Runs `plan` on `inputCount` addresses from the table and returns the address of each
    /// of its outputs (in the arena, an input, or a constant), valid until the next run.
    func run(_ plan: ExecutionPlan, in base: UnsafeMutableRawPointer, stream: DNNLStream?) throws(RuntimeError)
        -> (Int) -> UnsafeRawPointer
    {
        let memory = memory(in: base, stream: stream)
        let inputs = UnsafeBufferPointer(start: inputTable(in: base), count: inputCount)
        try plan.execute(inputs: inputs, in: memory)
        return { plan.address(of: plan.outputs[$0].location, inputs: inputs, arena: memory.arena) }
    }
}
