import Testing
import ZooBlocks
import ZooGraph
import ZooModels

/// Names and shapes as in torchvision's and Hugging Face's state_dicts.
@Suite struct ParameterNameTests {
    @Test(arguments: [
        ("resnet50", "layer4.2.conv3.weight", [2048, 512, 1, 1]),
        ("resnet50", "layer1.0.downsample.0.weight", [256, 64, 1, 1]),
        ("resnet50", "layer2.0.conv2.weight", [128, 128, 3, 3]),
        ("resnet50", "fc.weight", [1000, 2048]),
        ("vgg16", "features.0.weight", [64, 3, 3, 3]),
        ("vgg16", "features.28.weight", [512, 512, 3, 3]),
        ("vgg16", "classifier.6.weight", [1000, 4096]),
        ("vgg16-bn", "features.1.running_var", [64]),
        ("vgg16-bn", "features.40.weight", [512, 512, 3, 3]),
        ("googlenet", "conv1.conv.weight", [64, 3, 7, 7]),
        ("googlenet", "conv1.bn.running_mean", [64]),
        ("googlenet", "inception3a.branch2.1.conv.weight", [128, 96, 3, 3]),
        ("googlenet", "inception5b.branch4.1.conv.weight", [128, 832, 1, 1]),
        ("googlenet", "fc.weight", [1000, 1024]),
        ("nin", "0.0.weight", [96, 1, 11, 11]),
        ("nin", "7.4.weight", [10, 10, 1, 1]),
        ("bert-base", "embeddings.word_embeddings.weight", [30522, 768]),
        ("bert-base", "embeddings.position_embeddings.weight", [512, 768]),
        ("bert-base", "embeddings.LayerNorm.weight", [768]),
        ("bert-base", "encoder.layer.0.attention.self.query.weight", [768, 768]),
        ("bert-base", "encoder.layer.0.intermediate.dense.weight", [3072, 768]),
        ("bert-base", "encoder.layer.11.attention.output.LayerNorm.bias", [768]),
        ("bert-base", "pooler.dense.weight", [768, 768]),
        ("lstm-lm", "encoder.weight", [10000, 650]),
        ("lstm-lm", "rnn.0.W", [1, 2600, 650]),
        ("lstm-lm", "rnn.1.R", [1, 2600, 650]),
        ("lstm-lm", "rnn.1.B", [1, 5200]),
        ("lstm-lm", "decoder.weight", [10000, 650]),
        ("elmo", "token_encoder.char_cnn.char_embedding.weight", [262, 16]),
        ("elmo", "token_encoder.char_cnn.convolutions.4.weight", [256, 16, 1, 5]),
        ("elmo", "token_encoder.highways.0.gate.weight", [2048, 2048]),
        ("elmo", "token_encoder.projection.weight", [128, 2048]),
        ("elmo", "lstm.forward.0.W", [4096, 128]),
        ("elmo", "lstm.forward.0.B", [4096]),
        ("elmo", "lstm.backward.1.R", [4096, 128]),
        ("elmo", "lstm.backward.1.P", [128, 1024]),
        ("elmo", "scalar_mix.scalar_parameters.2", [1]),
        ("elmo-original", "lstm.forward.1.W", [16384, 512]),
        ("elmo-original", "lstm.backward.0.P", [512, 4096]),
    ])
    func hasParameter(id: String, name: String, shape: [Int]) throws {
        #expect(parameterShapes(try model(id))[name] == shape)
    }

    @Test func alexNetHasExactlyTorchvisionsKeys() throws {
        let expected: Set = [
            "features.0.weight", "features.0.bias", "features.3.weight", "features.3.bias",
            "features.6.weight", "features.6.bias", "features.8.weight", "features.8.bias",
            "features.10.weight", "features.10.bias", "classifier.1.weight", "classifier.1.bias",
            "classifier.4.weight", "classifier.4.bias", "classifier.6.weight", "classifier.6.bias",
        ]
        #expect(Set(parameterShapes(try model("alexnet")).keys) == expected)
    }

    /// torchvision's resnet18 state_dict, without the `num_batches_tracked` counters (training
    /// bookkeeping, not used at inference).
    @Test func resNet18HasExactlyTorchvisionsKeys() throws {
        let batchNorm = ["weight", "bias", "running_mean", "running_var"]
        var expected: Set = ["conv1.weight", "fc.weight", "fc.bias"]
        expected.formUnion(batchNorm.map { "bn1.\($0)" })
        for stage in 1...4 {
            for block in 0...1 {
                let prefix = "layer\(stage).\(block)"
                expected.formUnion(["\(prefix).conv1.weight", "\(prefix).conv2.weight"])
                expected.formUnion(batchNorm.flatMap { ["\(prefix).bn1.\($0)", "\(prefix).bn2.\($0)"] })
            }
            if stage > 1 {
                expected.insert("layer\(stage).0.downsample.0.weight")
                expected.formUnion(batchNorm.map { "layer\(stage).0.downsample.1.\($0)" })
            }
        }
        #expect(expected.count == 102)
        #expect(Set(parameterShapes(try model("resnet18")).keys) == expected)
    }

    @Test func bertTinyHasExactlyHuggingFacesKeys() throws {
        var expected: Set = [
            "embeddings.word_embeddings.weight", "embeddings.position_embeddings.weight",
            "embeddings.token_type_embeddings.weight", "embeddings.LayerNorm.weight", "embeddings.LayerNorm.bias",
            "pooler.dense.weight", "pooler.dense.bias",
        ]
        let perLayer = ["attention.self.query", "attention.self.key", "attention.self.value", "attention.output.dense",
                        "attention.output.LayerNorm", "intermediate.dense", "output.dense", "output.LayerNorm"]
        for layer in 0..<2 {
            for module in perLayer {
                expected.formUnion(["weight", "bias"].map { "encoder.layer.\(layer).\(module).\($0)" })
            }
        }
        #expect(Set(parameterShapes(try model("bert-tiny")).keys) == expected)
    }

    @Test func tiedLanguageModelDecodesWithTheEmbedding() throws {
        let tied = LSTMLanguageModel(vocabularySize: 100, embeddingSize: 32, hiddenSize: 32, tiedWeights: true)
        let graph = try tied.graph(name: "tied")
        let shapes = parameterShapes(graph)
        #expect(shapes["decoder.weight"] == nil)
        #expect(shapes["decoder.bias"] == [100])
        #expect(graph.nodes.contains { $0.name == "decoder.weight_t" && $0.inputs == ["encoder.weight"] })
    }
}
