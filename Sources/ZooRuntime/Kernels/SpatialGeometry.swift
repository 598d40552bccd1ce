import ZooGraph
import ZooTensor

/// The spatial arithmetic shared by Conv and the pools: resolved pads (auto_pad applied)
/// and output sizes, ⌊(n + padBegin + padEnd − d·(k−1) − 1) / s⌋ + 1, or the ceiling form
/// for ceil_mode, where a window may not start inside the end padding (PyTorch and
/// onnxruntime agree on this).
struct SpatialGeometry: Sendable, Equatable {
    var input: [Int]
    var kernel: [Int]
    var strides: [Int]
    var dilations: [Int]
    var padsBegin: [Int]
    var padsEnd: [Int]
    var output: [Int]

    init(input: [Int], kernel: [Int], strides: [Int]?, pads: [Int]?, dilations: [Int]?, autoPad: AutoPad,
         ceilMode: Bool, _ context: KernelContext) throws(RuntimeError) {
        let count = input.count
        guard kernel.count == count, kernel.allSatisfy({ $0 >= 1 }) else {
            throw context.fail("kernel \(kernel) does not fit \(count) spatial axes")
        }
        self.input = input
        self.kernel = kernel
        self.strides = try context.spatialList(strides, "strides", count, 1, minimum: 1)
        self.dilations = try context.spatialList(dilations, "dilations", count, 1, minimum: 1)
        let explicit = try context.spatialList(pads, "pads", 2 * count, 0, minimum: 0)
        padsBegin = Array(explicit[..<count])
        padsEnd = Array(explicit[count...])
        output = []
        for axis in 0..<count {
            let stride = self.strides[axis]
            let described = "spatial axis \(axis) (kernel \(kernel[axis]), stride \(stride), dilation \(self.dilations[axis]), pads \(padsBegin[axis]) and \(padsEnd[axis]))"
            let window = try context.checked(described) { () throws(ArithmeticOverflow) in
                try CheckedArithmetic.add(try CheckedArithmetic.multiply(self.dilations[axis], kernel[axis] - 1), 1)
            }
            switch autoPad {
            case .sameUpper, .sameLower:
                let size = input[axis] == 0 ? 0 : (input[axis] - 1) / stride + 1
                // (size − 1)·stride < input, so only the window can overflow the total.
                let total = max(0, try context.checked(described) { () throws(ArithmeticOverflow) in
                    try CheckedArithmetic.add((size - 1) * stride - input[axis], window)
                })
                padsBegin[axis] = autoPad == .sameUpper ? total / 2 : total - total / 2
                padsEnd[axis] = total - padsBegin[axis]
                output.append(size)
            case .valid, .notSet:
                if autoPad == .valid { (padsBegin[axis], padsEnd[axis]) = (0, 0) }
                let padded = try context.checked(described) { () throws(ArithmeticOverflow) in
                    try CheckedArithmetic.sum([input[axis], padsBegin[axis], padsEnd[axis]])
                }
                let span = padded - window
                guard span >= 0 else {
                    throw context.fail("spatial axis \(axis) of size \(input[axis]) (padded) is smaller than the \(window)-wide window")
                }
                // ⌈span / stride⌉ without forming span + stride − 1, which overflows for huge strides.
                var size = (ceilMode && span % stride != 0 ? span / stride + 1 : span / stride) + 1
                let (reach, beyond) = (size - 1).multipliedReportingOverflow(by: stride)
                if ceilMode && (beyond || reach >= input[axis] + padsBegin[axis]) { size -= 1 }
                output.append(size)
            }
        }
    }
}

extension KernelContext {
    /// A per-axis attribute (strides, pads, dilations, …): `length` values of at least
    /// `minimum`, or `fill` on every axis when the attribute is absent.
    func spatialList(_ values: [Int]?, _ name: String, _ length: Int, _ fill: Int, minimum: Int) throws(RuntimeError) -> [Int] {
        let values = values ?? Array(repeating: fill, count: length)
        guard values.count == length, values.allSatisfy({ $0 >= minimum }) else {
            throw fail("\(name) \(values) must have \(length) values of at least \(minimum)")
        }
        return values
    }
}
