import ModelZoo
import Testing
@testable import ZooCLI

/// Which outputs `zoo run --top` ranks, and the ranking it prints.
@Suite struct ClassScoresTests {
    @Test func ranksEachRowOfFloatingPointClassScores() throws {
        let scores = try Tensor(shape: [2, 3], scalars: [Float(0.5), 2, -1, 7, 3, 9])
        #expect(ClassScores.top(scores, count: 2) == "  batch 0 top 2: 1 (2), 0 (0.5)\n  batch 1 top 2: 2 (9), 0 (7)")
        // More classes asked for than there are: all of them.
        #expect(ClassScores.top(scores, count: 5)?.hasPrefix("  batch 0 top 3: 1 (2), 0 (0.5), 2 (-1)\n") == true)
    }

    @Test func otherOutputsAreNotRanked() throws {
        let oneClass = try Tensor(shape: [4, 1], scalars: [Float(1), 2, 3, 4])
        let sequence = try Tensor(shape: [1, 2, 3], scalars: [Float](repeating: 1, count: 6))
        let ids = try Tensor(shape: [2, 3], scalars: [Int64](repeating: 1, count: 6))
        for tensor in [oneClass, sequence, ids] {
            #expect(ClassScores.top(tensor, count: 3) == nil, "\(tensor.dtype)\(tensor.shape)")
        }
    }
}
