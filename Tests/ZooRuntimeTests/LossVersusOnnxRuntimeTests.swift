import Testing
import ZooGraph
import ZooONNX
import ZooRuntime
import ZooTensor
import ZooTestSupport

/// SoftmaxCrossEntropyLoss and NegativeLogLikelihoodLoss against onnxruntime on seeded
/// scores, each graph exported by ZooONNX at the case's opset: every reduction, weights,
/// ignore_index (inside and outside the classes, negative), int32 and int64 labels, 1-D to
/// 3-D positions, the log_prob output, and rows enough to spread the log-softmax over
/// threads. Tolerance float32 (rtol 1e-4, atol 1e-5): the sums run in another order.
@Suite struct LossVersusOnnxRuntimeTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let label: String
        let attributes: LossAttributes
        let operands: @Sendable () throws -> [Operand]
        var outputCount = 1
        var opset = 13
        var testDescription: String { label }
    }

    /// Labels in [0, classes) spread over the classes, with `ignored` at every fifth position.
    static func labels(_ shape: [Int], classes: Int, ignored: Int? = nil) throws -> Tensor {
        let count = shape.reduce(1, *)
        return try int64s((0..<count).map { index in
            if let ignored, index % 5 == 3 { return ignored }
            return (index * 7 + 3) % classes
        }, shape: shape)
    }

    static let sce = LossAttributes.Kind.softmaxCrossEntropy, nll = LossAttributes.Kind.negativeLogLikelihood

    static let cases: [Case] = [
        Case(label: "softmax cross entropy mean with log_prob", attributes: LossAttributes(kind: sce), operands: {
            [.input(try random([8, 10], seed: 1, low: -3, high: 3)), .input(try labels([8], classes: 10))]
        }, outputCount: 2),
        Case(label: "softmax cross entropy none, weights, ignore_index, [N, C, d1, d2], int32 labels",
             attributes: LossAttributes(kind: sce, reduction: .none, ignoreIndex: 2), operands: {
            let values = try labels([2, 3, 4], classes: 5, ignored: 2).integerValues!.map { Int32($0) }
            return [.input(try random([2, 5, 3, 4], seed: 2, low: -2, high: 2)), .input(try Tensor(shape: [2, 3, 4], scalars: values)),
                    .constant(try random([5], seed: 3, low: 0.1, high: 2))]
        }, outputCount: 2),
        Case(label: "softmax cross entropy sum, weights, negative ignore_index",
             attributes: LossAttributes(kind: sce, reduction: .sum, ignoreIndex: -1), operands: {
            [.input(try random([3, 6, 7], seed: 4)), .input(try labels([3, 7], classes: 6, ignored: -1)), .input(try random([6], seed: 5, low: 0, high: 1))]
        }),
        Case(label: "softmax cross entropy mean, ignore_index outside the classes",
             attributes: LossAttributes(kind: sce, ignoreIndex: 10), operands: {
            [.input(try random([4, 5], seed: 6)), .input(try labels([4], classes: 5, ignored: 10))]
        }),
        Case(label: "softmax cross entropy over threads (64 × 96 rows of 300 classes)", attributes: LossAttributes(kind: sce, reduction: .none),
             operands: { [.input(try random([64, 300, 96], seed: 7, low: -4, high: 4)), .input(try labels([64, 96], classes: 300))] },
             outputCount: 2),
        Case(label: "negative log-likelihood mean, weights, ignore_index, at opset 22",
             attributes: LossAttributes(kind: nll, ignoreIndex: 1), operands: {
            [.input(try random([3, 5, 6], seed: 8, low: -3, high: 0)), .input(try labels([3, 6], classes: 5, ignored: 1)),
             .constant(try random([5], seed: 9, low: 0.5, high: 1.5))]
        }, opset: 22),
        Case(label: "negative log-likelihood none, [N, C]", attributes: LossAttributes(kind: nll, reduction: .none), operands: {
            [.input(try random([6, 4], seed: 10)), .input(try labels([6], classes: 4))]
        }),
        Case(label: "negative log-likelihood sum, [N, C, d1, d2, d3]", attributes: LossAttributes(kind: nll, reduction: .sum), operands: {
            [.input(try random([2, 3, 2, 3, 4], seed: 11)), .input(try labels([2, 2, 3, 4], classes: 3))]
        }, opset: 22),
        Case(label: "negative log-likelihood mean of only ignored labels (0/0 = NaN, as onnxruntime)",
             attributes: LossAttributes(kind: nll, ignoreIndex: 1), operands: {
            [.input(try random([2, 3], seed: 12)), .input(try int64s([1, 1]))]
        }),
    ]

    @Test(arguments: cases) func matchesOnnxRuntime(_ testCase: Case) throws {
        let (graph, inputs) = try singleNodeGraph(.loss(testCase.attributes), try testCase.operands(), outputCount: testCase.outputCount)
        try expectMatchesOnnxRuntime(graph, inputs, opset: testCase.opset, testCase.label)
    }

    @Test func labelOutsideTheClassesIsAnErrorNamingIt() throws {
        let (graph, inputs) = try singleNodeGraph(.loss(LossAttributes(kind: .softmaxCrossEntropy, ignoreIndex: -100)),
                                                  [.input(try random([3, 4], seed: 13)), .input(try int64s([0, 4, -100]))])
        #expect(throws: RuntimeError.shape(node: "node", op: "SoftmaxCrossEntropyLoss",
                                           message: "label 4 at position 1 is outside the 4 classes [0, 4) and is not the ignore_index -100")) {
            try Session(graph: graph).run(inputs)
        }
        let (negative, negativeInputs) = try singleNodeGraph(.loss(LossAttributes(kind: .negativeLogLikelihood)),
                                                             [.input(try random([2, 4], seed: 14)), .input(try int64s([-1, 0]))])
        #expect(throws: RuntimeError.shape(node: "node", op: "NegativeLogLikelihoodLoss",
                                           message: "label -1 at position 0 is outside the 4 classes [0, 4)")) {
            try Session(graph: negative).run(negativeInputs)
        }
    }
}
