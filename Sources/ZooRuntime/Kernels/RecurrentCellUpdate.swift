import CZooKernels
import Foundation
import ZooGraph

/// What each cell type does with its gates' pre-activations g = (X·Wᵀ)_t + h·Rᵀ + bias for
/// one batch row and a range of hidden units (ONNX's equations, clip applied to every
/// gate's pre-activation after all its terms, as onnxruntime does):
/// - RNN: h' = f(g).
/// - GRU: z = f(g_z), r = f(g_r), h̃ = g(g_h) with g_h = (X·Wₕᵀ)_t + Wbₕ + (r∘h)·Rₕᵀ + Rbₕ,
///   or with linear_before_reset (X·Wₕᵀ)_t + Wbₕ + r∘(h·Rₕᵀ + Rbₕ); h' = (1 − z)∘h̃ + z∘h.
/// - LSTM: i = f(g_i + P_i∘c), f = f(g_f + P_f∘c) (or 1 − i with input_forget),
///   c̃ = g(g_c), c' = f∘c + i∘c̃, o = f(g_o + P_o∘c'), h' = o∘h(c').
struct RecurrentCellUpdate: Sendable {
    let cell: RecurrentAttributes.Cell
    /// f, g, h of each direction.
    let activations: [[RecurrentActivation]]
    let clip: Float?
    let hasPeepholes: Bool

    init(attributes: RecurrentAttributes, hasPeepholes: Bool) {
        cell = attributes.cell
        activations = (0..<attributes.direction.count).map(attributes.activations(ofDirection:))
        clip = attributes.clip
        self.hasPeepholes = hasPeepholes
    }

    /// GRU without linear_before_reset needs r for every unit before it can multiply
    /// (r∘h)·Rₕᵀ: its h gate's product waits for a second phase.
    var multipliesResetHidden: Bool { cell == .gru(linearBeforeReset: false) }

    /// Gate blocks whose product with h is taken at the start of a step.
    var gatesMultipliedFirst: Int { multipliesResetHidden ? 2 : cell.gateCount }

    /// The bias vectors of the run from B `[directions, 2·gates·H]` (Wb then Rb) or zeros:
    /// `[directions, gates·H]` added to the gates each step, then `[directions, H]` of Rbₕ
    /// that a GRU with linear_before_reset adds to h·Rₕᵀ before the reset gate.
    func splitBias(_ b: UnsafePointer<Float>?, into target: UnsafeMutablePointer<Float>, _ shape: RecurrentKernel.Shape) {
        let (hidden, width) = (shape.hidden, shape.gateWidth)
        let reset = target + shape.directions * width
        guard let b else {
            target.update(repeating: 0, count: shape.directions * (width + hidden))
            return
        }
        let separateResetBias = cell == .gru(linearBeforeReset: true)
        for direction in 0..<shape.directions {
            let (wb, rb) = (b + direction * 2 * width, b + direction * 2 * width + width)
            let stepBias = target + direction * width
            for k in 0..<width { stepBias[k] = wb[k] + rb[k] }
            if separateResetBias {
                for k in 0..<hidden { stepBias[2 * hidden + k] = wb[2 * hidden + k] }
                (reset + direction * hidden).update(from: rb + 2 * hidden, count: hidden)
            } else {
                (reset + direction * hidden).update(repeating: 0, count: hidden)
            }
        }
    }

    /// Pointers of one batch row for units starting at `first`: its gate values (the
    /// products with R on entry), the step's projection and bias, h before and after the
    /// step, c, r∘h (GRU), Rbₕ (GRU) and P (LSTM).
    struct Row {
        var gates: UnsafeMutablePointer<Float>
        var projection: UnsafePointer<Float>
        var bias: UnsafePointer<Float>
        var hidden: UnsafePointer<Float>
        var next: UnsafeMutablePointer<Float>
        var cell: UnsafeMutablePointer<Float>
        var resetHidden: UnsafeMutablePointer<Float>
        var resetBias: UnsafePointer<Float>
        var peepholes: UnsafePointer<Float>?
    }

    /// The step's first phase for `count` units of one row: the whole update, or for a GRU
    /// without linear_before_reset, z, r and r∘h.
    func first(_ row: Row, count: Int, hiddenSize: Int, direction: Int) {
        let functions = activations[direction]
        // A GRU's h gate takes its projection and bias with (or after) the reset gate.
        let summed: Int
        if case .gru = cell { summed = 2 } else { summed = cell.gateCount }
        for gate in 0..<summed {
            let offset = gate * hiddenSize
            for k in 0..<count { row.gates[offset + k] += row.projection[offset + k] + row.bias[offset + k] }
        }
        switch cell {
        case .rnn:
            activate(row.gates, count: count, functions[0])
            row.next.update(from: row.gates, count: count)
        case .gru(let linearBeforeReset):
            let (z, r, candidate) = (row.gates, row.gates + hiddenSize, row.gates + 2 * hiddenSize)
            activate(z, count: count, functions[0])
            activate(r, count: count, functions[0])
            guard linearBeforeReset else {
                for k in 0..<count { row.resetHidden[k] = r[k] * row.hidden[k] }
                return
            }
            for k in 0..<count {
                candidate[k] = row.projection[2 * hiddenSize + k] + row.bias[2 * hiddenSize + k]
                    + r[k] * (candidate[k] + row.resetBias[k])
            }
            finishGRU(row, count: count, hiddenSize: hiddenSize, direction: direction)
        case .lstm(let inputForget):
            updateLSTM(row, count: count, hiddenSize: hiddenSize, functions: functions, inputForget: inputForget)
        }
    }

    /// A GRU without linear_before_reset, once (r∘h)·Rₕᵀ is in the h gate's block.
    func second(_ row: Row, count: Int, hiddenSize: Int, direction: Int) {
        let candidate = row.gates + 2 * hiddenSize
        for k in 0..<count { candidate[k] += row.projection[2 * hiddenSize + k] + row.bias[2 * hiddenSize + k] }
        finishGRU(row, count: count, hiddenSize: hiddenSize, direction: direction)
    }

    private func finishGRU(_ row: Row, count: Int, hiddenSize: Int, direction: Int) {
        let (z, candidate) = (row.gates, row.gates + 2 * hiddenSize)
        activate(candidate, count: count, activations[direction][1])
        for k in 0..<count { row.next[k] = (1 - z[k]) * candidate[k] + z[k] * row.hidden[k] }
    }

    private func updateLSTM(_ row: Row, count: Int, hiddenSize: Int, functions: [RecurrentActivation], inputForget: Bool) {
        let g = row.gates, c = row.cell
        let (input, output, forget, candidate) = (g, g + hiddenSize, g + 2 * hiddenSize, g + 3 * hiddenSize)
        if let p = row.peepholes {
            for k in 0..<count {
                input[k] += p[k] * c[k]
                forget[k] += p[2 * hiddenSize + k] * c[k]
            }
        }
        activate(input, count: count, functions[0])
        if inputForget {
            for k in 0..<count { forget[k] = 1 - input[k] }
        } else {
            activate(forget, count: count, functions[0])
        }
        activate(candidate, count: count, functions[1])
        for k in 0..<count { c[k] = forget[k] * c[k] + input[k] * candidate[k] }
        if let p = row.peepholes {
            for k in 0..<count { output[k] += p[hiddenSize + k] * c[k] }
        }
        activate(output, count: count, functions[0])
        // candidate is free now: it takes h(c').
        applyFunction(c, into: candidate, count: count, functions[2])
        for k in 0..<count { row.next[k] = output[k] * candidate[k] }
    }

    /// Clips `values` to [-clip, clip], then applies `function`, in place.
    private func activate(_ values: UnsafeMutablePointer<Float>, count: Int, _ function: RecurrentActivation) {
        if let clip {
            for k in 0..<count { values[k] = min(max(values[k], -clip), clip) }
        }
        applyFunction(values, count: count, function)
    }

    private func applyFunction(_ x: UnsafeMutablePointer<Float>, count: Int, _ function: RecurrentActivation) {
        applyFunction(x, into: x, count: count, function)
    }

    /// `x` = function(`source`); the two may be the same array.
    private func applyFunction(_ source: UnsafePointer<Float>, into x: UnsafeMutablePointer<Float>, count: Int,
                               _ function: RecurrentActivation) {
        if let code = Self.vectorisedCode(function.function) { return zoo_activate(source, x, count, code) }
        if source != UnsafePointer(x) { x.update(from: source, count: count) }
        let (alpha, beta) = (function.alpha, function.beta)
        switch function.function {
        case .sigmoid, .tanh, .relu: break  // vectorised above
        case .scaledTanh:
            for k in 0..<count { x[k] *= beta }
            zoo_activate(x, x, count, Int32(ZOO_ACTIVATION_TANH))
            for k in 0..<count { x[k] *= alpha }
        case .hardSigmoid: for k in 0..<count { x[k] = min(max(alpha * x[k] + beta, 0), 1) }
        case .affine: for k in 0..<count { x[k] = alpha * x[k] + beta }
        case .leakyRelu: for k in 0..<count where x[k] < 0 { x[k] *= alpha }
        case .thresholdedRelu: for k in 0..<count where !(x[k] > alpha) { x[k] = 0 }
        case .elu: for k in 0..<count where x[k] < 0 { x[k] = alpha * (expf(x[k]) - 1) }
        case .softsign: for k in 0..<count { x[k] /= 1 + abs(x[k]) }
        // log(1 + eˣ), without overflowing eˣ for large x.
        case .softplus: for k in 0..<count { x[k] = max(x[k], 0) + log1pf(expf(-abs(x[k]))) }
        }
    }

    /// The functions CZooKernels' `zoo_activate` computes, which the default gates use.
    private static func vectorisedCode(_ function: RecurrentActivation.Function) -> Int32? {
        switch function {
        case .sigmoid: Int32(ZOO_ACTIVATION_SIGMOID)
        case .tanh: Int32(ZOO_ACTIVATION_TANH)
        case .relu: Int32(ZOO_ACTIVATION_RELU)
        default: nil
        }
    }
}
