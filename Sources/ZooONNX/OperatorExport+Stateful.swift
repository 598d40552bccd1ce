import ZooGraph

// TensorScatter, CausalConvWithState and LinearAttention → ONNX attributes; defaults are left
// out, the required head counts always written.
extension StatefulOp {
    var onnxAttributes: [(String, AttributeValue)] {
        switch self {
        case .tensorScatter(let a):
            (a.circular ? [("mode", .string("circular"))] : []) + (a.axis == -2 ? [] : [("axis", .int(a.axis))])
        case .causalConvolution(let activation):
            activation == .none ? [] : [("activation", .string(activation.rawValue))]
        case .linearAttention(let a):
            [("q_num_heads", .int(a.queryHeadCount)), ("kv_num_heads", .int(a.keyValueHeadCount))]
                + (a.updateRule == .gatedDelta ? [] : [("update_rule", .string(a.updateRule.rawValue))])
                + (a.scale.map { [("scale", .float($0))] } ?? []) + (a.chunkSize == 64 ? [] : [("chunk_size", .int(a.chunkSize))])
        }
    }
}
