import ZooTensor

extension NodeContext {
    /// Clip: the input's type, any numeric dtype; the optional bounds `min` and `max` are
    /// scalars of that dtype.
    func inferClip() throws(GraphError) -> Output {
        let numeric = Set(DType.allCases.filter { $0.isFloatingPoint || $0.isInteger })
        let input = try type(0, dtypeIn: numeric, described: "numeric")
        for (index, role) in [(1, "min"), (2, "max")] where optionalType(index) != nil {
            try requireSameDType(index, as: 0)
            _ = try requireRank(index, 0...0, role: role)
        }
        return Output(type: input)
    }
}
