import ZooGraph

/// A stack of LSTM layers, one ONNX LSTM node per layer:
/// `i = σ(W_i x + R_i h + b_i)`, `o = σ(…)`, `f = σ(…)`, `c̃ = tanh(…)`,
/// `c' = f∘c + i∘c̃`, `h' = o∘tanh(c')`.
///
/// Time-major, as ONNX's default layout: input `[seq, batch, inputSize]`, output
/// `[seq, batch, directions·hiddenSize]` (the directions' outputs concatenated per step).
/// Layer `l` declares `<path>.l.W [dirs, 4H, I]`, `<path>.l.R [dirs, 4H, H]` and
/// `<path>.l.B [dirs, 8H]` (input then recurrent bias), in ONNX's layout and gate order
/// (i, o, f, c). PyTorch's `weight_ih_l0` etc. hold gates in the order (i, f, g, o) and must
/// be reordered when importing; that conversion belongs at the import edge.
///
/// Not supported: the projected LSTM (LSTMP, PyTorch's `proj_size`, used by ELMo), whose
/// recurrent state is the projection `P·h` of the cell output. ONNX LSTM has no projection,
/// and a Dense after each layer would not feed the projection back into the recurrence.
public struct LSTM: Layer, Sendable, Hashable, Codable {
    public var hiddenSize: Int
    public var layerCount: Int
    public var bidirectional: Bool
    public var reverse: Bool
    /// Dropout on each layer's input from the second layer on, as `nn.LSTM(dropout:)`.
    public var dropout: Float
    /// Adds each layer's input to its output from the second layer on (ELMo's skip connections).
    public var residual: Bool

    /// `reverse` runs a single direction backwards in time; `bidirectional` runs both.
    public init(hiddenSize: Int, layerCount: Int = 1, bidirectional: Bool = false, reverse: Bool = false,
                dropout: Float = 0, residual: Bool = false) {
        self.hiddenSize = hiddenSize
        self.layerCount = layerCount
        self.bidirectional = bidirectional
        self.reverse = reverse
        self.dropout = dropout
        self.residual = residual
    }

    var direction: LSTMAttributes.Direction {
        bidirectional ? .bidirectional : reverse ? .reverse : .forward
    }

    public func callAsFunction(_ input: Value, _ tracer: inout Tracer) throws -> Value {
        try layerOutputs(input, &tracer).last ?? input
    }

    /// The output of every layer, `[seq, batch, directions·hiddenSize]` each.
    public func layerOutputs(_ input: Value, _ tracer: inout Tracer) throws -> [Value] {
        let block = "LSTM"
        try tracer.require(input.type.rank == 3, block, "expects a [seq, batch, features] input, got \(input.type)")
        try tracer.require(hiddenSize >= 1, block, "hidden size is \(hiddenSize), must be positive")
        try tracer.require(layerCount >= 1, block, "layer count is \(layerCount), must be positive")
        try tracer.require(!(bidirectional && reverse), block, "a layer is either bidirectional or reverse, not both")
        var outputs: [Value] = []
        var layerInput = input
        for layer in 0..<layerCount {
            let output = try tracer.scope(String(layer)) { tracer in
                var x = layerInput
                if layer > 0 && dropout > 0 { x = try Dropout(dropout)(x, &tracer, at: "dropout") }
                var y = try recurrence(x, &tracer)
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
        // PyTorch's initialisation: U(−1/√H, 1/√H) for both matrices.
        let bound = 1 / Float(hiddenSize).squareRoot()
        let inputWeights = try tracer.parameter("W", shape: [directions, gates, inputSize], fill: .uniform(bound: bound))
        let recurrentWeights = try tracer.parameter("R", shape: [directions, gates, hiddenSize], fill: .uniform(bound: bound))
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
