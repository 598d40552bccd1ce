import Testing
import ZooBlocks
import ZooGraph
import ZooModels

/// Exact counts from REFERENCE.md (torchvision, Hugging Face, d2l.ai) and other published ones.
@Suite struct ParameterCountTests {
    @Test(arguments: [
        ("lenet5", 61_706), ("lenet5-relu", 61_706),
        ("alexnet", 61_100_840),
        ("alexnet-original", 60_965_224),  // Caffe's bvlc_alexnet, the paper's two-tower form
        ("vgg11", 132_863_336), ("vgg11-lrn", 132_863_336), ("vgg13", 133_047_848),
        ("vgg16", 138_357_544), ("vgg19", 143_667_240),
        ("vgg11-bn", 132_868_840), ("vgg13-bn", 133_053_736), ("vgg16-bn", 138_365_992), ("vgg19-bn", 143_678_248),
        ("nin", 1_992_166),
        ("googlenet", 6_624_904),
        ("resnet18", 11_689_512), ("resnet34", 21_797_672), ("resnet50", 25_557_032),
        ("resnet101", 44_549_160), ("resnet152", 60_192_808),
        ("bert-base", 109_482_240), ("bert-large", 335_141_888),
        // Keras 3.15 keras.applications.ResNet50/101/152: 25,636,712, 44,707,176 and 60,419,944
        // weights, of which 53,120, 105,344 and 151,424 are BatchNorm's moving statistics,
        // which these counts (like torchvision's) leave out.
        ("resnet50-keras", 25_583_592), ("resnet101-keras", 44_601_832), ("resnet152-keras", 60_268_520),
    ])
    func matchesPublishedCount(id: String, expected: Int) throws {
        #expect(parameterCount(try model(id)) == expected)
    }

    @Test func vggPaperConfigurationsRoundToTable2() throws {
        let millions = try ["vgg11", "vgg13", "vgg16-c", "vgg16", "vgg19"].map { id in
            (Double(parameterCount(try model(id))) / 1e6).rounded()
        }
        #expect(millions == [133, 133, 134, 138, 144])
        #expect(parameterCount(try model("vgg16-c")) == 138_357_544 - 256 * 256 * 8 - 2 * 512 * 512 * 8)
    }

    @Test func auxiliaryHeadsAndStridePlacementOptions() throws {
        // torchvision googlenet(aux_logits=True): 13,004,888.
        #expect(parameterCount(try GoogLeNet(auxiliaryHeads: true).graph(name: "googlenet-aux")) == 13_004_888)
        var resnet50v1 = ResNet.resnet50
        resnet50v1.strideInFirstConvolution = true
        #expect(parameterCount(try resnet50v1.graph(name: "resnet50-v1")) == 25_557_032)
    }

    @Test func courseAlexNetTableCountsWeightsPerLayer() throws {
        let shapes = parameterShapes(try model("alexnet-course"))
        func weights(_ name: String) -> Int { shapes["\(name).weight"]!.reduce(1, *) }
        #expect(weights("features.0") == 34_848)
        #expect(weights("features.3") == 614_400)
        #expect(weights("features.6") + weights("features.8") + weights("features.10") == 3_096_576)
        #expect(weights("classifier.0") == 26_214_400)
        #expect(weights("classifier.3") == 16_777_216)
        let total = ["features.0", "features.3", "features.6", "features.8", "features.10", "classifier.0", "classifier.3"]
            .map(weights).reduce(0, +)
        #expect(total == 46_737_440)
    }

    @Test func inception3aAgainstPlainConvolutions() throws {
        // Paper form (5x5 wide branch, biased convolutions): 163,328 weights, 256 channels out.
        let graph = try traceBlock(TensorType(.float32, [batch, 192, 28, 28])) { x, tracer in
            try Inception(64, 96, 128, 16, 32, 32, wideKernelSize: 5, batchNormEpsilon: nil)(x, &tracer, at: "inception3a")
        }
        #expect(parameterCount(graph) { $0.hasSuffix(".weight") } == 163_328)
        #expect(graph.outputs[0].type == TensorType(.float32, [batch, 256, 28, 28]))
        let plain = try traceBlock(TensorType(.float32, [batch, 192, 28, 28])) { x, tracer in
            try Conv2d(256, kernelSize: 5, padding: 2, bias: false)(x, &tracer, at: "conv")
        }
        #expect(parameterCount(plain) == 1_228_800)
    }

    @Test func theCurseOfTheLastLayer() throws {
        #expect(parameterShapes(try model("lenet5"))["classifier.0.weight"] == [120, 400])  // 48,000
        #expect(parameterShapes(try model("vgg16"))["classifier.0.weight"]!.reduce(1, *) == 102_760_448)
    }
}
