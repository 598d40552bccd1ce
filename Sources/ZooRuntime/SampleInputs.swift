import ZooGraph
import ZooTensor

/// Seeded inputs for running a graph without data: normal values for floating-point
/// inputs; for integer inputs, ids valid for every embedding table (Gather) they index, or
/// ones (attention masks and other integer inputs no table reads). Inputs the caller
/// already has are taken as they are.
public enum SampleInputs {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    public static func make(for graph: Graph, symbolValues: [String: Int], seed: UInt64 = 0,
                            given: [String: Tensor] = [:]) throws -> [String: Tensor]
    {
        var generator = SplitMix64(seed: seed)
        var inputs = given
        let tables = graph.initializerTensors
        for input in graph.inputs where given[input.name] == nil {
            let shape = try input.type.dims.map { dim -> Int in
                switch dim {
                case .fixed(let size): return size
                case .symbolic(let name):
                    guard let value = symbolValues[name] else {
                        throw Failure(description: "input '\(input.name)' has the symbolic size '\(name)'; give it a value")
                    }
                    return value
                }
            }
            let count: Int, byteCount: Int
            do {
                byteCount = try ShapeArithmetic.byteCount(shape, dtype: input.type.dtype)
                count = try ShapeArithmetic.elementCount(shape)
            } catch {
                throw Failure(description: "input '\(input.name)' of shape \(shape): \(error)")
            }
            // Filling it touches every page: beyond what is available, the system would kill us.
            let available = MachineMemory.availableByteCount()
            guard byteCount <= available else {
                throw Failure(description: "input '\(input.name)' of shape \(shape) needs \(MachineMemory.describe(byteCount)), the machine has \(MachineMemory.describe(available)) available")
            }
            if input.type.dtype.isFloatingPoint {
                inputs[input.name] = try Tensor.random(shape: shape, distribution: .normal(mean: 0, standardDeviation: 1),
                                                       seed: generator.next())
                continue
            }
            let bounds = graph.nodes.compactMap { node -> Int? in
                guard case .gather = node.op, node.inputs.count == 2, node.inputs[1] == input.name else { return nil }
                return tables[node.inputs[0]]?.shape.first
            }
            let values: [Int64] = (0..<count).map { _ in
                guard let bound = bounds.min(), bound > 0 else { return 1 }
                return Int64(generator.next() % UInt64(bound))
            }
            switch input.type.dtype {
            case .int64: inputs[input.name] = try Tensor(shape: shape, scalars: values)
            case .int32: inputs[input.name] = try Tensor(shape: shape, scalars: values.map { Int32($0) })
            default:
                throw Failure(description: "input '\(input.name)' is \(input.type.dtype): give its values in a file")
            }
        }
        return inputs
    }
}
