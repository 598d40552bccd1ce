import Testing
import ZooGraph
import ZooTensor

/// Scan: shape inference with the body in context, outer-scope reads, validation, dumps.
@Suite struct ScanTests {
    /// A running weighted sum: s' = s + x_t∘w, emitted at every step; w is read from the
    /// enclosing graph. State `[batch, 2]`, scanned input `xType`.
    private func runningSum(_ xType: TensorType, _ attributes: (Graph) -> ScanAttributes = { ScanAttributes(body: $0, scanInputCount: 1) })
        throws -> Graph
    {
        let body = Graph(
            name: "step",
            inputs: [ValueInfo(name: "s_prev", type: TensorType(.float32, ["batch", 2])),
                     ValueInfo(name: "x_t", type: TensorType(.float32, ["batch", 2]))],
            outputs: [ValueInfo(name: "s_next", type: TensorType(.float32, ["batch", 2])),
                      ValueInfo(name: "y_t", type: TensorType(.float32, ["batch", 2]))],
            nodes: [Node(name: "weighted", op: .mul, inputs: ["x_t", "w"], outputs: ["weighted"]),
                    Node(name: "sum", op: .add, inputs: ["s_prev", "weighted"], outputs: ["s_next"]),
                    Node(name: "emit", op: .identity, inputs: ["s_next"], outputs: ["y_t"])])
        return Graph(
            name: "running_sum",
            inputs: [ValueInfo(name: "s0", type: TensorType(.float32, ["batch", 2])), ValueInfo(name: "x", type: xType)],
            nodes: [Node(name: "scan", op: .scan(attributes(body)), inputs: ["s0", "x"], outputs: ["s_final", "y"])],
            initializers: [Graph.Initializer(name: "w", tensor: try Tensor(shape: [2], scalars: [Float(2), 3]))])
    }

    @Test func statesKeepTheirTypeAndPerStepOutputsStackAlongTheSequence() throws {
        let types = try runningSum(TensorType(.float32, ["seq", "batch", 2])).valueTypes()
        #expect(types["s_final"] == TensorType(.float32, ["batch", 2]))
        #expect(types["y"] == TensorType(.float32, ["seq", "batch", 2]))

        let fixed = try runningSum(TensorType(.float32, [7, "batch", 2])).valueTypes()
        #expect(fixed["y"] == TensorType(.float32, [7, "batch", 2]))
    }

    @Test func scanAndOutputAxesMoveTheSequenceDimension() throws {
        let batchMajor = try runningSum(TensorType(.float32, ["batch", "seq", 2])) {
            ScanAttributes(body: $0, scanInputCount: 1, scanInputAxes: [1], scanInputDirections: [1],
                           scanOutputAxes: [-2], scanOutputDirections: [1])
        }
        #expect(try batchMajor.valueTypes()["y"] == TensorType(.float32, ["batch", "seq", 2]))
    }

    @Test func outerValuesTheBodyReadsAreImplicitInputs() throws {
        var graph = try runningSum(TensorType(.float32, ["seq", "batch", 2]))
        #expect(graph.nodes[0].implicitInputs == ["w"])
        #expect(graph.nodes[0].inputs == ["s0", "x"])

        // The body may read an intermediate of the enclosing graph: the Scan then runs after
        // its producer, wherever the producer is listed.
        graph.initializers[0].name = "w_raw"
        graph.nodes.append(Node(name: "double", op: .add, inputs: ["w_raw", "w_raw"], outputs: ["w"]))
        let inference = try ShapeInference.run(graph)
        #expect(inference.order == [1, 0])
        #expect(inference.subgraph(0, of: "scan")?.types["weighted"] == TensorType(.float32, ["batch", 2]))
    }

    @Test func bodyErrorsNameTheScanAndTheBodyNode() throws {
        var graph = try runningSum(TensorType(.float32, ["seq", "batch", 2]))
        graph.initializers = []
        #expect(throws: GraphError.undefinedValue(value: "w", node: "scan")) { try graph.valueTypes() }

        // A body node may not redefine an enclosing value (ONNX's single assignment).
        var shadowing = try runningSum(TensorType(.float32, ["seq", "batch", 2]))
        guard case .scan(var attributes) = shadowing.nodes[0].op else { return }
        attributes.body.nodes[0].outputs = ["x"]
        attributes.body.nodes[1].inputs = ["s_prev", "x"]
        shadowing.nodes[0].op = .scan(attributes)
        let error = errorText { try shadowing.valueTypes() }
        #expect(error == "node 'scan' (Scan): body: value 'x' is defined twice (again by node 'weighted')")
    }

    @Test(arguments: [
        (TensorType(.float32, ["seq", "batch", 3]),
         "node 'scan' (Scan): body input 'x_t' is declared float32[batch,2], but receives float32[batch,3]"),
        (TensorType(.float32, ["seq"]),
         "node 'scan' (Scan): body input 'x_t' is declared float32[batch,2], but receives float32[]"),
        (TensorType(.int64, ["seq", "batch", 2]),
         "node 'scan' (Scan): body input 'x_t' is declared float32[batch,2], but receives int64[batch,2]"),
    ])
    func mismatchedSlicesAreRefused(x: TensorType, message: String) throws {
        #expect(errorText { try runningSum(x).valueTypes() } == message)
    }

    @Test func attributesAreChecked() throws {
        let x = TensorType(.float32, ["seq", "batch", 2])
        func error(_ attributes: @escaping (Graph) -> ScanAttributes) throws -> String? {
            let graph = try runningSum(x, attributes)
            return errorText { try graph.valueTypes() }
        }
        #expect(try error { ScanAttributes(body: $0, scanInputCount: 3) }
            == "node 'scan' (Scan): attribute 'num_scan_inputs' is 3, must be between 1 and the input count 2")
        #expect(try error { ScanAttributes(body: $0, scanInputCount: 2) }
            == "node 'scan' (Scan): body input 's_prev' is declared float32[batch,2], but receives float32[2]")
        #expect(try error { ScanAttributes(body: $0, scanInputCount: 1, scanInputDirections: [2]) }
            == "node 'scan' (Scan): attribute 'scan_input_directions' must hold 0 (forward) or 1 (reverse), got [2]")
        #expect(try error { ScanAttributes(body: $0, scanInputCount: 1, scanOutputAxes: [0, 1]) }
            == "node 'scan' (Scan): attribute 'scan_output_axes' has 2 values for 1 tensors")
        #expect(try error { ScanAttributes(body: $0, scanInputCount: 1, scanInputAxes: [3]) }
            == "node 'scan' (Scan): attribute 'scan_input_axes' is 3, outside the valid range [-3, 2] for rank 3")
    }

    /// Scans nested `depth` deep, each body scanning the main graph's `xs` again.
    private func nested(depth: Int) -> Graph {
        func body(level: Int) -> Graph {
            let state = TensorType(.float32, [2])
            let step: Node = level == depth
                ? Node(name: "add", op: .add, inputs: ["s\(level)", "x\(level)"], outputs: ["next\(level)"])
                : Node(name: "scan", op: .scan(ScanAttributes(body: body(level: level + 1), scanInputCount: 1)),
                       inputs: ["s\(level)", "xs"], outputs: ["next\(level)"])
            return Graph(name: "level\(level)",
                         inputs: [ValueInfo(name: "s\(level)", type: state), ValueInfo(name: "x\(level)", type: state)],
                         outputs: [ValueInfo(name: "next\(level)", type: state)], nodes: [step])
        }
        return Graph(
            name: "nested", inputs: [ValueInfo(name: "s0", type: TensorType(.float32, [2])),
                                     ValueInfo(name: "xs", type: TensorType(.float32, [3, 2]))],
            nodes: [Node(name: "scan", op: .scan(ScanAttributes(body: body(level: 1), scanInputCount: 1)),
                         inputs: ["s0", "xs"], outputs: ["sum"])])
    }

    @Test func nestingIsBoundedAtSixteenLevels() throws {
        #expect(try nested(depth: Graph.maximumSubgraphDepth).valueTypes()["sum"] == TensorType(.float32, [2]))
        let error = errorText { try nested(depth: Graph.maximumSubgraphDepth + 1).valueTypes() }
        #expect(error?.hasSuffix("node 'scan' (Scan): attribute 'body' nests subgraphs more than 16 levels deep") == true)
        #expect(error?.components(separatedBy: "body: ").count == 17)
    }

    @Test func dumpListsTheBodyIndentedUnderItsNode() throws {
        let graph = try runningSum(TensorType(.float32, ["seq", "batch", 2])) {
            ScanAttributes(body: $0, scanInputCount: 1, scanInputDirections: [1], scanOutputDirections: [1])
        }
        #expect(graph.textDump == """
            graph running_sum {
              input  s0: float32[batch,2]
              input  x: float32[seq,batch,2]
              param  w: float32[2]
              s_final: float32[batch,2], y: float32[seq,batch,2] = Scan[num_scan_inputs=1, scan_input_directions=[1], scan_output_directions=[1]](s0, x)  # scan
                graph step {
                  input  s_prev: float32[batch,2]
                  input  x_t: float32[batch,2]
                  weighted: float32[batch,2] = Mul(x_t, w)  # weighted
                  s_next: float32[batch,2] = Add(s_prev, weighted)  # sum
                  y_t: float32[batch,2] = Identity(s_next)  # emit
                  output s_next: float32[batch,2]
                  output y_t: float32[batch,2]
                }
            }
            """)
    }

    @Test func clipTakesScalarBoundsOfTheInputsType() throws {
        var builder = GraphBuilder(name: "clip")
        let x = try builder.input("x", TensorType(.float32, ["batch", 4]))
        let low = try builder.constant(Tensor(scalar: Float(-3)), name: "low")
        let high = try builder.constant(Tensor(scalar: Float(3)), name: "high")
        #expect(try builder.apply(.clip, x, low, high, name: "both").type == x.type)
        #expect(try builder.apply(.clip, x, nil, high, name: "upper").type == x.type)
        let vector = try builder.constant(try Tensor(shape: [1], scalars: [Float(3)]), name: "vector")
        #expect(throws: GraphError.shape(node: "bad", op: "Clip", message: "max 'vector' must have rank 0, got float32[1]")) {
            try builder.apply(.clip, x, low, vector, name: "bad")
        }
    }
}

private func errorText(_ body: () throws -> Any) -> String? {
    do {
        _ = try body()
        return nil
    } catch {
        return "\(error)"
    }
}
