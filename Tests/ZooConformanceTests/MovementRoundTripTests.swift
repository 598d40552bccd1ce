import Testing

/// Import and export are inverse mappings for the data movement and indexing ops: every
/// ONNX node-suite case of those ops that we run, re-exported, gives onnxruntime the
/// suite's expected outputs (`NodeSuiteCases.checkReexported`).
@Suite struct MovementRoundTripTests {
    static let operators = ["Pad", "Split", "Tile", "DepthToSpace", "SpaceToDepth", "GatherElements", "ScatterElements",
                            "ScatterND", "OneHot", "Trilu", "EyeLike", "ReverseSequence", "Size"]

    @Test func reexportedNodeTestsMatchTheirExpectedOutputsInOnnxruntime() throws {
        // 56 with onnx 1.23.2: the cases we run, less those with bfloat16 inputs.
        #expect(try NodeSuiteCases.checkReexported(operators: Self.operators) >= 56)
    }
}
