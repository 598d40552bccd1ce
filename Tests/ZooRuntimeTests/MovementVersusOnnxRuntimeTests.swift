import Testing
import ZooGraph
import ZooONNX
import ZooRuntime
import ZooTensor
import ZooTestSupport

/// The data movement and indexing kernels (MovementOp) against onnxruntime on seeded
/// inputs, each graph exported by ZooONNX at the case's opset (so export and the opset
/// lowering are exercised too): every mode and reduction, negative pads and indices, uneven
/// splits, element types of 1, 2, 4 and 8 bytes. The values are copied, not computed, so
/// outputs must match exactly; the reductions of floats allow float32 rounding.
@Suite struct MovementVersusOnnxRuntimeTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let label: String
        let op: MovementOp
        let operands: @Sendable () throws -> [Operand]
        var outputCount = 1
        var opset = ONNXModel.defaultOpset
        /// onnx's ReferenceEvaluator for variants onnxruntime refuses (reflect pads wider
        /// than the input).
        var evaluator = OnnxRuntimeReference.Evaluator.onnxruntime
        var tolerance = Tolerance.exact
        var testDescription: String { label }
    }

    static let padding: [Case] = [
        Case(label: "pad constant value, 4-D", op: .pad(.constant)) {
            [.input(try random([2, 3, 4, 5], seed: 1)), .constant(try int64s([0, 0, 1, 2, 0, 0, 2, 1])), .constant(try floats([1.5], shape: []))]
        },
        Case(label: "pad constant, spatial axes on all threads (MobileNet's form)", op: .pad(.constant)) {
            [.input(try random([1, 32, 113, 113], seed: 2)), .constant(try int64s([0, 0, 0, 0, 0, 0, 1, 1]))]
        },
        Case(label: "pad reflect", op: .pad(.reflect)) {
            [.input(try random([1, 2, 5, 6], seed: 3)), .constant(try int64s([0, 0, 2, 3, 0, 0, 4, 2]))]
        },
        Case(label: "pad reflect wider than the input", op: .pad(.reflect), operands: {
            [.input(try random([2, 3], seed: 4)), .constant(try int64s([1, 5, 2, 7]))]
        }, evaluator: .onnxReference),
        Case(label: "pad edge, int64", op: .pad(.edge)) {
            [.input(try int64s(Array(0..<12), shape: [3, 4])), .constant(try int64s([2, 1, 3, 2]))]
        },
        Case(label: "pad negative pads crop, constant", op: .pad(.constant)) {
            [.input(try random([2, 5, 6], seed: 5)), .constant(try int64s([0, -1, 2, 0, 1, -2]))]
        },
        Case(label: "pad negative and positive pads, reflect", op: .pad(.reflect)) {
            [.input(try random([6, 7], seed: 6)), .constant(try int64s([-2, 2, 1, -3]))]
        },
        Case(label: "pad axes input at opset 18", op: .pad(.constant), operands: {
            [.input(try random([2, 3, 4], seed: 7)), .constant(try int64s([1, 2, 0, 3])), .constant(try floats([-2], shape: [])),
             .constant(try int64s([-1, 0]))]
        }, opset: 18),
        Case(label: "pad axes input written at opset 17 as full pads", op: .pad(.edge)) {
            [.input(try random([2, 3, 4], seed: 8)), .constant(try int64s([2, 1])), .absent, .constant(try int64s([1]))]
        },
        Case(label: "pad wrap at opset 19", op: .pad(.wrap), operands: {
            [.input(try random([2, 3, 4], seed: 9)), .constant(try int64s([0, 1, 2, 1, 2, 3]))]
        }, opset: 19),
        Case(label: "pad bool", op: .pad(.constant)) {
            [.input(try Tensor(shape: [2, 2], scalars: [true, false, false, true])), .constant(try int64s([1, 0, 0, 2]))]
        },
    ]

    static let splitting: [Case] = [
        Case(label: "split by sizes, int32", op: .split(axis: 1, numOutputs: nil), operands: {
            [.input(try Tensor(shape: [2, 6], scalars: (0..<12).map { Int32($0) })), .constant(try int64s([2, 3, 1]))]
        }, outputCount: 3),
        Case(label: "split equal chunks, last axis", op: .split(axis: -1, numOutputs: nil), operands: {
            [.input(try random([2, 3, 6], seed: 10))]
        }, outputCount: 3),
        Case(label: "split uneven num_outputs at opset 18", op: .split(axis: 0, numOutputs: 3), operands: {
            [.input(try random([7, 2], seed: 11))]
        }, outputCount: 3, opset: 18),
        Case(label: "split uneven written at opset 17 with sizes", op: .split(axis: 0, numOutputs: 3), operands: {
            [.input(try random([8, 3], seed: 12))]
        }, outputCount: 3),
        Case(label: "split with an empty part", op: .split(axis: 0, numOutputs: nil), operands: {
            [.input(try random([4, 3], seed: 13)), .constant(try int64s([1, 0, 3]))]
        }, outputCount: 3),
    ]

    static let rearranging: [Case] = [
        Case(label: "tile float", op: .tile) { [.input(try random([2, 3], seed: 20)), .constant(try int64s([2, 3]))] },
        Case(label: "tile int64 3-D", op: .tile) { [.input(try int64s(Array(0..<6), shape: [2, 1, 3])), .constant(try int64s([1, 4, 2]))] },
        Case(label: "tile with a zero count", op: .tile) { [.input(try random([2, 3], seed: 21)), .constant(try int64s([0, 2]))] },
        Case(label: "tile large, on all threads", op: .tile) { [.input(try random([3, 64, 129], seed: 22)), .constant(try int64s([2, 1, 3]))] },
        Case(label: "depth to space DCR", op: .depthToSpace(blockSize: 2, mode: .depthColumnRow)) { [.input(try random([2, 8, 2, 3], seed: 23))] },
        Case(label: "depth to space CRD", op: .depthToSpace(blockSize: 2, mode: .columnRowDepth)) { [.input(try random([1, 8, 3, 2], seed: 24))] },
        Case(label: "depth to space block 3, int8", op: .depthToSpace(blockSize: 3, mode: .depthColumnRow)) {
            [.input(try Tensor(shape: [1, 18, 2, 2], scalars: (0..<72).map { Int8($0) }))]
        },
        Case(label: "space to depth", op: .spaceToDepth(blockSize: 2, mode: .depthColumnRow)) { [.input(try random([2, 3, 4, 6], seed: 25))] },
        Case(label: "space to depth CRD at opset 28", op: .spaceToDepth(blockSize: 2, mode: .columnRowDepth), operands: {
            [.input(try random([1, 3, 4, 2], seed: 35))]
        }, opset: 28, evaluator: .onnxReference),
        Case(label: "space to depth block 3", op: .spaceToDepth(blockSize: 3, mode: .depthColumnRow)) { [.input(try random([1, 2, 6, 3], seed: 26))] },
        Case(label: "trilu upper k 1", op: .trilu(upper: true)) { [.input(try random([2, 3, 4], seed: 27)), .constant(try int64s([1], shape: []))] },
        Case(label: "trilu lower run-time k -1", op: .trilu(upper: false)) { [.input(try random([4, 5], seed: 28)), .input(try int64s([-1], shape: []))] },
        Case(label: "trilu upper without k, tall", op: .trilu(upper: true)) { [.input(try int64s(Array(0..<15), shape: [5, 3]))] },
        Case(label: "trilu lower k beyond the matrix", op: .trilu(upper: false)) { [.input(try random([3, 4], seed: 29)), .input(try int64s([-9], shape: []))] },
        Case(label: "trilu large enough to run on all threads", op: .trilu(upper: true)) {
            [.input(try random([2, 300, 300], seed: 34)), .input(try int64s([3], shape: []))]
        },
        Case(label: "eye like k 1", op: .eyeLike(dtype: nil, k: 1)) { [.input(try random([3, 4], seed: 30))] },
        Case(label: "eye like int64 k -2", op: .eyeLike(dtype: .int64, k: -2)) { [.input(try random([4, 3], seed: 31))] },
        Case(label: "reverse sequence time-major", op: .reverseSequence(batchAxis: 1, timeAxis: 0)) {
            [.input(try random([4, 3, 2], seed: 32)), .input(try int64s([4, 1, 3]))]
        },
        Case(label: "reverse sequence batch-major", op: .reverseSequence(batchAxis: 0, timeAxis: 1)) {
            [.input(try int64s(Array(0..<16), shape: [4, 4])), .constant(try int64s([1, 2, 3, 4]))]
        },
        Case(label: "size", op: .size) { [.input(try random([2, 3, 5], seed: 33))] },
    ]

    static let indexing: [Case] = [
        Case(label: "gather elements axis 1, negative indices", op: .gatherElements(axis: 1)) {
            [.input(try random([3, 4], seed: 40)), .input(try int64s([0, -1, 2, 3, 3, -4, 1, 1, 0], shape: [3, 3]))]
        },
        Case(label: "gather elements axis 0, int32 indices shorter than data", op: .gatherElements(axis: 0)) {
            [.input(try random([4, 3, 2], seed: 41)),
             .input(try Tensor(shape: [2, 2, 2], scalars: [Int32(3), 0, 1, 2, 0, 0, 3, 1]))]
        },
        Case(label: "gather elements last axis, int64 data", op: .gatherElements(axis: -1)) {
            [.input(try int64s(Array(0..<12), shape: [2, 6])), .input(try int64s([5, 0, 1, 1, 4, 3, 2, 2], shape: [2, 4]))]
        },
        Case(label: "gather elements large enough to run on all threads", op: .gatherElements(axis: 1)) {
            [.input(try random([256, 300], seed: 56)), .input(try int64s((0..<76_800).map { $0 * 7919 % 600 - 300 }, shape: [256, 300]))]
        },
        Case(label: "scatter elements", op: .scatterElements(axis: 0, reduction: .none)) {
            [.input(try random([3, 3], seed: 42)), .constant(try int64s([1, 0, 2, 0, 2, 1], shape: [2, 3])), .input(try random([2, 3], seed: 43))]
        },
        Case(label: "scatter elements add, repeated indices", op: .scatterElements(axis: 1, reduction: .add), operands: {
            [.input(try random([2, 5], seed: 44)), .constant(try int64s([1, 1, -1, 0, 0, 4], shape: [2, 3])), .input(try random([2, 3], seed: 45))]
        }, tolerance: .float32),
        Case(label: "scatter elements mul, int64", op: .scatterElements(axis: 0, reduction: .mul)) {
            [.input(try int64s([1, 2, 3, 4, 5, 6], shape: [3, 2])), .constant(try int64s([2, 2, 2, 0], shape: [2, 2])), .input(try int64s([3, -1, 5, 7], shape: [2, 2]))]
        },
        Case(label: "scatter elements max at opset 18", op: .scatterElements(axis: 1, reduction: .max), operands: {
            [.input(try random([2, 4], seed: 46)), .constant(try int64s([0, 0, 3, 2], shape: [2, 2])), .input(try random([2, 2], seed: 47))]
        }, opset: 18),
        Case(label: "scatter elements min at opset 18", op: .scatterElements(axis: 0, reduction: .min), operands: {
            [.input(try random([3, 2], seed: 48)), .constant(try int64s([1, 1, 1, 2], shape: [2, 2])), .input(try random([2, 2], seed: 49))]
        }, opset: 18),
        Case(label: "scatter ND slices", op: .scatterND(reduction: .none)) {
            [.input(try random([4, 3, 2], seed: 50)), .constant(try int64s([2, -4], shape: [2, 1])), .input(try random([2, 3, 2], seed: 51))]
        },
        Case(label: "scatter ND elements, add", op: .scatterND(reduction: .add), operands: {
            [.input(try random([3, 4], seed: 52)), .constant(try int64s([0, 1, 2, 3, 0, 1], shape: [3, 2])), .input(try random([3], seed: 53))]
        }, tolerance: .float32),
        Case(label: "scatter ND mul, int32", op: .scatterND(reduction: .mul)) {
            [.input(try Tensor(shape: [2, 2], scalars: [Int32(1), 2, 3, 4])), .constant(try int64s([1], shape: [1, 1])),
             .input(try Tensor(shape: [1, 2], scalars: [Int32(5), -6]))]
        },
        Case(label: "scatter ND max at opset 18", op: .scatterND(reduction: .max), operands: {
            [.input(try random([2, 3], seed: 54)), .constant(try int64s([1, 0], shape: [2, 1])), .input(try random([2, 3], seed: 55))]
        }, opset: 18),
        Case(label: "one hot last axis, negative and out-of-range indices", op: .oneHot(axis: -1)) {
            [.input(try int64s([0, 3, -1, 7, -5, 2], shape: [2, 3])), .constant(try int64s([4], shape: [])), .constant(try floats([0, 1], shape: [2]))]
        },
        Case(label: "one hot axis 0, int64 values", op: .oneHot(axis: 0)) {
            [.input(try int64s([1, 0, 2, -3])), .constant(try int64s([3], shape: [1])), .constant(try int64s([-2, 5]))]
        },
        Case(label: "one hot int32 indices and depth", op: .oneHot(axis: -1)) {
            [.input(try Tensor(shape: [2, 2], scalars: [Int32(1), 0, 2, 3])), .constant(try Tensor(shape: [], scalars: [Int32(3)])),
             .constant(try floats([0, 1], shape: [2]))]
        },
        Case(label: "one hot float indices and depth", op: .oneHot(axis: 1)) {
            [.input(try floats([1.7, 0, 4.2], shape: [3])), .constant(try floats([5], shape: [])), .constant(try floats([0.5, 2], shape: [2]))]
        },
    ]

    static func check(_ testCase: Case) throws {
        let (graph, inputs) = try singleNodeGraph(.movement(testCase.op), try testCase.operands(), outputCount: testCase.outputCount)
        try expectMatchesOnnxRuntime(graph, inputs, options: SessionOptions(passes: []), evaluator: testCase.evaluator,
                                     tolerance: testCase.tolerance, opset: testCase.opset, testCase.label)
    }

    @Test(arguments: padding) func padOps(_ testCase: Case) throws { try Self.check(testCase) }
    @Test(arguments: splitting) func splitOps(_ testCase: Case) throws { try Self.check(testCase) }
    @Test(arguments: rearranging) func rearrangingOps(_ testCase: Case) throws { try Self.check(testCase) }
    @Test(arguments: indexing) func indexingOps(_ testCase: Case) throws { try Self.check(testCase) }
}
