import Foundation
import ZooGraph
import ZooONNX
import ZooRuntime
import ZooTensor

/// One case of the node-test suite: a directory holding model.onnx and data sets
/// test_data_set_N/{input,output}_M.pb, and the case's tolerance.
struct NodeCase {
    var name: String
    var rtol: Double
    var atol: Double

    /// The cases listed in `cases.tsv` (case, operator, rtol, atol), in its order.
    static func list(in directory: String) throws -> [NodeCase] {
        let text = try String(contentsOfFile: directory + "/cases.tsv", encoding: .utf8)
        return try text.split(separator: "\n").map { line in
            let fields = line.split(separator: "\t").map(String.init)
            guard fields.count == 4, let rtol = Double(fields[2]), let atol = Double(fields[3]) else {
                throw RunnerError("cases.tsv: not a line of case, operator, rtol, atol: \(line)")
            }
            return NodeCase(name: fields[0], rtol: rtol, atol: atol)
        }
    }
}

struct RunnerError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// What became of a case.
enum Outcome {
    case passed
    /// An output of the wrong dtype, shape or values, or a missing output.
    case wrong(String)
    case refused(String)
    /// Any error that is not a stated refusal.
    case error(String)

    var line: (outcome: String, detail: String) {
        switch self {
        case .passed: ("passed", "")
        case .wrong(let detail): ("wrong", detail)
        case .refused(let reason): ("refused", reason)
        case .error(let detail): ("error", detail)
        }
    }
}

extension NodeCase {
    /// Imports, compiles and runs the case against every data set in it. Messages name
    /// files relative to the case directory, so that they read the same on every machine.
    func run(in directory: String) -> Outcome {
        let path = directory + "/" + name
        func failure(_ error: any Error, _ context: String) -> Outcome {
            if let reason = StatedRefusal.reason(for: error) { return .refused(reason) }
            return .error(context + String(describing: error).replacingOccurrences(of: path + "/", with: ""))
        }
        let graph: Graph
        let session: Session
        do {
            graph = try ONNXModel.read(from: path + "/model.onnx").graph
            session = try Session(graph: graph, options: SessionOptions(threads: 2))
        } catch {
            return failure(error, "import or compile: ")
        }
        let dataSets = ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).filter { $0.hasPrefix("test_data_set_") }
        for dataSet in dataSets.sorted() {
            do {
                var inputs: [String: Tensor] = [:]
                for (index, input) in graph.inputs.enumerated() {
                    inputs[input.name] = try ONNXTensorFile.read(from: "\(path)/\(dataSet)/input_\(index).pb").tensor
                }
                let outputs = try session.run(inputs)
                for (index, output) in graph.outputs.enumerated() {
                    let expected = try ONNXTensorFile.read(from: "\(path)/\(dataSet)/output_\(index).pb").tensor
                    guard let actual = outputs[output.name] else { return .wrong("\(dataSet): no output '\(output.name)'") }
                    if let mismatch = actual.mismatch(against: expected, rtol: rtol, atol: atol) {
                        return .wrong("\(dataSet): output '\(output.name)' \(actual.dtype)\(actual.shape) vs expected "
                                      + "\(expected.dtype)\(expected.shape): \(mismatch)")
                    }
                }
            } catch {
                return failure(error, "\(dataSet): ")
            }
        }
        return .passed
    }
}
