// The recurrent ops (ONNX LSTM, GRU, RNN) share their inputs X `[seq, batch, input]`, W
// `[dirs, gates·H, input]`, R `[dirs, gates·H, H]`, B `[dirs, 2·gates·H]` (Wb then Rb),
// sequence_lens `[batch]` and initial_h `[dirs, batch, H]`, their outputs Y and Y_h, and
// the attributes below. `RecurrentAttributes` is that common form, which shape inference,
// counting and the kernel read for all three.

/// Which way a recurrent op runs over the sequence.
public enum RecurrentDirection: String, Sendable, Hashable, CaseIterable {
    case forward, reverse, bidirectional
    public var count: Int { self == .bidirectional ? 2 : 1 }
}

/// One of the functions ONNX's recurrent ops apply to their gates (`activations`), with its
/// `alpha` and `beta` resolved: given in `activation_alpha`/`activation_beta`, or the
/// default of the ONNX operator of the same name.
public struct RecurrentActivation: Sendable, Hashable, CustomStringConvertible {
    public enum Function: String, Sendable, Hashable, CaseIterable {
        case sigmoid = "Sigmoid", tanh = "Tanh", relu = "Relu", hardSigmoid = "HardSigmoid", affine = "Affine"
        case leakyRelu = "LeakyRelu", thresholdedRelu = "ThresholdedRelu", scaledTanh = "ScaledTanh", elu = "Elu"
        case softsign = "Softsign", softplus = "Softplus"

        /// alpha's default, or nil for a function without one.
        public var defaultAlpha: Float? {
            switch self {
            case .hardSigmoid: 0.2
            case .leakyRelu: 0.01
            case .affine, .thresholdedRelu, .scaledTanh, .elu: 1
            case .sigmoid, .tanh, .relu, .softsign, .softplus: nil
            }
        }

        /// beta's default, or nil for a function without one.
        public var defaultBeta: Float? {
            switch self {
            case .hardSigmoid: 0.5
            case .affine: 0
            case .scaledTanh: 1
            default: nil
            }
        }

        /// The function named `name`, case-insensitively (onnxruntime reads them so too).
        public init?(onnxName name: String) {
            guard let match = Self.allCases.first(where: { $0.rawValue.lowercased() == name.lowercased() }) else { return nil }
            self = match
        }
    }

    public var function: Function
    /// 0 for a function that takes no alpha (or beta).
    public var alpha: Float
    public var beta: Float

    public init(_ function: Function, alpha: Float? = nil, beta: Float? = nil) {
        self.function = function
        self.alpha = alpha ?? function.defaultAlpha ?? 0
        self.beta = beta ?? function.defaultBeta ?? 0
    }

    public static let sigmoid = RecurrentActivation(.sigmoid)
    public static let tanh = RecurrentActivation(.tanh)

    public var description: String {
        var parameters: [String] = []
        if function.defaultAlpha != nil { parameters.append("alpha \(alpha)") }
        if function.defaultBeta != nil { parameters.append("beta \(beta)") }
        return function.rawValue + (parameters.isEmpty ? "" : "(\(parameters.joined(separator: ", ")))")
    }
}

/// GRU and RNN (and, through `LSTMAttributes.recurrent`, LSTM): the cell, its size and the
/// options ONNX gives all three.
public struct RecurrentAttributes: Sendable, Hashable {
    public enum Cell: Sendable, Hashable {
        /// h' = f(x·Wᵀ + h·Rᵀ + Wb + Rb).
        case rnn
        /// Gates z, r, h. `linearBeforeReset` applies the reset gate after the product with
        /// R (r∘(h·Rₕᵀ + Rbₕ)) instead of before it ((r∘h)·Rₕᵀ + Rbₕ).
        case gru(linearBeforeReset: Bool)
        /// Gates i, o, f, c; `inputForget` couples f to 1 − i.
        case lstm(inputForget: Bool)

        public var onnxName: String {
            switch self {
            case .rnn: "RNN"
            case .gru: "GRU"
            case .lstm: "LSTM"
            }
        }

        /// Gate blocks in W and R: RNN 1, GRU 3, LSTM 4.
        public var gateCount: Int {
            switch self {
            case .rnn: 1
            case .gru: 3
            case .lstm: 4
            }
        }

        /// The activations of one direction when `activations` is not given: f (and g, h).
        public var defaultActivations: [RecurrentActivation] {
            switch self {
            case .rnn: [.tanh]
            case .gru: [.sigmoid, .tanh]
            case .lstm: [.sigmoid, .tanh, .tanh]
            }
        }

        /// Inputs: X, W, R, B, sequence_lens, initial_h (LSTM: then initial_c, P).
        public var inputArity: ClosedRange<Int> { isLSTM ? 3...8 : 3...6 }
        /// Outputs: Y, Y_h (LSTM: then Y_c).
        public var outputArity: ClosedRange<Int> { isLSTM ? 0...3 : 0...2 }

        public var isLSTM: Bool {
            if case .lstm = self { true } else { false }
        }
    }

    public var cell: Cell
    public var hiddenSize: Int
    public var direction: RecurrentDirection
    /// 0: X is `[seq, batch, input]`; 1: X is `[batch, seq, input]`.
    public var layout: Int
    /// Bound on every gate's pre-activation, `[-clip, clip]`; nil for none.
    public var clip: Float?
    /// The cell's activations for each direction in turn (forward first); empty means the
    /// cell's defaults.
    public var activations: [RecurrentActivation]

    public init(cell: Cell, hiddenSize: Int, direction: RecurrentDirection = .forward, layout: Int = 0, clip: Float? = nil,
                activations: [RecurrentActivation] = []) {
        self.cell = cell
        self.hiddenSize = hiddenSize
        self.direction = direction
        self.layout = layout
        self.clip = clip
        self.activations = activations
    }

    /// The activations of `direction` (0 forward, 1 reverse of a bidirectional op).
    public func activations(ofDirection index: Int) -> [RecurrentActivation] {
        let count = cell.defaultActivations.count
        guard activations.count >= (index + 1) * count else { return cell.defaultActivations }
        return Array(activations[index * count..<(index + 1) * count])
    }
}

extension LSTMAttributes {
    /// This LSTM in the form the recurrent ops share.
    public var recurrent: RecurrentAttributes {
        RecurrentAttributes(cell: .lstm(inputForget: inputForget), hiddenSize: hiddenSize, direction: direction, layout: layout,
                            clip: clip, activations: activations)
    }
}
