import Testing
import ZooGraph
import ZooRuntime
import ZooTensor

/// Operands that size a movement op's output, computed in ways shape inference does not
/// follow: folded by the executor once shapes are known (as PyTorch's Pad export computes
/// its pads by reshaping and transposing a constant), refused naming the operand when they
/// are values known only at run time (issue 12's business).
@Suite struct MovementRuntimeSizeTests {
    @Test func padsFoldedFromATransposeRun() throws {
        var builder = GraphBuilder(name: "folded")
        let x = try builder.input("x", TensorType(.float32, [2, 3]))
        // [[0, 1], [2, 0]] transposed and flattened: begins [0, 2], ends [1, 0].
        let pairs = try builder.constant(try Tensor(shape: [2, 2], scalars: [Int64(0), 1, 2, 0]), name: "pairs")
        let transposed = try builder.apply(.transpose(perm: [1, 0]), pairs, name: "transposed")
        let flat = try builder.constant(try Tensor(shape: [1], scalars: [Int64(-1)]), name: "flat")
        let pads = try builder.apply(.reshape(), transposed, flat, name: "pads")
        try builder.output(try builder.apply(.movement(.pad(.edge)), x, pads, name: "pad"))
        let inputs = ["x": try random([2, 3], seed: 1)]
        let outputs = try Session(graph: try builder.build()).run(inputs)
        #expect(outputs["pad"]?.shape == [3, 5])
        try expectMatchesOnnxRuntime(try builder.build(), inputs, tolerance: .exact)
    }

    @Test func padsKnownOnlyAtRunTimeAreRefusedNamingThem() throws {
        var builder = GraphBuilder(name: "runtime")
        let x = try builder.input("x", TensorType(.float32, [2, 3]))
        let pads = try builder.input("pads", TensorType(.int64, [4]))
        try builder.output(try builder.apply(.movement(.pad(.constant)), x, pads, name: "pad"))
        let inputs = ["x": try random([2, 3], seed: 2), "pads": try int64s([0, 1, 0, 1])]
        #expect(throws: RuntimeError.runTimeValue(node: "pad", op: "Pad", input: "pads", role: "pads")) {
            try Session(graph: try builder.build()).run(inputs)
        }
    }
}
