import Testing
import ZooAnalysis
import ZooGraph

/// The complexity tables of the course material (REFERENCE.md): weights only, no bias,
/// "FLOPs" there meaning MACs.
@Suite struct CourseTablesTests {
    /// AlexNet as the course counts it: 224x224 input, conv1 11x11/4 pad 1 (54x54 out),
    /// no grouping, flatten 256x5x5 = 6400, two 4096-wide dense layers.
    @Test func alexNetComplexityTableRowByRow() throws {
        var graph = TestGraph("alexnet-course")
        var x = try graph.input("image", [1, 3, 224, 224])
        x = try graph.conv(x, 96, kernel: 11, stride: 4, pad: 1, name: "conv1")
        x = try graph.apply(.relu, x, name: "relu1")
        x = try graph.maxPool(x, kernel: 3, stride: 2, name: "pool1")
        x = try graph.conv(x, 256, kernel: 5, pad: 2, name: "conv2")
        x = try graph.apply(.relu, x, name: "relu2")
        x = try graph.maxPool(x, kernel: 3, stride: 2, name: "pool2")
        x = try graph.conv(x, 384, kernel: 3, pad: 1, name: "conv3")
        x = try graph.conv(x, 384, kernel: 3, pad: 1, name: "conv4")
        x = try graph.conv(x, 256, kernel: 3, pad: 1, name: "conv5")
        x = try graph.maxPool(x, kernel: 3, stride: 2, name: "pool5")
        x = try graph.apply(.flatten(axis: 1), x, name: "flatten")
        #expect(x.type.dims == [1, 6400])
        x = try graph.dense(x, 4096, name: "dense1")
        x = try graph.dense(x, 4096, name: "dense2")
        let report = try graph.count(x)

        let conv1 = try #require(report.node("conv1"))
        #expect(conv1.parameters == 34_848)
        #expect(conv1.macs == 101_616_768)
        #expect(report.nodes.first { $0.name == "conv1" }?.outputTypes.first?.dims == [1, 96, 54, 54])
        #expect(report.node("conv2")?.parameters == 614_400)
        #expect(report.node("conv2")?.macs == 415_334_400)
        let middle = try report.sum(["conv3", "conv4", "conv5"])
        #expect(middle.parameters == 3_096_576)
        #expect(middle.macs == 445_906_944)
        #expect(report.node("dense1")?.parameters == 26_214_400)
        #expect(report.node("dense1")?.macs == 26_214_400)
        #expect(report.node("dense2")?.parameters == 16_777_216)
        #expect(report.node("dense2")?.macs == 16_777_216)
        #expect(report.total.parameters == 46_737_440)
        #expect(report.total.macs == 1_005_849_728)
    }

    /// GoogLeNet block 3a on 192x28x28 against one plain convolution to 256 channels.
    @Test func inceptionBlockAgainstPlainConvolutions() throws {
        var graph = TestGraph("inception-3a")
        let x = try graph.input("x", [1, 192, 28, 28])
        let branch1 = try graph.conv(x, 64, kernel: 1, name: "branch1")
        let reduce3 = try graph.conv(x, 96, kernel: 1, name: "branch2.0")
        let branch3 = try graph.conv(reduce3, 128, kernel: 3, pad: 1, name: "branch2.1")
        let reduce5 = try graph.conv(x, 16, kernel: 1, name: "branch3.0")
        let branch5 = try graph.conv(reduce5, 32, kernel: 5, pad: 2, name: "branch3.1")
        let pooled = try graph.maxPool(x, kernel: 3, stride: 1, pad: 1, name: "branch4.0")
        let branchPool = try graph.conv(pooled, 32, kernel: 1, name: "branch4.1")
        let output = try graph.apply(.concat(axis: 1), branch1, branch3, branch5, branchPool, name: "concat")
        #expect(output.type.dims == [1, 256, 28, 28])
        let inception = try graph.count(output)
        #expect(inception.total.parameters == 163_328)
        #expect(inception.total.macs == 128_049_152)

        for (kernel, parameters, macs) in [(3, 442_368, 346_816_512), (5, 1_228_800, 963_379_200)] {
            var plain = TestGraph("plain-\(kernel)x\(kernel)")
            let input = try plain.input("x", [1, 192, 28, 28])
            let report = try plain.count(try plain.conv(input, 256, kernel: kernel, pad: kernel / 2, name: "conv"))
            #expect(report.total.parameters == parameters)
            #expect(report.total.macs == Polynomial(macs))
        }
    }

    /// The first dense layer after the convolutions holds most weights.
    @Test func curseOfTheLastLayer() throws {
        var lenet = TestGraph("lenet-c5")
        let features = try lenet.input("x", [1, 16, 5, 5])
        #expect(try lenet.count(try lenet.conv(features, 120, kernel: 5, name: "c5")).total.parameters == 48_000)

        var vgg = TestGraph("vgg-fc6")
        let flat = try vgg.input("x", [1, 25_088])  // 512x7x7
        #expect(try vgg.count(try vgg.dense(flat, 4096, name: "fc6")).total.parameters == 102_760_448)
    }
}
