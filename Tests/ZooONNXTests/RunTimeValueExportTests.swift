import Testing
import ZooGraph
import ZooONNX
import ZooTensor

/// Values known only at run time on the way out: Reduce* axes given as an input are written
/// as that input where the opset has the axes-input form, and refused, naming the node, where
/// it has only the attribute.
@Suite struct RunTimeValueExportTests {
    static func reduceMean() throws -> Graph {
        var builder = GraphBuilder(name: "runtime_axes")
        let x = try builder.input("x", TensorType(.float32, [2, 3, 4]))
        let axes = try builder.input("axes", TensorType(.int64, [1]))
        try builder.output(try builder.apply(.reduce(.mean, ReduceAttributes()), x, axes, name: "mean"))
        return try builder.build()
    }

    @Test func axesInputFormFromOpset18() throws {
        let again = try ONNXModel(serialized: try ONNXModel(graph: try Self.reduceMean(), opsetVersion: 18).serialized()).graph
        #expect(again.nodes.map(\.inputs) == [["x", "axes"]])
    }

    @Test func noAttributeFormForRunTimeAxes() throws {
        #expect(throws: ONNXError.exportFailed(reason: "node 'mean' (ReduceMean) has no form at opset 17: its axes are known only at run time, an input from opset 18")) {
            try ONNXModel(graph: try Self.reduceMean(), opsetVersion: 17).serialized()
        }
    }
}
