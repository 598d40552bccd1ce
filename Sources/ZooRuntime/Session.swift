import CDNNL
import Foundation
import ZooGraph
import ZooTensor

/// Compiles a Graph once and runs it many times on the CPU.
///
/// The first run with a given set of input shapes binds the symbolic dims (`batch`, `seq`),
/// copies the graph, rewrites the copy (constant folding, BatchNorm folding, fusion), plans
/// one arena for every intermediate and creates the kernels; later runs with the same
/// shapes reuse that plan and allocate nothing but their output tensors. A Session may be
/// used from several threads at once: each concurrent run has its own arena.
///
/// ```swift
/// let session = try Session(graph: graph, options: SessionOptions(threads: 2))
/// let outputs = try session.run(["image": image])   // [output name: Tensor]
/// ```
public final class Session: Sendable {
    public let graph: Graph
    public let options: SessionOptions
    /// Arenas and output tensors allocated by runs so far.
    public let allocations = AllocationCounter()
    private let plans = PlanCache()
    /// `options.threads` as OpenMP takes it.
    private let openMPThreads: Int32

    /// Compiles eagerly when every input dimension is fixed; otherwise checks now that every
    /// node has a kernel and compiles on the first run. Throws when a node has no kernel.
    public init(graph: Graph, options: SessionOptions = SessionOptions()) throws(RuntimeError) {
        self.graph = graph
        self.options = options
        guard options.threads <= SessionOptions.maximumThreads else { throw .threadCount(options.threads) }
        openMPThreads = Int32(options.threads)
        let staticShapes = graph.inputs.compactMap(\.type.staticShape)
        if staticShapes.count == graph.inputs.count {
            _ = try plan(for: staticShapes)
        } else {
            try checkKernelsExist()
        }
    }

    /// Runs the graph; returns every graph output by name. Inputs are checked against the
    /// graph's declared inputs (names, dtypes, ranks, fixed and symbolic sizes) before any work.
    public func run(_ inputs: [String: Tensor]) throws(RuntimeError) -> [String: Tensor] {
        var outputs: [String: Tensor] = [:]
        try run(inputs, into: &outputs)
        return outputs
    }

    /// Runs the graph writing into `outputs`: tensors already there with the right dtype
    /// and shape (and not shared) are overwritten in place, so a steady-state loop over this
    /// call allocates nothing at all.
    public func run(_ inputs: [String: Tensor], into outputs: inout [String: Tensor]) throws(RuntimeError) {
        let binding = try InputBinding(declared: graph.inputs, tensors: inputs)
        let plan = try plan(for: binding.shapes)
        let addresses = graph.inputs.map { inputs[$0.name]!.unsafeAddress }  // InputBinding checked presence
        omp_set_num_threads(openMPThreads)
        try plan.contexts.withContext { (context) throws(RuntimeError) in
            try addresses.withUnsafeBufferPointer { (addresses) throws(RuntimeError) in
                try plan.execute(inputs: addresses, in: context.memory)
                for output in plan.outputs {
                    var tensor = try reusableOutput(outputs[output.name], type: output.type)
                    // Dropped from the dictionary so that its reference does not make the
                    // write below copy the tensor first (copy-on-write).
                    outputs[output.name] = nil
                    tensor.withUnsafeMutableBytes { bytes in
                        guard let destination = bytes.baseAddress, bytes.count > 0 else { return }
                        destination.copyMemory(from: plan.address(of: output.location, inputs: addresses, arena: context.memory.arena),
                                               byteCount: bytes.count)
                    }
                    outputs[output.name] = tensor
                }
            }
        }
        withExtendedLifetime(inputs) {}
    }

    /// The compiled plan for one set of input shapes (the arena size it needs, the kernels
    /// it chose), compiling it if no run has used these shapes yet.
    public func summary(inputShapes: [String: [Int]]) throws(RuntimeError) -> PlanSummary {
        var shapes: [[Int]] = []
        for input in graph.inputs {
            guard let shape = inputShapes[input.name] else { throw .missingInput(name: input.name) }
            shapes.append(shape)
        }
        return PlanSummary(try plan(for: shapes))
    }

    private func reusableOutput(_ existing: Tensor?, type: ValueType) throws(RuntimeError) -> Tensor {
        if let existing, existing.dtype == type.dtype, existing.shape == type.shape { return existing }
        allocations.record()
        do { return try Tensor(zeros: type.shape, dtype: type.dtype) } catch { throw .tensor(error) }
    }

    private func plan(for shapes: [[Int]]) throws(RuntimeError) -> ExecutionPlan {
        try plans.plan(for: shapes) { () throws(RuntimeError) in
            // oneDNN splits a primitive's work for the OpenMP thread count current when the
            // primitive is created. Compiling under another count (the process default, 2
            // here, when a session for 1 thread compiles in its initialiser) makes every
            // primitive fork threads the run does not have and wait for them at a barrier.
            omp_set_num_threads(openMPThreads)
            var planGraph = try PlanGraph(graph, inputShapes: shapes)
            try planGraph.apply(options)
            return try ExecutionPlan(planGraph, options: options, allocations: allocations)
        }
    }

    /// With symbolic inputs, a dry run at size 1 for every symbol finds nodes without a
    /// kernel now rather than at the first run. Only `.unsupported` errors count: sizes of 1
    /// may be invalid for the graph in ways real inputs are not.
    private func checkKernelsExist() throws(RuntimeError) {
        let shapes = graph.inputs.map { input in
            input.type.dims.map { InputBinding.evaluate($0, [:]) ?? DimProduct([$0])?.factor ?? 1 }
        }
        do {
            var planGraph = try PlanGraph(graph, inputShapes: shapes)
            try planGraph.propagateTypes(options: SessionOptions(threads: 1, passes: options.passes), folding: true)
        } catch {
            if case .unsupported = error { throw error }
            if case .invalidGraph = error { throw error }
        }
    }
}

/// What a compiled plan looks like, for reports and tests.
public struct PlanSummary: Sendable {
    /// Bytes of the arena each concurrent run uses for intermediates and scratch.
    public let arenaByteCount: Int
    /// Node names in execution order, after the passes.
    public let nodes: [String]
    /// The kernel each node runs on (its type name, e.g. "MatrixVectorKernel"), in the same order.
    public let kernels: [String]

    init(_ plan: ExecutionPlan) {
        arenaByteCount = plan.arenaByteCount
        nodes = plan.steps.map(\.node)
        kernels = plan.steps.map { "\(type(of: $0.kernel))" }
    }
}

/// Plans by input shapes, built once each even when several threads ask at once.
final class PlanCache: @unchecked Sendable {
    private let lock = NSLock()
    private var plans: [[[Int]]: ExecutionPlan] = [:]

    func plan(for shapes: [[Int]], build: () throws(RuntimeError) -> ExecutionPlan) throws(RuntimeError) -> ExecutionPlan {
        lock.lock()
        defer { lock.unlock() }
        if let plan = plans[shapes] { return plan }
        let plan = try build()
        plans[shapes] = plan
        return plan
    }
}
