import ZooGraph

/// Parameters, compute and activation memory of a node, a block or a whole graph.
public struct Counts: Hashable, Sendable {
    /// Elements of the floating-point initializers attributed here (see `ComplexityReport`).
    public var parameters: Int
    /// The part of `parameters` that training updates: all but BatchNormalization's running
    /// mean and variance.
    public var trainableParameters: Int
    public var macs: Polynomial
    public var flops: Polynomial
    /// Bytes of every output produced: elements × dtype size.
    public var activationBytes: Polynomial

    public var nonTrainableParameters: Int { parameters - trainableParameters }

    public init(parameters: Int = 0, trainableParameters: Int = 0, macs: Polynomial = .zero,
                flops: Polynomial = .zero, activationBytes: Polynomial = .zero) {
        self.parameters = parameters
        self.trainableParameters = trainableParameters
        self.macs = macs
        self.flops = flops
        self.activationBytes = activationBytes
    }

    /// The sum of `parts`; parameter sums cannot overflow, as every parameter is held in memory.
    static func sum(_ parts: some Sequence<Counts>) throws(PolynomialError) -> Counts {
        var total = Counts()
        for part in parts {
            total.parameters += part.parameters
            total.trainableParameters += part.trainableParameters
            total.macs = try total.macs + part.macs
            total.flops = try total.flops + part.flops
            total.activationBytes = try total.activationBytes + part.activationBytes
        }
        return total
    }
}

/// One node's counts.
public struct NodeCount: Hashable, Sendable {
    /// The node name: its block path for traced models (`layer1.0.conv1`).
    public var name: String
    /// ONNX op name.
    public var op: String
    /// Types of the named outputs.
    public var outputTypes: [TensorType]
    /// False when the rules in use have no rule for the op: MACs and FLOPs are then zero
    /// because they were not measured, and the node is listed as uncounted.
    public var isCounted: Bool
    /// True when every input is a parameter or constant: the node runs once, at load time,
    /// so it has no per-run cost or activations.
    public var computesConstant: Bool
    public var counts: Counts
}

/// The counts of the nodes sharing a block path prefix.
public struct BlockCount: Hashable, Sendable {
    /// The first path components shared by the nodes (`layer1`, `layer1.0`).
    public var path: String
    public var nodeCount: Int
    public var counts: Counts
}
