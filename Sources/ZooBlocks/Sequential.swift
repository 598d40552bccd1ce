/// Layers applied in order, each under its own child name: indices `0`, `1`, … (like
/// `nn.Sequential`, hence `features.0.weight`), or the names given.
public struct Sequential: Layer {
    public var children: [(name: String, layer: any Layer)]

    /// Children named by their index.
    public init(_ layers: [any Layer]) {
        children = layers.enumerated().map { (String($0.offset), $0.element) }
    }

    /// Children with the given names, in order.
    public init(_ named: KeyValuePairs<String, any Layer>) {
        children = named.map { ($0.key, $0.value) }
    }

    public func callAsFunction(_ input: Value, _ tracer: inout Tracer) throws -> Value {
        var value = input
        for child in children {
            value = try child.layer(value, &tracer, at: child.name)
        }
        return value
    }
}
