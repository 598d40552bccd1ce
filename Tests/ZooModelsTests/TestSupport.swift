import ZooBlocks
import ZooGraph
import ZooModels
import ZooTensor

/// Trainable parameters: elements of float initializers, BatchNorm running statistics
/// excluded (the convention of torchvision's and Hugging Face's published counts).
func parameterCount(_ graph: Graph, where include: (String) -> Bool = { _ in true }) -> Int {
    graph.initializers
        .filter { $0.tensor.dtype.isFloatingPoint && !$0.name.hasSuffix(".running_mean") && !$0.name.hasSuffix(".running_var") }
        .filter { include($0.name) }
        .reduce(0) { $0 + $1.tensor.elementCount }
}

/// Parameter shapes by name.
func parameterShapes(_ graph: Graph) -> [String: [Int]] {
    Dictionary(uniqueKeysWithValues: graph.initializers.map { ($0.name, $0.tensor.shape) })
}

func model(_ id: String, initialization: ParameterInitialization = .zeros) throws -> Graph {
    try Zoo.model(id).graph(initialization: initialization)
}

/// Traces one block on a graph input of `type`, the block's output becoming the graph output.
func traceBlock(_ type: TensorType, initialization: ParameterInitialization = .zeros,
                _ body: (Value, inout Tracer) throws -> Value) throws -> Graph {
    var tracer = Tracer(graphName: "block", initialization: initialization)
    let input = try tracer.input("x", type)
    try tracer.output(try body(input, &tracer), as: "y")
    return try tracer.build()
}

/// The error's description, or nil when `body` does not throw.
func errorMessage(_ body: () throws -> Any) -> String? {
    do {
        _ = try body()
        return nil
    } catch {
        return "\(error)"
    }
}

let batch = Dim.symbolic("batch")
let seq = Dim.symbolic("seq")
