import ZooGraph
import ZooTensor

/// PyTorch `nn.LSTM` parameters into the zoo's ONNX-layout LSTM (see `LSTM` in ZooBlocks):
///
///     <p>.weight_ih_l<k>[_reverse]  [4H, I]  gates i, f, g, o   →  <p>.<k>.W  [dirs, 4H, I]  gates i, o, f, c
///     <p>.weight_hh_l<k>[_reverse]  [4H, H]                      →  <p>.<k>.R  [dirs, 4H, H]
///     <p>.bias_ih_l<k>, bias_hh_l<k>  [4H] each                  →  <p>.<k>.B  [dirs, 8H]  (input, then recurrent)
///
/// The forward direction comes first, then `_reverse`. A layer is converted only when the
/// graph has `<p>.<k>.W`; its four source tensors are then consumed.
enum LSTMGateOrder {
    /// PyTorch's gate blocks (i, f, g, o) in ONNX's order (i, o, f, c=g).
    static let onnxOrder = [0, 3, 1, 2]

    static func convert(_ tensors: inout [String: Tensor], for graph: Graph, notes: inout [String]) throws(PretrainedError) {
        let known = Set(graph.initializers.map(\.name))
        var converted: [String] = []
        for name in tensors.keys.sorted() {
            guard let match = name.firstMatch(of: /^(.+)\.weight_ih_l(\d+)$/) else { continue }
            let prefix = String(match.1), layer = String(match.2)
            let target = "\(prefix).\(layer)"
            guard known.contains("\(target).W") else { continue }
            var weights: [Tensor] = [], recurrent: [Tensor] = [], biases: [Tensor] = []
            for suffix in ["", "_reverse"] {
                let names = ["weight_ih", "weight_hh", "bias_ih", "bias_hh"].map { "\(prefix).\($0)_l\(layer)\(suffix)" }
                guard names.allSatisfy({ tensors[$0] != nil }) else { continue }
                let parts = names.compactMap { tensors.removeValue(forKey: $0) }
                weights.append(try reordered(parts[0], name: names[0]))
                recurrent.append(try reordered(parts[1], name: names[1]))
                biases.append(try concatenated([try reordered(parts[2], name: names[2]), try reordered(parts[3], name: names[3])], name: names[2]))
            }
            guard !weights.isEmpty else { continue }
            tensors["\(target).W"] = try stacked(weights, name: "\(target).W")
            tensors["\(target).R"] = try stacked(recurrent, name: "\(target).R")
            tensors["\(target).B"] = try stacked(biases, name: "\(target).B")
            converted.append("\(prefix).*_l\(layer) → \(target).W/R/B")
        }
        if !converted.isEmpty {
            notes.append("nn.LSTM gates reordered from PyTorch's (i, f, g, o) to ONNX's (i, o, f, c): \(converted.joined(separator: ", "))")
        }
    }

    /// The tensor's first axis, four gate blocks long, in ONNX's order.
    private static func reordered(_ tensor: Tensor, name: String) throws(PretrainedError) -> Tensor {
        guard let rows = tensor.shape.first, rows % 4 == 0 else {
            throw .weights(.invalidTensor(file: name, name: name, reason: "shape \(tensor.shape) is not four gate blocks along its first axis"))
        }
        let blockBytes = tensor.byteCount / 4
        var bytes = [UInt8](repeating: 0, count: tensor.byteCount)
        tensor.withUnsafeBytes { source in
            for (position, gate) in onnxOrder.enumerated() {
                for offset in 0..<blockBytes { bytes[position * blockBytes + offset] = source[gate * blockBytes + offset] }
            }
        }
        return try make(tensor.dtype, tensor.shape, bytes, name: name)
    }

    private static func concatenated(_ parts: [Tensor], name: String) throws(PretrainedError) -> Tensor {
        let bytes = parts.flatMap { part in part.withUnsafeBytes { Array($0) } }
        return try make(parts[0].dtype, [parts.reduce(0) { $0 + ($1.shape.first ?? 0) }] + parts[0].shape.dropFirst(), bytes, name: name)
    }

    /// The directions stacked on a new first axis.
    private static func stacked(_ parts: [Tensor], name: String) throws(PretrainedError) -> Tensor {
        guard parts.allSatisfy({ $0.shape == parts[0].shape && $0.dtype == parts[0].dtype }) else {
            throw .weights(.invalidTensor(file: name, name: name, reason: "the two directions' shapes differ: \(parts.map(\.shape))"))
        }
        return try make(parts[0].dtype, [parts.count] + parts[0].shape, parts.flatMap { part in part.withUnsafeBytes { Array($0) } }, name: name)
    }

    private static func make(_ dtype: DType, _ shape: [Int], _ bytes: [UInt8], name: String) throws(PretrainedError) -> Tensor {
        do { return try Tensor(dtype: dtype, shape: shape, bytes: bytes) } catch {
            throw .weights(.invalidTensor(file: name, name: name, reason: error.description))
        }
    }
}
