import Testing

/// Import and export are inverse mappings for the losses and GridSample: every node-suite
/// case of them that we run, re-exported, gives onnxruntime the suite's expected outputs
/// (`NodeSuiteCases.checkReexported`). AffineGrid's and Col2Im's cases take their sizes as
/// graph inputs, which we refuse (run-time shapes); SpatialVersusOnnxRuntimeTests exports them
/// with constant sizes instead.
@Suite struct LossSpatialRoundTripTests {
    @Test func reexportedNodeTestsMatchTheirExpectedOutputsInOnnxruntime() throws {
        // With onnx 1.23.2: 34 SoftmaxCrossEntropyLoss, 18 NegativeLogLikelihoodLoss, 18 GridSample cases.
        let checked = try NodeSuiteCases.checkReexported(operators: ["SoftmaxCrossEntropyLoss", "NegativeLogLikelihoodLoss", "GridSample"])
        #expect(checked >= 70)
    }
}
