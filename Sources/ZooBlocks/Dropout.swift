import ZooGraph

/// Dropout, kept in the graph as an ONNX Dropout node with its ratio as a constant input, so
/// the model's training configuration survives export. Identity at inference.
public struct Dropout: Layer, Sendable, Hashable, Codable {
    public var rate: Float

    public init(_ rate: Float) {
        self.rate = rate
    }

    public func callAsFunction(_ input: Value, _ tracer: inout Tracer) throws -> Value {
        try tracer.require(rate >= 0 && rate < 1, "Dropout", "rate is \(rate), must be in [0, 1)")
        let ratio = try tracer.scalar(rate, role: "ratio")
        return try tracer.apply(.dropout, input, ratio)
    }
}
