import ZooTensor

// Quantized operators: the dtypes of quantized values, the shapes of their scales and zero
// points, and the products' output shapes.
extension NodeContext {
    func inferQuantized(_ op: QuantizedOp) throws(GraphError) -> [Output] {
        switch op {
        case .quantizeLinear(let axis, let outputDType):
            let input = try type(0, dtypeIn: [.float32, .float16, .bfloat16, .int32], described: "float, float16, bfloat16 or int32")
            try checkQuantizationParameters(of: 0, scale: 1, zeroPoint: 2, zeroPointLikeData: false, axis)
            var dtype = outputDType ?? .uint8
            if let zeroPoint = optionalType(2) {
                _ = try type(2, dtypeIn: QuantizedOp.quantizedDTypes, described: "int8, uint8, int16 or uint16")
                if let outputDType, outputDType != zeroPoint.dtype {
                    throw badAttribute("output_dtype", "is \(outputDType), but the zero point '\(node.inputs[2])' is \(zeroPoint.dtype)")
                }
                dtype = zeroPoint.dtype
            }
            guard QuantizedOp.quantizedDTypes.contains(dtype) else {
                throw badAttribute("output_dtype", "is \(dtype); QuantizeLinear produces int8, uint8, int16 or uint16")
            }
            return [Output(type: TensorType(dtype, input.dims))]
        case .dequantizeLinear(let axis, let outputDType):
            let input = try type(0, dtypeIn: QuantizedOp.quantizedDTypes.union([.int32]), described: "int8, uint8, int16, uint16 or int32")
            try checkQuantizationParameters(of: 0, scale: 1, zeroPoint: 2, zeroPointLikeData: true, axis)
            if let outputDType, !outputDType.isFloatingPoint || outputDType == .float64 {
                throw badAttribute("output_dtype", "is \(outputDType); DequantizeLinear produces float, float16 or bfloat16")
            }
            let scale = try type(1)
            return [Output(type: TensorType(outputDType ?? scale.dtype, input.dims))]
        case .qLinearConv(let attributes):
            try requireQuantizedOperand(0, scale: 1, zeroPoint: 2, perEntryOf: nil)
            try requireQuantizedOperand(3, scale: 4, zeroPoint: 5, perEntryOf: (3, 0))
            try requireQuantizedOperand(nil, scale: 6, zeroPoint: 7, perEntryOf: nil)
            if optionalType(8) != nil { _ = try type(8, dtypeIn: [.int32], described: "int32") }
            return [Output(type: TensorType(try type(7).dtype, try convolutionDims(input: 0, weight: 3, bias: 8, attributes)))]
        case .qLinearMatMul:
            try requireQuantizedOperand(0, scale: 1, zeroPoint: 2, perEntryOf: nil)
            try requireQuantizedOperand(3, scale: 4, zeroPoint: 5, perEntryOf: (3, -1))
            try requireQuantizedOperand(nil, scale: 6, zeroPoint: 7, perEntryOf: nil)
            return [Output(type: TensorType(try type(7).dtype, try matrixProductDims(a: 0, b: 3)))]
        case .matMulInteger:
            try requireIntegerOperand(0, zeroPoint: 2, perEntryOf: -2)
            try requireIntegerOperand(1, zeroPoint: 3, perEntryOf: -1)
            return [Output(type: TensorType(.int32, try matrixProductDims(a: 0, b: 1)))]
        case .convInteger(let attributes):
            try requireIntegerOperand(0, zeroPoint: 2, perEntryOf: nil)
            try requireIntegerOperand(1, zeroPoint: 3, perEntryOf: 0)
            return [Output(type: TensorType(.int32, try convolutionDims(input: 0, weight: 1, bias: nil, attributes)))]
        case .dynamicQuantizeLinear:
            let input = try type(0, dtypeIn: [.float32], described: "float")
            return [Output(type: TensorType(.uint8, input.dims)), Output(type: TensorType(.float32, [])),
                    Output(type: TensorType(.uint8, []))]
        }
    }

    /// QuantizeLinear's and DequantizeLinear's scale and zero point: one value, one per index
    /// of `axis` (1-D), or one per block along `axis` (the data's rank, `⌈D / block_size⌉` on
    /// the axis, the data's size elsewhere). The zero point has the scale's shape.
    private func checkQuantizationParameters(of dataIndex: Int, scale scaleIndex: Int, zeroPoint zeroIndex: Int,
                                             zeroPointLikeData: Bool, _ quantization: QuantizationAxis) throws(GraphError) {
        let data = try type(dataIndex)
        let scale = try type(scaleIndex, dtypeIn: [.float32, .float16, .bfloat16], described: "float, float16 or bfloat16")
        if let zeroPoint = optionalType(zeroIndex), zeroPoint.dims != scale.dims {
            throw fail("zero point '\(node.inputs[zeroIndex])' \(zeroPoint) must have the shape of the scale '\(node.inputs[scaleIndex])' \(scale)")
        }
        if zeroPointLikeData, optionalType(zeroIndex) != nil { try requireSameDType(zeroIndex, as: dataIndex) }
        guard quantization.blockSize >= 0 else {
            throw badAttribute("block_size", "is \(quantization.blockSize), must be 0 (per axis) or positive")
        }
        if scale.rank == 0 || scale.dims == [.fixed(1)] { return }
        let axis = try self.axis(quantization.axis, rank: data.rank)
        if quantization.blockSize == 0 {
            guard scale.rank == 1 else {
                throw fail("scale '\(node.inputs[scaleIndex])' \(scale) must be a scalar or 1-D without block_size")
            }
            if let size = scale.dims[0].value, let length = data.dims[axis].value, size != length {
                throw fail("scale '\(node.inputs[scaleIndex])' has \(size) values, but axis \(axis) of the input has \(length)")
            }
            return
        }
        guard scale.rank == data.rank else {
            throw fail("blocked scale '\(node.inputs[scaleIndex])' \(scale) must have the input's rank \(data.rank)")
        }
        for (index, (dim, scaleDim)) in zip(data.dims, scale.dims).enumerated() {
            guard let length = dim.value, let size = scaleDim.value else { continue }
            let expected = index == axis ? (length + quantization.blockSize - 1) / quantization.blockSize : length
            guard size == expected else {
                throw fail("blocked scale '\(node.inputs[scaleIndex])' \(scale) must be \(expected) on axis \(index) (input \(data), block_size \(quantization.blockSize))")
            }
        }
    }

    /// A QLinear operand (nil for the output's parameters): int8 or uint8 data, a float
    /// scale and a zero point of the data's dtype, each a scalar, or 1-D over axis
    /// `perEntryOf.axis` of input `perEntryOf.index` where the operator allows it.
    private func requireQuantizedOperand(_ dataIndex: Int?, scale scaleIndex: Int, zeroPoint zeroIndex: Int,
                                         perEntryOf entries: (index: Int, axis: Int)?) throws(GraphError) {
        let eightBit: Set<DType> = [.int8, .uint8]
        if let dataIndex { _ = try type(dataIndex, dtypeIn: eightBit, described: "int8 or uint8") }
        _ = try type(scaleIndex, dtypeIn: [.float32, .float16, .bfloat16], described: "float, float16 or bfloat16")
        _ = try type(zeroIndex, dtypeIn: eightBit, described: "int8 or uint8")
        if let dataIndex { try requireSameDType(zeroIndex, as: dataIndex) }
        for index in [scaleIndex, zeroIndex] {
            try requireScalarOrEntries(index, entries)
        }
    }

    /// A MatMulInteger or ConvInteger operand: int8 or uint8, with an optional zero point of
    /// its dtype, a scalar or 1-D over axis `perEntryOf` of the operand.
    private func requireIntegerOperand(_ dataIndex: Int, zeroPoint zeroIndex: Int, perEntryOf axis: Int?) throws(GraphError) {
        _ = try type(dataIndex, dtypeIn: [.int8, .uint8], described: "int8 or uint8")
        guard optionalType(zeroIndex) != nil else { return }
        try requireSameDType(zeroIndex, as: dataIndex)
        try requireScalarOrEntries(zeroIndex, axis.map { (dataIndex, $0) })
    }

    private func requireScalarOrEntries(_ index: Int, _ entries: (index: Int, axis: Int)?) throws(GraphError) {
        let parameter = try type(index)
        if parameter.rank == 0 || parameter.dims == [.fixed(1)] { return }
        guard let entries, parameter.rank == 1 else {
            throw fail("'\(node.inputs[index])' \(parameter) must be a scalar\(entries == nil ? "" : " or 1-D")")
        }
        let data = try type(entries.index)
        guard data.rank >= 1 else { return }
        let axis = entries.axis < 0 ? max(data.rank + entries.axis, 0) : entries.axis
        if let size = parameter.dims[0].value, let length = data.dims[axis].value, size != length {
            throw fail("'\(node.inputs[index])' has \(size) values, but axis \(axis) of '\(node.inputs[entries.index])' has \(length)")
        }
    }
}
