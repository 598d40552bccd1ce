import Testing
import ZooTensor

/// `permutingAxes` against numpy's `transpose`, values worked out by hand.
@Suite struct AxisPermutationTests {
    @Test func matrixTranspose() throws {
        let matrix = try Tensor(shape: [2, 3], scalars: [Float(1), 2, 3, 4, 5, 6])
        #expect(try matrix.permutingAxes([1, 0]) == Tensor(shape: [3, 2], scalars: [Float(1), 4, 2, 5, 3, 6]))
    }

    /// np.arange(24).reshape(2, 3, 4).transpose(2, 0, 1).ravel()
    @Test func rankThreeRotation() throws {
        let tensor = try Tensor(shape: [2, 3, 4], scalars: (0..<24).map(Int32.init))
        let expected: [Int32] = [0, 4, 8, 12, 16, 20, 1, 5, 9, 13, 17, 21, 2, 6, 10, 14, 18, 22, 3, 7, 11, 15, 19, 23]
        #expect(try tensor.permutingAxes([2, 0, 1]) == Tensor(shape: [4, 2, 3], scalars: expected))
    }

    @Test func identityScalarAndEmpty() throws {
        let scalar = Tensor(scalar: Float(7))
        #expect(try scalar.permutingAxes([]) == scalar)
        let empty = try Tensor(zeros: [0, 3])
        #expect(try empty.permutingAxes([1, 0]).shape == [3, 0])
    }

    @Test func aPermutationMustNameEachAxisOnce() throws {
        let tensor = try Tensor(zeros: [2, 3])
        #expect(throws: TensorError.invalidPermutation(permutation: [0, 0], rank: 2)) { try tensor.permutingAxes([0, 0]) }
        #expect(throws: TensorError.invalidPermutation(permutation: [0], rank: 2)) { try tensor.permutingAxes([0]) }
        #expect(throws: TensorError.invalidPermutation(permutation: [0, 2], rank: 2)) { try tensor.permutingAxes([0, 2]) }
    }
}
