import Foundation
import Testing
import ZooTestSupport

/// `zoo classify --variant NAME`: a manifest's weights variant with its own image recipe (as
/// torchvision's V1 and V2 recipes differ in their resize). A scratch copy of LeNet-5's
/// manifest gains a variant of the same weights whose recipe resizes with nearest instead of
/// bilinear; classifying with it equals Pillow's nearest resize + onnxruntime
/// (classify_reference.py) within 1e-5, and differs from the default variant's.
@Suite struct ClassifyVariantCommandTests {
    static let root = Python.repositoryRoot.path
    static let digits = [1, 4, 6].map { "\(root)/Zoo/lenet5/digits/digit\($0).png" }

    /// A Zoo/ with lenet5 only, its manifest given a second variant "nearest".
    private func scratchZoo() throws -> String {
        let directory = try temporaryDirectory()
        try FileManager.default.copyItem(atPath: "\(Self.root)/Zoo/lenet5", toPath: "\(directory)/lenet5")
        let path = "\(directory)/lenet5/manifest.json"
        var manifest = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
        var weights = try #require(manifest["weights"] as? [[String: Any]])
        var nearest = weights[0]
        nearest["name"] = "nearest"
        nearest["image"] = ["color": "grayscale", "resize": ["height": 32, "width": 32, "filter": "nearest"], "divide_by": 255]
        weights.append(nearest)
        manifest["weights"] = weights
        try JSONSerialization.data(withJSONObject: manifest).write(to: URL(fileURLWithPath: path))
        return directory
    }

    private func probabilities(_ arguments: [String], zoo: String) throws -> [[Int: Double]] {
        let output = try ZooTool.succeed(["classify"] + Self.digits + arguments + ["--json", "--top", "10", "--threads", "2"],
                                         environment: ["ZOO_MANIFESTS": zoo]).output
        return try JSONDecoder().decode(ClassifyCommandTests.Report.self, from: Data(output.utf8)).images.map { image in
            Dictionary(uniqueKeysWithValues: image.top.map { ($0.index, $0.probability) })
        }
    }

    @Test func theVariantsRecipeIsUsed() throws {
        let zoo = try scratchZoo()
        defer { try? FileManager.default.removeItem(atPath: zoo) }
        let model = "\(zoo)/lenet5.onnx"
        _ = try ZooTool.succeed(["export", "lenet5", "--pretrained", "-o", model], environment: ["ZOO_MANIFESTS": zoo])
        let reference = try Python.json(ClassifyCommandTests.Report.self, script: "classify_reference.py",
                                        [model, "10", "--recipe", "grayscale-32-nearest"] + Self.digits)
        let nearest = try probabilities(["--variant", "nearest"], zoo: zoo)
        let bilinear = try probabilities([], zoo: zoo)
        var largestChange = 0.0
        for (index, expected) in reference.images.enumerated() {
            for entry in expected.top {
                let ours = try #require(nearest[index][entry.index])
                #expect(abs(ours - entry.probability) <= 1e-5, "\(expected.file) class \(entry.index)")
                largestChange = max(largestChange, abs((bilinear[index][entry.index] ?? 0) - entry.probability))
            }
        }
        // The default variant's bilinear recipe gives other numbers: the test sees which recipe ran.
        #expect(largestChange > 1e-3, "\(largestChange)")
    }

    @Test func anUnknownOrMisplacedVariantIsAClearError() throws {
        let zoo = try scratchZoo()
        defer { try? FileManager.default.removeItem(atPath: zoo) }
        let unknown = try ZooTool.run(["classify", Self.digits[0], "--variant", "v9"], environment: ["ZOO_MANIFESTS": zoo])
        #expect(unknown.status != 0)
        #expect(unknown.errors.contains("'lenet5' has no weights variant 'v9'; variants: float32, nearest"), "\(unknown.errors)")
        let withWeights = try ZooTool.run(["classify", Self.digits[0], "--variant", "nearest", "--weights", "\(Self.root)/Zoo/lenet5/weights.h5"])
        #expect(withWeights.status != 0)
        #expect(withWeights.errors.contains("--variant picks among a zoo model's published weights"), "\(withWeights.errors)")
    }
}
