/// The rewrites a Session applies to its private copy of the graph, in `defaultPipeline`
/// order. Each is one file under Passes/ whose first comment line is its contract; each
/// keeps the graph's outputs unchanged within floating-point rounding.
public enum GraphPass: String, Sendable, Hashable, CaseIterable {
    case constantFolding
    case identityRemoval
    case deadNodeRemoval
    case batchNormFolding
    case matMulBiasFusion
    case geluFusion
    case activationFusion
    case channelsLastLayout
    case scanInputProjection
    // Data movement and indexing
    case padFolding

    /// Why this order:
    /// 1. constantFolding first: shapes are fixed, so Shape→Gather→Concat→Reshape chains
    ///    become constants, and every later pass sees which operands are constant.
    /// 2. identityRemoval: Dropout/Identity hide producer→consumer pairs from the fusions.
    /// 3. deadNodeRemoval: drops what folding and removal left unread before matching.
    /// 4. scanInputProjection once weights are known constants: it needs them to hoist a
    ///    Scan body's input projection, and its MatMul carries its bias already.
    /// 5. batchNormFolding before the fusions: Conv→BN→Relu must become Conv→Relu first.
    /// 6. matMulBiasFusion before geluFusion: the GELU's input is the biased MatMul.
    /// 7. activationFusion last: it attaches residual Add then ReLU to a finished producer.
    /// 8. channelsLastLayout after every fusion: a fused residual Add's operand must be
    ///    converted along with the convolution's input, and no later pass may move nodes
    ///    across the conversions it inserts.
    /// 9. deadNodeRemoval again: folding rewrites leave the old constants' producers unread.
    /// 10. padFolding after constantFolding, which makes computed pads constants, and before
    ///    batchNormFolding and the layout pass, which then see the Conv without its Pad.
    public static let defaultPipeline: [GraphPass] = [
        .constantFolding, .identityRemoval, .deadNodeRemoval, .scanInputProjection, .padFolding, .batchNormFolding, .matMulBiasFusion,
        .geluFusion, .activationFusion, .channelsLastLayout, .deadNodeRemoval,
    ]
}

extension PlanGraph {
    /// Runs the options' passes in order. Types are propagated first in any case (folding or
    /// not), because the fusions check operand shapes.
    mutating func apply(_ options: SessionOptions) throws(RuntimeError) {
        try propagateTypes(options: options, folding: options.passes.contains(.constantFolding))
        for pass in options.passes {
            switch pass {
            case .constantFolding: break  // done by the propagation above
            case .identityRemoval: removeIdentities()
            case .deadNodeRemoval: removeDeadNodes()
            case .batchNormFolding: try foldBatchNorms()
            case .matMulBiasFusion: fuseMatMulBias()
            case .geluFusion: fuseGelu()
            case .activationFusion: fuseActivations()
            case .channelsLastLayout: keepActivationsChannelsLast()
            case .scanInputProjection: try hoistScanInputProjections()
            // Data movement and indexing
            case .padFolding: foldPadsIntoConvolutions()
            }
        }
    }

    /// The single node reading `value`, when exactly one node reads it and it is not a graph
    /// output (only then can its producer absorb that reader).
    func soleReader(of value: String, readers: [String: Int]) -> Int? {
        guard readers[value] == 1, !outputs.contains(value) else { return nil }
        return nodes.firstIndex { $0.allInputs.contains(value) }
    }

    /// The value of a one-element float32 constant.
    func constantScalar(_ name: String) -> Float? {
        guard let tensor = constants[name], tensor.elementCount == 1, tensor.dtype == .float32 else { return nil }
        return try? tensor.scalars(as: Float.self).first
    }
}
