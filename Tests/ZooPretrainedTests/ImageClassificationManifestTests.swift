import Foundation
import Testing
import ZooImage
import ZooPretrained
import ZooTestSupport

/// Manifests' image recipes and labels files: read as the code reads them, checked against
/// the model, and held to the schema.
@Suite struct ImageClassificationManifestTests {
    static let schema = Python.repositoryRoot.appendingPathComponent("Schemas/zoo-manifest.schema.json").path

    @Test func leNetHasTheGrayscaleRecipeAndTenDigits() throws {
        let zoo = PretrainedZoo(directory: ScratchZoo.repositoryZoo, cache: "/nonexistent")
        let classification = try #require(try zoo.imageClassification(of: try zoo.manifest("lenet5")))
        #expect(classification.preprocessing == .grayscale32)
        #expect(classification.labels == (0...9).map(String.init))
    }

    @Test func theImageNetLabelsAreTheThousandClasses() throws {
        let labels = try ClassLabels.read(file: "\(ScratchZoo.repositoryZoo)/labels/imagenet-1k.txt")
        #expect(labels.count == 1000 && Set(labels).count == 1000)
        #expect(labels.prefix(3) == ["tench", "goldfish", "great white shark"])
        #expect(labels.last == "toilet tissue")
    }

    /// A copy of lenet5's folder whose manifest's preprocessing has `changes` merged in.
    static func leNet(preprocessing changes: [String: Any], labelsFile: String? = nil) throws -> (PretrainedZoo, String) {
        let root = try temporaryDirectory()
        let zoo = PretrainedZoo(directory: root + "/Zoo", cache: root + "/cache")
        let folder = "\(zoo.directory)/lenet5"
        try FileManager.default.createDirectory(atPath: zoo.directory, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: "\(ScratchZoo.repositoryZoo)/lenet5", toPath: folder)
        var manifest = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: "\(folder)/manifest.json"))) as! [String: Any]
        var preprocessing = manifest["preprocessing"] as! [String: Any]
        preprocessing.merge(changes) { $1 }
        manifest["preprocessing"] = preprocessing
        try JSONSerialization.data(withJSONObject: manifest).write(to: URL(fileURLWithPath: "\(folder)/manifest.json"))
        if let labelsFile { try labelsFile.write(toFile: "\(folder)/short.txt", atomically: true, encoding: .utf8) }
        return (zoo, "\(folder)/manifest.json")
    }

    @Test func inconsistentManifestsAreRefusedNamingTheField() throws {
        let cases: [([String: Any], String)] = [
            (["labels": "short.txt"], "preprocessing.labels has 3 names for 10 classes"),
            (["labels": "../../etc/passwd"], "preprocessing.labels '../../etc/passwd' is neither a file next to the manifest nor ../labels/NAME"),
            (["labels": "missing.txt"], "preprocessing.labels: "),
            (["image": ["color": "rgb", "resize": ["height": 32, "width": 32, "filter": "bilinear"], "divide_by": 255]],
             "preprocessing.image makes 3-channel images of 32x32, but the first input is shaped [\"batch\", \"1\", \"32\", \"32\"]"),
            (["image": ["color": "grayscale", "resize": ["shorter_side": 32, "height": 32, "filter": "bilinear"], "divide_by": 255]],
             "preprocessing.image: invalid image preprocessing: resize needs either shorter_side, or height and width"),
        ]
        for (changes, reason) in cases {
            let (zoo, path) = try Self.leNet(preprocessing: changes, labelsFile: "a\nb\nc\n")
            let error = #expect(throws: PretrainedError.self) { try zoo.imageClassification(of: try zoo.manifest("lenet5")) }
            #expect(error?.description.hasPrefix("\(path): invalid zoo manifest: \(reason)") == true, "\(error?.description ?? "no error")")
        }
    }

    @Test func theSchemaRefusesAnEscapingLabelsPathAndADoubleResize() throws {
        let (_, path) = try Self.leNet(preprocessing: [
            "labels": "../../secret.txt",
            "image": ["color": "grayscale", "resize": ["shorter_side": 32, "height": 32, "filter": "bicubic"], "divide_by": 0],
        ])
        let errors = try #require(try Python.json([String: [String]].self, script: "validate_manifests.py", [Self.schema, path])[path])
        #expect(errors.contains { $0.hasPrefix("preprocessing/labels:") })
        #expect(errors.contains { $0.hasPrefix("preprocessing/image/resize:") })
        #expect(errors.contains { $0.hasPrefix("preprocessing/image/resize/filter:") })
        #expect(errors.contains { $0.hasPrefix("preprocessing/image/divide_by:") })
    }
}
