import ZooGraph
import ZooTensor

/// Seeded inputs at a given batch size and sequence length: normal values for float
/// inputs; for integer inputs, ids valid for every embedding table (Gather) reading them,
/// zeros for token types and ones for attention masks.
enum BenchmarkInputs {
    static func make(for graph: Graph, batch: Int, sequenceLength: Int) throws -> [String: Tensor] {
        var result: [String: Tensor] = [:]
        let tables = Dictionary(graph.initializers.map { ($0.name, $0.tensor) }, uniquingKeysWith: { first, _ in first })
        for input in graph.inputs {
            let shape = input.type.dims.map { dim in
                dim.value ?? (dim.description == "seq" ? sequenceLength : batch)
            }
            if input.type.dtype == .float32 {
                result[input.name] = try Tensor.random(shape: shape, distribution: .normal(mean: 0, standardDeviation: 1), seed: 1)
                continue
            }
            let tableRows = graph.nodes.compactMap { node -> Int? in
                guard case .gather = node.op, node.inputs.count == 2, node.inputs[1] == input.name else { return nil }
                return tables[node.inputs[0]]?.shape.first
            }.min() ?? 1
            let values: [Int64] = (0..<shape.reduce(1, *)).map { index in
                if input.name.contains("mask") { return 1 }
                if input.name.contains("type") { return 0 }
                return Int64((index * 7919 + 101) % max(tableRows, 1))
            }
            result[input.name] = try Tensor(shape: shape, scalars: values)
        }
        return result
    }
}
