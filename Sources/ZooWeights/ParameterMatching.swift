import ZooGraph
import ZooTensor

/// Puts loaded tensors into a graph's initializers, but only when every name, shape and
/// dtype fits: otherwise nothing changes and one error lists every problem, so a wrong file
/// is diagnosed in one run rather than one mismatch at a time.
public enum ParameterMatching {
    /// `graph` with its initializers replaced by `tensors`; `file` names their source in errors.
    public static func assign(_ tensors: [String: Tensor], to graph: Graph, file: String) throws(WeightsError) -> Graph {
        var mismatches: [ParameterMismatch] = []
        var updated = graph
        for (index, initializer) in graph.initializers.enumerated() {
            let expected = initializer.tensor
            guard let loaded = tensors[initializer.name] else {
                mismatches.append(.missing(name: initializer.name, dtype: expected.dtype, shape: expected.shape))
                continue
            }
            let convertible = loaded.dtype == expected.dtype || (loaded.dtype.isFloatingPoint && expected.dtype.isFloatingPoint)
            if !convertible {
                mismatches.append(.wrongDType(name: initializer.name, expected: expected.dtype, actual: loaded.dtype))
            }
            if loaded.shape != expected.shape {
                mismatches.append(.wrongShape(name: initializer.name, expected: expected.shape, actual: loaded.shape))
            }
            guard mismatches.isEmpty else { continue }
            do {
                updated.initializers[index].tensor = try loaded.convertingFloatingPoint(to: expected.dtype)
            } catch {
                throw .invalidTensor(file: file, name: initializer.name, reason: error.description)
            }
        }
        let known = Set(graph.initializers.map(\.name))
        for (name, tensor) in tensors.sorted(by: { $0.key < $1.key }) where !known.contains(name) {
            mismatches.append(.unexpected(name: name, dtype: tensor.dtype, shape: tensor.shape))
        }
        guard mismatches.isEmpty else { throw .parametersDoNotMatch(file: file, mismatches: mismatches) }
        return updated
    }
}
