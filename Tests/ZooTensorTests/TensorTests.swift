import Testing
import ZooTensor

@Suite struct TensorTests {
    @Test func storesScalarsRowMajorAndAligned() throws {
        let tensor = try Tensor(shape: [2, 3], scalars: [Float(1), 2, 3, 4, 5, 6])
        #expect(tensor.elementCount == 6)
        #expect(tensor.byteCount == 24)
        #expect(try tensor.scalars(as: Float.self) == [1, 2, 3, 4, 5, 6])
        tensor.withUnsafeBytes { bytes in
            #expect(Int(bitPattern: bytes.baseAddress) % TensorStorage.alignment == 0)
        }
    }

    @Test(arguments: DType.allCases)
    func zerosOfEveryDTypeHaveTheRightSize(dtype: DType) throws {
        let tensor = try Tensor(zeros: [3, 5], dtype: dtype)
        #expect(tensor.byteCount == 15 * dtype.byteSize)
        #expect(tensor.doubleValues == Array(repeating: 0, count: 15))
    }

    @Test func readsLittleEndianRawBytes() throws {
        let tensor = try Tensor(dtype: .int64, shape: [2], bytes: [1, 0, 0, 0, 0, 0, 0, 0, 0xFE, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF])
        #expect(tensor.integerValues == [1, -2])
    }

    @Test func rejectsWrongByteCountWithContext() {
        #expect(throws: TensorError.byteCountMismatch(shape: [2, 2], dtype: .float32, expected: 16, actual: 3)) {
            try Tensor(dtype: .float32, shape: [2, 2], bytes: [1, 2, 3])
        }
        let message = TensorError.byteCountMismatch(shape: [2, 2], dtype: .float32, expected: 16, actual: 3).description
        #expect(message == "tensor float32[2, 2] needs 16 bytes of data, got 3")
    }

    @Test func rejectsHostileShapesWithoutAllocating() {
        #expect(throws: TensorError.negativeDimension(shape: [2, -1])) { try Tensor(zeros: [2, -1]) }
        #expect(throws: TensorError.elementCountOverflow(shape: [1 << 62, 1 << 62])) {
            try Tensor(zeros: [1 << 62, 1 << 62])
        }
        #expect(throws: TensorError.self) { try Tensor(zeros: [1 << 62]) }
        #expect(throws: TensorError.elementCountMismatch(shape: [3], expected: 3, actual: 2)) {
            try Tensor(shape: [3], scalars: [Float(1), 2])
        }
    }

    @Test func scalarsOfTheWrongTypeAreAnError() throws {
        let tensor = try Tensor(shape: [1], scalars: [Int32(7)])
        #expect(throws: TensorError.dtypeMismatch(expected: .float32, actual: .int32)) { try tensor.scalars(as: Float.self) }
    }

    @Test func copiesAreIndependentAfterMutation() throws {
        let original = try Tensor(shape: [2], scalars: [Float(1), 2])
        var copy = original
        copy.withUnsafeMutableBytes { $0.bindMemory(to: Float.self)[0] = 9 }
        #expect(try original.scalars(as: Float.self) == [1, 2])
        #expect(try copy.scalars(as: Float.self) == [9, 2])
    }

    @Test func reshapeKeepsElementsAndChecksCount() throws {
        let tensor = try Tensor(shape: [2, 3], scalars: [Float](repeating: 1, count: 6))
        #expect(try tensor.reshaped(to: [3, 2]).shape == [3, 2])
        #expect(throws: TensorError.self) { try tensor.reshaped(to: [4]) }
    }

    @Test func halfPrecisionTypesRoundTrip() throws {
        let halves = try Tensor(shape: [3], scalars: [Float16(1.5), Float16(-2), Float16(65504)])
        #expect(halves.doubleValues == [1.5, -2, 65504])
        // bfloat16 keeps 8 significant bits: 1 + 2^-8 rounds to even (down), 1 + 3·2^-8 up.
        #expect(BFloat16(1 + 0x1p-8).floatValue == 1)
        #expect(BFloat16(1 + 3 * 0x1p-8).floatValue == 1 + 0x1p-6)
        #expect(BFloat16(Float.nan).floatValue.isNaN)
        #expect(BFloat16(-3.140625).bitPattern == 0xC049)
    }
}

@Suite struct RandomTensorTests {
    @Test func seededUniformValuesAreTheSameEverywhere() throws {
        // Golden values: SplitMix64 seeded with 42, top 24 bits scaled into [-1, 1).
        var generator = SplitMix64(seed: 42)
        #expect(generator.next() == 0xBDD7_3226_2FEB_6E95)
        let tensor = try Tensor.random(shape: [4], seed: 42)
        let values = try tensor.scalars(as: Float.self)
        #expect(values[0] == -1 + 2 * Float(0xBDD732) * 0x1p-24)
        #expect(try Tensor.random(shape: [4], seed: 42) == tensor)
        #expect(try Tensor.random(shape: [4], seed: 43) != tensor)
    }

    @Test func normalValuesHaveTheRequestedMoments() throws {
        let values = try Tensor.random(shape: [20_000], distribution: .normal(mean: 2, standardDeviation: 0.5), seed: 7)
            .scalars(as: Float.self).map(Double.init)
        let mean = values.reduce(0, +) / Double(values.count)
        let variance = values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(values.count)
        #expect(abs(mean - 2) < 0.02)
        #expect(abs(variance.squareRoot() - 0.5) < 0.02)
    }
}

@Suite struct ComparisonTests {
    @Test func toleranceIsAbsolutePlusRelative() throws {
        let reference = try Tensor(shape: [3], scalars: [Float(100), 1, .nan])
        let close = try Tensor(shape: [3], scalars: [Float(100.009), 1.000001, .nan])
        let far = try Tensor(shape: [3], scalars: [Float(100.2), 1, .nan])
        #expect(close.isClose(to: reference, rtol: 1e-4, atol: 1e-5))
        let mismatch = try #require(far.mismatch(against: reference, rtol: 1e-4, atol: 1e-5))
        #expect(mismatch.index == 0)
        #expect(mismatch.mismatchCount == 1)
        #expect(!close.isClose(to: try reference.reshaped(to: [3, 1])))
    }

    @Test func dtypesMustBeEqual() throws {
        let floats = try Tensor(shape: [2], scalars: [Float(1), 0])
        let mismatch = try #require(try Tensor(shape: [2], scalars: [true, false]).mismatch(against: floats, rtol: 1, atol: 1))
        #expect(mismatch.kind == .dtype(actual: .bool, expected: .float32))
        #expect(mismatch.description == "dtype bool, expected float32")
        #expect(try Tensor(shape: [2], scalars: [Int64(1), 0]).mismatch(against: floats)?.kind == .dtype(actual: .int64, expected: .float32))
    }

    /// Integers ignore the tolerances, and int64 compares beyond 2^53, where Double cannot.
    @Test func integersAreComparedExactly() throws {
        let reference = try Tensor(shape: [3], scalars: [Int32.min, 0, Int32.max])
        let offByOne = try Tensor(shape: [3], scalars: [Int32.min, 0, Int32.max - 1])
        let mismatch = try #require(offByOne.mismatch(against: reference, rtol: 1e-4, atol: 1e4))
        #expect(mismatch.index == 2 && mismatch.mismatchCount == 1)
        let large = try Tensor(shape: [1], scalars: [Int64(1) << 60])
        #expect(!(try Tensor(shape: [1], scalars: [(Int64(1) << 60) + 1])).isClose(to: large, rtol: 1, atol: 1))
        #expect(large.isClose(to: large, rtol: 0, atol: 0))
    }

    @Test func nanAndInfinitiesMustBeInTheSamePlaces() throws {
        let reference = try Tensor(shape: [3], scalars: [Float.nan, .infinity, 1])
        #expect(try Tensor(shape: [3], scalars: [Float.nan, .infinity, 1]).isClose(to: reference, rtol: 0, atol: 0))
        #expect(!(try Tensor(shape: [3], scalars: [Float(0), .infinity, 1])).isClose(to: reference, rtol: 1, atol: 1))
        #expect(!(try Tensor(shape: [3], scalars: [Float.nan, .greatestFiniteMagnitude, 1])).isClose(to: reference, rtol: 1, atol: 1))
        #expect(!(try Tensor(shape: [3], scalars: [Float.nan, .infinity, .nan])).isClose(to: reference, rtol: 1, atol: 1))
    }

    @Test func zeroSignsCountOnlyWhenAsked() throws {
        let reference = try Tensor(shape: [2], scalars: [Float(-0.0), 0])
        let flipped = try Tensor(shape: [2], scalars: [Float(0), -0.0])
        #expect(flipped.isClose(to: reference, rtol: 0, atol: 0))
        let mismatch = try #require(flipped.mismatch(against: reference, rtol: 0, atol: 0, signedZeros: true))
        #expect(mismatch.mismatchCount == 2)
        #expect(mismatch.description.hasPrefix("2 elements differ; first at flat index 0: 0.0 vs expected -0.0"))
    }

    /// Dumps print constants: integers exactly at the ends of their range (through Double,
    /// INT64_MAX, PyTorch's usual Slice end, rounded past Int.max and trapped).
    @Test func descriptionPrintsExtremeIntegersExactly() throws {
        #expect(try Tensor(shape: [2], scalars: [Int64.max, Int64.min]).description
                == "int64[2] [9223372036854775807, -9223372036854775808]")
        #expect(try Tensor(shape: [1], scalars: [UInt64.max]).description == "uint64[1] [18446744073709551615]")
        #expect(try Tensor(shape: [2], scalars: [true, false]).description == "bool[2] [1, 0]")
        #expect(try Tensor(shape: [9], scalars: [Float](repeating: 0.5, count: 9)).description
                == "float32[9] [0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, … (9 elements)]")
    }
}
