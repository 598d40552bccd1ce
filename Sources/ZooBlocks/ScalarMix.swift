import ZooGraph
import ZooTensor

/// ELMo's scalar mix (Peters et al. 2018, eq. 1; AllenNLP's `ScalarMix`):
/// `y = γ · Σ_k softmax(s)_k · h_k` over equally shaped layer representations `h_k`.
/// Parameters `scalar_parameters.k` `[1]` (zero, so the mix starts as a plain average) and
/// `gamma` `[1]` (one).
public struct ScalarMix: Sendable, Hashable, Codable {
    public init() {}

    public func callAsFunction(_ layers: [Value], _ tracer: inout Tracer) throws -> Value {
        try tracer.require(!layers.isEmpty, "ScalarMix", "needs at least one layer to mix")
        try tracer.require(Set(layers.map(\.type)).count == 1, "ScalarMix",
                           "layers must have one type, got \(layers.map(\.type.description))")
        let scalars = try layers.indices.map { index in
            try tracer.parameter("scalar_parameters.\(index)", shape: [1], fill: .zeros)
        }
        let gamma = try tracer.parameter("gamma", shape: [1], fill: .ones)
        let logits = try tracer.apply(.concat(axis: 0), scalars, role: "scalars")
        let weights = try tracer.apply(.softmax(axis: 0), logits, role: "weights")
        var sum: Value?
        for (index, layer) in layers.enumerated() {
            let position = try tracer.constant(Tensor(scalar: Int64(index)), role: "index_\(index)")
            let weight = try tracer.apply(.gather(axis: 0), weights, position, role: "weight_\(index)")
            let term = try tracer.apply(.mul, layer, weight, role: "weighted_\(index)")
            sum = try sum.map { try tracer.apply(.add, $0, term, role: "sum_\(index)") } ?? term
        }
        return try tracer.apply(.mul, sum ?? layers[0], gamma)
    }
}
