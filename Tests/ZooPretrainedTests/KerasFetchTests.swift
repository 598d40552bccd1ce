import Foundation
import Testing
import ZooModels
import ZooPretrained
import ZooTestSupport
import ZooWeights

/// `fetch --from` with Keras files: every Keras layout of the same weights becomes the same
/// zoo file, bit for bit; broken and hostile Keras files are refused with a clear error and
/// leave the cache empty (Tests/interop/make_hostile_keras.py).
@Suite struct KerasFetchTests {
    static let fixtures = KerasConversionTests.fixtures
    static let vgg16 = KerasConversionTests.architectures["vgg16"]!

    /// A zoo whose only manifest is the fixtures' reduced-width VGG-16, its weights pinned to
    /// `converted`'s size and SHA-256 (or placeholders).
    private static func zoo(pinning converted: String? = nil) throws -> PretrainedZoo {
        let root = try temporaryDirectory()
        let template = try JSONSerialization.jsonObject(
            with: Data(contentsOf: URL(fileURLWithPath: ScratchZoo.repositoryZoo + "/lenet5/manifest.json"))) as! [String: Any]
        var manifest = template
        manifest["id"] = "vgg16"
        manifest["architecture"] = ["id": "vgg16", "config": try JSONSerialization.jsonObject(with: JSONEncoder().encode(vgg16))]
        var variant = (template["weights"] as! [[String: Any]])[0]
        variant["file"] = "weights.h5"
        variant["sha256"] = try converted.map(Self.sha256) ?? String(repeating: "0", count: 64)
        variant["size"] = try converted.map { try FileManager.default.attributesOfItem(atPath: $0)[.size] as! Int } ?? 0
        manifest["weights"] = [variant]
        try FileManager.default.createDirectory(atPath: root + "/Zoo/vgg16", withIntermediateDirectories: true)
        try JSONSerialization.data(withJSONObject: manifest).write(to: URL(fileURLWithPath: root + "/Zoo/vgg16/manifest.json"))
        return PretrainedZoo(directory: root + "/Zoo", cache: root + "/cache")
    }

    private static func sha256(_ path: String) throws -> String {
        try #require(try Data(contentsOf: URL(fileURLWithPath: path)).withUnsafeBytes { SHA256.hexDigest(of: $0) })
    }

    @Test func everyKerasLayoutGivesTheSameZooFile() throws {
        // The expected file: the Keras 3 weights converted and saved as fetch saves conversions.
        let expected = try temporaryDirectory() + "/expected.h5"
        let configuration = try Self.zoo().manifest("vgg16").configurationText()
        let graph = try KerasConversion.load("\(Self.fixtures)/vgg16.weights.h5", into: Self.vgg16, name: "vgg16")
        try WeightsFile.save(graph, metadata: WeightsMetadata(architecture: "vgg16", configuration: configuration,
                                                              dtype: .float32, createdBy: "ModelZoo"), to: expected)
        for source in ["vgg16.weights.h5", "vgg16_legacy.h5", "vgg16_model.h5", "vgg16_keras2.h5"].map({ "\(Self.fixtures)/\($0)" }) {
            let zoo = try Self.zoo(pinning: expected)
            let (file, outcome) = try zoo.fetch("vgg16", from: source)
            #expect(outcome == .converted(source: source, ignored: []))
            #expect(try Data(contentsOf: URL(fileURLWithPath: file)) == Data(contentsOf: URL(fileURLWithPath: expected)), "\(source)")
        }
    }

    static let hostileFiles: [(file: String, error: String)] = [
        ("missing_weight_names.h5", "unusable Keras 2 weights file: /block1_conv1 has no 'weight_names' attribute"),
        ("dangling_weight_name.h5",
         "unusable Keras 2 weights file: weight 'block1_conv1/kernel:0' of layer 'block1_conv1' names no dataset (/block1_conv1/block1_conv1/kernel:0)"),
        ("missing_layer_group.h5", "unusable Keras 2 weights file: layer 'fc9' of 'layer_names' has no group /fc9"),
        ("numeric_layer_names.h5",
         "unusable Keras 2 weights file: attribute 'layer_names' of / is 64-bit signed integer array of 3, expected an array of strings"),
        ("duplicate_layer.h5", "unusable Keras 2 weights file: layer name 'block1_conv1' occurs twice"),
        ("complex_kernel.h5", "tensor '/block1_conv1/block1_conv1/kernel:0': elements are compound; supported: "),
        ("absurd_shape.h5", "tensor '/block1_conv1/block1_conv1/kernel:0': tensor float32[1073741824, 1073741824] needs"),
        ("variable_not_an_index.h5", "unusable Keras 3 weights file: dataset /layers/conv2d/vars/kernel is not named by a variable index (0, 1, ...)"),
        ("variable_gap.h5", "unusable Keras 3 weights file: /layers/conv2d/vars holds variables [0, 2], not 0 to 1"),
        ("same_layer_twice.h5", "unusable Keras 3 weights file: /layers/conv2d and /layers/conv2d_5 are both layer 'block1_conv1'"),
        ("wrong_kernel_shape.h5", """
            parameters do not match the graph:
              'features.0.weight': shape [5, 3, 3, 3], expected [4, 3, 3, 3]
              'features.0.bias': shape [5], expected [4]
              unexpected 'keras block6_conv1: /layers/layer_16/vars/0' (float32[3, 3, 16, 16])
              unexpected 'keras block6_conv1: /layers/layer_16/vars/1' (float32[16])
            """),
    ]

    @Test func hostileKerasFilesAreRefusedAndNothingIsWritten() throws {
        let directory = try temporaryDirectory()
        _ = try Python.run(script: "make_hostile_keras.py", [directory])
        for (name, expected) in Self.hostileFiles {
            let zoo = try Self.zoo()
            let source = "\(directory)/\(name)"
            do {
                try zoo.fetch("vgg16", from: source)
                Issue.record("\(name) was accepted")
            } catch {
                #expect(error.description.hasPrefix(source + ": "), "\(name): \(error)")
                #expect(error.description.contains(expected), "\(name): \(error)")
            }
            let cache = (try? FileManager.default.contentsOfDirectory(atPath: zoo.cache + "/vgg16")) ?? []
            #expect(cache.isEmpty, "\(name) left \(cache) in the cache")
        }
    }
}
