import ZooGraph
import ZooTensor

/// A value flowing through a traced model: its name in the graph and its inferred type.
public typealias Value = GraphBuilder.Value

/// Records a model as a graph while its blocks run. The tracer carries the path of the block
/// being traced (`layer1.0.conv1`); a block's parameters are named `path.weight`,
/// `path.bias`, …, and its nodes `path` (a single-op layer) or `path.role` (an op inside a
/// larger block), so names follow PyTorch `state_dict` naming with no renaming table.
public struct Tracer {
    public private(set) var builder: GraphBuilder
    public let initialization: ParameterInitialization
    /// The current block's path; empty at the root.
    public private(set) var path = ""
    private var nodeNames = Set<String>()
    private var parameters: [String: Value] = [:]

    public init(graphName: String, initialization: ParameterInitialization = .zeros) {
        builder = GraphBuilder(name: graphName)
        self.initialization = initialization
    }

    /// `path.name`, or `name` at the root.
    public func qualified(_ name: String) -> String {
        path.isEmpty ? name : "\(path).\(name)"
    }

    /// Runs `body` with `name` appended to the path: the child block `name` of the current one.
    public mutating func scope<Result>(_ name: String, _ body: (inout Tracer) throws -> Result) rethrows -> Result {
        let parent = path
        path = qualified(name)
        defer { path = parent }
        return try body(&self)
    }

    public mutating func input(_ name: String, _ type: TensorType) throws -> Value {
        try builder.input(name, type)
    }

    /// Declares `value` a graph output called `name` (through an Identity node when the names differ).
    public mutating func output(_ value: Value, as name: String) throws {
        try builder.output(value, as: name)
    }

    /// The finished graph, validated as a whole.
    public func build() throws -> Graph {
        try builder.build()
    }

    // MARK: Parameters

    /// Declares the float32 parameter `path.name` of `shape`, filled as `fill` asks when the
    /// initialisation is seeded.
    public mutating func parameter(_ name: String, shape: [Int], fill: ParameterFill) throws -> Value {
        let fullName = qualified(name)
        let tensor = try initialization.tensor(shape: shape, fill: fill, name: fullName)
        let value = try builder.parameter(fullName, tensor)
        parameters[fullName] = value
        return value
    }

    /// A parameter declared earlier, by its full name (for weight tying).
    public func parameter(named fullName: String) -> Value? {
        parameters[fullName]
    }

    // MARK: Nodes

    /// Adds a node named `path.role` (or `path` when `role` is nil) and returns its outputs. A
    /// name already taken gets a `_1`, `_2`, … suffix, as PyTorch's exporter does for a module
    /// called twice.
    @discardableResult
    public mutating func nodes(_ op: Op, _ inputs: [Value?], role: String? = nil, outputCount: Int = 1) throws -> [Value] {
        var base = role.map(qualified) ?? path
        if base.isEmpty { base = op.onnxName }
        var name = base
        var suffix = 0
        while nodeNames.contains(name) {
            suffix += 1
            name = "\(base)_\(suffix)"
        }
        nodeNames.insert(name)
        return try builder.add(op, inputs, name: name, outputCount: outputCount)
    }

    /// Adds a single-output node; see `nodes`.
    public mutating func apply(_ op: Op, _ inputs: Value?..., role: String? = nil) throws -> Value {
        try nodes(op, inputs, role: role)[0]
    }

    /// Adds a single-output node with any number of inputs (Concat); see `nodes`.
    public mutating func apply(_ op: Op, _ inputs: [Value?], role: String? = nil) throws -> Value {
        try nodes(op, inputs, role: role)[0]
    }

    /// A constant (a Constant node, not a parameter) named `path.role`.
    public mutating func constant(_ tensor: Tensor, role: String) throws -> Value {
        try apply(.constant(tensor), role: role)
    }

    /// A float32 scalar constant.
    public mutating func scalar(_ value: Float, role: String) throws -> Value {
        try constant(Tensor(scalar: value), role: role)
    }

    /// An int64 vector constant (shapes, axes).
    public mutating func integers(_ values: [Int], role: String) throws -> Value {
        try constant(Tensor(shape: [values.count], scalars: values.map { Int64($0) }), role: role)
    }

    // MARK: Subgraphs

    /// Traces a subgraph (a Scan's body) named `name`: `trace` declares its inputs and
    /// outputs, adds its nodes, and may read this graph's values (weights declared here
    /// before) directly. Its nodes are named under the current path like this graph's, and
    /// every name it defines is reserved here, so the two never clash (ONNX forbids a body
    /// to redefine an outer name). The body is validated when the Scan holding it is added.
    /// A parameter declared inside becomes the body's own initializer: declare weights here.
    public mutating func subgraph(named name: String, _ trace: (inout Tracer) throws -> Void) rethrows -> Graph {
        var body = Tracer(graphName: name, initialization: initialization)
        body.path = path
        body.nodeNames = nodeNames
        try trace(&body)
        let graph = body.builder.graph
        nodeNames.formUnion(graph.inputs.map(\.name) + graph.nodes.map(\.name) + graph.nodes.flatMap(\.outputs))
        return graph
    }

    // MARK: Checks

    /// Throws a configuration error naming the current block unless `condition` holds.
    public func require(_ condition: Bool, _ block: String, _ message: @autoclosure () -> String) throws {
        guard condition else { throw ConfigurationError.block(path: path, block: block, message: message()) }
    }

    /// The size of axis `axis` of `value`, which this block needs to know to shape its parameters.
    public func staticSize(of value: Value, axis: Int, _ block: String, role: String) throws -> Int {
        let resolved = axis < 0 ? axis + value.type.rank : axis
        guard value.type.dims.indices.contains(resolved), let size = value.type.dims[resolved].value else {
            throw ConfigurationError.block(
                path: path, block: block,
                message: "needs a fixed \(role) (axis \(axis)) to shape its parameters, got input \(value.type)")
        }
        return size
    }
}
