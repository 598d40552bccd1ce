import Testing
import ZooGraph
import ZooTensor

/// Shapes of Resize and CenterCropPad: ⌊scale · n⌋ from scales, sizes as given or under a
/// keep-aspect-ratio policy (rounded half up), symbolic axes kept where they are not resized,
/// and errors that name the node and the operand.
@Suite struct ResampleShapeTests {
    private var builder = GraphBuilder(name: "resample")

    private mutating func floats(_ values: [Float], name: String) throws -> GraphBuilder.Value {
        try builder.constant(try Tensor(shape: [values.count], scalars: values), name: name)
    }

    private mutating func integers(_ values: [Int], name: String) throws -> GraphBuilder.Value {
        try builder.constant(try Tensor(shape: [values.count], scalars: values.map { Int64($0) }), name: name)
    }

    private static func resize(_ configure: (inout ResizeAttributes) -> Void = { _ in }) -> Op {
        var attributes = ResizeAttributes()
        configure(&attributes)
        return .resample(.resize(attributes))
    }

    @Test mutating func scalesSizesAndPolicies() throws {
        let x = try builder.input("x", TensorType(.float32, [2, 3, 7, 9]))
        // 7 · 1.7 = 11.9 and 9 · 0.45 = 4.05 are truncated.
        let scaled = try builder.apply(Self.resize(), x, nil, try floats([1, 1, 1.7, 0.45], name: "s"), name: "scaled")
        #expect(scaled.type.dims == [2, 3, 11, 4])
        let sized = try builder.apply(Self.resize(), x, nil, nil, try integers([1, 3, 5, 20], name: "n"), name: "sized")
        #expect(sized.type.dims == [1, 3, 5, 20])
        // not_larger: one scale, min(14/7, 27/9) = 2, for both listed axes.
        let fitted = try builder.apply(Self.resize { $0.axes = [2, 3]; $0.keepAspectRatioPolicy = .notLarger }, x, nil, nil,
                                       try integers([14, 27], name: "fit"), name: "fitted")
        #expect(fitted.type.dims == [2, 3, 14, 18])
        // not_smaller: max(4/7, 6/9) = 2/3; 7 · 2/3 + 0.5 = 5.17 → 5.
        let covered = try builder.apply(Self.resize { $0.axes = [-1, 2]; $0.keepAspectRatioPolicy = .notSmaller }, x, nil, nil,
                                        try integers([6, 4], name: "cover"), name: "covered")
        #expect(covered.type.dims == [2, 3, 5, 6])
    }

    @Test mutating func symbolicAxesStayWhereTheyAreNotResized() throws {
        let x = try builder.input("x", TensorType(.float32, ["batch", 3, "height", "width"]))
        let doubled = try builder.apply(Self.resize(), x, nil, try floats([1, 1, 2, 1], name: "s"), name: "doubled")
        #expect(doubled.type.dims[0] == "batch" && doubled.type.dims[1] == 3 && doubled.type.dims[3] == "width")
        #expect(doubled.type.dims[2].value == nil && doubled.type.dims[2] != "height")
        // Fixed axes are computed even beside symbolic ones.
        let image = try builder.input("image", TensorType(.float32, ["batch", 3, 10, 20]))
        let halved = try builder.apply(Self.resize(), image, nil, try floats([1, 1, 0.5, 0.25], name: "h"), name: "halved")
        #expect(halved.type.dims == ["batch", 3, 5, 5])
        let sized = try builder.apply(Self.resize { $0.axes = [2, 3] }, x, nil, nil, try integers([32, 48], name: "n"), name: "sized")
        #expect(sized.type.dims == ["batch", 3, 32, 48])
        let target = try builder.input("target", TensorType(.int64, [2]))
        let unknown = try builder.apply(.resample(.centerCropPad(axes: [2, 3])), x, target, name: "crop")
        #expect(unknown.type.dims[..<2] == ["batch", 3] && unknown.type.dims[2].value == nil)
    }

    @Test mutating func badOperandsNameTheNode() throws {
        let x = try builder.input("x", TensorType(.float32, [1, 2, 3]))
        #expect(throws: GraphError.shape(node: "huge", op: "Resize", message: "the output length of axis 2 (3.0000000451423987e+30): 3.0000000451423987e+30 is outside the 64-bit range")) {
            try builder.apply(Self.resize(), x, nil, try floats([1, 1, 1e30], name: "s1"), name: "huge")
        }
        #expect(throws: GraphError.shape(node: "zero", op: "Resize", message: "scale 0.0 of axis 1 is not a positive number")) {
            try builder.apply(Self.resize(), x, nil, try floats([1, 0, 1], name: "s2"), name: "zero")
        }
        #expect(throws: GraphError.shape(node: "count", op: "Resize", message: "scales has 2 values for 3 axes")) {
            try builder.apply(Self.resize(), x, nil, try floats([1, 2], name: "s3"), name: "count")
        }
        #expect(throws: GraphError.shape(node: "crop", op: "Resize", message: "tf_crop_and_resize needs roi")) {
            try builder.apply(Self.resize { $0.coordinateTransformation = .tfCropAndResize }, x, nil, try floats([1, 1, 2], name: "s4"), name: "crop")
        }
        #expect(throws: GraphError.attribute(node: "twice", op: "Resize", name: "axes", message: "[1, -2] names axis 1 twice")) {
            try builder.apply(Self.resize { $0.axes = [1, -2] }, x, nil, try floats([2, 2], name: "s5"), name: "twice")
        }
        #expect(throws: GraphError.attribute(node: "smooth", op: "Resize", name: "antialias", message: "applies to linear and cubic modes only")) {
            try builder.apply(Self.resize { $0.antialias = true }, x, nil, try floats([1, 1, 0.5], name: "s6"), name: "smooth")
        }
        #expect(throws: GraphError.shape(node: "pad", op: "CenterCropPad", message: "shape [2, -1] has a negative length")) {
            try builder.apply(.resample(.centerCropPad(axes: [0, 2])), x, try integers([2, -1], name: "shape"), name: "pad")
        }
    }
}
