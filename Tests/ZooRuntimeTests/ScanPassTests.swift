import Foundation
import Testing
import ZooBlocks
import ZooGraph
import ZooRuntime
import ZooTensor

/// A Scan's body reads values of the enclosing graph by name; the passes and the memory
/// planner must count those reads as uses. Each sample sets a trap that a pass or the
/// planner falls into otherwise (see ScanSampleGraphs), checked against onnxruntime with the
/// default pipeline and with each pass alone after folding.
@Suite struct ScanPassTests {
    static let samples: [ScanVersusOnnxRuntimeTests.Case] = [
        .init(label: "enclosing values: liveness, dead nodes, identity removal, activation fusion",
              sample: ScanSampleGraphs.enclosingValues),
        .init(label: "convolution output read by a body: channels-last layout", sample: ScanSampleGraphs.convolutionReadByBody),
        .init(label: "all-constant Scan: folding", sample: ScanSampleGraphs.constantScan),
    ]

    static let pipelines: [[GraphPass]] = [GraphPass.defaultPipeline] + GraphPass.allCases.map { [.constantFolding, $0] }

    @Test(arguments: samples) func passesKeepTheBodysValues(_ testCase: ScanVersusOnnxRuntimeTests.Case) throws {
        let (graph, inputs) = try testCase.sample()
        let reference = try OnnxRuntimeReference.run(graph, inputs)
        for passes in Self.pipelines {
            let outputs = try Session(graph: graph, options: SessionOptions(passes: passes)).run(inputs)
            expectClose(outputs, reference, "\(testCase.label), passes \(passes)")
        }
    }

    /// Nodes listed out of order are sorted with the body's reads as dependencies: the Scan,
    /// listed first, still runs after the nodes computing the values its body reads.
    @Test func bodyReadsOrderTheNodes() throws {
        var (graph, inputs) = try ScanSampleGraphs.enclosingValues()
        graph.nodes.reverse()
        expectClose(try Session(graph: graph).run(inputs), try OnnxRuntimeReference.run(try ScanSampleGraphs.enclosingValues().graph, inputs))
    }

    @Test func constantScanIsFolded() throws {
        let (graph, inputs) = try ScanSampleGraphs.constantScan()
        let nodes = try Session(graph: graph).summary(inputShapes: inputs.mapValues(\.shape)).nodes
        #expect(nodes == ["shifted"])
    }

    /// After a warm-up run a Scan allocates nothing the session counts (its body, states and
    /// slices live in the run's arena), and concurrent runs match lone runs.
    @Test func steadyStateAndConcurrentRuns() throws {
        let (graph, _) = try ScanSampleGraphs.projectedLSTM(
            LSTM(hiddenSize: 8, bidirectional: true, projectionSize: 4, cellClip: 0.5), inputSize: 4, seq: 6, batch: 2)
        let session = try Session(graph: graph, options: SessionOptions(threads: 1))
        let inputs = try (0..<6).map { ["x": try random([6, 2, 4], seed: UInt64(200 + $0))] }
        var outputs: [String: Tensor] = [:]
        try session.run(inputs[0], into: &outputs)
        let warmedUp = session.allocations.count
        for _ in 0..<5 { try session.run(inputs[1], into: &outputs) }
        #expect(session.allocations.count == warmedUp)

        let expected = try inputs.map { try session.run($0) }
        let results = MemoryAndThreadTests.ResultBox(count: inputs.count * 4)
        DispatchQueue.concurrentPerform(iterations: inputs.count * 4) { index in
            results.store(index, Result { try session.run(inputs[index % inputs.count]) })
        }
        for index in 0..<(inputs.count * 4) {
            #expect(try results.value(index).get() == expected[index % inputs.count])
        }
    }
}
