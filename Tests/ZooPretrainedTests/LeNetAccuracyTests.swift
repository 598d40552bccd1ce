import Foundation
import Testing
import ZooPretrained
import ZooRuntime
import ZooTensor
import ZooTestSupport

/// The pretrained LeNet-5 on its test split, run by our executor: the accuracy the manifest
/// records, image for image.
@Suite struct LeNetAccuracyTests {
    @Test func testSplitAccuracyIsTheManifests() throws {
        let zoo = PretrainedZoo(directory: ScratchZoo.repositoryZoo, cache: "/nonexistent")
        let directory = try temporaryDirectory()
        _ = try Python.run(script: "digits_test_split.py", [directory])
        let images = try NPYFile.read(from: directory + "/images.npy")
        let labels = try NPYFile.read(from: directory + "/labels.npy").scalars(as: Int64.self)
        #expect(images.shape == [450, 1, 32, 32])

        let model = try zoo.load("lenet5")
        let logits = try Session(graph: model.graph, options: SessionOptions(threads: 2)).run(["image": images])["logits"]!
        let scores = try logits.scalars(as: Float.self)
        let predictions = (0..<labels.count).map { row in
            (0..<10).max { scores[row * 10 + $0] < scores[row * 10 + $1] }!
        }
        let correct = zip(predictions, labels).filter { $0 == Int($1) }.count

        let metric = try #require(model.manifest.weights[0].metrics.first)
        #expect(metric.total == labels.count)
        #expect(correct == metric.correct)
        #expect(correct == 436)  // PyTorch's figure for the same weights and split (train.py): 96.89%
        #expect(abs(metric.value - Double(correct) / Double(labels.count)) < 1e-4)
    }
}
