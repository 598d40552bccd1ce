import Foundation
import Testing
import ZooGraph
import ZooRuntime
import ZooTensor

@Suite struct MemoryAndThreadTests {
    /// After a warm-up run, runs into existing output tensors allocate nothing: no arena,
    /// no intermediate, no output.
    @Test(arguments: ["residual", "transformer"])
    func steadyStateRunsAllocateNothing(network: String) throws {
        let (graph, inputs) = network == "residual"
            ? (try SampleNetworks.residualCNN(), ["image": try random([2, 3, 9, 9], seed: 1)])
            : (try SampleNetworks.transformerBlock(), ["hidden_states": try random([2, 5, 16], seed: 2)])
        let session = try Session(graph: graph)
        var outputs: [String: Tensor] = [:]
        try session.run(inputs, into: &outputs)
        let warmedUp = session.allocations.count
        // The same storage after every run: writing an output must not copy it first
        // (copy-on-write), which malloc could hide by handing back the freed block every
        // other run.
        let addresses = outputs.mapValues { $0.withUnsafeBytes { $0.baseAddress } }
        for _ in 0..<5 {
            try session.run(inputs, into: &outputs)
            #expect(outputs.mapValues { $0.withUnsafeBytes { $0.baseAddress } } == addresses)
        }
        #expect(session.allocations.count == warmedUp)
        #expect(warmedUp == 1 + graph.outputs.count, "one arena and one tensor per output")
    }

    /// Intermediates share the arena: it is smaller than all of them side by side.
    @Test func arenaReusesMemoryByLiveness() throws {
        var builder = GraphBuilder(name: "chain")
        var x = try builder.input("x", TensorType(.float32, [1024]))
        for index in 0..<8 { x = try builder.apply(.relu, x, name: "relu\(index)") }
        try builder.output(x)
        let summary = try Session(graph: try builder.build()).summary(inputShapes: ["x": [1024]])
        #expect(summary.arenaByteCount == 2 * 4096, "two buffers alternate along a chain")
    }

    /// Several threads running one Session at once get the results of a lone run.
    @Test func concurrentRunsMatchSerialRuns() throws {
        let session = try Session(graph: try SampleNetworks.residualCNN(), options: SessionOptions(threads: 1))
        let inputs = try (0..<8).map { ["image": try random([2, 3, 9, 9], seed: UInt64(100 + $0))] }
        let expected = try inputs.map { try session.run($0) }
        let results = ResultBox(count: inputs.count * 4)
        DispatchQueue.concurrentPerform(iterations: inputs.count * 4) { index in
            results.store(index, Result { try session.run(inputs[index % inputs.count]) })
        }
        for index in 0..<(inputs.count * 4) {
            #expect(try results.value(index).get() == expected[index % inputs.count])
        }
    }

    final class ResultBox: @unchecked Sendable {
        private let lock = NSLock()
        private var values: [Result<[String: Tensor], any Error>?]
        init(count: Int) { values = Array(repeating: nil, count: count) }
        func store(_ index: Int, _ value: Result<[String: Tensor], any Error>) { lock.withLock { values[index] = value } }
        func value(_ index: Int) -> Result<[String: Tensor], any Error> { lock.withLock { values[index]! } }
    }
}
