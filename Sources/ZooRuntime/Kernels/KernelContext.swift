import ZooGraph
import ZooTensor

/// What a kernel constructor knows about its node: input types, constant input values, the
/// session's options and how far to compile. Its helpers make errors that name the node and op.
struct KernelContext {
    let node: PlanNode
    let inputTypes: [ValueType?]
    let constants: [Tensor?]
    /// Threads for the kernel; the passes too, for a kernel that compiles a subgraph (Scan).
    let options: SessionOptions
    /// False while only output types are wanted (constant folding walks every node): then
    /// kernels skip expensive preparation such as creating oneDNN primitives.
    let compilesPrimitives: Bool

    var opName: String { node.op.onnxName }
    var threads: Int { options.threads }

    func fail(_ message: String) -> RuntimeError { .shape(node: node.name, op: opName, message: message) }
    func unsupported(_ reason: String) -> RuntimeError { .unsupported(node: node.name, op: opName, reason: reason) }

    /// Runs size arithmetic on values from the graph (attributes, constants, shapes), naming
    /// this node and `what` was computed if it overflows.
    func checked<Value>(_ what: String, _ compute: () throws(ArithmeticOverflow) -> Value) throws(RuntimeError) -> Value {
        do { return try compute() } catch { throw fail("\(what): \(error)") }
    }

    /// Checks that a value of `type` can exist: its byte count fits in 64 bits and in the
    /// machine's memory. Every prepared output goes through this, so later size
    /// computations (plans, layouts, loops) may multiply its dims freely.
    func requireAllocatable(_ type: ValueType, value: String) throws(RuntimeError) {
        do { _ = try ShapeArithmetic.byteCount(type.shape, dtype: type.dtype) } catch {
            guard case .tooLarge(_, _, let bytes, let limit) = error, bytes < Int.max else {
                throw fail("output '\(value)': \(error)")
            }
            throw fail("output '\(value)' would be \(type): \(MachineMemory.describe(bytes)), more than the machine's \(MachineMemory.describe(limit)) of memory")
        }
    }

    func type(_ index: Int) throws(RuntimeError) -> ValueType {
        guard index < inputTypes.count, let type = inputTypes[index] else {
            throw fail("input \(index) is required")
        }
        return type
    }

    func optionalType(_ index: Int) -> ValueType? { index < inputTypes.count ? inputTypes[index] : nil }

    /// A required input that must be float32 (the only floating type our kernels compute in).
    func floatType(_ index: Int) throws(RuntimeError) -> ValueType {
        let found = try type(index)
        guard found.dtype == .float32 else {
            throw unsupported("input '\(node.inputs[index])' is \(found.dtype); this kernel computes in float32")
        }
        return found
    }

    func constant(_ index: Int) -> Tensor? { index < constants.count ? constants[index] : nil }

    /// The value of a present input that decides the output's shape (a shape, axes, a
    /// count), or nil when the input is absent. An input known only at run time throws
    /// `.runTimeValue`, naming the input and its `role`.
    func requiredConstant(_ index: Int, role: String) throws(RuntimeError) -> Tensor? {
        guard node.input(index) != nil else { return nil }
        guard let tensor = constant(index) else { throw runTimeValue(index, role: role) }
        return tensor
    }

    /// Integer values of an input that must be known at compile time (shapes, axes, bounds).
    func constantIntegers(_ index: Int, role: String) throws(RuntimeError) -> [Int]? {
        guard let tensor = try requiredConstant(index, role: role) else { return nil }
        guard let values = tensor.integerValues else {
            throw unsupported("input '\(node.inputs[index])' (\(role)) must hold integers, got \(tensor.dtype)")
        }
        return values
    }

    func runTimeValue(_ index: Int, role: String) -> RuntimeError {
        .runTimeValue(node: node.name, op: opName, input: node.inputs[index], role: role)
    }

    func axis(_ axis: Int, rank: Int, name: String = "axis") throws(RuntimeError) -> Int {
        let resolved = axis < 0 ? axis + rank : axis
        guard (0..<max(rank, 1)).contains(resolved) else {
            throw fail("\(name) \(axis) is outside the valid range for rank \(rank)")
        }
        return resolved
    }

    func requireNoEpilogue() throws(RuntimeError) {
        guard node.epilogue.isEmpty else { throw unsupported("this kernel takes no fused epilogue") }
    }
}

/// A kernel together with the types of the values it produces.
struct PreparedKernel {
    let kernel: any Kernel
    let outputTypes: [ValueType]
    /// Positions of constant inputs the kernel copied into its own storage (weights oneDNN
    /// packed): it never reads them at run time, so the plan need not keep them alive.
    var packedInputs: [Int] = []
}
