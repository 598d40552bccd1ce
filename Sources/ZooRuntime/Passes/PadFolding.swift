import ZooGraph
import ZooTensor

// Contract: a float32 constant-mode Pad with constant pads, non-negative, zero on the batch
// and channel axes, filling with zero (no constant_value, or a constant 0), whose output only
// a Conv (explicit pads, no auto_pad) reads as its input, disappears: its spatial pads are
// added to the Conv's. Zero-padding and then convolving is convolving with zero padding, so
// exports that write an explicit Pad before strided convolutions (TensorFlow's SAME padding
// in MobileNet and EfficientNet) skip the copy.
extension PlanGraph {
    mutating func foldPadsIntoConvolutions() {
        var index = 0
        while index < nodes.count {
            guard let (convolution, attributes) = padFolding(at: index) else {
                index += 1
                continue
            }
            nodes[convolution].op = .conv(attributes)
            nodes[convolution].inputs[0] = nodes[index].inputs[0]
            nodes.remove(at: index)
        }
    }

    /// The Conv reading Pad node `index` and its attributes with the pads added, when the
    /// contract holds.
    private func padFolding(at index: Int) -> (Int, ConvAttributes)? {
        let pad = nodes[index]
        guard case .movement(.pad(.constant)) = pad.op, pad.epilogue.isEmpty, pad.input(3) == nil,
              let output = pad.outputs.first, let type = types[output], type.dtype == .float32, type.rank >= 3,
              let pads = pad.input(1).flatMap({ constants[$0]?.integerValues }), pads.count == 2 * type.rank,
              pads.allSatisfy({ $0 >= 0 }), [pads[0], pads[1], pads[type.rank], pads[type.rank + 1]] == [0, 0, 0, 0],
              pad.input(2).map({ constants[$0]?.doubleValues == [0] }) ?? true,
              let convolution = soleReader(of: output, readers: readerCounts()),
              case .conv(var attributes) = nodes[convolution].op, attributes.autoPad == .notSet,
              nodes[convolution].inputs.firstIndex(of: output) == 0, nodes[convolution].inputs.lastIndex(of: output) == 0
        else { return nil }
        let spatial = type.rank - 2
        let existing = attributes.pads ?? Array(repeating: 0, count: 2 * spatial)
        guard existing.count == 2 * spatial else { return nil }
        // Conv's pads are [begins, ends] of the spatial axes; Pad's of every axis.
        attributes.pads = (0..<(2 * spatial)).map { position in
            existing[position] + pads[position / spatial * type.rank + 2 + position % spatial]
        }
        return (convolution, attributes)
    }
}
