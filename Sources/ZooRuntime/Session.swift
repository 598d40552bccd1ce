import CDNNL
import Foundation
import ZooGraph
import ZooTensor

/// Compiles a Graph once and runs it many times on the CPU.
///
/// The first run with a given set of input shapes binds the symbolic dims (`batch`, `seq`),
/// copies the graph, rewrites the copy (constant folding, BatchNorm folding, fusion), plans
/// one arena for every intermediate and creates the kernels; later runs with the same
/// shapes reuse that plan and allocate nothing but their output tensors. Where a shape
/// depends on a value known only at run time (a Reshape target computed from an input),
/// planning is staged (StagedPlanner): the plan is specialised on that value and cached by
/// it too. A Session may be used from several threads at once: each concurrent run has its
/// own arena.
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
    /// Plans and planning stages kept (at most `planCacheCapacity`).
    private let plans = PlanCache()
    /// How many plans and planning stages the session keeps at most; the least recently
    /// used goes first.
    public static let planCacheCapacity = PlanCache.capacity
    /// How many plans and planning stages the session keeps now: one per set of input
    /// shapes for a graph whose shapes follow from them, more where plans are specialised on
    /// values known only at run time.
    public var cachedPlanCount: Int { plans.count }
    private let planner: StagedPlanner
    /// `options.threads` as OpenMP takes it.
    private let openMPThreads: Int32

    /// Compiles eagerly when every input dimension is fixed (as far as the input shapes
    /// decide: a plan that needs input values waits for the first run); otherwise checks now
    /// that every node has a kernel and compiles on the first run. Throws when a node has no
    /// kernel.
    public init(graph: Graph, options: SessionOptions = SessionOptions()) throws(RuntimeError) {
        self.graph = graph
        self.options = options
        guard options.threads <= SessionOptions.maximumThreads else { throw .threadCount(options.threads) }
        openMPThreads = Int32(options.threads)
        planner = StagedPlanner(graph: graph, options: options, allocations: allocations, cache: plans)
        let staticShapes = graph.inputs.compactMap(\.type.staticShape)
        if staticShapes.count == graph.inputs.count {
            do { _ = try planner.plan(shapes: staticShapes, inputs: nil) } catch {
                guard case .runTimeValue = error else { throw error }
            }
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
        let addresses = graph.inputs.map { inputs[$0.name]!.unsafeAddress }  // InputBinding checked presence
        let plan = try planner.plan(shapes: binding.shapes, inputs: RunInputs(tensors: inputs, addresses: addresses))
        omp_set_num_threads(openMPThreads)
        try plan.run(inputs: addresses, into: &outputs, allocations: allocations)
        withExtendedLifetime(inputs) {}
    }

    /// The compiled plan for one set of input shapes (the arena size it needs, the kernels
    /// it chose), compiling it if no run has used these shapes yet. A graph whose plan
    /// depends on input values throws `.runTimeValue`: use `summary(inputs:)`.
    public func summary(inputShapes: [String: [Int]]) throws(RuntimeError) -> PlanSummary {
        var shapes: [[Int]] = []
        for input in graph.inputs {
            guard let shape = inputShapes[input.name] else { throw .missingInput(name: input.name) }
            shapes.append(shape)
        }
        return PlanSummary(try planner.plan(shapes: shapes, inputs: nil))
    }

    /// The compiled plan for these inputs, specialised on their values where the graph's
    /// shapes depend on them.
    public func summary(inputs: [String: Tensor]) throws(RuntimeError) -> PlanSummary {
        let binding = try InputBinding(declared: graph.inputs, tensors: inputs)
        let addresses = graph.inputs.map { inputs[$0.name]!.unsafeAddress }  // InputBinding checked presence
        let plan = try planner.plan(shapes: binding.shapes, inputs: RunInputs(tensors: inputs, addresses: addresses))
        withExtendedLifetime(inputs) {}
        return PlanSummary(plan)
    }

    /// With symbolic inputs, a dry run at size 1 for every symbol finds nodes without a
    /// kernel now rather than at the first run. Only `.unsupported` errors count: sizes of 1
    /// may be invalid for the graph in ways real inputs are not, and values known only at
    /// run time stop the dry run where they are first needed.
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
