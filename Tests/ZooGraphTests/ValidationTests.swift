import Testing
import ZooGraph
import ZooTensor

/// Each kind of malformed graph throws its own error, naming the node.
@Suite struct ValidationTests {
    private let float4 = TensorType(.float32, [1, 3, 8, 8])

    private func node(_ name: String, _ op: Op, _ inputs: [String], _ outputs: [String]? = nil) -> Node {
        Node(name: name, op: op, inputs: inputs, outputs: outputs ?? [name])
    }

    @Test func undefinedValue() {
        let graph = Graph(name: "g", inputs: [ValueInfo(name: "x", type: float4)], outputs: [],
                          nodes: [node("relu", .relu, ["y"])])
        #expect(throws: GraphError.undefinedValue(value: "y", node: "relu")) { try graph.valueTypes() }
        #expect(GraphError.undefinedValue(value: "y", node: "relu").description
            == "node 'relu' reads 'y', which no input, initializer or node defines")
    }

    @Test func doublyDefinedValue() {
        let graph = Graph(name: "g", inputs: [ValueInfo(name: "x", type: float4)],
                          nodes: [node("a", .relu, ["x"], ["y"]), node("b", .sigmoid, ["x"], ["y"])])
        #expect(throws: GraphError.duplicateDefinition(value: "y", node: "b")) { try graph.valueTypes() }
    }

    @Test func duplicateNodeName() {
        let graph = Graph(name: "g", inputs: [ValueInfo(name: "x", type: float4)],
                          nodes: [node("a", .relu, ["x"], ["y"]), node("a", .sigmoid, ["x"], ["z"])])
        #expect(throws: GraphError.duplicateNodeName("a")) { try graph.valueTypes() }
    }

    @Test func cycle() {
        let graph = Graph(name: "g", inputs: [ValueInfo(name: "x", type: float4)],
                          nodes: [node("a", .add, ["x", "c"]), node("b", .relu, ["a"]), node("c", .relu, ["b"])])
        #expect(throws: GraphError.cycle(nodes: ["a", "b", "c"])) { try graph.valueTypes() }
    }

    @Test func arity() {
        let graph = Graph(name: "g", inputs: [ValueInfo(name: "x", type: float4)], nodes: [node("add", .add, ["x"])])
        #expect(throws: GraphError.inputCount(node: "add", op: "Add", expected: 2...2, actual: 1)) { try graph.valueTypes() }
        #expect(GraphError.inputCount(node: "add", op: "Add", expected: 2...2, actual: 1).description
            == "node 'add' (Add): expected 2 inputs, got 1")
    }

    @Test func dtypeMismatch() {
        let graph = Graph(name: "g", inputs: [ValueInfo(name: "x", type: float4), ValueInfo(name: "i", type: TensorType(.int64, [1]))],
                          nodes: [node("add", .add, ["x", "i"])])
        #expect(throws: GraphError.dtype(node: "add", op: "Add", input: "i", expected: "float32 (like 'x')", actual: .int64)) {
            try graph.valueTypes()
        }
    }

    @Test func shapeMismatchNamesTheNodeAndTheNumbers() throws {
        var builder = GraphBuilder(name: "g")
        let x = try builder.input("x", float4)
        let w = try builder.parameter("conv.weight", try Tensor(zeros: [16, 4, 3, 3]))
        #expect(throws: GraphError.shape(node: "conv", op: "Conv",
                                         message: "input has 3 channels, but the weight expects 4 per group × 1 groups = 4")) {
            try builder.apply(.conv(ConvAttributes()), x, w, name: "conv")
        }
        let small = try builder.parameter("big.weight", try Tensor(zeros: [1, 3, 11, 11]))
        #expect(throws: GraphError.shape(node: "big", op: "Conv",
                                         message: "spatial axis 2 has size 8 (with padding), smaller than the 11-wide window")) {
            try builder.apply(.conv(ConvAttributes()), x, small, name: "big")
        }
    }

    @Test func attributeRanges() throws {
        var builder = GraphBuilder(name: "g")
        let x = try builder.input("x", float4)
        #expect(throws: GraphError.attribute(node: "softmax", op: "Softmax", name: "axis",
                                             message: "is 4, outside the valid range [-4, 3] for rank 4")) {
            try builder.apply(.softmax(axis: 4), x, name: "softmax")
        }
        #expect(throws: GraphError.attribute(node: "t", op: "Transpose", name: "perm",
                                             message: "is [0, 0, 1, 2], not a permutation of the 4 axes of float32[1,3,8,8]")) {
            try builder.apply(.transpose(perm: [0, 0, 1, 2]), x, name: "t")
        }
        let w = try builder.parameter("w", try Tensor(zeros: [4, 3, 3, 3]))
        #expect(throws: GraphError.attribute(node: "conv", op: "Conv", name: "strides",
                                             message: "is [0, 1], every value must be at least 1")) {
            try builder.apply(.conv(ConvAttributes(strides: [0, 1])), x, w, name: "conv")
        }
    }

    @Test func hugeDimensionsAreErrorsNotTraps() throws {
        var builder = GraphBuilder(name: "g")
        let x = try builder.input("x", TensorType(.float32, [.fixed(1 << 62), .fixed(1 << 62), 4]))
        #expect(throws: GraphError.shape(node: "flatten", op: "Flatten",
                                         message: "the element count of [4611686018427387904, 4611686018427387904] overflows 64 bits")) {
            try builder.apply(.flatten(axis: 2), x, name: "flatten")
        }
    }

    @Test func reshapeThatCannotWork() throws {
        var builder = GraphBuilder(name: "g")
        let x = try builder.input("x", float4)
        let shape = try builder.constant(try Tensor(shape: [2], scalars: [Int64(-1), 7]), name: "shape")
        #expect(throws: GraphError.shape(node: "reshape", op: "Reshape", message: "cannot reshape float32[1,3,8,8] (192 elements) into [-1, 7]")) {
            try builder.apply(.reshape(), x, shape, name: "reshape")
        }
        // A target known only at run time: fresh sizes, as many as its static length.
        let input = try builder.input("dynamic", TensorType(.int64, [2]))
        let reshaped = try builder.apply(.reshape(), x, input, name: "r2")
        #expect(reshaped.type.dims == [.symbolic("r2:0"), .symbolic("r2:1")])
        // Of unknown length: the rank is unknown, a refusal naming the node and input.
        let unknownLength = try builder.input("unknown_length", TensorType(.int64, [.symbolic("n")]))
        #expect(throws: GraphError.nonConstantInput(node: "r3", op: "Reshape", input: "unknown_length",
                                                    role: "target shape, whose length, the output's rank, is not known statically")) {
            try builder.apply(.reshape(), x, unknownLength, name: "r3")
        }
    }

    @Test func declaredOutputTypeMustAgree() throws {
        let graph = Graph(name: "g", inputs: [ValueInfo(name: "x", type: float4)],
                          outputs: [ValueInfo(name: "relu", type: TensorType(.float32, [1, 3, 8, 9]))],
                          nodes: [node("relu", .relu, ["x"])])
        #expect(throws: GraphError.self) { try graph.valueTypes() }
    }

    @Test func dumpListsNodesWithTypes() throws {
        var builder = GraphBuilder(name: "tiny")
        let x = try builder.input("x", TensorType(.float32, ["batch", 4]))
        let w = try builder.parameter("fc.weight", try Tensor(zeros: [2, 4]))
        let y = try builder.apply(.gemm(GemmAttributes(transB: true)), x, w, name: "fc")
        try builder.output(y)
        #expect(try builder.build().textDump == """
            graph tiny {
              input  x: float32[batch,4]
              param  fc.weight: float32[2, 4]
              fc: float32[batch,2] = Gemm[transB=1](x, fc.weight)  # fc
              output fc: float32[batch,2]
            }
            """)
    }
}
