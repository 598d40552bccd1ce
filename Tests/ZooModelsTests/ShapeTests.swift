import Testing
import ZooBlocks
import ZooGraph
import ZooModels

@Suite struct ShapeTests {
    @Test(arguments: Zoo.models.map(\.id))
    func everyModelValidatesWithSymbolicSizes(id: String) throws {
        let entry = try Zoo.model(id)
        let graph = try entry.graph()
        let types = try graph.valueTypes()
        #expect(graph.inputs.map(\.type) == entry.inputs.map(\.type))
        for output in graph.outputs {
            #expect(types[output.name] == output.type)
            #expect(output.type.dtype == .float32)
            #expect(output.type.dims.first == (id == "lstm-lm" ? seq : batch))
        }
        switch entry.task {
        case .classifier(let classCount):
            #expect(graph.outputs.map(\.name) == ["logits"])
            #expect(graph.outputs[0].type == TensorType(.float32, [batch, .fixed(classCount)]))
        case .encoder, .languageModel:
            break
        }
    }

    @Test func sequenceModelOutputs() throws {
        let bert = try model("bert-base")
        #expect(bert.outputs.map(\.name) == ["last_hidden_state", "pooler_output"])
        #expect(bert.outputs.map(\.type) == [TensorType(.float32, [batch, seq, 768]), TensorType(.float32, [batch, 768])])
        #expect(try model("lstm-lm").outputs.map(\.type) == [TensorType(.float32, [seq, batch, 10000])])
        #expect(try model("elmo").outputs.map(\.type) == [TensorType(.float32, [batch, seq, 256])])
        #expect(try model("elmo-original").outputs.map(\.type) == [TensorType(.float32, [batch, seq, 1024])])
    }

    @Test func inputSpecsGiveSymbolicDimsAndDefaultShapes() throws {
        let resnet = try Zoo.model("resnet50").inputs
        #expect(resnet.map(\.name) == ["image"])
        #expect(resnet[0].type == TensorType(.float32, [batch, 3, 224, 224]))
        #expect(resnet[0].defaultShape == [1, 3, 224, 224])
        let bert = try Zoo.model("bert-base").inputs
        #expect(bert.map(\.name) == ["input_ids", "token_type_ids", "attention_mask"])
        #expect(bert.allSatisfy { $0.type == TensorType(.int64, [batch, seq]) && $0.defaultShape == [1, 128] })
        #expect(try Zoo.model("elmo").inputs[0].type == TensorType(.int64, [batch, seq, 50]))
    }

    @Test func leNetGoldenShapes() throws {
        // REFERENCE.md: 32x32x1 with six 5x5 filters → 28x28x6, 2x2/2 average pool → 14x14x6.
        let types = try model("lenet5").valueTypes()
        #expect(types["features.0"] == TensorType(.float32, [batch, 6, 28, 28]))
        #expect(types["features.2"] == TensorType(.float32, [batch, 6, 14, 14]))
        #expect(types["features.3"] == TensorType(.float32, [batch, 16, 10, 10]))
        #expect(types["features.5"] == TensorType(.float32, [batch, 16, 5, 5]))
        #expect(types["flatten"] == TensorType(.float32, [batch, 400]))
    }

    @Test func courseAlexNetGoldenShapes() throws {
        let types = try model("alexnet-course").valueTypes()
        #expect(types["features.0"] == TensorType(.float32, [batch, 96, 54, 54]))
        #expect(types["features.3"] == TensorType(.float32, [batch, 256, 26, 26]))
        #expect(types["features.10"] == TensorType(.float32, [batch, 256, 12, 12]))
        #expect(types["flatten"] == TensorType(.float32, [batch, 6400]))
    }

    @Test func attentionReshapesKeepBatchAndSeqSymbolic() throws {
        let types = try model("bert-base").valueTypes()
        let attention = "encoder.layer.0.attention.self"
        #expect(types["\(attention).query_heads"] == TensorType(.float32, [batch, seq, 12, 64]))
        #expect(types["\(attention).scores"] == TensorType(.float32, [batch, 12, seq, seq]))
        #expect(types["\(attention).context_merge"] == TensorType(.float32, [batch, seq, 768]))  // Reshape [0, 0, -1]
        #expect(types["extended_attention_mask"] == TensorType(.float32, [batch, 1, 1, seq]))
        #expect(types["embeddings.add_positions"] == TensorType(.float32, [batch, seq, 768]))
    }

    @Test func overriddenImageSizeAndClassCount() throws {
        let small = try Zoo.model("resnet18").with(imageSize: 64, classCount: 10)
        #expect(small.inputs[0].type == TensorType(.float32, [batch, 3, 64, 64]))
        #expect(small.task == .classifier(classCount: 10))
        let types = try small.graph().valueTypes()
        #expect(types["layer4.1.relu_1"] == TensorType(.float32, [batch, 512, 2, 2]))
        #expect(types["logits"] == TensorType(.float32, [batch, 10]))
        // Global average pooling makes ResNet work down to tiny inputs: 16x16 leaves 1x1 maps.
        let tiny = try Zoo.model("resnet18").with(imageSize: 16).graph().valueTypes()
        #expect(tiny["layer4.1.relu_1"] == TensorType(.float32, [batch, 512, 1, 1]))
        #expect(parameterCount(try small.graph()) == 11_689_512 - 512 * 990 - 990)
    }

    @Test func adaptivePoolingAtOtherResolutions() throws {
        // 32x32 leaves a 1x1 map, replicated to 7x7 as torchvision's adaptive pool does.
        let cifar = try Zoo.model("vgg16").with(imageSize: 32).graph()
        #expect(cifar.nodes.first { $0.name == "avgpool" }?.op == .expand)
        #expect(try cifar.valueTypes()["avgpool"] == TensorType(.float32, [batch, 512, 7, 7]))
        // 448x448 leaves 14x14: an exact 2x2 average pool.
        let large = try Zoo.model("vgg16").with(imageSize: 448).graph()
        #expect(large.nodes.first { $0.name == "avgpool" }?.op == .averagePool(PoolAttributes(kernelShape: [2, 2], strides: [2, 2])))
        // 224x224: the pool is the identity and leaves no node.
        #expect(try model("vgg16").nodes.allSatisfy { $0.name != "avgpool" })
    }

    @Test func googLeNetShapesAndAuxiliaryHeads() throws {
        let graph = try GoogLeNet(auxiliaryHeads: true).graph(name: "googlenet-aux")
        let types = try graph.valueTypes()
        #expect(types["maxpool1"] == TensorType(.float32, [batch, 64, 56, 56]))  // ceil mode: 112 → 56
        #expect(types["inception3a.concat"] == TensorType(.float32, [batch, 256, 28, 28]))
        #expect(types["inception5b.concat"] == TensorType(.float32, [batch, 1024, 7, 7]))
        #expect(graph.outputs.map(\.name) == ["logits", "aux1", "aux2"])
        #expect(graph.outputs.allSatisfy { $0.type == TensorType(.float32, [batch, 1000]) })
    }
}
