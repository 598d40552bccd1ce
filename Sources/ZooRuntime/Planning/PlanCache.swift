import Foundation
import ZooTensor

/// A value a plan was specialised on: a graph input's value or a value the prefix of the
/// graph computed, which the plan treats as a constant. Equal when name, dtype, shape and
/// bytes are equal.
struct SpecialisedValue: Hashable, Sendable {
    let name: String
    let tensor: Tensor

    func hash(into hasher: inout Hasher) {
        hasher.combine(name)
        hasher.combine(tensor.shape)
        tensor.withUnsafeBytes { hasher.combine(bytes: $0) }
    }
}

/// What a plan is built for: the input shapes, the values it is specialised on (in the order
/// planning asked for them), and its goal: nil for the graph's outputs, or the one value a
/// prefix of the graph computes.
struct PlanKey: Hashable, Sendable {
    let shapes: [[Int]]
    let goal: String?
    let values: [SpecialisedValue]
}

/// One step of staged planning for a key: either a finished plan, or the value planning
/// stopped at (a node needs it to know its output's shape) with the error that said so.
enum PlanStage: Sendable {
    case plan(ExecutionPlan)
    case needs(value: String, because: RuntimeError)
}

/// Plan stages by key, each built once even when several threads ask at once, and at most
/// `capacity` of them kept: the least recently used goes first, so a stream of different
/// input shapes or values cannot grow memory without bound. A run holding an evicted plan
/// keeps it alive until it finishes.
final class PlanCache: @unchecked Sendable {
    /// 32 stages: a graph with one value known only at run time needs three per distinct
    /// value (the stage that asks for it, the prefix that computes it, the plan after it),
    /// so ten distinct values or input shapes stay planned at once.
    static let capacity = 32

    private let lock = NSLock()
    private var stages: [PlanKey: (stage: PlanStage, lastUse: UInt64)] = [:]
    private var clock: UInt64 = 0

    var count: Int { lock.withLock { stages.count } }

    func stage(for key: PlanKey, build: () throws(RuntimeError) -> PlanStage) throws(RuntimeError) -> PlanStage {
        lock.lock()
        defer { lock.unlock() }
        clock += 1
        if let found = stages[key] {
            stages[key]?.lastUse = clock
            return found.stage
        }
        let stage = try build()
        if stages.count >= Self.capacity, let oldest = stages.min(by: { $0.value.lastUse < $1.value.lastUse })?.key {
            stages[oldest] = nil
        }
        stages[key] = (stage, clock)
        return stage
    }
}
