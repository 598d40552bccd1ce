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

    /// Why this order:
    /// 1. constantFolding first: shapes are fixed, so Shape→Gather→Concat→Reshape chains
    ///    become constants, and every later pass sees which operands are constant.
    /// 2. identityRemoval: Dropout/Identity hide producer→consumer pairs from the fusions.
    /// 3. deadNodeRemoval: drops what folding and removal left unread before matching.
    /// 4. batchNormFolding before the fusions: Conv→BN→Relu must become Conv→Relu first.
    /// 5. matMulBiasFusion before geluFusion: the GELU's input is the biased MatMul.
    /// 6. activationFusion last: it attaches residual Add then ReLU to a finished producer.
    /// 7. channelsLastLayout after every fusion: a fused residual Add's operand must be
    ///    converted along with the convolution's input, and no later pass may move nodes
    ///    across the conversions it inserts.
    /// 8. deadNodeRemoval again: folding rewrites leave the old constants' producers unread.
    public static let defaultPipeline: [GraphPass] = [
        .constantFolding, .identityRemoval, .deadNodeRemoval, .batchNormFolding, .matMulBiasFusion, .geluFusion,
        .activationFusion, .channelsLastLayout, .deadNodeRemoval,
    ]
}

extension PlanGraph {
    /// Runs `passes` in order. Types are propagated first in any case (folding or not),
    /// because the fusions check operand shapes.
    mutating func apply(_ passes: [GraphPass], threads: Int) throws(RuntimeError) {
        try propagateTypes(threads: threads, folding: passes.contains(.constantFolding))
        for pass in passes {
            switch pass {
            case .constantFolding: break  // done by the propagation above
            case .identityRemoval: removeIdentities()
            case .deadNodeRemoval: removeDeadNodes()
            case .batchNormFolding: try foldBatchNorms()
            case .matMulBiasFusion: fuseMatMulBias()
            case .geluFusion: fuseGelu()
            case .activationFusion: fuseActivations()
            case .channelsLastLayout: keepActivationsChannelsLast()
            }
        }
    }

    /// The single node reading `value`, when exactly one node reads it and it is not a graph
    /// output (only then can its producer absorb that reader).
    func soleReader(of value: String, readers: [String: Int]) -> Int? {
        guard readers[value] == 1, !outputs.contains(value) else { return nil }
        return nodes.firstIndex { $0.allInputs.contains(value) }
    }
}
