import ZooTensor

// Inputs whose values decide an output's shape (a Reshape target, Expand shape, axes, k) and
// are known only while the graph runs. Shape inference keeps going: each output dim that
// depends on such a value is a fresh symbol (`freshDim`), and the executor learns the value
// before it plans the nodes that read it. Only when the output's RANK depends on the length
// of a value whose length is not static does inference refuse, naming the node and input.
extension NodeContext {
    /// What shape inference knows of an integer input that sizes or arranges the output.
    enum IntegerInput {
        case absent
        case known([Int])
        /// Known only at run time; `count` is its element count when static (a rank-1 input
        /// of fixed length, or a scalar).
        case runTime(count: Int?)
    }

    /// The integer input `index`: absent, constant, or known only at run time.
    func integerInput(_ index: Int) throws(GraphError) -> IntegerInput {
        guard index < node.inputs.count, !node.inputs[index].isEmpty else { return .absent }
        let type = try integerType(index)
        if let values = constants[index]?.integerValues { return .known(values) }
        if type.rank == 0 { return .runTime(count: 1) }
        return .runTime(count: type.rank == 1 ? type.dims[0].value : nil)
    }

    /// The values of a shape-like input as dims: constants, dims followed through shape
    /// arithmetic, or one fresh symbol per element when the values are known only at run
    /// time but their count is static. Refuses, naming `role`, when even the count is unknown.
    func shapeDims(_ index: Int, role: String) throws(GraphError) -> [Dim] {
        _ = try integerType(index)
        if let dims = knownDims(index) { return dims }
        return (0..<(try runTimeCount(index, role: role))).map { freshDim($0) }
    }

    /// The static element count of an input known only at run time, which gives the rank of
    /// the output; a clear refusal when it is not static.
    func runTimeCount(_ index: Int, role: String) throws(GraphError) -> Int {
        guard case .runTime(let count?) = try integerInput(index) else {
            throw .nonConstantInput(node: node.name, op: opName, input: node.inputs[index],
                                    role: "\(role), whose length, the output's rank, is not known statically")
        }
        return count
    }

    /// The output of a node that keeps `rank` axes whose sizes are all known only at run time.
    func freshType(_ dtype: DType, rank: Int) -> Output {
        Output(type: TensorType(dtype, (0..<rank).map { freshDim($0) }))
    }
}

extension NodeContext.IntegerInput {
    /// An absent optional input as its default values.
    func defaulted(_ values: [Int]) -> Self {
        if case .absent = self { .known(values) } else { self }
    }
}
