/// A block with one input and one output that traces itself into the graph at the tracer's
/// current path. Blocks that take several inputs (attention with a mask) or return several
/// outputs (every layer of an LSTM) have their own `callAsFunction` signatures.
public protocol Layer {
    func callAsFunction(_ input: Value, _ tracer: inout Tracer) throws -> Value
}

extension Layer {
    /// Traces the layer as the child `name` of the current block: `try conv1(x, &tracer, at: "conv1")`.
    public func callAsFunction(_ input: Value, _ tracer: inout Tracer, at name: String) throws -> Value {
        try tracer.scope(name) { tracer in try self(input, &tracer) }
    }
}
