import Foundation
import ZooGraph
import ZooONNX
import ZooRuntime
import ZooTensor

/// Runs a manifest's golden inputs through our executor and compares every output with the
/// golden one, within the manifest's tolerance.
enum GoldenComparison {
    /// One line per output: its name and the largest difference found; none for a manifest
    /// without a golden check.
    static func run(_ graph: Graph, manifest: ZooManifest, directory: String, threads: Int) throws(PretrainedError) -> [String] {
        guard let golden = manifest.golden else { return [] }
        let folder = "\(directory)/\(golden.directory)"
        guard golden.inputs.count == graph.inputs.count, golden.outputs.count == graph.outputs.count else {
            throw .invalidGolden(file: folder, reason: "\(golden.inputs.count) inputs and \(golden.outputs.count) outputs listed, "
                                 + "the graph has \(graph.inputs.count) and \(graph.outputs.count)")
        }
        var inputs: [String: Tensor] = [:]
        for (file, input) in zip(golden.inputs, graph.inputs) {
            inputs[input.name] = try read("\(folder)/\(file)", expectedName: input.name)
        }
        let outputs: [String: Tensor]
        do { outputs = try Session(graph: graph, options: SessionOptions(threads: threads)).run(inputs) } catch {
            throw .runtime(error)
        }
        let tolerance = golden.tolerance
        return try zip(golden.outputs, graph.outputs).map { (file, output) throws(PretrainedError) in
            let expected = try read("\(folder)/\(file)", expectedName: output.name)
            guard let actual = outputs[output.name] else { throw .goldenMismatch(model: manifest.id, output: output.name, reason: "not computed") }
            if let mismatch = actual.mismatch(against: expected, rtol: tolerance.rtol, atol: tolerance.atol) {
                throw .goldenMismatch(model: manifest.id, output: output.name,
                                      reason: "\(mismatch) (rtol \(tolerance.rtol), atol \(tolerance.atol))")
            }
            let largest = zip(actual.doubleValues, expected.doubleValues).map { abs($0 - $1) }.max() ?? 0
            return "\(output.name) \(expected.dtype)\(expected.shape): max |difference| "
                + String(format: "%.2g", largest) + " (rtol \(tolerance.rtol), atol \(tolerance.atol))"
        }
    }

    /// A golden tensor; its name, when the file gives one, must be the graph value's.
    private static func read(_ path: String, expectedName: String) throws(PretrainedError) -> Tensor {
        guard FileManager.default.fileExists(atPath: path) else { throw .invalidGolden(file: path, reason: "missing") }
        let (name, tensor): (String, Tensor)
        do { (name, tensor) = try ONNXTensorFile.read(from: path) } catch .malformed(_, let reason) {
            throw .invalidGolden(file: path, reason: reason)
        } catch {
            throw .onnx(error)
        }
        guard name.isEmpty || name == expectedName else {
            throw .invalidGolden(file: path, reason: "holds '\(name)', but belongs to '\(expectedName)'")
        }
        return tensor
    }
}
