import Testing
import ZooGraph
import ZooONNX
import ZooRuntime
import ZooTensor
import ZooTestSupport

/// The elementwise family against onnxruntime, passes off: every op, at each dtype group
/// onnxruntime's CPU kernels take for it (float32, float64, float16 where registered, signed
/// and unsigned integers, bool), with broadcasting. Tolerances: the suite's float32 one
/// (rtol 1e-4, atol 1e-5) for float32 and float64, where we compute in Double and
/// onnxruntime in the dtype; float16 within one half-precision step (rtol 1e-3); integers and
/// bools exactly (Tolerance compares them as Doubles, which hold them exactly below 2^53).
@Suite struct ElementwiseVersusOnnxRuntimeTests {
    typealias Case = KernelVersusOnnxRuntimeTests.Case

    static let half = Tolerance(rtol: 1e-3, atol: 1e-3)

    /// Seeded values in [low, high) as `type`; integers are rounded.
    static func values<Element: TensorElement>(_ type: Element.Type, _ shape: [Int], seed: UInt64, low: Float = -3,
                                               high: Float = 3) throws -> Tensor {
        let source = try random(shape, seed: seed, low: low, high: high).scalars(as: Float.self)
        return try Tensor(shape: shape, scalars: source.map { Element(fromDouble: Double($0)) })
    }

    static func bools(_ values: [Bool], shape: [Int]? = nil) throws -> Tensor {
        try Tensor(shape: shape ?? [values.count], scalars: values)
    }

    /// One case per (label, op, dtype): a unary op on a [3, 37] tensor.
    static func unary(_ label: String, _ op: Op, low: Float = -3, high: Float = 3, seed: UInt64,
                      float16: Bool = false, float64: Bool = true) -> [Case] {
        var cases = [Case(label: "\(label) float32", op: op) { [.input(try values(Float.self, [3, 37], seed: seed, low: low, high: high))] }]
        if float64 {
            cases.append(Case(label: "\(label) float64", op: op) { [.input(try values(Double.self, [2, 19], seed: seed, low: low, high: high))] })
        }
        if float16 {
            cases.append(Case(label: "\(label) float16", op: op, operands: {
                [.input(try values(Float16.self, [2, 19], seed: seed, low: low, high: high))]
            }, tolerance: half))
        }
        return cases
    }

    static let unaryMathCases: [Case] = unary("abs", .unary(.abs), seed: 300, float16: true)
        + unary("ceil", .unary(.ceil), seed: 301) + unary("floor", .unary(.floor), seed: 302)
        + unary("round", .unary(.round), seed: 303, float16: true) + unary("sign", .unary(.sign), seed: 304)
        + unary("reciprocal", .unary(.reciprocal), low: 0.5, high: 4, seed: 305)
        + unary("log", .unary(.log), low: 0.01, high: 9, seed: 306)
        + unary("sin", .unary(.sin), seed: 307) + unary("cos", .unary(.cos), seed: 308)
        + unary("tan", .unary(.tan), low: -1.4, high: 1.4, seed: 309, float64: false)
        + unary("asin", .unary(.asin), low: -1, high: 1, seed: 310, float64: false)
        + unary("acos", .unary(.acos), low: -1, high: 1, seed: 311, float64: false)
        + unary("atan", .unary(.atan), seed: 312, float64: false)
        + unary("sinh", .unary(.sinh), seed: 313, float64: false) + unary("cosh", .unary(.cosh), seed: 314, float64: false)
        + unary("asinh", .unary(.asinh), seed: 315, float64: false)
        + unary("acosh", .unary(.acosh), low: 1, high: 9, seed: 316, float64: false)
        + unary("atanh", .unary(.atanh), low: -0.95, high: 0.95, seed: 317, float64: false)
        + [
            Case(label: "round halves to even", op: .unary(.round)) { [.input(try floats([-2.5, -1.5, -0.5, 0.5, 1.5, 2.5, 3.49], shape: [7]))] },
            Case(label: "abs int32", op: .unary(.abs)) { [.input(try values(Int32.self, [20], seed: 318, low: -50, high: 50))] },
            Case(label: "abs int8", op: .unary(.abs)) { [.input(try values(Int8.self, [20], seed: 319, low: -50, high: 50))] },
            Case(label: "abs uint16", op: .unary(.abs)) { [.input(try values(UInt16.self, [20], seed: 320, low: 0, high: 900))] },
            Case(label: "sign int64", op: .unary(.sign)) { [.input(try int64s([-7, 0, 3, -1, 9]))] },
            Case(label: "neg int32", op: .neg) { [.input(try values(Int32.self, [20], seed: 321, low: -50, high: 50))] },
            Case(label: "relu int8", op: .relu) { [.input(try values(Int8.self, [20], seed: 322, low: -50, high: 50))] },
            Case(label: "not", op: .unary(.not)) { [.input(try bools([true, false, false, true]))] },
            Case(label: "bitwise not int32", op: .unary(.bitwiseNot)) { [.input(try values(Int32.self, [9], seed: 323, low: -99, high: 99))] },
            Case(label: "bitwise not uint8", op: .unary(.bitwiseNot)) { [.input(try values(UInt8.self, [9], seed: 324, low: 0, high: 255))] },
            Case(label: "is inf, both signs", op: .unary(.isInf())) { [.input(try floats([.infinity, -.infinity, 0, .nan, 3e38], shape: [5]))] },
            Case(label: "is inf, negative only", op: .unary(.isInf(detectNegative: true, detectPositive: false))) {
                [.input(try floats([.infinity, -.infinity, 1], shape: [3]))]
            },
            Case(label: "is inf float64, positive only", op: .unary(.isInf(detectNegative: false, detectPositive: true))) {
                [.input(try Tensor(shape: [3], scalars: [Double.infinity, -.infinity, 1]))]
            },
            Case(label: "is nan float64", op: .isNaN) { [.input(try Tensor(shape: [3], scalars: [Double.nan, 1, .infinity]))] },
            Case(label: "sqrt float64", op: .sqrt) { [.input(try values(Double.self, [20], seed: 325, low: 0, high: 9))] },
            Case(label: "exp float64", op: .exp) { [.input(try values(Double.self, [20], seed: 326))] },
            Case(label: "sigmoid float64", op: .sigmoid) { [.input(try values(Double.self, [20], seed: 327))] },
            Case(label: "tanh float64", op: .tanh) { [.input(try values(Double.self, [20], seed: 328))] },
            Case(label: "erf float64", op: .erf, operands: { [.input(try values(Double.self, [20], seed: 329))] },
                 evaluator: .onnxReference),
            Case(label: "relu float64", op: .relu) { [.input(try values(Double.self, [20], seed: 330))] },
        ]

    static let activationsCases: [Case] = unary("leaky relu", .unary(.leakyRelu()), seed: 340, float16: true)
        + unary("leaky relu alpha 0.2", .unary(.leakyRelu(alpha: 0.2)), seed: 341, float64: false)
        + unary("elu", .unary(.elu()), seed: 342, float64: false)
        + unary("elu alpha 0.5", .unary(.elu(alpha: 0.5)), seed: 343, float64: false)
        + unary("selu", .unary(.selu()), seed: 344, float64: false)
        + unary("selu alpha 2 gamma 3", .unary(.selu(alpha: 2, gamma: 3)), seed: 345, float64: false)
        + unary("celu alpha 2", .unary(.celu(alpha: 2)), seed: 346, float64: false)
        + unary("hard sigmoid", .unary(.hardSigmoid()), low: -5, high: 5, seed: 347, float64: false)
        + unary("hard sigmoid alpha 0.5 beta 0.6", .unary(.hardSigmoid(alpha: 0.5, beta: 0.6)), seed: 348, float64: false)
        + unary("hard swish", .unary(.hardSwish), low: -5, high: 5, seed: 349, float64: false)
        + unary("mish", .unary(.mish), low: -10, high: 10, seed: 350, float64: false)
        + unary("softplus", .unary(.softplus), low: -30, high: 30, seed: 351, float64: false)
        + unary("softsign", .unary(.softsign), seed: 352, float64: false)
        + unary("thresholded relu", .unary(.thresholdedRelu()), seed: 353, float64: false)
        + unary("thresholded relu alpha 0.5", .unary(.thresholdedRelu(alpha: 0.5)), seed: 354, float64: false)
        + unary("gelu", .unary(.gelu()), low: -6, high: 6, seed: 361, float64: false)
        + unary("gelu tanh approximation", .unary(.gelu(tanhApproximation: true)), low: -6, high: 6, seed: 362)
        + unary("shrink", .unary(.shrink()), seed: 355)
        + unary("shrink bias 1.5 lambda 1", .unary(.shrink(bias: 1.5, lambda: 1)), seed: 356)
        + [
            // onnxruntime has no float64 Erf, which Gelu's body at opset 18 uses.
            Case(label: "gelu float64", op: .unary(.gelu()), operands: { [.input(try values(Double.self, [2, 19], seed: 363))] },
                 evaluator: .onnxReference),
            Case(label: "prelu, slope per channel", op: .binary(.prelu)) {
                [.input(try random([2, 3, 5, 7], seed: 357)), .constant(try random([3, 1, 1], seed: 358))]
            },
            Case(label: "prelu, slope of the same shape, long rows", op: .binary(.prelu)) {
                [.input(try random([3, 70], seed: 359)), .input(try random([3, 70], seed: 360))]
            },
        ]

    static func pair(_ label: String, _ op: Op, _ left: @escaping @Sendable () throws -> Tensor,
                     _ right: @escaping @Sendable () throws -> Tensor) -> Case {
        Case(label: label, op: op) { [.input(try left()), .input(try right())] }
    }

    static let binaryCases: [Case] = [
        pair("mod fmod float32", .binary(.mod(fmod: true)), { try random([3, 17], seed: 370, low: -9, high: 9) }, { try random([17], seed: 371, low: 0.5, high: 3) }),
        pair("mod fmod float64", .binary(.mod(fmod: true)), { try values(Double.self, [9], seed: 372, low: -9, high: 9) }, { try values(Double.self, [9], seed: 373, low: -3, high: -0.5) }),
        pair("mod int32, divisor's sign", .binary(.mod()), { try values(Int32.self, [3, 9], seed: 374, low: -40, high: 40) }, { try Tensor(shape: [9], scalars: [3, -3, 7, -7, 5, 2, -2, 11, -11] as [Int32]) }),
        pair("mod int64 fmod, dividend's sign", .binary(.mod(fmod: true)), { try int64s([-7, 7, -7, 7, 0]) }, { try int64s([3, -3, -3, 3, 5]) }),
        pair("mod uint8", .binary(.mod()), { try values(UInt8.self, [9], seed: 375, low: 0, high: 250) }, { try Tensor(shape: [1], scalars: [7] as [UInt8]) }),
        pair("mod int16", .binary(.mod()), { try values(Int16.self, [9], seed: 376, low: -900, high: 900) }, { try Tensor(shape: [1], scalars: [-13] as [Int16]) }),
        pair("bit shift left uint8", .binary(.bitShift(left: true)), { try values(UInt8.self, [8], seed: 377, low: 0, high: 255) }, { try Tensor(shape: [8], scalars: [0, 1, 2, 3, 4, 5, 6, 7] as [UInt8]) }),
        pair("bit shift right uint32", .binary(.bitShift(left: false)), { try values(UInt32.self, [6], seed: 378, low: 0, high: 60000) }, { try Tensor(shape: [1], scalars: [3] as [UInt32]) }),
        pair("bit shift left uint64", .binary(.bitShift(left: true)), { try Tensor(shape: [3], scalars: [1, 5, 1 << 40] as [UInt64]) }, { try Tensor(shape: [3], scalars: [63, 2, 20] as [UInt64]) }),
        pair("bitwise and int32", .binary(.bitwiseAnd), { try values(Int32.self, [9], seed: 379, low: -999, high: 999) }, { try values(Int32.self, [9], seed: 380, low: -999, high: 999) }),
        pair("bitwise or uint16", .binary(.bitwiseOr), { try values(UInt16.self, [2, 5], seed: 381, low: 0, high: 9999) }, { try values(UInt16.self, [5], seed: 382, low: 0, high: 9999) }),
        pair("bitwise xor int8", .binary(.bitwiseXor), { try values(Int8.self, [9], seed: 383, low: -99, high: 99) }, { try values(Int8.self, [9], seed: 384, low: -99, high: 99) }),
        pair("or broadcast", .binary(.or), { try bools([true, false, true, false], shape: [2, 2]) }, { try bools([false, false]) }),
        pair("xor", .binary(.xor), { try bools([true, false, true, false]) }, { try bools([true, true, false, false]) }),
        pair("greater float32 broadcast", .binary(.greater), { try random([3, 17], seed: 385) }, { try random([17], seed: 386) }),
        pair("greater int64", .binary(.greater), { try int64s([1, 5, 3]) }, { try int64s([2, 5, 1]) }),
        pair("less float64", .binary(.less), { try values(Double.self, [9], seed: 387) }, { try values(Double.self, [9], seed: 388) }),
        pair("less int32", .binary(.less), { try values(Int32.self, [9], seed: 389, low: -5, high: 5) }, { try values(Int32.self, [9], seed: 390, low: -5, high: 5) }),
        pair("less or equal float32", .binary(.lessOrEqual), { try floats([1, 2, 3, .nan], shape: [4]) }, { try floats([2, 2, 2, 2], shape: [4]) }),
        pair("less or equal int64", .binary(.lessOrEqual), { try int64s([1, 2, 3]) }, { try int64s([2, 2, 2]) }),
        pair("greater or equal float64", .greaterOrEqual, { try values(Double.self, [9], seed: 391) }, { try values(Double.self, [1], seed: 392) }),
        pair("equal bool", .equal, { try bools([true, false, true]) }, { try bools([true, true, false]) }),
        pair("equal float64", .equal, { try Tensor(shape: [3], scalars: [1, 2, 3] as [Double]) }, { try Tensor(shape: [3], scalars: [1, 0, 3] as [Double]) }),
        pair("add float64 broadcast", .add, { try values(Double.self, [2, 3, 4], seed: 393) }, { try values(Double.self, [3, 1], seed: 394) }),
        pair("sub int32", .sub, { try values(Int32.self, [2, 5], seed: 395, low: -99, high: 99) }, { try values(Int32.self, [5], seed: 396, low: -99, high: 99) }),
        pair("mul float64", .mul, { try values(Double.self, [9], seed: 397) }, { try values(Double.self, [9], seed: 398) }),
        pair("div float64", .div, { try values(Double.self, [9], seed: 399) }, { try values(Double.self, [9], seed: 400, low: 0.5, high: 2) }),
        pair("div int64 truncates", .div, { try int64s([7, -7, 7, -7]) }, { try int64s([2, 2, -2, -2]) }),
        pair("pow float64", .pow, { try values(Double.self, [9], seed: 401, low: 0.1, high: 3) }, { try values(Double.self, [9], seed: 402) }),
        pair("pow int64 base, int64 exponent", .pow, { try int64s([2, 3, -4, 5]) }, { try int64s([3, 2, 3, 0]) }),
        pair("pow float32 base, int64 exponent", .pow, { try random([9], seed: 403) }, { try int64s([2]) }),
        pair("max int32", .max, { try values(Int32.self, [9], seed: 404, low: -9, high: 9) }, { try values(Int32.self, [9], seed: 405, low: -9, high: 9) }),
        pair("max float64", .max, { try values(Double.self, [9], seed: 406) }, { try values(Double.self, [9], seed: 407) }),
    ]

    static let variadicCases: [Case] = [
        Case(label: "sum of three, broadcast", op: .variadic(.sum)) {
            [.input(try random([2, 3, 4], seed: 420)), .input(try random([3, 1], seed: 421)), .input(try random([4], seed: 422))]
        },
        Case(label: "sum of one", op: .variadic(.sum)) { [.input(try random([5], seed: 423))] },
        Case(label: "sum float64", op: .variadic(.sum)) {
            [.input(try values(Double.self, [4], seed: 424)), .input(try values(Double.self, [4], seed: 425))]
        },
        Case(label: "mean of three, broadcast", op: .variadic(.mean)) {
            [.input(try random([2, 1, 4], seed: 426)), .input(try random([3, 1], seed: 427)), .input(try random([2, 3, 4], seed: 428))]
        },
        Case(label: "mean float64", op: .variadic(.mean), operands: {
            [.input(try values(Double.self, [4], seed: 429)), .input(try values(Double.self, [4], seed: 430))]
        }, evaluator: .onnxReference),
        Case(label: "min of four, long rows", op: .variadic(.min)) {
            [.input(try random([3, 70], seed: 431)), .input(try random([70], seed: 432)), .input(try random([3, 1], seed: 433)),
             .input(try random([3, 70], seed: 434))]
        },
        Case(label: "min int32", op: .variadic(.min)) {
            [.input(try values(Int32.self, [9], seed: 435, low: -9, high: 9)), .input(try values(Int32.self, [9], seed: 436, low: -9, high: 9))]
        },
        Case(label: "min uint64", op: .variadic(.min)) {
            [.input(try Tensor(shape: [3], scalars: [1, UInt64.max, 7] as [UInt64])), .input(try Tensor(shape: [3], scalars: [2, UInt64.max - 1, 7] as [UInt64]))]
        },
        Case(label: "min float16", op: .variadic(.min), operands: {
            [.input(try values(Float16.self, [9], seed: 437)), .input(try values(Float16.self, [9], seed: 438))]
        }, tolerance: half),
        Case(label: "max of three", op: .variadic(.max)) {
            [.input(try random([2, 5], seed: 439)), .input(try random([5], seed: 440)), .input(try random([2, 1], seed: 441))]
        },
        Case(label: "max int8", op: .variadic(.max)) {
            [.input(try values(Int8.self, [9], seed: 442, low: -99, high: 99)), .input(try values(Int8.self, [9], seed: 443, low: -99, high: 99))]
        },
    ]

    static let castsCases: [Case] = [
        Case(label: "cast like float32 to int32", op: .castLike) { [.input(try random([9], seed: 450, low: -9, high: 9)), .input(try Tensor(shape: [1], scalars: [0] as [Int32]))] },
        Case(label: "cast like int64 to float64", op: .castLike) { [.input(try int64s([-3, 0, 7])), .input(try Tensor(shape: [1], scalars: [0] as [Double]))] },
        Case(label: "cast like float32 to float16", op: .castLike, operands: {
            [.input(try random([9], seed: 451)), .input(try Tensor(shape: [1], scalars: [0] as [Float16]))]
        }, tolerance: half),
        Case(label: "cast float64 to uint16", op: .cast(to: .uint16)) { [.input(try values(Double.self, [9], seed: 452, low: 0, high: 900))] },
        Case(label: "cast int16 to float32", op: .cast(to: .float32)) { [.input(try values(Int16.self, [9], seed: 453, low: -900, high: 900))] },
        Case(label: "cast uint32 to int64", op: .cast(to: .int64)) { [.input(try values(UInt32.self, [9], seed: 454, low: 0, high: 90000))] },
        Case(label: "cast int32 to uint64 wraps", op: .cast(to: .uint64)) { [.input(try Tensor(shape: [3], scalars: [-1, 0, 5] as [Int32]))] },
        Case(label: "cast float32 to bool", op: .cast(to: .bool)) { [.input(try floats([0, -0.0, 2, .nan], shape: [4]))] },
        Case(label: "cast int8 to uint8", op: .cast(to: .uint8)) { [.input(try Tensor(shape: [3], scalars: [-1, 5, -128] as [Int8]))] },
    ]

    /// Written at opset 18, where Mish and the Bitwise ops exist, so that every case exports.
    static func check(_ testCase: Case) throws {
        let (graph, inputs) = try singleNodeGraph(testCase.op, try testCase.operands())
        try expectMatchesOnnxRuntime(graph, inputs, options: SessionOptions(passes: []), evaluator: testCase.evaluator,
                                     tolerance: testCase.tolerance, opset: 18, testCase.label)
    }

    @Test(arguments: unaryMathCases) func unaryMath(_ testCase: Case) throws { try Self.check(testCase) }
    @Test(arguments: activationsCases) func activations(_ testCase: Case) throws { try Self.check(testCase) }
    @Test(arguments: binaryCases) func binary(_ testCase: Case) throws { try Self.check(testCase) }
    @Test(arguments: variadicCases) func variadic(_ testCase: Case) throws { try Self.check(testCase) }
    @Test(arguments: castsCases) func casts(_ testCase: Case) throws { try Self.check(testCase) }

    /// Integer division and remainder where C++ traps (onnxruntime has no defined result):
    /// by zero gives 0, the most negative value by −1 wraps; no trap either way.
    @Test func integerDivisionNeverTraps() throws {
        for (op, expected) in [(Op.div, [Int64.min, 0, -3]), (.binary(.mod()), [0, 0, -1]), (.binary(.mod(fmod: true)), [0, 0, 1])] {
            let (graph, inputs) = try singleNodeGraph(op, [.input(try Tensor(shape: [3], scalars: [Int64.min, 5, 7])),
                                                           .input(try Tensor(shape: [3], scalars: [-1, 0, -2] as [Int64]))])
            let output = try #require(try Session(graph: graph, options: SessionOptions(passes: [])).run(inputs)["node"])
            #expect(try output.scalars(as: Int64.self) == expected, "\(op.onnxName)")
        }
    }

    /// bfloat16, which numpy cannot carry to onnxruntime: each result is the float32 result
    /// of the same function rounded to bfloat16 (the kernel computes in Double and rounds
    /// once, so the two agree exactly for these values).
    @Test func bfloat16ByHand() throws {
        let values: [Float] = [-3, -1.5, -0.25, 0, 0.375, 1, 2.5, 7]
        let input = try Tensor(shape: [values.count], scalars: values.map(BFloat16.init))
        let cases: [(Op, (Float) -> Float)] = [
            (.unary(.leakyRelu(alpha: 0.5)), { $0 < 0 ? 0.5 * $0 : $0 }),
            (.unary(.hardSwish), { $0 * max(0, min(1, $0 / 6 + 0.5)) }),
            (.unary(.abs), { abs($0) }),
            (.relu, { max(0, $0) }),
        ]
        for (op, function) in cases {
            let (graph, inputs) = try singleNodeGraph(op, [.input(input)])
            let output = try #require(try Session(graph: graph).run(inputs)["node"]).scalars(as: BFloat16.self)
            #expect(output.map(\.bitPattern) == values.map { BFloat16(function($0)).bitPattern }, "\(op.onnxName)")
        }
        let (graph, inputs) = try singleNodeGraph(.variadic(.max), [.input(input), .constant(Tensor(scalar: BFloat16(0.5)))])
        let output = try #require(try Session(graph: graph).run(inputs)["node"]).scalars(as: BFloat16.self)
        #expect(output.map(\.floatValue) == values.map { max($0, 0.5) })
    }
}
