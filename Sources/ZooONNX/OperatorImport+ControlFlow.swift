import ZooGraph

// Control flow: If and Loop, whose subgraph attributes are read like Scan's body.
extension OperatorImport {
    static let controlFlowKnown: [String: Set<String>] = ["If": ["then_branch", "else_branch"], "Loop": ["body"]]

    /// Every opset's If and Loop over tensors: their forms differ only in the value kinds
    /// (sequences, optionals) they admit, which a subgraph's typed inputs and outputs bring.
    func makeControlFlowOp() throws(Problem) -> ControlFlowOp {
        if opType == "If" {
            return .if(thenBranch: try required(graph("then_branch"), "then_branch"),
                       elseBranch: try required(graph("else_branch"), "else_branch"))
        }
        return .loop(body: try required(graph("body"), "body"))
    }
}
