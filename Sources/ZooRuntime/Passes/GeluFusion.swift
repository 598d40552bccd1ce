import ZooGraph

// Contract: the exact GELU, as a Gelu node or as exporters spell it, x·½·(1 + erf(x/√2))
// (Div by √2 or Mul by 1/√2; the three factors multiplied in any order), applied to the
// output of a Conv, Gemm or MatMul that nothing else reads, becomes that producer's gelu_erf
// post-op.
extension PlanGraph {
    mutating func fuseGelu() {
        var index = 0
        while index < nodes.count {
            if let match = geluMatch(erfIndex: index) ?? geluNodeMatch(index: index) {
                nodes[match.producer].epilogue.append(.geluErf)
                nodes[match.producer].outputs = [match.output]
                let removed = Set(match.nodes)
                nodes = nodes.enumerated().filter { !removed.contains($0.offset) }.map(\.element)
                index = 0
            } else {
                index += 1
            }
        }
    }

    private struct GeluMatch {
        var producer: Int
        var nodes: [Int]
        var output: String
    }

    private func geluMatch(erfIndex: Int) -> GeluMatch? {
        guard case .erf = nodes[erfIndex].op, let erfInput = nodes[erfIndex].input(0) else { return nil }
        let producers = producers(), readers = readerCounts()
        guard let scaleIndex = producers[erfInput], let x = scaledInput(nodes[scaleIndex]),
              let producer = producers[x], readers[x] == 2, !outputs.contains(x)
        else { return nil }
        switch nodes[producer].op {
        case .conv, .gemm, .matMul: break
        default: return nil
        }
        guard let addIndex = soleReader(of: nodes[erfIndex].outputs[0], readers: readers),
              case .add = nodes[addIndex].op, operand(of: nodes[addIndex], besides: nodes[erfIndex].outputs[0], is: 1),
              let product = halfProduct(of: x, and: nodes[addIndex].outputs[0], readers: readers)
        else { return nil }
        return GeluMatch(producer: producer, nodes: [scaleIndex, erfIndex, addIndex] + product.nodes, output: product.output)
    }

    /// A Gelu node (exact form) whose input only it reads.
    private func geluNodeMatch(index: Int) -> GeluMatch? {
        guard case .unary(.gelu(tanhApproximation: false)) = nodes[index].op, let x = nodes[index].input(0),
              let producer = producers()[x], readerCounts()[x] == 1, !outputs.contains(x) else { return nil }
        switch nodes[producer].op {
        case .conv, .gemm, .matMul: return GeluMatch(producer: producer, nodes: [index], output: nodes[index].outputs[0])
        default: return nil
        }
    }

    /// x when `node` is x/√2 or x·(1/√2).
    private func scaledInput(_ node: PlanNode) -> String? {
        guard node.inputs.count == 2, let value = constantScalar(node.inputs[1]) else { return nil }
        let root2 = Float(2).squareRoot()
        switch node.op {
        case .div where abs(value - root2) < 1e-4: return node.inputs[0]
        case .mul where abs(value - 1 / root2) < 1e-4: return node.inputs[0]
        default: return nil
        }
    }

    /// The two Mul nodes forming x · ½ · sum, whatever the grouping.
    private func halfProduct(of x: String, and sum: String, readers: [String: Int]) -> (nodes: [Int], output: String)? {
        guard let first = soleReader(of: sum, readers: readers), case .mul = nodes[first].op,
              let other = nodes[first].inputs.first(where: { $0 != sum }) else { return nil }
        if other == x || constantScalar(other) == 0.5 {
            // (x·sum)·½ or (sum·½)·x
            let missing: (String) -> Bool = other == x ? { self.constantScalar($0) == 0.5 } : { $0 == x }
            guard let second = soleReader(of: nodes[first].outputs[0], readers: readers), case .mul = nodes[second].op,
                  nodes[second].inputs.contains(where: missing) else { return nil }
            return ([first, second], nodes[second].outputs[0])
        }
        // (x·½)·sum
        guard let halfIndex = producers()[other], case .mul = nodes[halfIndex].op,
              nodes[halfIndex].inputs.contains(x), nodes[halfIndex].inputs.contains(where: { constantScalar($0) == 0.5 }),
              readers[other] == 1 else { return nil }
        return ([halfIndex, first], nodes[first].outputs[0])
    }

    private func operand(of node: PlanNode, besides value: String, is expected: Float) -> Bool {
        node.inputs.count == 2 && node.inputs.first(where: { $0 != value }).flatMap(constantScalar) == expected
    }
}
