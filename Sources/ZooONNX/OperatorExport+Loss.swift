import ZooGraph

// Losses → ONNX attributes (the defaults, reduction mean and no ignore_index, left out).
extension LossAttributes {
    var onnxAttributes: [(String, AttributeValue)] {
        (reduction == .mean ? [] : [("reduction", .string(reduction.rawValue))]) + (ignoreIndex.map { [("ignore_index", .int($0))] } ?? [])
    }
}
