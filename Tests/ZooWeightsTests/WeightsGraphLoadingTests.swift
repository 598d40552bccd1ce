import Testing
import ZooGraph
import ZooTensor
import ZooTestSupport
import ZooWeights

@Suite struct WeightsGraphLoadingTests {
    /// A graph declaring the sample's parameters, all zero, as a freshly built model would.
    static func untrainedGraph() throws -> Graph {
        Graph(name: "tiny-net", initializers: try SampleWeights.parameters().map { parameter in
            .init(name: parameter.name, tensor: try Tensor(zeros: parameter.tensor.shape, dtype: parameter.tensor.dtype))
        })
    }

    @Test func fillsEveryInitializer() throws {
        let path = try SampleWeights.saved()
        let graph = try WeightsFile.load(path, into: try Self.untrainedGraph())
        #expect(graph.initializers == (try SampleWeights.parameters()))
        #expect(graph.name == "tiny-net")
    }

    /// A float16 file loads into a float32 graph as float32 (as PyTorch's load_state_dict converts).
    @Test func widensHalfPrecisionFilesToTheGraphsType() throws {
        let path = try SampleWeights.saved(dtype: .float16)
        let graph = try WeightsFile.load(path, into: try Self.untrainedGraph())
        for (loaded, original) in zip(graph.initializers, try SampleWeights.parameters()) {
            #expect(loaded.tensor.dtype == original.tensor.dtype)
            #expect(loaded.tensor.isClose(to: original.tensor, rtol: 1e-3, atol: 0), "\(loaded.name)")
        }
    }

    @Test func reportsEveryMismatchAtOnce() throws {
        let path = try SampleWeights.saved()
        var graph = try Self.untrainedGraph()
        graph.initializers.removeAll { $0.name == "attention.mask" || $0.name == "pruned.bias" }
        graph.initializers[0].tensor = try Tensor(zeros: [8, 3, 5, 5])  // features.0.weight
        graph.initializers[1].tensor = try Tensor(zeros: [4], dtype: .int64)  // features.0.bias
        graph.initializers.append(.init(name: "fc.weight", tensor: try Tensor(zeros: [2, 32])))
        let untouched = graph

        #expect(throws: WeightsError.self) { try WeightsFile.load(path, into: graph) }
        do {
            _ = try WeightsFile.load(path, into: graph)
        } catch {
            #expect(error.description == """
                \(path): 6 parameters do not match the graph:
                  'features.0.weight': shape [8, 3, 3, 3], expected [8, 3, 5, 5]
                  'features.0.bias': dtype float32, expected int64
                  'features.0.bias': shape [8], expected [4]
                  missing 'fc.weight' (float32[2, 32])
                  unexpected 'attention.mask' (bool[3])
                  unexpected 'pruned.bias' (float32[0])
                """)
        }
        #expect(graph == untouched)
    }
}
