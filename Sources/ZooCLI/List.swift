import ArgumentParser
import Foundation
import ModelZoo

/// `zoo list`: every registered model with its size and cost at the default input, and
/// whether it has pretrained weights and where they are.
struct List: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List the zoo's models with parameters and MACs at their default input, and pretrained weights.")

    func run() throws {
        let pretrained = PretrainedZoo.standard
        let manifests = Set(pretrained.modelIDs)
        var rows = [["id", "params", "MACs", "input", "weights", "description"]]
        for entry in Zoo.models {
            let graph = try entry.graph()
            var options = CountOptions()
            for input in entry.inputs {
                options.inputShapes[input.name] = input.defaultShape.map(Dim.fixed)
            }
            let report = try ComplexityReport(counting: graph, options: options)
            let shapes = entry.inputs.map { "\($0.name) " + $0.defaultShape.map(String.init).joined(separator: "x") }
            let input = shapes[0] + (shapes.count > 1 ? " (+\(shapes.count - 1))" : "")
            rows.append([entry.id, HumanReadable.count(report.total.trainableParameters),
                         HumanReadable.count(report.total.macs), input,
                         manifests.contains(entry.id) ? try Self.weightsState(entry.id, in: pretrained) : "-", entry.summary])
        }
        print(TextTable.render(rows))
    }

    /// The default variant's weights: shipped with the zoo, in the cache, or to fetch (not
    /// checked here: `zoo verify` does that).
    static func weightsState(_ id: String, in zoo: PretrainedZoo) throws -> String {
        let manifest = try zoo.manifest(id)
        let variant = try manifest.variant(named: nil)
        let variants = manifest.weights.count > 1 ? " (\(manifest.weights.count) variants)" : ""
        if FileManager.default.fileExists(atPath: zoo.shippedFile(variant.file, of: id)) { return "shipped" + variants }
        if FileManager.default.fileExists(atPath: zoo.cacheFile(of: variant, model: id)) { return "cached" + variants }
        return "to fetch" + variants
    }
}
