import Testing
import ZooBlocks
import ZooGraph
import ZooModels
import ZooTensor

@Suite struct InitializationTests {
    @Test func zerosIsTheDefault() throws {
        let graph = try model("lenet5")
        #expect(graph.initializers.allSatisfy { $0.tensor.doubleValues.allSatisfy { $0 == 0 } })
    }

    @Test func seededInitializationIsDeterministic() throws {
        let first = try model("lenet5", initialization: .seeded(7))
        let second = try model("lenet5", initialization: .seeded(7))
        let other = try model("lenet5", initialization: .seeded(8))
        #expect(first.initializers == second.initializers)
        let weights = { (graph: Graph) in graph.initializerTensors["features.0.weight"]! }
        #expect(weights(first) != weights(other))
        // A parameter's values depend on its name only, not on the rest of the network.
        let relu = try model("lenet5-relu", initialization: .seeded(7))
        #expect(relu.initializers == first.initializers)
    }

    @Test func seededValuesAreStableAcrossVersions() throws {
        // Golden values: FNV-1a of (seed 42, "features.0.weight") seeds SplitMix64.
        let weights = try model("lenet5", initialization: .seeded(42)).initializerTensors["features.0.weight"]!
        let first = try weights.scalars(as: Float.self).prefix(3).map { ($0 * 1e4).rounded() / 1e4 }
        #expect(first == [0.0616, 0.2914, 0.4408])
    }

    @Test func weightsFollowHeUniformAndNormsStartAsIdentity() throws {
        let network = ResNet(blockCounts: [1, 1], block: .basic, classCount: 10, imageSize: 32)
        let tensors = try network.graph(name: "small", initialization: .seeded(1)).initializerTensors
        let conv = tensors["layer1.0.conv1.weight"]!.doubleValues
        let bound = (6.0 / (64 * 9)).squareRoot()
        #expect(conv.allSatisfy { abs($0) <= bound })
        #expect(conv.map(abs).max()! > 0.95 * bound)
        let mean = conv.reduce(0, +) / Double(conv.count)
        #expect(abs(mean) < 0.01 * bound)
        #expect(tensors["bn1.weight"]!.doubleValues.allSatisfy { $0 == 1 })
        #expect(tensors["bn1.running_var"]!.doubleValues.allSatisfy { $0 == 1 })
        #expect(tensors["bn1.running_mean"]!.doubleValues.allSatisfy { $0 == 0 })
        #expect(tensors["fc.bias"]!.doubleValues.allSatisfy { $0 == 0 })
    }

    @Test func seededBertTinyHasUnitLayerNorms() throws {
        let tensors = try model("bert-tiny", initialization: .seeded(3)).initializerTensors
        #expect(tensors["encoder.layer.1.output.LayerNorm.weight"]!.doubleValues.allSatisfy { $0 == 1 })
        #expect(tensors["encoder.layer.1.output.LayerNorm.bias"]!.doubleValues.allSatisfy { $0 == 0 })
        let embedding = tensors["embeddings.word_embeddings.weight"]!.doubleValues
        #expect(embedding.allSatisfy { abs($0) <= 3.0.squareRoot() })
    }
}
