import Foundation
import Testing
import ZooBlocks
import ZooGraph
import ZooModels
import ZooONNX
import ZooRuntime
import ZooTensor
import ZooTestSupport

/// Every architecture in the zoo, exported: onnx.checker (full check) accepts the file,
/// onnx's strict shape inference agrees with ours on every value it types, onnxruntime's
/// outputs match our executor's on the same inputs (dtype, shape and every element within
/// Tolerance.float32, rtol 1e-4 and atol 1e-5, except the deep networks listed below),
/// and reading the file back gives the identical graph with bit-identical weights.
/// Image classifiers run at a small resolution and 10 classes, sequence models at short
/// lengths, batch 2, with seeded weights.
@Suite struct ZooExportTests {
    /// The smallest resolutions tried for image classifiers, in order.
    static let imageSizes = [64, 32]
    static let symbolValues = ["batch": 2, "seq": 6]
    /// Models whose depth and fan-in leave outputs near zero (sums that cancel) with an
    /// absolute error above Tolerance.float32's atol, as observed against onnxruntime 1.32.0:
    /// alexnet-course's logits (at 224x224, mean |logit| about 5, through a 6400-input
    /// classifier) by up to 3.1e-5; bert-large's hidden states (order 1, 24 layers) by up to
    /// 1.6e-5. atol 1e-4: at most 1e-4 of the outputs' own scale.
    static let deepNetworkTolerances: [String: Tolerance] = [
        "alexnet-course": Tolerance(rtol: 1e-4, atol: 1e-4),
        "bert-large": Tolerance(rtol: 1e-4, atol: 1e-4),
    ]

    static func smallVariant(of entry: ModelEntry) -> ModelEntry {
        guard case .classifier = entry.task else { return entry }
        for size in imageSizes {
            if let small = try? entry.with(imageSize: Size2D(size), classCount: 10), (try? small.graph()) != nil { return small }
        }
        return entry
    }

    @Test(arguments: Zoo.models.map(\.id))
    func exportedModelAgreesWithTheReferenceTools(id: String) throws {
        let entry = Self.smallVariant(of: try Zoo.model(id))
        let graph = try entry.graph(initialization: .seeded(5))
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try ONNXModel(graph: graph, metadata: [("zoo.id", id)]).write(to: directory + "/model.onnx")

        let reread = try ONNXModel.read(from: directory + "/model.onnx").graph
        #expect(reread == graph, "zoo → ONNX → zoo changed the graph or its weights")

        let inputs = try SampleInputs.make(for: graph, symbolValues: Self.symbolValues, seed: 9)
        var arguments = [directory + "/model.onnx", "--outputs", directory]
        for (name, tensor) in inputs.sorted(by: { $0.key < $1.key }) {
            try NPYFile.write(tensor, to: "\(directory)/\(name).npy")
            arguments.append("\(name)=\(directory)/\(name).npy")
        }
        let report = try Python.json(OnnxCheckReport.self, script: "onnx_check.py", arguments)

        let ours = try graph.valueTypes()
        for (value, theirs) in report.types {
            guard let type = ours[value] else { continue }
            #expect(theirs.matches(type), "\(value): onnx infers \(theirs), we infer \(type)")
        }

        let outputs = try Session(graph: graph, options: SessionOptions(threads: 2)).run(inputs)
        for (index, output) in graph.outputs.enumerated() {
            let expected = try NPYFile.read(from: "\(directory)/output_\(index).npy")
            let actual = try #require(outputs[output.name])
            let tolerance = Self.deepNetworkTolerances[id] ?? .float32
            if let mismatch = actual.mismatch(against: expected, tolerance) {
                Issue.record("\(id) output '\(output.name)': ours vs onnxruntime (\(tolerance)): \(mismatch)")
            }
        }
    }
}
