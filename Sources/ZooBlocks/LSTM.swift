import ZooGraph

/// A stack of LSTM layers: `i = σ(W_i x + R_i h + b_i)`, `o = σ(…)`, `f = σ(…)`,
/// `c̃ = tanh(…)`, `c' = f∘c + i∘c̃`, `h' = o∘tanh(c')`.
///
/// Time-major, as ONNX's default layout: input `[seq, batch, inputSize]`, output
/// `[seq, batch, directions·outputSize]` (the directions' outputs concatenated per step), where
/// the output size is the projection size if there is one, else the hidden size.
///
/// Without a projection each layer is one ONNX LSTM node: layer `l` declares
/// `<path>.l.W [dirs, 4H, I]`, `<path>.l.R [dirs, 4H, H]` and `<path>.l.B [dirs, 8H]` (input
/// then recurrent bias), in ONNX's layout and gate order (i, o, f, c). PyTorch's
/// `weight_ih_l0` etc. hold gates in the order (i, f, g, o) and must be reordered when
/// importing; that conversion belongs at the import edge.
///
/// With `projectionSize` P the layers are projected LSTMs (LSTMP, PyTorch's `proj_size`,
/// ELMo's biLM): `h' = P·(o∘tanh(c'))` is the output and the recurrent state, and optional
/// clips bound the cell and the projection. ONNX's LSTM has no projection, so each layer
/// and direction is a Scan over time; see `LSTM+Projection.swift` for its parameters.
public struct LSTM: Layer, Sendable, Hashable, Codable {
    public var hiddenSize: Int
    public var layerCount: Int
    public var bidirectional: Bool
    public var reverse: Bool
    /// Dropout on each layer's input from the second layer on, as `nn.LSTM(dropout:)`.
    public var dropout: Float
    /// Adds each layer's input to its output from the second layer on (ELMo's skip connections).
    public var residual: Bool
    /// The size P each step's cell output is projected to, which is also the recurrent
    /// state's size; nil for the plain LSTM.
    public var projectionSize: Int?
    /// Bounds the cell state to [−cellClip, cellClip] after each step (projected LSTMs only;
    /// ONNX LSTM's `clip` bounds the gate inputs instead).
    public var cellClip: Float?
    /// Bounds the projected output to [−projectionClip, projectionClip] (projected LSTMs only).
    public var projectionClip: Float?

    /// `reverse` runs a single direction backwards in time; `bidirectional` runs both.
    public init(hiddenSize: Int, layerCount: Int = 1, bidirectional: Bool = false, reverse: Bool = false,
                dropout: Float = 0, residual: Bool = false, projectionSize: Int? = nil, cellClip: Float? = nil,
                projectionClip: Float? = nil) {
        self.hiddenSize = hiddenSize
        self.layerCount = layerCount
        self.bidirectional = bidirectional
        self.reverse = reverse
        self.dropout = dropout
        self.residual = residual
        self.projectionSize = projectionSize
        self.cellClip = cellClip
        self.projectionClip = projectionClip
    }

    var direction: LSTMAttributes.Direction {
        bidirectional ? .bidirectional : reverse ? .reverse : .forward
    }

    /// PyTorch's initialisation of every LSTM matrix: U(−1/√H, 1/√H), projected or not.
    var weightFill: ParameterFill {
        .uniform(bound: 1 / Float(hiddenSize).squareRoot())
    }

    public func callAsFunction(_ input: Value, _ tracer: inout Tracer) throws -> Value {
        try layerOutputs(input, &tracer).last ?? input
    }

    /// The output of every layer, `[seq, batch, directions·outputSize]` each.
    public func layerOutputs(_ input: Value, _ tracer: inout Tracer) throws -> [Value] {
        let block = "LSTM"
        try tracer.require(input.type.rank == 3, block, "expects a [seq, batch, features] input, got \(input.type)")
        try tracer.require(hiddenSize >= 1, block, "hidden size is \(hiddenSize), must be positive")
        try tracer.require(layerCount >= 1, block, "layer count is \(layerCount), must be positive")
        try tracer.require(!(bidirectional && reverse), block, "a layer is either bidirectional or reverse, not both")
        try checkProjection(tracer)
        var initialStates: (h: Value, c: Value)?
        if let projectionSize { initialStates = try projectedInitialStates(projectionSize, batchOf: input, &tracer) }
        var outputs: [Value] = []
        var layerInput = input
        for layer in 0..<layerCount {
            let output = try tracer.scope(String(layer)) { tracer in
                var x = layerInput
                if layer > 0 && dropout > 0 { x = try Dropout(dropout)(x, &tracer, at: "dropout") }
                var y: Value
                if let projectionSize, let initialStates {
                    y = try projectedRecurrence(x, projectionSize: projectionSize, from: initialStates, &tracer)
                } else {
                    y = try recurrence(x, &tracer)
                }
                if layer > 0 && residual { y = try tracer.apply(.add, y, layerInput, role: "residual") }
                return y
            }
            outputs.append(output)
            layerInput = output
        }
        return outputs
    }

    /// One LSTM node and the reshaping of its `[seq, dirs, batch, H]` output to `[seq, batch, dirs·H]`.
    private func recurrence(_ input: Value, _ tracer: inout Tracer) throws -> Value {
        let inputSize = try tracer.staticSize(of: input, axis: 2, "LSTM", role: "feature size")
        let directions = direction.count
        let gates = 4 * hiddenSize
        let inputWeights = try tracer.parameter("W", shape: [directions, gates, inputSize], fill: weightFill)
        let recurrentWeights = try tracer.parameter("R", shape: [directions, gates, hiddenSize], fill: weightFill)
        let biases = try tracer.parameter("B", shape: [directions, 2 * gates], fill: .zeros)
        let attributes = LSTMAttributes(hiddenSize: hiddenSize, direction: direction)
        let sequence = try tracer.apply(.lstm(attributes), input, inputWeights, recurrentWeights, biases)
        guard bidirectional else {
            return try tracer.apply(.squeeze, sequence, try tracer.integers([1], role: "axes"), role: "squeeze")
        }
        let timeMajor = try tracer.apply(.transpose(perm: [0, 2, 1, 3]), sequence, role: "transpose")
        return try tracer.apply(.reshape(), timeMajor, try tracer.integers([0, 0, -1], role: "shape"), role: "reshape")
    }
}
