/// Hugging Face's "longest_first" truncation: how many word pieces of each sequence to
/// keep so that together they fit `budget` (the maximum length less the special tokens).
/// The shorter sequence is kept whole if the longer can give up enough; otherwise both get
/// half the budget, the longer one the odd piece.
enum Truncation {
    static func lengths(first: Int, second: Int, budget: Int) -> (first: Int, second: Int) {
        guard first + second > budget else { return (first, second) }
        let shorter = min(first, second)
        var (keptShorter, keptLonger) = (shorter, shorter > budget ? shorter : max(shorter, budget - shorter))
        if keptShorter + keptLonger > budget {
            keptShorter = budget / 2
            keptLonger = keptShorter + budget % 2
        }
        return first > second ? (keptLonger, keptShorter) : (keptShorter, keptLonger)
    }
}
