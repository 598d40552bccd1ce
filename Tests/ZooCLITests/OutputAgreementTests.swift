import ModelZoo
import Testing
@testable import ZooCLI

/// The output check of `zoo bench --compare`: which outputs fail, and that a failure stops
/// the command (exit status 1, as every CommandError does; see ZooCommandTests).
@Suite struct OutputAgreementTests {
    let reference = try! Tensor(shape: [2, 2], scalars: [Float(1), 2, 3, 400])

    @Test func withinToleranceMatches() throws {
        // atol = 1e-5 + 1e-4·400 = 0.04001 on every element.
        let close = try Tensor(shape: [2, 2], scalars: [Float(1.04), 2, 3, 400])
        let agreement = OutputAgreement(ours: ["y": close], reference: ["y": reference], peer: "onnxruntime")
        #expect(agreement.failures.isEmpty)
        #expect(agreement.lines == ["output y: matches onnxruntime (rtol 1e-4, atol 1e-5 + 1e-4·max|ref|)"])
        try agreement.check()
    }

    @Test func valuesDtypeShapeAndMissingOutputsFail() throws {
        let off = try Tensor(shape: [2, 2], scalars: [Float(1.05), 2, 3, 400])
        let agreement = OutputAgreement(
            ours: ["a": off, "b": try Tensor(shape: [2, 2], scalars: [Double(1), 2, 3, 400]), "c": try reference.reshaped(to: [4]), "ours_only": reference],
            reference: ["a": reference, "b": reference, "c": reference, "theirs_only": reference], peer: "onnxruntime")
        #expect(agreement.failures == ["a", "b", "c", "ours_only", "theirs_only"])
        #expect(agreement.lines[0].hasPrefix("output a: DIFFERS FROM onnxruntime (rtol 1e-4, atol 1e-5 + 1e-4·max|ref|): 1 elements differ; first at flat index 0"))
        #expect(agreement.lines[1] == "output b: DIFFERS FROM onnxruntime: float64 here, float32 there")
        #expect(agreement.lines[2] == "output c: DIFFERS FROM onnxruntime: shape [4] here, [2, 2] there")
        #expect(agreement.lines[3] == "output ours_only: MISSING from onnxruntime's outputs")
        #expect(agreement.lines[4] == "output theirs_only: MISSING from our outputs, given by onnxruntime")
        #expect(throws: CommandError.self) { try agreement.check() }
        do { try agreement.check() } catch let error as CommandError {
            #expect(error.description == "outputs differing from onnxruntime or missing: a, b, c, ours_only, theirs_only")
        }
    }
}
