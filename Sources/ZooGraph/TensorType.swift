import ZooTensor

/// The static type of a value in the graph: element type and dimensions (rank is always known).
public struct TensorType: Hashable, Sendable, CustomStringConvertible {
    public var dtype: DType
    public var dims: [Dim]

    public init(_ dtype: DType, _ dims: [Dim]) {
        self.dtype = dtype
        self.dims = dims
    }

    public var rank: Int { dims.count }

    /// The concrete shape when no dimension is symbolic.
    public var staticShape: [Int]? {
        var shape: [Int] = []
        for dim in dims {
            guard let size = dim.value else { return nil }
            shape.append(size)
        }
        return shape
    }

    /// `float32[batch,3,224,224]`
    public var description: String {
        "\(dtype)[\(dims.map(\.description).joined(separator: ","))]"
    }
}
