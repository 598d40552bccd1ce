import Testing
import ZooGraph
import ZooRuntime
import ZooTensor
import ZooTestSupport

/// Clip against onnxruntime, passes off, at the suite's fp32 tolerance, which holds every
/// element on its own (integers exactly; Clip only selects values, so floats match exactly
/// too, and the case with signed zeros checks their signs): both,
/// one or no bounds (an absent bound is the dtype's finite limit, so infinities become
/// finite), bounds as run-time inputs, min above max, NaN, and every numeric dtype
/// onnxruntime's Clip takes. bfloat16, which numpy cannot carry, is checked by hand.
@Suite struct ClipVersusOnnxRuntimeTests {
    typealias Case = KernelVersusOnnxRuntimeTests.Case

    static let specials: [Float] = [.nan, .infinity, -.infinity, -0.0, 0.3, -0.7, 2.5, -2.5, .nan]

    static let cases: [Case] = [
        Case(label: "both bounds, long row", op: .clip) {
            [.input(try random([3, 37], seed: 130, low: -3, high: 3)), .constant(Tensor(scalar: Float(-1))), .constant(Tensor(scalar: Float(0.5)))]
        },
        Case(label: "min only", op: .clip) { [.input(try random([40], seed: 131)), .constant(Tensor(scalar: Float(0)))] },
        Case(label: "max only", op: .clip) { [.input(try random([40], seed: 132)), .absent, .constant(Tensor(scalar: Float(0.25)))] },
        Case(label: "no bounds", op: .clip) { [.input(try random([5, 7], seed: 133))] },
        Case(label: "bounds as run-time inputs", op: .clip) {
            [.input(try random([2, 20], seed: 134, low: -2, high: 2)), .input(Tensor(scalar: Float(-0.5))), .input(Tensor(scalar: Float(1.5)))]
        },
        Case(label: "min above max gives max", op: .clip) {
            [.input(try random([17], seed: 135)), .constant(Tensor(scalar: Float(0.8))), .constant(Tensor(scalar: Float(-0.2)))]
        },
        // Clip selects its input or a bound, so the output is exact, zeros' signs included.
        Case(label: "NaN, infinities and signed zero", op: .clip, operands: {
            [.input(try floats(specials, shape: [specials.count])), .constant(Tensor(scalar: Float(-2))), .constant(Tensor(scalar: Float(2)))]
        }, tolerance: .exact),
        Case(label: "infinite bounds leave values, infinities included, alone", op: .clip, operands: {
            [.input(try floats(specials + [3e38, -3e38, 1e-3], shape: [specials.count + 3])),
             .constant(Tensor(scalar: -Float.infinity)), .constant(Tensor(scalar: Float.infinity))]
        }, tolerance: .exact),
        Case(label: "NaN in a vector-sized row", op: .clip) {
            [.input(try floats(specials + specials, shape: [2, specials.count])), .constant(Tensor(scalar: Float(-1)))]
        },
        Case(label: "float64", op: .clip) {
            [.input(try Tensor(shape: [6], scalars: [-3, -1, 0, 0.5, 2, .nan] as [Double])), .constant(Tensor(scalar: Double(-1))),
             .constant(Tensor(scalar: Double(1)))]
        },
        Case(label: "float16", op: .clip) {
            [.input(try Tensor(shape: [5], scalars: [-3, -0.5, 0.25, 4, .nan] as [Float16])), .constant(Tensor(scalar: Float16(-1))),
             .constant(Tensor(scalar: Float16(1)))]
        },
        Case(label: "int64", op: .clip) { [.input(try int64s([-9, -2, 0, 3, 7, 100])), .constant(Tensor(scalar: Int64(-2))), .constant(Tensor(scalar: Int64(5)))] },
        Case(label: "int32, max only", op: .clip) {
            [.input(try Tensor(shape: [4], scalars: [Int32.min, -1, 6, Int32.max])), .absent, .constant(Tensor(scalar: Int32(5)))]
        },
        Case(label: "int8", op: .clip) {
            [.input(try Tensor(shape: [5], scalars: [-128, -5, 0, 5, 127] as [Int8])), .constant(Tensor(scalar: Int8(-4))), .constant(Tensor(scalar: Int8(4)))]
        },
        Case(label: "uint8, min only", op: .clip) {
            [.input(try Tensor(shape: [4], scalars: [0, 3, 9, 255] as [UInt8])), .constant(Tensor(scalar: UInt8(4)))]
        },
    ]

    @Test(arguments: cases) func clip(_ testCase: Case) throws { try KernelVersusOnnxRuntimeTests.check(testCase) }

    @Test func bfloat16ByHand() throws {
        let input = try Tensor(shape: [5], scalars: [-3, -0.5, 0.25, 4, .nan].map(BFloat16.init))
        let (graph, inputs) = try singleNodeGraph(.clip, [.input(input), .constant(Tensor(scalar: BFloat16(-1))),
                                                          .constant(Tensor(scalar: BFloat16(1)))])
        let output = try #require(try Session(graph: graph).run(inputs)["node"]).scalars(as: BFloat16.self).map(\.floatValue)
        #expect(Array(output.prefix(4)) == [-1, -0.5, 0.25, 1])
        #expect(output[4].isNaN)
    }

    @Test func bfloat16InfinityBecomesFiniteWithoutBounds() throws {
        let input = try Tensor(shape: [2], scalars: [-Float.infinity, .infinity].map(BFloat16.init))
        let (graph, inputs) = try singleNodeGraph(.clip, [.input(input)])
        let output = try #require(try Session(graph: graph).run(inputs)["node"]).scalars(as: BFloat16.self)
        #expect(output.map(\.bitPattern) == [0xFF7F, 0x7F7F])
    }
}
