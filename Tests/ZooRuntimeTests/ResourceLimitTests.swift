import Foundation
import Testing
import ZooGraph
import ZooRuntime
import ZooTensor

/// Plans and options beyond what the machine can do are refused before anything is
/// allocated, with the sizes in the error.
@Suite struct ResourceLimitTests {
    /// Two buffers of 60% of physical memory each, alive at the same step: each value is
    /// possible, the arena (120%) is not, whatever memory is available.
    @Test func arenaLargerThanTheMachineIsRefused() throws {
        var builder = GraphBuilder(name: "chain")
        var x = try builder.input("x", TensorType(.float32, ["n"]))
        for index in 0..<2 { x = try builder.apply(.relu, x, name: "relu\(index)") }
        try builder.output(x)
        let session = try Session(graph: try builder.build())
        let elements = MachineMemory.physicalByteCount / 4 / 10 * 6
        do {
            _ = try session.summary(inputShapes: ["x": [elements]])
            Issue.record("a plan of \(2 * elements * 4) bytes was accepted")
        } catch {
            guard case .memory(let needed, let available?, let purpose) = error else {
                Issue.record("unexpected error \(error)")
                return
            }
            #expect(needed >= 2 * elements * 4)
            #expect(available < needed)
            #expect(purpose == "the plan for input shapes x [\(elements)] (activations, the arena)")
            #expect(error.description.hasPrefix("the plan for input shapes x [\(elements)] (activations, the arena) needs "))
        }
        // The same graph at a size that fits compiles.
        #expect(try session.summary(inputShapes: ["x": [1024]]).arenaByteCount == 2 * 4096)
    }

    @Test func threadCountBeyondTheLimitIsRefused() throws {
        var builder = GraphBuilder(name: "relu")
        try builder.output(try builder.apply(.relu, try builder.input("x", TensorType(.float32, [4])), name: "relu"))
        let graph = try builder.build()
        #expect(throws: RuntimeError.threadCount(3_000_000_000)) {
            try Session(graph: graph, options: SessionOptions(threads: 3_000_000_000))
        }
        #expect(RuntimeError.threadCount(3_000_000_000).description == "the thread count 3000000000 is outside 1...4096")
        #expect(throws: RuntimeError.threadCount(SessionOptions.maximumThreads + 1)) {
            try Session(graph: graph, options: SessionOptions(threads: SessionOptions.maximumThreads + 1))
        }
        _ = try Session(graph: graph, options: SessionOptions(threads: SessionOptions.maximumThreads))
    }
}
