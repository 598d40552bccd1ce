import ZooGraph

// Data movement and indexing. Pad, Split, Tile, DepthToSpace, SpaceToDepth, GatherElements,
// OneHot, Trilu, EyeLike, ReverseSequence and Size copy, select or fill elements: no
// arithmetic, so 0 MACs and 0 FLOPs. ScatterElements and ScatterND with a reduction
// (add, mul, max, min) combine each update with the value it lands on: 1 FLOP per update
// element; without one they only copy.
extension CostContext {
    func movementCost(_ op: MovementOp) throws(CountError) -> Cost {
        switch op {
        case .scatterElements(_, let reduction), .scatterND(let reduction):
            guard reduction != .none else { return .free }
            let updates = try inputElements(2)
            return try checked { () throws(PolynomialError) in try Cost(elements: updates, flopsPerElement: 1) }
        case .pad, .split, .tile, .depthToSpace, .spaceToDepth, .gatherElements, .oneHot, .trilu, .eyeLike, .reverseSequence, .size:
            return .free
        }
    }
}
