import Foundation
import ZooTensor

/// Where a value lives during a run.
enum ValueLocation: Sendable, Equatable {
    case arena(offset: Int)
    case constant(index: Int)
    case input(index: Int)
}

/// One kernel call with the locations of its operands.
struct ExecutionStep: Sendable {
    let node: String
    let kernel: any Kernel
    let inputs: [ValueLocation?]
    let outputs: [ValueLocation?]
    let scratchOffset: Int?
}

/// A graph compiled for one set of input shapes: kernels in order, every intermediate at
/// a fixed arena offset. Immutable, so any number of runs may use it at once, each with its
/// own arena.
final class ExecutionPlan: Sendable {
    let steps: [ExecutionStep]
    let outputs: [(name: String, location: ValueLocation, type: ValueType)]
    let arenaByteCount: Int
    /// The most operands (inputs or outputs) of one step: the size of the address tables.
    let operandCount: Int
    let threads: Int
    /// Constants the steps read; kept here so their storage outlives every run.
    private let constants: [Tensor]
    private let constantAddresses: UnsafeSendable<[UnsafeRawPointer]>
    let contexts: RunContextPool

    init(_ graph: consuming PlanGraph, options: SessionOptions, allocations: AllocationCounter) throws(RuntimeError) {
        threads = options.threads
        // Taken out of the graph so that a constant can be dropped as soon as the last kernel
        // reading it has packed it: a weight a pass created (BatchNorm folding, a folded
        // Transpose) is then not held twice, original and packed, while the rest compiles.
        var graphConstants = graph.constants
        graph.constants = [:]
        var lastReader: [String: Int] = [:]
        for (step, node) in graph.nodes.enumerated() { for input in node.allInputs { lastReader[input] = step } }
        var readAtRunTime = Set(graph.outputs)
        var types = graph.types
        var constantIndex: [String: Int] = [:]
        var constants: [Tensor] = []
        func location(_ name: String, arena: [String: Int]) -> ValueLocation? {
            if let offset = arena[name] { return .arena(offset: offset) }
            if let index = graph.inputs.firstIndex(of: name) { return .input(index: index) }
            guard let tensor = graphConstants[name] else { return nil }
            if let index = constantIndex[name] { return .constant(index: index) }
            constantIndex[name] = constants.count
            constants.append(tensor)
            return .constant(index: constants.count - 1)
        }

        var prepared: [PreparedKernel] = []
        for (step, node) in graph.nodes.enumerated() {
            let context = KernelContext(
                node: node, inputTypes: node.kernelInputs.map { types[$0] },
                constants: node.kernelInputs.map { graphConstants[$0] }, options: options, compilesPrimitives: true)
            let kernel = try KernelFactory.prepare(context)
            for (output, type) in zip(node.outputs, kernel.outputTypes) where !output.isEmpty { types[output] = type }
            prepared.append(kernel)
            for (index, name) in node.kernelInputs.enumerated() where !name.isEmpty {
                if !kernel.packedInputs.contains(index) { readAtRunTime.insert(name) }
                if lastReader[name] == step, !readAtRunTime.contains(name) { graphConstants[name] = nil }
            }
        }

        // Lifetimes: from the producing step to the last reading step; graph outputs to the end.
        var lastRead: [String: Int] = [:]
        for (step, node) in graph.nodes.enumerated() { for input in node.allInputs { lastRead[input] = step } }
        for output in graph.outputs { lastRead[output] = graph.nodes.count }
        var buffers: [MemoryPlanner.Buffer] = [], owners: [String?] = []
        for (step, node) in graph.nodes.enumerated() {
            for output in node.outputs where !output.isEmpty {
                buffers.append(.init(firstStep: step, lastStep: lastRead[output] ?? step, byteCount: types[output]!.byteCount))
                owners.append(output)
            }
            if prepared[step].kernel.scratchByteCount > 0 {
                buffers.append(.init(firstStep: step, lastStep: step, byteCount: prepared[step].kernel.scratchByteCount))
                owners.append(nil)
            }
        }
        let placement = MemoryPlanner.place(buffers)
        let available = MachineMemory.availableByteCount()
        guard placement.arenaByteCount <= available else {
            let shapes = graph.inputs.map { "\($0) \(types[$0]?.shape.description ?? "?")" }.joined(separator: ", ")
            throw .memory(needed: placement.arenaByteCount, available: available,
                          purpose: "the plan for input shapes \(shapes) (activations, the arena)")
        }
        var arena: [String: Int] = [:]
        var scratchOffsets: [Int] = []
        for (owner, offset) in zip(owners, placement.offsets) {
            if let owner { arena[owner] = offset } else { scratchOffsets.append(offset) }
        }

        var steps: [ExecutionStep] = []
        var scratchIterator = scratchOffsets.makeIterator()
        for (node, kernel) in zip(graph.nodes, prepared) {
            steps.append(ExecutionStep(
                node: node.name, kernel: kernel.kernel,
                inputs: node.kernelInputs.enumerated().map { index, name in
                    // A packed input stays unreferenced here, so its tensor (a folded weight
                    // that only the plan held) is freed once the kernel has its copy.
                    name.isEmpty || kernel.packedInputs.contains(index) ? nil : location(name, arena: arena)
                },
                outputs: node.outputs.map { $0.isEmpty ? nil : location($0, arena: arena) },
                scratchOffset: kernel.kernel.scratchByteCount > 0 ? scratchIterator.next() : nil))
        }
        var outputs: [(String, ValueLocation, ValueType)] = []
        for name in graph.outputs {
            guard let place = location(name, arena: arena), let type = types[name] else {
                throw .invalidGraph(.undefinedOutput(value: name))
            }
            outputs.append((name, place, type))
        }
        self.steps = steps
        self.outputs = outputs
        self.constants = constants
        constantAddresses = UnsafeSendable(constants.map(\.unsafeAddress))
        arenaByteCount = placement.arenaByteCount
        operandCount = steps.map { max($0.inputs.count, $0.outputs.count) }.max() ?? 0
        contexts = RunContextPool(arenaByteCount: placement.arenaByteCount, operandCount: operandCount, allocations: allocations)
    }

    /// Runs every step with `inputs` (addresses in graph-input order) in `memory`.
    func execute(inputs: UnsafeBufferPointer<UnsafeRawPointer>, in memory: RunMemory) throws(RuntimeError) {
        for step in steps {
            for (index, location) in step.inputs.enumerated() {
                memory.inputTable[index] = location.map { address(of: $0, inputs: inputs, arena: memory.arena) }
            }
            for (index, location) in step.outputs.enumerated() {
                memory.outputTable[index] = location.map { UnsafeMutableRawPointer(mutating: address(of: $0, inputs: inputs, arena: memory.arena)) }
            }
            let io = KernelIO(
                inputs: UnsafeBufferPointer(start: memory.inputTable, count: step.inputs.count),
                outputs: UnsafeBufferPointer(start: memory.outputTable, count: step.outputs.count),
                scratch: step.scratchOffset.map { memory.arena + $0 }, stream: memory.stream, threads: threads)
            if let profile = Self.profile {
                let start = DispatchTime.now().uptimeNanoseconds
                try step.kernel.run(io)
                profile.record(step.node, kernel: "\(type(of: step.kernel))", nanoseconds: DispatchTime.now().uptimeNanoseconds - start)
            } else {
                try step.kernel.run(io)
            }
        }
    }

    /// Set ZOO_PROFILE=1 to time every step; totals per kernel type go to standard error
    /// when the process exits (a debugging switch for finding the slow kernels).
    static let profile: StepProfile? = ProcessInfo.processInfo.environment["ZOO_PROFILE"] == nil ? nil : StepProfile()

    func address(of location: ValueLocation, inputs: UnsafeBufferPointer<UnsafeRawPointer>, arena: UnsafeMutableRawPointer) -> UnsafeRawPointer {
        switch location {
        case .arena(let offset): UnsafeRawPointer(arena + offset)
        case .constant(let index): constantAddresses.value[index]
        case .input(let index): inputs[index]
        }
    }
}
