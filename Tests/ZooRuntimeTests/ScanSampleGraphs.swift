import ZooBlocks
import ZooGraph
import ZooTensor

/// Graphs holding Scans, each with seeded inputs, for the Scan tests: semantics (directions,
/// axes, states, nesting) and the patterns where a pass or the memory planner could lose a
/// value that only a body reads.
enum ScanSampleGraphs {
    typealias Value = GraphBuilder.Value
    typealias Sample = (graph: Graph, inputs: [String: Tensor])

    /// A body built node by node. `build` gets the body's inputs and returns its outputs; it
    /// may use values of the enclosing builder (read by name, as ONNX allows), so the body
    /// is validated with the Scan node that holds it rather than on its own.
    static func body(_ name: String, inputs: [(String, TensorType)],
                     _ build: (inout GraphBuilder, [Value]) throws -> [Value]) throws -> Graph {
        var builder = GraphBuilder(name: name)
        var values: [Value] = []
        for (inputName, type) in inputs { values.append(try builder.input(inputName, type)) }
        for output in try build(&builder, values) { try builder.output(output) }
        return builder.graph
    }

    static func floats(_ dims: Dim...) -> TensorType { TensorType(.float32, dims) }

    /// s ← s + x_t, the running sums emitted at every step: y[t] = x[0] + … + x[t].
    static func cumulativeSum() throws -> Sample {
        var builder = GraphBuilder(name: "cumulative_sum")
        let s0 = try builder.input("s0", floats(2, 3)), x = try builder.input("x", floats("seq", 2, 3))
        let step = try body("sum", inputs: [("s_prev", floats(2, 3)), ("x_t", floats(2, 3))]) { body, inputs in
            let next = try body.apply(.add, inputs[0], inputs[1], name: "s_next")
            return [next, try body.apply(.identity, next, name: "y_t")]
        }
        let outputs = try builder.add(.scan(ScanAttributes(body: step, scanInputCount: 1)), [s0, x], name: "scan", outputCount: 2)
        for output in outputs { try builder.output(output) }
        return (try builder.build(), ["s0": try random([2, 3], seed: 1), "x": try random([5, 2, 3], seed: 2)])
    }

    /// Two scanned inputs, one read last to first along axis 1 (its slices are gathered),
    /// one forward along axis 0; two per-step outputs, one prepended along axis 0 and one
    /// appended along the last axis: s ← s + a_t·b_t, emitting s and a_t − b_t.
    static func reverseAndAxes() throws -> Sample {
        var builder = GraphBuilder(name: "reverse_and_axes")
        let s0 = try builder.input("s0", floats(3, 4))
        let a = try builder.input("a", floats(3, "seq", 4)), b = try builder.input("b", floats("seq", 3, 4))
        let step = try body("step", inputs: [("s_prev", floats(3, 4)), ("a_t", floats(3, 4)), ("b_t", floats(3, 4))]) { body, inputs in
            let product = try body.apply(.mul, inputs[1], inputs[2], name: "product")
            let next = try body.apply(.add, inputs[0], product, name: "s_next")
            return [next, try body.apply(.identity, next, name: "emitted"), try body.apply(.sub, inputs[1], inputs[2], name: "difference")]
        }
        let attributes = ScanAttributes(body: step, scanInputCount: 2, scanInputAxes: [1, 0], scanInputDirections: [1, 0],
                                        scanOutputAxes: [0, -1], scanOutputDirections: [1, 0])
        let outputs = try builder.add(.scan(attributes), [s0, a, b], name: "scan", outputCount: 3)
        for output in outputs { try builder.output(output) }
        return (try builder.build(), ["s0": try random([3, 4], seed: 3), "a": try random([3, 6, 4], seed: 4),
                                      "b": try random([6, 3, 4], seed: 5)])
    }

    /// Two states that trade places every step, returned as the body's inputs themselves
    /// (no node in between): (p, q) ← (q, p + x_t), emitting x_t as it came in.
    static func swappedStates() throws -> Sample {
        var builder = GraphBuilder(name: "swapped_states")
        let p = try builder.input("p0", floats(4)), q = try builder.input("q0", floats(4))
        let x = try builder.input("x", floats("seq", 4))
        let step = try body("swap", inputs: [("p", floats(4)), ("q", floats(4)), ("x_t", floats(4))]) { body, inputs in
            [inputs[1], try body.apply(.add, inputs[0], inputs[2], name: "p_plus_x"), inputs[2]]
        }
        let outputs = try builder.add(.scan(ScanAttributes(body: step, scanInputCount: 1)), [p, q, x], name: "scan", outputCount: 3)
        for output in outputs { try builder.output(output) }
        return (try builder.build(), ["p0": try random([4], seed: 6), "q0": try random([4], seed: 7), "x": try random([5, 4], seed: 8)])
    }

    /// A Scan in a Scan: the inner one scans the main graph's `z` and reads the main graph's
    /// weight `w` and the outer body's slice `x_t`, so values cross two levels. The outer
    /// body is written out node by node: a builder would check its inner Scan without the
    /// main graph's values in view.
    static func nested() throws -> Sample {
        var builder = GraphBuilder(name: "nested")
        let s0 = try builder.input("s0", floats(3)), x = try builder.input("x", floats("seq", 3))
        let z = try builder.input("z", floats(4, 3))
        let w = try builder.parameter("w", try random([3], seed: 9))
        var outerInputs = GraphBuilder(name: "outer_inputs")
        let xt = try outerInputs.input("x_t", floats(3))
        let inner = try body("inner", inputs: [("acc", floats(3)), ("z_u", floats(3))]) { innerBody, innerInputs in
            let weighted = try innerBody.apply(.mul, innerInputs[1], w, name: "weighted")
            let shifted = try innerBody.apply(.add, weighted, xt, name: "shifted")
            return [try innerBody.apply(.add, innerInputs[0], shifted, name: "acc_next")]
        }
        let outer = Graph(
            name: "outer", inputs: [ValueInfo(name: "s_prev", type: floats(3)), ValueInfo(name: "x_t", type: floats(3))],
            outputs: [ValueInfo(name: "total", type: floats(3)), ValueInfo(name: "emitted", type: floats(3))],
            nodes: [Node(name: "inner_scan", op: .scan(ScanAttributes(body: inner, scanInputCount: 1)), inputs: ["s_prev", z.name],
                         outputs: ["total"]),
                    Node(name: "emitted", op: .identity, inputs: ["total"], outputs: ["emitted"])])
        let outputs = try builder.add(.scan(ScanAttributes(body: outer, scanInputCount: 1)), [s0, x], name: "scan", outputCount: 2)
        for output in outputs { try builder.output(output) }
        return (try builder.build(), ["s0": try random([3], seed: 10), "x": try random([4, 3], seed: 11), "z": try random([4, 3], seed: 12)])
    }

    /// The body reads four enclosing values that the passes and the planner could lose:
    /// a constant `w`, `v` computed at run time and read by nothing else, `u`, an Identity
    /// of `v` that identity removal renames, and `m`, a MatMul output that is also the only
    /// input of a Relu, which activation fusion would otherwise absorb. The initial state
    /// comes out of a chain of nodes placed after `v`, whose buffers could reuse v's memory
    /// if its last use were taken to be its last explicit reader.
    /// s ← s·w + x_t·u + m, emitting s + v.
    static func enclosingValues() throws -> Sample {
        var builder = GraphBuilder(name: "enclosing_values")
        let gain = try builder.input("gain", floats(4)), x = try builder.input("x", floats("seq", 2, 4))
        let features = try builder.input("features", floats(2, 3))
        let w = try builder.parameter("w", try random([4], seed: 13))
        let v = try builder.apply(.mul, gain, gain, name: "v")
        let u = try builder.apply(.identity, v, name: "u")
        let m = try builder.apply(.matMul, features, try builder.parameter("projection", try random([3, 4], seed: 14)), name: "m")
        var s0 = try builder.apply(.relu, m, name: "relu")
        for index in 0..<3 { s0 = try builder.apply(index % 2 == 0 ? .neg : .exp, s0, name: "chain\(index)") }
        let step = try body("step", inputs: [("s_prev", floats(2, 4)), ("x_t", floats(2, 4))]) { body, inputs in
            let kept = try body.apply(.mul, inputs[0], w, name: "kept")
            let written = try body.apply(.mul, inputs[1], u, name: "written")
            let next = try body.apply(.add, try body.apply(.add, kept, written, name: "sum"), m, name: "s_next")
            return [next, try body.apply(.add, next, v, name: "emitted")]
        }
        let outputs = try builder.add(.scan(ScanAttributes(body: step, scanInputCount: 1)), [s0, x], name: "scan", outputCount: 2)
        for output in outputs { try builder.output(output) }
        return (try builder.build(), ["gain": try random([4], seed: 15), "x": try random([3, 2, 4], seed: 16),
                                      "features": try random([2, 3], seed: 17)])
    }

    /// A convolution's output read only by a body: the layout pass stores it channels-last
    /// unless it sees the body's read. s ← s + x_t·c.
    static func convolutionReadByBody() throws -> Sample {
        var builder = GraphBuilder(name: "convolution_read_by_body")
        let image = try builder.input("image", floats(1, 2, 5, 5)), x = try builder.input("x", floats("seq", 1, 3, 5, 5))
        let s0 = try builder.input("s0", floats(1, 3, 5, 5))
        let c = try builder.apply(.conv(ConvAttributes(pads: [1, 1, 1, 1])), image,
                                  try builder.parameter("conv.weight", try random([3, 2, 3, 3], seed: 18)), name: "conv")
        let step = try body("step", inputs: [("s_prev", floats(1, 3, 5, 5)), ("x_t", floats(1, 3, 5, 5))]) { body, inputs in
            let next = try body.apply(.add, inputs[0], try body.apply(.mul, inputs[1], c, name: "scaled"), name: "s_next")
            return [next]
        }
        try builder.output(try builder.add(.scan(ScanAttributes(body: step, scanInputCount: 1)), [s0, x], name: "scan")[0])
        return (try builder.build(), ["image": try random([1, 2, 5, 5], seed: 19), "x": try random([3, 1, 3, 5, 5], seed: 20),
                                      "s0": try random([1, 3, 5, 5], seed: 21)])
    }

    /// A Scan whose inputs and enclosing values are all constants: folded at compile time.
    static func constantScan() throws -> Sample {
        var builder = GraphBuilder(name: "constant_scan")
        let offset = try builder.input("offset", floats(5, 2))
        let s0 = try builder.parameter("s0", try random([2], seed: 22))
        let x = try builder.parameter("x", try random([5, 2], seed: 23))
        let w = try builder.parameter("w", try random([2], seed: 24))
        let step = try body("step", inputs: [("s_prev", floats(2)), ("x_t", floats(2))]) { body, inputs in
            let next = try body.apply(.add, inputs[0], try body.apply(.mul, inputs[1], w, name: "weighted"), name: "s_next")
            return [next, try body.apply(.identity, next, name: "emitted")]
        }
        let outputs = try builder.add(.scan(ScanAttributes(body: step, scanInputCount: 1)), [s0, x], name: "scan", outputCount: 2)
        try builder.output(try builder.apply(.add, outputs[1], offset, name: "shifted"))
        return (try builder.build(), ["offset": try random([5, 2], seed: 25)])
    }

    /// The zoo's projected LSTM (a Scan per layer and direction), time-major
    /// `[seq, batch, inputSize]`, with seeded weights, random biases (the block's are zero)
    /// and clips low enough to bite.
    static func projectedLSTM(_ lstm: LSTM, inputSize: Int, seq: Int, batch: Int) throws -> Sample {
        var tracer = Tracer(graphName: "lstmp", initialization: .seeded(7))
        let x = try tracer.input("x", TensorType(.float32, ["seq", "batch", .fixed(inputSize)]))
        try tracer.output(try lstm(x, &tracer, at: "rnn"), as: "y")
        var graph = try tracer.build()
        for (index, initializer) in graph.initializers.enumerated() where initializer.name.hasSuffix(".B") {
            graph.initializers[index].tensor = try random(initializer.tensor.shape, seed: UInt64(index), low: -0.5, high: 0.5)
        }
        return (graph, ["x": try random([seq, batch, inputSize], seed: 26, low: -2, high: 2)])
    }
}
