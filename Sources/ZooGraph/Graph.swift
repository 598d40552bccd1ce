import ZooTensor

/// A computation graph with ONNX semantics: typed inputs, named parameters (initializers),
/// nodes, and outputs. Every capability of ModelZoo reads or writes this one value.
public struct Graph: Sendable, Equatable {
    public var name: String
    public var inputs: [ValueInfo]
    public var outputs: [ValueInfo]
    public var nodes: [Node]
    /// Parameters by name, in declaration order (PyTorch `state_dict` names for zoo models).
    public var initializers: [Initializer]

    public struct Initializer: Sendable, Equatable {
        public var name: String
        public var tensor: Tensor

        public init(name: String, tensor: Tensor) {
            self.name = name
            self.tensor = tensor
        }
    }

    public init(name: String, inputs: [ValueInfo] = [], outputs: [ValueInfo] = [], nodes: [Node] = [],
                initializers: [Initializer] = []) {
        self.name = name
        self.inputs = inputs
        self.outputs = outputs
        self.nodes = nodes
        self.initializers = initializers
    }

    /// Initializer tensors by name.
    public var initializerTensors: [String: Tensor] {
        Dictionary(initializers.map { ($0.name, $0.tensor) }, uniquingKeysWith: { first, _ in first })
    }

    /// The type of every value: inputs, initializers and node outputs, after validating the
    /// graph and inferring shapes.
    public func valueTypes() throws(GraphError) -> [String: TensorType] {
        try ShapeInference.run(self).types
    }
}
