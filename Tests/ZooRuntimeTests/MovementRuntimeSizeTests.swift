import Testing
import ZooGraph
import ZooRuntime
import ZooTensor

/// Operands that size a movement op's output, computed in ways shape inference does not
/// follow: folded by the executor once shapes are known (as PyTorch's Pad export computes
/// its pads by reshaping and transposing a constant), or planned with their values (staged
/// planning) when they are values known only at run time.
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

    @Test func padsKnownOnlyAtRunTimeArePlannedWithTheirValues() throws {
        var builder = GraphBuilder(name: "runtime")
        let x = try builder.input("x", TensorType(.float32, [2, 3]))
        let pads = try builder.input("pads", TensorType(.int64, [4]))
        try builder.output(try builder.apply(.movement(.pad(.constant)), x, pads, name: "pad"))
        let graph = try builder.build()
        let session = try Session(graph: graph)
        for values in [[0, 1, 0, 1], [1, 0, 2, 3]] {
            let inputs = ["x": try random([2, 3], seed: 2), "pads": try int64s(values)]
            let outputs = try session.run(inputs)
            #expect(outputs["pad"]?.shape == [2 + values[0] + values[2], 3 + values[1] + values[3]])
            expectClose(outputs, try OnnxRuntimeReference.run(graph, inputs), "pads \(values)", tolerance: .exact)
        }
    }
}
