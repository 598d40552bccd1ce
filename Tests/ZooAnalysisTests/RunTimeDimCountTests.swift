import Testing
import ZooAnalysis
import ZooGraph
import ZooTensor

/// A graph whose sizes depend on values known only at run time is counted completely, with
/// totals as polynomials in fresh symbols that the report names.
@Suite struct RunTimeDimCountTests {
    @Test func freshSizesAreNamedAndCounted() throws {
        var builder = GraphBuilder(name: "runtime_target")
        let x = try builder.input("x", TensorType(.float32, [.symbolic("batch"), 6, 4]))
        let target = try builder.input("target", TensorType(.int64, [2]))
        let reshaped = try builder.apply(.reshape(), x, target, name: "reshape")
        let weights = try builder.parameter("w", try Tensor(zeros: [8, 5]))
        try builder.output(try builder.apply(.matMul, reshaped, weights, name: "product"))
        let report = try ComplexityReport(counting: try builder.build())
        #expect(report.uncounted.isEmpty)
        #expect(report.runTimeDims == ["reshape:0", "reshape:1"])
        #expect(report.total.parameters == 40)
        #expect(report.total.macs.symbols.contains("reshape:0"), "\(report.total.macs)")
        #expect(report.formatted().contains("sizes known only at run time (computed from values while the graph runs): reshape:0, reshape:1"))
    }
}
