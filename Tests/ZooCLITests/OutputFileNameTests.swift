import Foundation
import ModelZoo
import Testing
import ZooTestSupport
@testable import ZooCLI

/// `zoo run --output DIR` names each output's file by a documented escape, so that names
/// holding `/` or other characters that are not file names neither fail nor leave DIR.
@Suite struct OutputFileNameTests {
    @Test(arguments: [
        ("logits", "logits"),
        ("gpu_0/softmax_1", "gpu_0%2Fsoftmax_1"),
        ("../x", "%2E.%2Fx"),
        (".", "%2E"),
        ("..", "%2E."),
        (".hidden", "%2Ehidden"),
        ("a.b-c_d", "a.b-c_d"),
        ("", "%"),
        ("%", "%25"),
        ("a b:c\\d", "a%20b%3Ac%5Cd"),
        ("é", "%C3%A9"),
    ])
    func escapes(name: String, file: String) {
        #expect(OutputFileName.escaped(name) == file)
    }

    /// Names that would collide under a lossy escape (`a/b` vs `a%2Fb` vs `a_b`) stay distinct.
    @Test func distinctNamesGetDistinctFiles() {
        let names = ["a/b", "a%2Fb", "a_b", "a%b", "", "%", ".", "%2E", "..", "../x", "%2E.%2Fx"]
        #expect(Set(names.map(OutputFileName.escaped)).count == names.count)
    }

    /// An ONNX file whose outputs are named like a Caffe2 export's, or so as to escape DIR:
    /// every output lands in DIR under its escaped name, and the mapping is printed.
    @Test func runWritesEveryOutputUnderItsEscapedName() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let names = ["gpu_0/softmax_1", "../x", ".", "a%2Fb", "a/b"]
        let graph = Graph(
            name: "outputs", inputs: [ValueInfo(name: "x", type: TensorType(.float32, [.fixed(2)]))],
            outputs: names.map { ValueInfo(name: $0, type: TensorType(.float32, [.fixed(2)])) },
            nodes: names.enumerated().map { index, name in
                Node(name: "node\(index)", op: index.isMultiple(of: 2) ? .identity : .neg, inputs: ["x"], outputs: [name])
            })
        let model = directory + "/outputs.onnx"
        try ONNXModel(graph: graph).write(to: model)
        let outputs = directory + "/out"
        let run = try ZooTool.succeed(["run", model, "--output", outputs])
        let files = ["gpu_0%2Fsoftmax_1.npy", "%2E.%2Fx.npy", "%2E.npy", "a%252Fb.npy", "a%2Fb.npy"]
        #expect(try FileManager.default.contentsOfDirectory(atPath: outputs).sorted() == files.sorted())
        #expect(!FileManager.default.fileExists(atPath: directory + "/x.npy"))
        for (name, file) in zip(names, files) {
            #expect(run.output.contains("output '\(name)' → \(outputs)/\(file)\n"), "\(run.output)")
        }
        let input = try NPYFile.read(from: outputs + "/gpu_0%2Fsoftmax_1.npy")
        #expect(try NPYFile.read(from: outputs + "/%2E.%2Fx.npy").doubleValues == input.doubleValues.map { -$0 })
    }
}
