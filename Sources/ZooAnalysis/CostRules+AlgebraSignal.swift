import Foundation
import ZooGraph

// Rules for Einsum, Det, LpNormalization, GlobalLpPool, BitCast, DFT, STFT and the windows.
extension CostContext {
    func algebraCost(_ op: AlgebraOp) throws(CountError) -> Cost {
        switch op {
        case .einsum(let equation): return try einsumCost(equation)
        case .det: return try determinantCost()
        case .lpNormalization:
            // |x| or x², the sum, the division by the norm (and its root, counted per element).
            let elements = try outputElements()
            return try checked { () throws(PolynomialError) in try Cost(elements: elements, flopsPerElement: 3) }
        case .globalLpPool:
            // Per input element |x|, the power and the sum; per output the p-th root.
            let inputs = try inputElements(0), outputs = try outputElements()
            return try checked { () throws(PolynomialError) in try Cost(macs: .zero, otherFLOPs: 3 * inputs + outputs) }
        case .bitCast: return .free
        }
    }

    /// Einsum: the product of every label's size (the index space S) times one MAC per
    /// operand after the first: a two-operand contraction counts exactly as its batched
    /// MatMul. A single operand only sums: S − E adds (none for a transpose or a diagonal).
    private func einsumCost(_ equation: EinsumEquation) throws(CountError) -> Cost {
        var sizes: [Character: Dim] = [:]
        var ellipsis: [Dim] = []
        for (index, labels) in equation.operands.enumerated() {
            let dims = try input(index).dims
            let ellipsisRank = dims.count - labels.filter { $0 != .ellipsis }.count
            var axis = 0
            for label in labels {
                switch label {
                case .ellipsis:
                    // The broadcast ellipsis: the longest, a size above 1 where operands differ.
                    let part = Array(dims[axis..<axis + ellipsisRank])
                    if part.count > ellipsis.count { ellipsis = Array(repeating: .fixed(1), count: part.count - ellipsis.count) + ellipsis }
                    for (offset, dim) in part.enumerated() where dim != .fixed(1) { ellipsis[ellipsis.count - part.count + offset] = dim }
                    axis += ellipsisRank
                case .letter(let letter):
                    sizes[letter] = dims[axis]
                    axis += 1
                }
            }
        }
        let outputs = try outputElements()
        let operandCount = equation.operands.count
        return try checked { () throws(PolynomialError) in
            let space = try Polynomial(product: Array(sizes.values) + ellipsis)
            if operandCount == 1 { return try Cost(macs: .zero, otherFLOPs: space + (-1) * outputs) }
            return try Cost(macs: space * Polynomial(operandCount - 1))
        }
    }

    /// Det by LU elimination with partial pivoting: Σ (M−1−k)² = (M−1)·M·(2M−1)/6 MACs and
    /// M − 1 + Σ (M−1−k) divisions and multiplications of the diagonal per M×M matrix.
    /// A symbolic M counts as M³ MACs, an upper bound.
    private func determinantCost() throws(CountError) -> Cost {
        let dims = try input(0).dims
        let matrices = try outputElements()
        return try checked { () throws(PolynomialError) in
            guard let size = dims[dims.count - 1].value else {
                let m = try Polynomial(dims[dims.count - 1])
                return try Cost(macs: matrices * m * m * m)
            }
            let macs = (size - 1) * size * (2 * size - 1) / 6, other = size * (size - 1) / 2 + size
            return try Cost(macs: matrices * Polynomial(macs), otherFLOPs: matrices * Polynomial(other))
        }
    }

    func signalCost(_ op: SignalOp) throws(CountError) -> Cost {
        switch op {
        case .dft(let inverse, let onesided, let axis):
            let input = try input(0), output = try output(0)
            let position = axis.flatMap { SignalOp.resolvedDFTAxis($0, rank: input.rank) } ?? input.rank - 2
            let points: Dim
            if onesided && !inverse {
                // The length is the axis' size, or dft_length, taken as even: 2·(bins − 1).
                points = hasInput(1) ? try evenLength(bins: output.dims[position]) : input.dims[position]
            } else {
                points = output.dims[position]
            }
            var others = input.dims
            others.remove(at: input.rank - 1)
            others.remove(at: position)
            return try checked { () throws(PolynomialError) in
                try Cost(elements: try Polynomial(product: others), flopsPerElement: try Self.transformFLOPs(points))
            }
        case .stft:
            let output = try output(0)
            let frameLength = try self.frameLength()
            return try checked { () throws(PolynomialError) in
                // Each frame: the window's product (one per point), then the transform.
                try Cost(elements: try Polynomial(product: output.dims.prefix(2)),
                         flopsPerElement: try Self.transformFLOPs(frameLength) + Polynomial(frameLength))
            }
        case .window(let function, _, _):
            let elements = try outputElements()
            return try checked { () throws(PolynomialError) in
                try Cost(elements: elements, flopsPerElement: Polynomial(function == .blackman ? 6 : 3))
            }
        case .melWeightMatrix:
            // At most one division per weight (the ramps); zeros elsewhere.
            let elements = try outputElements()
            return try checked { () throws(PolynomialError) in try Cost(elements: elements, flopsPerElement: Polynomial(1)) }
        }
    }

    /// FLOPs of one complex transform of `points` points as the kernel computes it: a radix-2
    /// FFT costs 5·n·log₂n; another length runs Bluestein's three FFTs of m ≥ 2n − 1 points
    /// plus its chirp products (6 FLOPs per complex product, 3n of them).
    static func fftFLOPs(points: Int) -> Int {
        guard points > 1 else { return 0 }
        func radix2(_ n: Int) -> Int { 5 * n * (Int.bitWidth - 1 - n.leadingZeroBitCount) }
        if points & (points - 1) == 0 { return radix2(points) }
        var padded = 1
        while padded < 2 * points - 1 { padded <<= 1 }
        return 3 * radix2(padded) + 18 * points
    }

    /// FLOPs of one transform of `points` points: `fftFLOPs` of a fixed length; for a length
    /// known only at run time, a symbol standing for them, `fftFLOPs(n)` (n·log n is no
    /// polynomial), so that totals stay polynomials that say what they depend on.
    static func transformFLOPs(_ points: Dim) throws(PolynomialError) -> Polynomial {
        guard let length = points.value else {
            return try Polynomial(.symbolic("fftFLOPs(\(points.description.replacingOccurrences(of: "*", with: "·")))"))
        }
        return Polynomial(fftFLOPs(points: length))
    }

    /// STFT's frame length: the window's, else from the bins (2·(bins − 1), taken as even,
    /// for a one-sided spectrum).
    private func frameLength() throws(CountError) -> Dim {
        if hasInput(2) { return try input(2).dims[0] }
        let bins = try output(0).dims[2]
        guard case .signal(.stft(onesided: true)) = op else { return bins }
        return try evenLength(bins: bins)
    }

    /// 2·(bins − 1); for bins known only at run time, a symbol naming that length.
    private func evenLength(bins: Dim) throws(CountError) -> Dim {
        guard let count = bins.value else { return .symbolic("2(\(bins.description.replacingOccurrences(of: "*", with: "·"))-1)") }
        return .fixed(2 * (count - 1))
    }
}
