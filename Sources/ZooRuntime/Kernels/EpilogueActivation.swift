import CZooKernels

extension [Epilogue] {
    /// The `ZOO_ACTIVATION_*` code our C kernels apply as they store (ReLU, sigmoid or tanh,
    /// or none for an empty epilogue); nil for anything they cannot do (a residual Add, GELU,
    /// two steps).
    var zooActivation: Int32? {
        let code = switch (count, first) {
        case (0, _): ZOO_ACTIVATION_NONE
        case (1, .relu): ZOO_ACTIVATION_RELU
        case (1, .sigmoid): ZOO_ACTIVATION_SIGMOID
        case (1, .tanh): ZOO_ACTIVATION_TANH
        default: Int?.none
        }
        return code.map { Int32($0) }
    }
}
