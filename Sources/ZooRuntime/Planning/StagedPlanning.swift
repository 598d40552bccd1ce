import CDNNL
import ZooGraph
import ZooTensor

/// Staged planning: plans a graph whose shapes may depend on values known only at run time.
///
/// Contract: planning for a set of input shapes runs as today until a kernel's `prepare`
/// throws `.runTimeValue` for a value V (a Reshape target, Expand shape, Slice bounds, the
/// data of NonZero...). Then V is found, added to the values the plan is specialised on, and
/// planning starts again with V as a constant:
/// - V a graph input: its tensor in this run;
/// - V computed in the graph: the prefix of the graph that produces V is planned by the same
///   mechanism (it may itself need values) and run on this run's inputs.
/// Plans and the stages between them are cached by input shapes, goal and the specialised
/// values, so a later run with equal values walks the same stages to the same plan, and a
/// run with other values plans anew. A graph whose shapes follow from its input shapes
/// alone is one stage: its plan is found by one lookup, as before, and its steady state
/// allocates nothing. A `.runTimeValue` for a value the graph does not define (inside a
/// Scan's body) stays the refusal it is.
struct StagedPlanner: Sendable {
    let graph: Graph
    let options: SessionOptions
    let allocations: AllocationCounter
    let cache: PlanCache
    /// Values some node of the graph produces: those a prefix can compute.
    private let produced: Set<String>

    init(graph: Graph, options: SessionOptions, allocations: AllocationCounter, cache: PlanCache) {
        self.graph = graph
        self.options = options
        self.allocations = allocations
        self.cache = cache
        produced = Set(graph.nodes.flatMap(\.outputs).filter { !$0.isEmpty })
    }

    /// The plan computing the graph's outputs for inputs of `shapes`. `inputs` are the run's
    /// tensors (addresses in graph-input order alongside) when known; without them a graph
    /// that needs a value known only at run time throws that `.runTimeValue`.
    func plan(shapes: [[Int]], inputs: RunInputs?) throws(RuntimeError) -> ExecutionPlan {
        var known: [SpecialisedValue] = []
        return try resolve(goal: nil, shapes: shapes, inputs: inputs, known: &known)
    }

    /// Walks the stages for `goal` until one is a plan, learning each value a stage needs.
    /// Values learned while computing a prefix stay in `known` for the stages after it.
    private func resolve(goal: String?, shapes: [[Int]], inputs: RunInputs?,
                         known: inout [SpecialisedValue]) throws(RuntimeError) -> ExecutionPlan {
        while true {
            let key = PlanKey(shapes: shapes, goal: goal, values: known)
            let stage = try cache.stage(for: key) { () throws(RuntimeError) in try build(key) }
            switch stage {
            case .plan(let plan):
                return plan
            case .needs(let name, let error):
                guard let inputs, !known.contains(where: { $0.name == name }) else { throw error }
                let value: Tensor
                if let tensor = inputs.tensors[name] {
                    value = tensor
                } else {
                    let prefix = try resolve(goal: name, shapes: shapes, inputs: inputs, known: &known)
                    var results: [String: Tensor] = [:]
                    try prefix.run(inputs: inputs.addresses, into: &results, allocations: nil)
                    guard let result = results[name] else { throw error }
                    value = result
                }
                known.append(SpecialisedValue(name: name, tensor: value))
            }
        }
    }

    /// Plans `key` as far as it goes: a plan, or the value the first node that cannot be
    /// planned without it needs.
    private func build(_ key: PlanKey) throws(RuntimeError) -> PlanStage {
        // oneDNN splits a primitive's work for the OpenMP thread count current when the
        // primitive is created. Compiling under another count (the process default, 2
        // here, when a session for 1 thread compiles in its initialiser) makes every
        // primitive fork threads the run does not have and wait for them at a barrier.
        omp_set_num_threads(Int32(options.threads))
        var planGraph = try PlanGraph(graph, inputShapes: key.shapes)
        if let goal = key.goal { planGraph.keepOnlyWhatComputes(goal) }
        for value in key.values { planGraph.specialise(value.name, to: value.tensor) }
        do {
            try planGraph.apply(options)
            return .plan(try ExecutionPlan(planGraph, options: options, allocations: allocations))
        } catch {
            guard case .runTimeValue(_, _, let input, _) = error,
                  graph.inputs.contains(where: { $0.name == input }) || produced.contains(input) else { throw error }
            return .needs(value: input, because: error)
        }
    }
}

/// A run's input tensors by name and their addresses in graph-input order.
struct RunInputs {
    let tensors: [String: Tensor]
    let addresses: [UnsafeRawPointer]
}

extension PlanGraph {
    /// Keeps only `goal` as output and the nodes it depends on: the prefix of the graph that
    /// computes it, so that nodes after it (which may need it) are not planned.
    mutating func keepOnlyWhatComputes(_ goal: String) {
        outputs = [goal]
        var needed: Set<String> = [goal]
        var kept: [PlanNode] = []
        for node in nodes.reversed() where node.outputs.contains(where: needed.contains) {
            kept.append(node)
            needed.formUnion(node.allInputs)
        }
        nodes = kept.reversed()
    }

    /// Treats `name` as the constant `value` from now on: kernels reading it see its value,
    /// and its producer, once all its outputs are known, is skipped by type propagation.
    mutating func specialise(_ name: String, to value: Tensor) {
        constants[name] = value
        types[name] = ValueType(of: value)
    }
}
