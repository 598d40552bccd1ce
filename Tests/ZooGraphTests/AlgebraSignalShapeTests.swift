import Testing
import ZooGraph
import ZooTensor

/// Shapes of Einsum, Det, the Lp norms, BitCast, DFT, STFT and the windows, symbolic where
/// the inputs are, and the errors naming the node for operands and attributes that do not fit.
@Suite struct AlgebraSignalShapeTests {
    /// The output type of `op` on graph inputs of `types` followed by constant `operands`
    /// (nil for an omitted one).
    private func output(_ op: Op, _ types: [TensorType], _ operands: [Tensor?] = []) throws -> TensorType {
        var builder = GraphBuilder(name: "shapes")
        var values: [GraphBuilder.Value?] = []
        for (index, type) in types.enumerated() { values.append(try builder.input("x\(index)", type)) }
        for (index, tensor) in operands.enumerated() { values.append(try tensor.map { try builder.parameter("c\(index)", $0) }) }
        return try builder.add(op, values, name: "node", outputCount: 1)[0].type
    }

    private func einsum(_ equation: String) throws -> Op { .algebra(.einsum(try EinsumEquation(equation))) }

    @Test func einsumKeepsSymbolsAndBroadcastsEllipses() throws {
        #expect(try output(einsum("bhqd,bhkd->bhqk"), [TensorType(.float32, ["batch", 4, "seq", 8]), TensorType(.float32, ["batch", 4, "seq", 8])])
            == TensorType(.float32, ["batch", 4, "seq", "seq"]))
        #expect(try output(einsum("...ij,...jk"), [TensorType(.float32, [2, 1, 3, 4]), TensorType(.float32, [5, 4, 6])])
            == TensorType(.float32, [2, 5, 3, 6]))
        #expect(try output(einsum("ii->i"), [TensorType(.float64, [5, 5])]) == TensorType(.float64, [5]))
        #expect(try output(einsum("ij"), [TensorType(.float32, [2, 3])]) == TensorType(.float32, [2, 3]))
        #expect(try output(einsum("ji"), [TensorType(.float32, [2, 3])]) == TensorType(.float32, [3, 2]))
    }

    @Test func einsumOperandsThatDoNotFitAreNamed() throws {
        #expect(throws: GraphError.shape(node: "node", op: "Einsum",
                                         message: "operand 0 'x0' float32[2,3,4] has rank 3; 'ij->i' gives it 2 labels")) {
            _ = try output(einsum("ij->i"), [TensorType(.float32, [2, 3, 4])])
        }
        #expect(throws: GraphError.attribute(node: "node", op: "Einsum", name: "equation",
                                             message: "'ij,jk' names 2 operands; the node has 1 inputs")) {
            _ = try output(einsum("ij,jk"), [TensorType(.float32, [2, 3])])
        }
    }

    @Test func determinantNormsAndBitCast() throws {
        #expect(try output(.algebra(.det), [TensorType(.float32, ["batch", 3, 3])]) == TensorType(.float32, ["batch"]))
        #expect(throws: GraphError.shape(node: "node", op: "Det", message: "input 'x0' float32[2,3] holds 2×3 matrices; Det needs square ones")) {
            _ = try output(.algebra(.det), [TensorType(.float32, [2, 3])])
        }
        #expect(try output(.algebra(.globalLpPool(p: 2)), [TensorType(.float32, ["batch", 3, 7, 7])]) == TensorType(.float32, ["batch", 3, 1, 1]))
        #expect(throws: GraphError.attribute(node: "node", op: "LpNormalization", name: "p", message: "is 3; LpNormalization takes 1 or 2")) {
            _ = try output(.algebra(.lpNormalization(axis: -1, p: 3)), [TensorType(.float32, [2, 3])])
        }
        #expect(try output(.algebra(.bitCast(to: .int32)), [TensorType(.float32, ["batch", 3])]) == TensorType(.int32, ["batch", 3]))
        #expect(throws: GraphError.attribute(node: "node", op: "BitCast", name: "to",
                                             message: "is int64 (8 bytes); the input 'x0' is float32 (4 bytes)")) {
            _ = try output(.algebra(.bitCast(to: .int64)), [TensorType(.float32, [2])])
        }
    }

    @Test func transformsAndWindows() throws {
        let dft = { (inverse: Bool, onesided: Bool) -> Op in .signal(.dft(inverse: inverse, onesided: onesided, axis: 1)) }
        #expect(try output(dft(false, false), [TensorType(.float32, ["batch", 10, 1])]) == TensorType(.float32, ["batch", 10, 2]))
        #expect(try output(dft(false, true), [TensorType(.float32, ["batch", 10, 1])]) == TensorType(.float32, ["batch", 6, 2]))
        #expect(try output(dft(false, false), [TensorType(.float32, [1, 10, 2])], [Tensor(scalar: Int64(16))])
            == TensorType(.float32, [1, 16, 2]))
        #expect(try output(dft(true, true), [TensorType(.float32, [1, 6, 2])]) == TensorType(.float32, [1, 10, 1]))
        #expect(throws: GraphError.shape(node: "node", op: "DFT",
                                         message: "input 'x0' float32[1,10,3] must end in an axis of 1 (real) or 2 (complex) values")) {
            _ = try output(dft(false, false), [TensorType(.float32, [1, 10, 3])])
        }
        // 128 samples in frames of 16 every 8: 15 frames of 9 one-sided bins.
        #expect(try output(.signal(.stft(onesided: true)), [TensorType(.float32, ["batch", 128, 1])],
                           [Tensor(scalar: Int64(8)), nil, Tensor(scalar: Int64(16))])
            == TensorType(.float32, ["batch", 15, 9, 2]))
        #expect(throws: GraphError.shape(node: "node", op: "STFT", message: "window 'c1' has 16 points; frame_length is 12")) {
            _ = try output(.signal(.stft(onesided: true)), [TensorType(.float32, [1, 128, 1])],
                           [Tensor(scalar: Int64(8)), try Tensor(zeros: [16]), Tensor(scalar: Int64(12))])
        }
        #expect(try output(.signal(.window(.hann, periodic: true, dtype: .float64)), [], [Tensor(scalar: Int64(10))])
            == TensorType(.float64, [10]))
    }
}
