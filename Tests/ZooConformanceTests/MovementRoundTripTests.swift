import Foundation
import Testing
import ZooGraph
import ZooONNX
import ZooRuntime
import ZooTensor
import ZooTestSupport

/// Import and export are inverse mappings for the data movement and indexing ops: every
/// ONNX node-suite case of those ops that we run, re-exported, runs in onnxruntime to the
/// suite's expected outputs (NodeSuiteRoundTrip; rtol 1e-3, atol 1e-7).
@Suite struct MovementRoundTripTests {
    static let operators = ["Pad", "Split", "Tile", "DepthToSpace", "SpaceToDepth", "GatherElements", "ScatterElements",
                            "ScatterND", "OneHot", "Trilu", "EyeLike", "ReverseSequence", "Size"]

    @Test func reexportedNodeTestsMatchTheirExpectedOutputsInOnnxruntime() throws {
        // 56 with onnx 1.23.2: the cases we run, less those with bfloat16 inputs.
        #expect(try NodeSuiteRoundTrip.check(operators: Set(Self.operators)) >= 56)
    }
}
