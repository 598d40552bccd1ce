import ZooTensor

extension Tensor {
    /// The same values in another floating-point type (float32, float16, bfloat16, float64),
    /// each rounded to the nearest representable value. Reduced-precision weights files store
    /// float32 parameters this way, and loading them into a float32 graph widens them back.
    func convertingFloatingPoint(to target: DType) throws(TensorError) -> Tensor {
        guard target != dtype else { return self }
        guard let sourceType = Self.floatingPointElementType(dtype),
              let targetType = Self.floatingPointElementType(target)
        else { throw .dtypeMismatch(expected: target, actual: dtype) }
        var converted = try Tensor(zeros: shape, dtype: target)
        withUnsafeBytes { source in
            converted.withUnsafeMutableBytes { destination in
                Self.convert(source, as: sourceType, into: destination, as: targetType)
            }
        }
        return converted
    }

    private static func floatingPointElementType(_ dtype: DType) -> (any TensorElement.Type)? {
        switch dtype {
        case .float32: Float.self
        case .float16: Float16.self
        case .bfloat16: BFloat16.self
        case .float64: Double.self
        default: nil
        }
    }

    private static func convert<Source: TensorElement, Target: TensorElement>(
        _ source: UnsafeRawBufferPointer, as _: Source.Type,
        into destination: UnsafeMutableRawBufferPointer, as _: Target.Type
    ) {
        let input = source.bindMemory(to: Source.self)
        let output = destination.bindMemory(to: Target.self)
        for index in input.indices {
            output[index] = Target(fromDouble: input[index].doubleValue)
        }
    }
}
