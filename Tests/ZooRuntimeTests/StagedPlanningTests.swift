import Foundation
import Testing
import ZooGraph
import ZooRuntime
import ZooTensor
import ZooTestSupport

/// Staged planning: values computed inside the graph (the prefix path), plan reuse and the
/// cache bound, concurrent runs with different values, and hostile values.
@Suite struct StagedPlanningTests {
    /// Reshape(x, Add(shape, 0)): the target is computed in the graph, so the planner runs
    /// the prefix computing it first.
    static func computedTarget() throws -> Graph {
        var builder = GraphBuilder(name: "computed_target")
        let x = try builder.input("x", TensorType(.float32, [2, 3, 4]))
        let shape = try builder.input("shape", TensorType(.int64, [3]))
        let zero = try builder.constant(try int64s([0]), name: "zero")
        let target = try builder.apply(.add, shape, zero, name: "target")
        try builder.output(try builder.apply(.reshape(), x, target, name: "reshaped"))
        return try builder.build()
    }

    /// Two stages: A = Reshape(x, Add(shape, 0)), then ConstantOfShape(Shape(A) · k), whose
    /// shape needs A's type (known once the first value is) and the input k.
    static func twoStages() throws -> Graph {
        var builder = GraphBuilder(name: "two_stages")
        let x = try builder.input("x", TensorType(.float32, [2, 6]))
        let shape = try builder.input("shape", TensorType(.int64, [2]))
        let k = try builder.input("k", TensorType(.int64, [1]))
        let zero = try builder.constant(try int64s([0]), name: "zero")
        let target = try builder.apply(.add, shape, zero, name: "target")
        let reshaped = try builder.apply(.reshape(), x, target, name: "reshaped")
        let size = try builder.apply(.shape(start: 0, end: nil), reshaped, name: "size")
        let scaled = try builder.apply(.mul, size, k, name: "scaled")
        try builder.output(reshaped)
        try builder.output(try builder.apply(.constantOfShape(value: Tensor(scalar: Float(1))), scaled, name: "filled"))
        return try builder.build()
    }

    @Test func valueComputedInTheGraphRunsItsPrefixFirst() throws {
        let graph = try Self.computedTarget()
        let session = try Session(graph: graph)
        for target in [[4, 3, 2], [6, -1, 1]] {
            let inputs = ["x": try random([2, 3, 4], seed: 1), "shape": try int64s(target)]
            let outputs = try session.run(inputs)
            #expect(outputs["reshaped"]?.shape == (target[1] == -1 ? [6, 4, 1] : [4, 3, 2]))
            expectClose(outputs, try OnnxRuntimeReference.run(graph, inputs), "target \(target)", tolerance: .exact)
        }
    }

    @Test func aSecondStageNeedsTheFirstStagesShape() throws {
        let graph = try Self.twoStages()
        let session = try Session(graph: graph)
        for (target, k) in [([3, 4], 2), ([12, 1], 3)] {
            let inputs = ["x": try random([2, 6], seed: 2), "shape": try int64s(target), "k": try int64s([k])]
            let outputs = try session.run(inputs)
            #expect(outputs["filled"]?.shape == target.map { $0 * k })
            expectClose(outputs, try OnnxRuntimeReference.run(graph, inputs), "target \(target), k \(k)", tolerance: .exact)
        }
    }

    /// Runs with the values of an earlier run reuse its plans: no new arena, no new stage.
    @Test func equalValuesReuseThePlan() throws {
        let session = try Session(graph: try Self.twoStages())
        let inputs = ["x": try random([2, 6], seed: 3), "shape": try int64s([4, 3]), "k": try int64s([2])]
        var outputs: [String: Tensor] = [:]
        try session.run(inputs, into: &outputs)
        let allocations = session.allocations.count
        let stages = session.cachedPlanCount
        for _ in 0..<4 { try session.run(inputs, into: &outputs) }
        #expect(session.allocations.count == allocations)
        #expect(session.cachedPlanCount == stages)
        // Other values, then the first again: still the first plan's outputs.
        let other = try session.run(["x": try random([2, 6], seed: 3), "shape": try int64s([2, 6]), "k": try int64s([1])])
        #expect(other["filled"]?.shape == [2, 6])
        try session.run(inputs, into: &outputs)
        #expect(outputs["filled"]?.shape == [8, 6])
    }

    /// A stream of different values keeps at most `planCacheCapacity` stages.
    @Test func theCacheStaysBounded() throws {
        let session = try Session(graph: try Self.computedTarget())
        for first in 1...40 where 24 % first == 0 || first > 24 {
            let target = first > 24 ? [1, 24, 1] : [first, 24 / first, 1]
            _ = try session.run(["x": try random([2, 3, 4], seed: 4), "shape": try int64s(target)])
            #expect(session.cachedPlanCount <= Session.planCacheCapacity)
        }
        #expect(session.cachedPlanCount > 3, "several values are kept")
    }

    /// Several threads running one session with different values get a lone run's results.
    @Test func concurrentRunsWithDifferentValues() throws {
        let session = try Session(graph: try Self.computedTarget(), options: SessionOptions(threads: 1))
        let targets = [[4, 3, 2], [2, 12, 1], [24, 1, 1], [3, 2, 4]]
        let inputs = try targets.map { ["x": try random([2, 3, 4], seed: 5), "shape": try int64s($0)] }
        let expected = try inputs.map { try Session(graph: try Self.computedTarget()).run($0) }
        let results = MemoryAndThreadTests.ResultBox(count: inputs.count * 4)
        DispatchQueue.concurrentPerform(iterations: inputs.count * 4) { index in
            results.store(index, Result { try session.run(inputs[index % inputs.count]) })
        }
        for index in 0..<(inputs.count * 4) {
            #expect(try results.value(index).get() == expected[index % inputs.count])
        }
    }

    /// The plan summary of a graph whose plan depends on values needs the values.
    @Test func summaryOfAValueDependentPlan() throws {
        let session = try Session(graph: try Self.computedTarget())
        #expect(throws: RuntimeError.runTimeValue(node: "reshaped", op: "Reshape", input: "target", role: "shape")) {
            try session.summary(inputShapes: ["x": [2, 3, 4], "shape": [3]])
        }
        let summary = try session.summary(inputs: ["x": try random([2, 3, 4], seed: 6), "shape": try int64s([4, 6, 1])])
        #expect(summary.nodes == ["reshaped"], "the target is folded in as a constant")
    }

    /// Hostile run-time values are errors naming the node, never a crash or a huge allocation.
    @Test(arguments: [[1 << 20, 1 << 20, 1 << 20], [-2, 3, 4], [Int.max, Int.max, 2]])
    func hostileShapesAreClearErrors(_ shape: [Int]) throws {
        var builder = GraphBuilder(name: "hostile")
        let size = try builder.input("size", TensorType(.int64, [3]))
        try builder.output(try builder.apply(.constantOfShape(value: Tensor(scalar: Float(0))), size, name: "filled"))
        let session = try Session(graph: try builder.build())
        do {
            _ = try session.run(["size": try int64s(shape)])
            Issue.record("shape \(shape) should be refused")
        } catch {
            #expect("\(error)".contains("'filled'"), "\(error)")
        }
    }
}
