/// The fully connected top of a classic CNN: hidden dense layers with an activation, then a
/// dense layer to `classCount` logits. Children are numbered as in torchvision's `classifier`
/// Sequential, dropout layers included (AlexNet `classifier.1/4/6`, VGG `classifier.0/3/6`).
public struct ClassifierHead: Layer, Sendable, Hashable, Codable {
    public enum DropoutPlacement: String, Sendable, Hashable, Codable {
        /// No dropout (LeNet).
        case none
        /// Before each hidden dense layer (torchvision AlexNet).
        case beforeHiddenDense
        /// After each hidden activation (VGG, d2l AlexNet).
        case afterHiddenActivation
    }

    public var hiddenSizes: [Int]
    public var classCount: Int
    public var activation: Activation
    public var dropout: Float
    public var dropoutPlacement: DropoutPlacement

    public init(hiddenSizes: [Int], classCount: Int, activation: Activation = .relu, dropout: Float = 0.5,
                dropoutPlacement: DropoutPlacement) {
        self.hiddenSizes = hiddenSizes
        self.classCount = classCount
        self.activation = activation
        self.dropout = dropout
        self.dropoutPlacement = dropoutPlacement
    }

    public var layers: [any Layer] {
        var layers: [any Layer] = []
        for size in hiddenSizes {
            if dropoutPlacement == .beforeHiddenDense { layers.append(Dropout(dropout)) }
            layers += [Dense(size), activation] as [any Layer]
            if dropoutPlacement == .afterHiddenActivation { layers.append(Dropout(dropout)) }
        }
        return layers + [Dense(classCount)]
    }

    public func callAsFunction(_ input: Value, _ tracer: inout Tracer) throws -> Value {
        try Sequential(layers)(input, &tracer)
    }
}
