import Testing
import ZooGraph
import ZooTensor

/// Shapes of the convolution, pooling and normalisation variants, from the ONNX spec's
/// formulas, and their errors, which name the node and what was expected.
@Suite struct ConvNormShapeTests {
    private func dims(_ op: Op, _ input: [Dim], parameters: [Tensor], outputs: Int = 1) throws -> [[Dim]] {
        var builder = GraphBuilder(name: "case")
        var values: [GraphBuilder.Value?] = [try builder.input("x", TensorType(.float32, input))]
        for (index, tensor) in parameters.enumerated() { values.append(try builder.parameter("p\(index)", tensor)) }
        return try builder.add(op, values, name: "node", outputCount: outputs).map(\.type.dims)
    }

    private func zeros(_ shape: [Int]) throws -> Tensor { try Tensor(zeros: shape) }

    @Test func transposedConvolutionSizes() throws {
        func deconv(_ input: [Dim], weight: [Int], _ attributes: ConvTransposeAttributes) throws -> [Dim] {
            try dims(.convTranspose(attributes), input, parameters: [try zeros(weight)])[0]
        }
        // s·(n − 1) + output_padding + d·(k − 1) + 1 − pads: 3·2 + 1 + 2 + 1 − 2 = 8; 2·2 + 0 + 2 + 1 = 7.
        #expect(try deconv(["batch", 2, 3, 3], weight: [2, 3, 3, 3],
                           ConvTransposeAttributes(strides: [3, 2], pads: [1, 0, 1, 0], outputPadding: [1, 0]))
                == ["batch", 3, 8, 7])
        // Groups multiply the weight's C_out/group; SAME pads give n·s; output_shape is taken as given.
        #expect(try deconv([1, 4, 5], weight: [4, 3, 2], ConvTransposeAttributes(strides: [2], group: 2, autoPad: .sameUpper)) == [1, 6, 10])
        #expect(try deconv([1, 1, 3, 3, 3], weight: [1, 1, 2, 2, 2], ConvTransposeAttributes(outputShape: [4, 5, 6])) == [1, 1, 4, 5, 6])
        #expect(throws: GraphError.attribute(node: "node", op: "ConvTranspose", name: "output_padding",
                                             message: "is [2], each value must be less than its axis's stride or dilation")) {
            try deconv([1, 1, 4], weight: [1, 1, 3], ConvTransposeAttributes(strides: [2], outputPadding: [2]))
        }
        #expect(throws: GraphError.shape(node: "node", op: "ConvTranspose",
                                         message: "input has 3 channels, but the weight 'p0' has 2")) {
            try deconv([1, 3, 4], weight: [2, 1, 3], ConvTransposeAttributes())
        }
    }

    @Test func poolingVariantsAndTheirExtraOutputs() throws {
        let maxPool = try dims(.maxPool(PoolAttributes(kernelShape: [2, 2, 2], strides: [2, 2, 2])), [1, 3, 4, 6, 5],
                               parameters: [], outputs: 2)
        #expect(maxPool == [[1, 3, 2, 3, 2], [1, 3, 2, 3, 2]])
        #expect(try dims(.lpPool(PoolAttributes(kernelShape: [3], pads: [1, 1]), p: 3), [2, 4, 9], parameters: []) == [[2, 4, 9]])
        #expect(throws: GraphError.attribute(node: "node", op: "LpPool", name: "p", message: "is 0, must be at least 1")) {
            try self.dims(.lpPool(PoolAttributes(kernelShape: [3]), p: 0), [2, 4, 9], parameters: [])
        }
        // MaxUnpool: (n − 1)·s + k − pads, or the constant output_shape.
        let indices = try Tensor(shape: [1, 2, 3, 3], scalars: [Int64](repeating: 0, count: 18))
        #expect(try dims(.maxUnpool(MaxUnpoolAttributes(kernelShape: [3, 2], strides: [2, 2], pads: [1, 0, 0, 0])), [1, 2, 3, 3],
                         parameters: [indices]) == [[1, 2, 6, 6]])
        #expect(try dims(.maxUnpool(MaxUnpoolAttributes(kernelShape: [2, 2], strides: [2, 2])), [1, 2, 3, 3],
                         parameters: [indices, try Tensor(shape: [4], scalars: [Int64(1), 2, 7, 7])]) == [[1, 2, 7, 7]])
    }

    @Test func layerNormalizationStatisticsKeepTheNormalisedAxesAsOne() throws {
        let outputs = try dims(.layerNormalization(axis: -1), ["batch", 5, 8], parameters: [try zeros([8])], outputs: 3)
        #expect(outputs == [["batch", 5, 8], ["batch", 5, 1], ["batch", 5, 1]])
    }

    @Test func normalisationParametersAreChecked() throws {
        #expect(throws: GraphError.attribute(node: "node", op: "GroupNormalization", name: "num_groups",
                                             message: "is 3, which does not divide the 4 channels")) {
            try self.dims(.normalization(.group(groupCount: 3, epsilon: 1e-5, perGroupAffine: false)), [1, 4, 5],
                          parameters: [try self.zeros([4]), try self.zeros([4])])
        }
        #expect(throws: GraphError.shape(node: "node", op: "InstanceNormalization",
                                         message: "'p1' has 2 entries, but the input has 3 channels")) {
            try self.dims(.normalization(.instance(epsilon: 1e-5)), [1, 3, 5], parameters: [try self.zeros([3]), try self.zeros([2])])
        }
        #expect(throws: GraphError.attribute(node: "node", op: "MeanVarianceNormalization", name: "axes",
                                             message: "is [1, -2], which names an axis twice")) {
            try self.dims(.normalization(.meanVariance(axes: [1, -2])), [1, 3, 5], parameters: [])
        }
        #expect(try dims(.normalization(.rms(axis: 1, epsilon: 1e-5)), [2, 3, 4], parameters: [try zeros([1, 4])]) == [[2, 3, 4]])
    }
}
